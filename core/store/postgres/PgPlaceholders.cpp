#include "store/postgres/PgPlaceholders.h"

#include <algorithm>

namespace ed {

namespace {

bool isIdentChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
}

// The end (one past) of the literal or comment starting at `i`, or `i` when none starts there.
size_t skipQuoted(std::string_view s, size_t i)
{
    const char c = s[i];
    const auto next = [&](size_t k) { return k + 1 < s.size() ? s[k + 1] : '\0'; };
    if (c == '\'' || c == '"') {
        // E'...' takes backslash escapes; '' (or "") is the quote itself in both.
        const bool escapes = c == '\'' && i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') && (i < 2 || !isIdentChar(s[i - 2]));
        size_t k = i + 1;
        while (k < s.size()) {
            if (escapes && s[k] == '\\') {
                k += 2;
                continue;
            }
            if (s[k] == c) {
                if (next(k) == c) {
                    k += 2;
                    continue;
                }
                return k + 1;
            }
            ++k;
        }
        return s.size();
    }
    if (c == '-' && next(i) == '-') {
        const size_t eol = s.find('\n', i);
        return eol == std::string_view::npos ? s.size() : eol + 1;
    }
    if (c == '/' && next(i) == '*') {
        int depth = 0;
        size_t k = i;
        while (k < s.size()) {
            if (s[k] == '/' && next(k) == '*') {
                ++depth;
                k += 2;
            } else if (s[k] == '*' && next(k) == '/') {
                k += 2;
                if (--depth == 0)
                    return k;
            } else {
                ++k;
            }
        }
        return s.size();
    }
    if (c == '$' && (i == 0 || !isIdentChar(s[i - 1]))) {
        // $tag$ ... $tag$ (the tag may be empty); $1 is a parameter, not a quote.
        size_t k = i + 1;
        while (k < s.size() && isIdentChar(s[k]) && !(s[k] >= '0' && s[k] <= '9' && k == i + 1))
            ++k;
        if (k < s.size() && s[k] == '$') {
            const std::string_view tag = s.substr(i, k - i + 1);
            const size_t end = s.find(tag, k + 1);
            return end == std::string_view::npos ? s.size() : end + tag.size();
        }
    }
    return i;
}

} // namespace

PgSql translatePlaceholders(std::string_view sql)
{
    PgSql out;
    out.text.reserve(sql.size() + 16);
    size_t i = 0;
    while (i < sql.size()) {
        const size_t end = skipQuoted(sql, i);
        if (end != i) {
            out.text.append(sql.substr(i, end - i));
            i = end;
            continue;
        }
        if (sql[i] != '?') {
            out.text.push_back(sql[i++]);
            continue;
        }
        size_t k = i + 1;
        int n = 0;
        while (k < sql.size() && sql[k] >= '0' && sql[k] <= '9' && n < 100000)
            n = n * 10 + (sql[k++] - '0');
        if (k == i + 1)
            n = out.parameters + 1;
        out.parameters = std::max(out.parameters, n);
        out.text += '$';
        out.text += std::to_string(n);
        i = k;
    }
    return out;
}

} // namespace ed
