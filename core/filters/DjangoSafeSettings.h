#pragma once
// Django settings known not to hold a secret, whose names nevertheless contain
// one of the scrubber's key patterns (KEY, PASS, AUTH, SESSION, CSRF, COOKIE):
// CACHE_MIDDLEWARE_KEY_PREFIX is a cache namespace, PASSWORD_HASHERS a list of
// class paths, AUTH_USER_MODEL an app label. Masking them hides what a reader
// of a report needs (which hasher, which session engine) and protects nothing.
//
// Taken from Django's own defaults (django/conf/global_settings.py, 3.2 to
// 5.2) and its settings reference: every setting there matching a key pattern,
// minus the ones that may hold a secret (SECRET_KEY, SECRET_KEY_FALLBACKS,
// EMAIL_HOST_PASSWORD, EMAIL_SSL_KEYFILE / EMAIL_SSL_CERTFILE, whose file
// names we do not show either). The list is exact and upper case, as Django
// reads settings: "password_hashers" in a form, or a nested 'KEY_PREFIX' of
// CACHES, is judged by the patterns as before. README.md (Secrets) lists it.
#include <span>
#include <string_view>

namespace ed {

// The names, sorted.
std::span<const std::string_view> djangoSafeSettings();
// True when `key` is one of them, spelt exactly (upper case).
bool isDjangoSafeSetting(std::string_view key);

} // namespace ed
