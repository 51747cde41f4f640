#include "JsonWriter.h"

#include <charconv>
#include <cmath>

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

void JsonWriter::appendString(std::string &out, std::string_view s)
{
    static const char hex[] = "0123456789abcdef";
    out.reserve(out.size() + s.size() + 2);
    out += '"';
    size_t start = 0;
    for (size_t i = 0; i < s.size(); ++i) {
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
    out.append(s.data() + start, s.size() - start);
    out += '"';
}

} // namespace ed
