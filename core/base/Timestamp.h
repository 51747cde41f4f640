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

// The zone times are shown and typed in (the ERRORDECK_TIME_ZONE setting, the
// CLI's --utc / --local): UTC, or the computer's local zone (TZ).
enum class DisplayZone { Utc, Local };
// "utc" / "local" and back; nullopt for anything else.
QString displayZoneName(DisplayZone zone);
std::optional<DisplayZone> displayZoneByName(const QString &name);
// "2026-11-20 07:34:56 EST", "2026-11-20 12:34:56 UTC": the zone always named,
// so that a time read off the screen can be typed back into a search.
QString formatDisplayTime(int64_t msUtc, DisplayZone zone);
// The zone's short name at that moment ("UTC", "EST", "CET", or "UTC-03:00"
// where the zone has no abbreviation).
QString displayZoneAbbreviation(int64_t msUtc, DisplayZone zone);
// ISO 8601 as parseIsoTimestamp reads it, except that a time without `Z` or an
// offset is in `zone` (the zone the lists show), not always UTC.
std::optional<int64_t> parseDisplayTime(std::string_view text, DisplayZone zone);
// Midnight that starts the day holding `msUtc` in `zone`, `dayOffset` days on
// (-1: yesterday's midnight).
int64_t startOfDay(int64_t msUtc, DisplayZone zone, int dayOffset = 0);

} // namespace ed
