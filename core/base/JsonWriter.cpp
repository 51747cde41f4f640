#include "base/JsonWriter.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

namespace ed {

void JsonWriter::number(double v)
{
    separate();
    if (!std::isfinite(v)) {
        m_out += "null";
        return;
    }
    char buf[32];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
    m_out.append(buf, ptr);
}

namespace {

// True when one of the 8 bytes may need escaping (< 0x20, '"' or '\'); it may
// say so for a clean word too (borrows), which only costs the byte-wise path.
inline bool mayNeedEscape(uint64_t v)
{
    constexpr uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    const uint64_t control = (v - 0x20 * ones) & ~v & highs;
    const uint64_t q = v ^ (0x22 * ones), b = v ^ (0x5C * ones);
    const uint64_t quote = (q - ones) & ~q & highs;
    const uint64_t backslash = (b - ones) & ~b & highs;
    return (control | quote | backslash) != 0;
}

} // namespace

void JsonWriter::appendString(std::string &out, std::string_view s)
{
    static const char hex[] = "0123456789abcdef";
    out.reserve(out.size() + s.size() + 2);
    out += '"';
    size_t start = 0, i = 0;
    const size_t n = s.size();
    while (i < n) {
        // Skip clean runs eight bytes at a time: most text needs no escaping.
        while (i + 8 <= n) {
            uint64_t v;
            std::memcpy(&v, s.data() + i, 8);
            if (mayNeedEscape(v))
                break;
            i += 8;
        }
        const size_t end = std::min(n, i + 8);
        for (; i < end; ++i) {
            const unsigned char c = static_cast<unsigned char>(s[i]);
            if (c >= 0x20 && c != '"' && c != '\\')
                continue;
            out.append(s.data() + start, i - start);
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
            }
            start = i + 1;
        }
    }
    out.append(s.data() + start, n - start);
    out += '"';
}

} // namespace ed
