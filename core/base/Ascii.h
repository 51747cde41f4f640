#pragma once
// Byte-level ASCII helpers for parsers and scanners that work on UTF-8 bytes,
// where the locale must not matter (std::tolower would consult it).
#include <string>
#include <string_view>

namespace ed {

// The value of a hexadecimal digit (either case), -1 for any other byte.
constexpr int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// `s` with A-Z lowered; every other byte (UTF-8 included) as it is.
inline std::string asciiLower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return out;
}

} // namespace ed
