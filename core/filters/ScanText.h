#pragma once
// Small byte-level helpers shared by the secret scanners (TextScanners.cpp,
// CardScanner.cpp): ASCII classes, memchr/memmem finds, quoted-printable soft
// breaks. Internal to core/filters.
#include "model/Filter.h"
#include "filters/TextScanners.h"

#include <cstring>
#include <string_view>
#include <vector>

namespace ed::scan::detail {

constexpr size_t npos = std::string_view::npos;

inline bool isDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }
inline bool isAlpha(char c) { return static_cast<unsigned char>((c | 0x20) - 'a') < 26; }
inline bool isAlnum(char c) { return isDigit(c) || isAlpha(c); }
inline bool isUpper(char c) { return static_cast<unsigned char>(c - 'A') < 26; }
inline bool isLower(char c) { return static_cast<unsigned char>(c - 'a') < 26; }
inline bool isBlank(char c) { return c == ' ' || c == '\t'; }

// Characters of a bare key: identifiers, dotted names, header names, form
// fields such as user[password], command-line --options.
inline bool isKeyChar(char c) { return isAlnum(c) || c == '_' || c == '.' || c == '-' || c == '[' || c == ']'; }

inline size_t findChar(std::string_view s, char c, size_t from)
{
    if (from >= s.size())
        return npos;
    const void *p = std::memchr(s.data() + from, c, s.size() - from);
    return p ? size_t(static_cast<const char *>(p) - s.data()) : npos;
}

inline size_t findText(std::string_view s, std::string_view needle, size_t from)
{
    if (from >= s.size() || needle.size() > s.size() - from)
        return npos;
    const void *p = memmem(s.data() + from, s.size() - from, needle.data(), needle.size());
    return p ? size_t(static_cast<const char *>(p) - s.data()) : npos;
}

inline size_t lineEnd(std::string_view s, size_t from)
{
    const size_t e = findChar(s, '\n', from);
    return e == npos ? s.size() : e;
}

inline void pushNonEmpty(std::string_view s, Span sp, std::vector<Span> &out)
{
    if (sp.end > sp.begin && s.substr(sp.begin, sp.end - sp.begin) != kScrubbedValue)
        out.push_back(sp);
}

// The length of a quoted-printable soft line break ("=\n", "=\r\n") at `i`, or 0.
inline size_t softBreakAt(std::string_view s, size_t i)
{
    if (i + 1 < s.size() && s[i] == '=' && s[i + 1] == '\n')
        return 2;
    if (i + 2 < s.size() && s[i] == '=' && s[i + 1] == '\r' && s[i + 2] == '\n')
        return 3;
    return 0;
}

} // namespace ed::scan::detail
