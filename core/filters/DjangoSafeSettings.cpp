#include "filters/DjangoSafeSettings.h"

#include <algorithm>
#include <array>

namespace ed {
namespace {

// Sorted (binary search). What each holds, per Django's settings reference.
constexpr std::array<std::string_view, 39> kSafe = {
    "AUTHENTICATION_BACKENDS", // dotted paths of the auth backends
    "AUTH_PASSWORD_VALIDATORS", // validator class paths and their options (lengths)
    "AUTH_USER_MODEL", // "app_label.ModelName"
    "CACHE_MIDDLEWARE_KEY_PREFIX", // a namespace for cache keys, often the site's name
    "CSRF_COOKIE_AGE", // seconds
    "CSRF_COOKIE_DOMAIN",
    "CSRF_COOKIE_HTTPONLY", // a flag
    "CSRF_COOKIE_MASKED", // a flag (Django 4.1)
    "CSRF_COOKIE_NAME", // the cookie's name, not its value
    "CSRF_COOKIE_PATH",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_FAILURE_VIEW", // a dotted path
    "CSRF_HEADER_NAME", // a META key such as HTTP_X_CSRFTOKEN
    "CSRF_TRUSTED_ORIGINS", // origins (URLs without credentials)
    "CSRF_USE_SESSIONS",
    "LANGUAGE_COOKIE_AGE",
    "LANGUAGE_COOKIE_DOMAIN",
    "LANGUAGE_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_NAME",
    "LANGUAGE_COOKIE_PATH",
    "LANGUAGE_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_SECURE",
    "PASSWORD_HASHERS", // hasher class paths
    "PASSWORD_RESET_TIMEOUT", // seconds
    "PASSWORD_RESET_TIMEOUT_DAYS", // days (Django < 4.0)
    "SESSION_CACHE_ALIAS", // a CACHES alias
    "SESSION_COOKIE_AGE",
    "SESSION_COOKIE_DOMAIN",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_NAME", // the cookie's name, not the session id
    "SESSION_COOKIE_PATH",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_SECURE",
    "SESSION_ENGINE", // a dotted path
    "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "SESSION_FILE_PATH", // a folder
    "SESSION_SAVE_EVERY_REQUEST",
    "SESSION_SERIALIZER", // a dotted path
};

} // namespace

std::span<const std::string_view> djangoSafeSettings() { return kSafe; }

bool isDjangoSafeSetting(std::string_view key) { return std::binary_search(kSafe.begin(), kSafe.end(), key); }

} // namespace ed
