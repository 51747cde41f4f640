#pragma once
// Where a Sentry SDK puts its key: `X-Sentry-Auth: Sentry sentry_key=...`
// (also as `Authorization: Sentry ...`), `?sentry_key=` in the URL (browser
// and node SDKs), or the envelope header's `dsn`.
#include <cstdint>
#include <string>
#include <string_view>

namespace ed::receive {

// The sentry_key of an X-Sentry-Auth (or Authorization) value; empty when none.
std::string keyFromAuthHeader(std::string_view value);

struct DsnParts {
    std::string key, host;
    int64_t project = 0;
    bool ok = false;
};
// http(s)://KEY[:SECRET]@HOST[:PORT]/[PATH/]PROJECT
DsnParts parseDsn(std::string_view dsn);

// The DSN an SDK is given for a site: http://KEY@HOST:PORT/NUMBER.
std::string makeDsn(std::string_view key, std::string_view host, int port, int64_t number);

} // namespace ed::receive
