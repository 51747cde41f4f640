#pragma once
// Small byte-level helpers shared by the secret scanners (TextScanners.cpp,
// CardScanner.cpp): ASCII classes, memchr/memmem finds, quoted-printable soft
// breaks. Internal to core/filters.
#include "model/Filter.h"
#include "filters/TextScanners.h"

#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
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

// The first `needle` at or after `from`. SSE2 (every x86-64): 16 places at a
// time whose first and last bytes both match, then a compare of those; glibc's
// memmem for these short needles went a byte at a time (6% of an e-mail
// worker's instructions).
inline size_t findText(std::string_view s, std::string_view needle, size_t from)
{
    if (from >= s.size() || needle.size() > s.size() - from)
        return npos;
#if defined(__SSE2__)
    const size_t m = needle.size();
    if (m >= 2) {
        const char *d = s.data();
        const __m128i first = _mm_set1_epi8(needle.front()), last = _mm_set1_epi8(needle.back());
        size_t i = from;
        for (; i + m - 1 + 16 <= s.size(); i += 16) {
            const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(d + i));
            const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i *>(d + i + m - 1));
            unsigned mask = unsigned(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last))));
            while (mask) {
                const size_t at = i + size_t(__builtin_ctz(mask));
                if (std::memcmp(d + at + 1, needle.data() + 1, m - 2) == 0)
                    return at;
                mask &= mask - 1;
            }
        }
        for (; i + m <= s.size(); ++i) // the tail, under 16 places
            if (d[i] == needle.front() && std::memcmp(d + i + 1, needle.data() + 1, m - 1) == 0)
                return i;
        return npos;
    }
#endif
    const void *p = memmem(s.data() + from, s.size() - from, needle.data(), needle.size());
    return p ? size_t(static_cast<const char *>(p) - s.data()) : npos;
}

// The first ASCII digit at or after `from`, else s.size().
inline size_t nextDigit(std::string_view s, size_t from)
{
    size_t i = from;
#if defined(__SSE2__)
    const __m128i zero = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
    for (; i + 16 <= s.size(); i += 16) {
        const __m128i x = _mm_sub_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(s.data() + i)), zero);
        // x <= 9 unsigned: min(x, 9) == x.
        const unsigned mask = unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(x, nine), x)));
        if (mask)
            return i + size_t(__builtin_ctz(mask));
    }
#endif
    while (i < s.size() && !isDigit(s[i]))
        ++i;
    return i;
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
