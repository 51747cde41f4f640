// Reading back Python's repr() of str values, as Django prints request data,
// settings and frame variables in its reports.
#include "mail/DjangoReportParser.h"

#include "base/Ascii.h"

namespace ed::mail {

void appendUtf8CodePoint(std::string &out, uint32_t cp)
{
    if (cp >= 0xD800 && cp <= 0xDFFF)
        cp = 0xFFFD; // a lone surrogate (repr of a str that held one)
    if (cp > 0x10FFFF)
        cp = 0xFFFD;
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

namespace {

// Reads one str literal starting at s[pos] (a quote); on success pos is past
// the closing quote and `out` holds the value.
bool readStringLiteral(std::string_view s, size_t &pos, std::string &out)
{
    if (pos >= s.size() || (s[pos] != '\'' && s[pos] != '"'))
        return false;
    const char quote = s[pos];
    size_t i = pos + 1;
    out.clear();
    while (i < s.size()) {
        const char c = s[i];
        if (c == quote) {
            pos = i + 1;
            return true;
        }
        if (c != '\\') {
            out += c;
            ++i;
            continue;
        }
        if (i + 1 >= s.size())
            return false;
        const char e = s[i + 1];
        i += 2;
        switch (e) {
        case '\\': out += '\\'; break;
        case '\'': out += '\''; break;
        case '"': out += '"'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'v': out += '\v'; break;
        case 'x':
        case 'u':
        case 'U': {
            const size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
            if (i + n > s.size())
                return false;
            uint32_t cp = 0;
            for (size_t k = 0; k < n; ++k) {
                const int d = hexDigit(s[i + k]);
                if (d < 0)
                    return false;
                cp = cp * 16 + uint32_t(d);
            }
            i += n;
            appendUtf8CodePoint(out, cp);
            break;
        }
        default:
            if (e >= '0' && e <= '7') {
                uint32_t cp = uint32_t(e - '0');
                for (int k = 0; k < 2 && i < s.size() && s[i] >= '0' && s[i] <= '7'; ++k, ++i)
                    cp = cp * 8 + uint32_t(s[i] - '0');
                appendUtf8CodePoint(out, cp);
            } else {
                out += '\\'; // not an escape: Python keeps the backslash
                out += e;
            }
        }
    }
    return false;
}

} // namespace

std::string pythonReprToText(std::string_view repr)
{
    if (repr.size() >= 2 && (repr.front() == '\'' || repr.front() == '"') && repr.back() == repr.front()) {
        size_t pos = 0;
        std::string out;
        if (readStringLiteral(repr, pos, out) && pos == repr.size())
            return out;
    }
    return std::string(repr);
}

std::vector<std::string> pythonStringList(std::string_view repr)
{
    std::vector<std::string> out;
    size_t i = 0;
    auto skipSpace = [&] {
        while (i < repr.size() && (repr[i] == ' ' || repr[i] == '\n' || repr[i] == '\t' || repr[i] == '\r'))
            ++i;
    };
    skipSpace();
    if (i >= repr.size() || repr[i] != '[')
        return {};
    ++i;
    skipSpace();
    if (i < repr.size() && repr[i] == ']')
        return out;
    for (;;) {
        skipSpace();
        std::string value;
        if (!readStringLiteral(repr, i, value))
            return {};
        out.push_back(std::move(value));
        skipSpace();
        if (i >= repr.size())
            return {};
        if (repr[i] == ']')
            return out;
        if (repr[i] != ',')
            return {};
        ++i;
    }
}

} // namespace ed::mail
