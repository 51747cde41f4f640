#pragma once
// Python logging levels, stored as their numbers so they sort and compare.
#include <QString>
#include <optional>
#include <string_view>

namespace ed {

namespace level {
inline constexpr int Debug = 10, Info = 20, Warning = 30, Error = 40, Critical = 50;
}

// "error", "ERROR", "WARN", "FATAL" or a number 0..50; nullopt for anything else.
std::optional<int> parseLevel(std::string_view text);
std::optional<int> levelFromNumber(long long n);
// "ERROR" etc.; an odd number prints as "Level 35" like Python's getLevelName.
QString levelName(int level);

} // namespace ed
