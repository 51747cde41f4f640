#pragma once
// Report times are milliseconds since the Unix epoch, UTC.
#include <QString>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ed {

// ISO 8601 ("2026-11-20T12:34:56.789+00:00", "...Z", a space instead of T,
// any number of fraction digits). A string without an offset is taken as UTC.
std::optional<int64_t> parseIsoTimestamp(std::string_view text);
// Seconds since the epoch (the spec's "bare number"), fractional allowed.
std::optional<int64_t> timestampFromSeconds(double seconds);
// "2026-11-20T12:34:56.789Z".
QString formatIsoTimestamp(int64_t msUtc);

} // namespace ed
