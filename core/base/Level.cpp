#include "base/Level.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

namespace ed {

std::optional<int> levelFromNumber(long long n)
{
    if (n < 0 || n > 50)
        return std::nullopt;
    return int(n);
}

std::optional<int> parseLevel(std::string_view text)
{
    std::string up(text);
    std::transform(up.begin(), up.end(), up.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    if (up == "DEBUG")
        return level::Debug;
    if (up == "INFO")
        return level::Info;
    if (up == "WARNING" || up == "WARN")
        return level::Warning;
    if (up == "ERROR")
        return level::Error;
    if (up == "CRITICAL" || up == "FATAL")
        return level::Critical;
    long long n = 0;
    auto [ptr, ec] = std::from_chars(up.data(), up.data() + up.size(), n);
    if (ec == std::errc() && ptr == up.data() + up.size() && !up.empty())
        return levelFromNumber(n);
    return std::nullopt;
}

QString levelName(int level)
{
    switch (level) {
    case level::Debug: return QStringLiteral("DEBUG");
    case level::Info: return QStringLiteral("INFO");
    case level::Warning: return QStringLiteral("WARNING");
    case level::Error: return QStringLiteral("ERROR");
    case level::Critical: return QStringLiteral("CRITICAL");
    default: return QStringLiteral("Level %1").arg(level);
    }
}

} // namespace ed
