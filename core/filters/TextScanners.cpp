#include "filters/TextScanners.h"

#include "filters/ScanText.h"

#include <algorithm>
#include <cstring>

namespace ed::scan {
using namespace detail;
namespace {

constexpr size_t kMaxKey = 128;

// The quotes a value or key can stand in: Python/JSON quotes, the same escaped
// inside another string (a repr of JSON), and HTML-escaped ones (Django's HTML
// report). Returns the quote's text at `i`, empty when none.
std::string_view quoteAt(std::string_view s, size_t i)
{
    if (i >= s.size())
        return {};
    const char c = s[i];
    if (c == '\'' || c == '"')
        return s.substr(i, 1);
    if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\''))
        return s.substr(i, 2);
    if (c == '&') {
        for (std::string_view q : {"&#x27;", "&#39;", "&quot;", "&#34;"})
            if (s.substr(i, q.size()) == q)
                return q;
    }
    return {};
}

// Where the quoted text that starts at `from` ends (the closing quote's
// offset), or npos. Backslash escapes are skipped; a line break ends the
// search unless it is a quoted-printable soft break ("=\n").
size_t closingQuote(std::string_view s, size_t from, std::string_view q)
{
    if (q.size() == 1) {
        for (size_t i = from; i < s.size(); ++i) {
            const char c = s[i];
            if (c == '\\') {
                ++i;
            } else if (c == q[0]) {
                return i;
            } else if (c == '\n') {
                const bool soft = i > from && (s[i - 1] == '=' || (s[i - 1] == '\r' && i > from + 1 && s[i - 2] == '='));
                if (!soft)
                    return npos;
            }
        }
        return npos;
    }
    const size_t limit = std::min(s.size(), from + (size_t(64) << 10));
    const size_t e = findText(s.substr(0, limit), q, from);
    return e;
}

struct Key {
    size_t begin = 0, end = 0;
    bool quoted = false;
    bool lineStart = false; // only blanks before it on its line
    std::string_view text(std::string_view s) const { return s.substr(begin, end - begin); }
    bool empty() const { return end <= begin; }
};

// The key that ends just before the separator at `p`.
Key keyBefore(std::string_view s, size_t p)
{
    Key k;
    size_t e = p;
    for (int i = 0; i < 4 && e > 0 && isBlank(s[e - 1]); ++i)
        --e;
    if (e == 0)
        return k;
    // A quoted key: find its opening quote on the same line. (Quotes end in
    // ' " or ; — test that first, this runs for every ':' and '=' in a text.)
    const char last = s[e - 1];
    const bool maybeQuoted = last == '\'' || last == '"' || last == ';';
    for (std::string_view q : {"'", "\"", "&#x27;", "&#39;", "&quot;", "&#34;"}) {
        if (!maybeQuoted)
            break;
        if (e < q.size() + 1 || s.substr(e - q.size(), q.size()) != q)
            continue;
        const size_t close = e - q.size();
        const size_t lo = close > kMaxKey ? close - kMaxKey : 0;
        for (size_t b = close; b > lo;) {
            --b;
            if (s[b] == '\n')
                return k;
            if (s.substr(b, q.size()) == q && b + q.size() <= close) {
                k.begin = b + q.size();
                k.end = close;
                if (k.end > k.begin && s[k.end - 1] == '\\')
                    --k.end; // the key of an escaped JSON text: \"key\"
                k.quoted = true;
                return k;
            }
        }
        return k;
    }
    size_t b = e;
    while (b > 0 && e - b < kMaxKey && isKeyChar(s[b - 1]))
        --b;
    k.begin = b;
    k.end = e;
    size_t i = b;
    while (i > 0 && isBlank(s[i - 1]))
        --i;
    k.lineStart = i == 0 || s[i - 1] == '\n';
    return k;
}

// "KeyError", "InvalidToken": an exception class printed as "Type: message",
// never a key. Header names (Authorization, X-Api-Key) and snake_case are keys.
bool looksLikeClassName(std::string_view key)
{
    if (key.empty() || !isUpper(key[0]))
        return false;
    bool lower = false;
    for (size_t i = 1; i < key.size(); ++i) {
        const char c = key[i];
        if (c == '_' || c == '-')
            return false;
        if (isLower(c))
            lower = true;
        else if (isUpper(c) && lower)
            return true;
    }
    return false;
}

bool isValueDelimiter(char c)
{
    switch (c) {
    case ' ':
    case '\t':
    case '\r':
    case '\n':
    case '&':
    case ';':
    case ',':
    case '\'':
    case '"':
    case '<':
    case '>':
    case '(':
    case ')':
    case '[':
    case ']':
    case '{':
    case '}':
    case '#':
    case '\\': return true;
    default: return false;
    }
}

// The end of a bracketed value "{...}" or "[...]" starting at `i`.
size_t bracketEnd(std::string_view s, size_t i)
{
    int depth = 0;
    const size_t limit = std::min(s.size(), i + (size_t(64) << 10));
    char quote = 0;
    for (size_t j = i; j < limit; ++j) {
        const char c = s[j];
        if (quote) {
            if (c == '\\')
                ++j;
            else if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '\'' || c == '"')
            quote = c;
        else if (c == '{' || c == '[' || c == '(')
            ++depth;
        else if ((c == '}' || c == ']' || c == ')') && --depth == 0)
            return j + 1;
    }
    return limit;
}

bool isInertToken(std::string_view v)
{
    return v == "None" || v == "True" || v == "False" || v == "null" || v == "true" || v == "false" || v == kScrubbedValue;
}

// The value after the separator at `p`, for a sensitive key.
bool valueAfter(std::string_view s, size_t p, const Key &key, Span &out)
{
    const char sep = s[p];
    size_t v = p + 1;
    const size_t n = s.size();
    // Quoted-printable e-mail text writes '=' as "=3D": "name =3D 'value'".
    if (sep == '=' && v + 1 < n && s[v] == '3' && (s[v + 1] == 'D' || s[v + 1] == 'd')) {
        size_t w = v + 2;
        while (w < n && isBlank(s[w]))
            ++w;
        if (w > v + 2 || !quoteAt(s, w).empty() || (w < n && (s[w] == '{' || s[w] == '[')))
            v = w;
        // else "key=3Dvalue": the value is taken from right after '=' ("3D"
        // included), so text that only looked encoded loses nothing of its secret.
    }
    for (int i = 0; i < 8 && v < n && isBlank(s[v]); ++i)
        ++v;
    if (v >= n)
        return false;
    if (const std::string_view q = quoteAt(s, v); !q.empty()) {
        const size_t b = v + q.size();
        size_t e = closingQuote(s, b, q);
        if (e == npos)
            e = lineEnd(s, b);
        if (e <= b || s.substr(b, e - b) == kScrubbedValue)
            return false;
        out = {b, e};
        return true;
    }
    if (s[v] == '{' || s[v] == '[' || (s[v] == '(' && (key.quoted || v > p + 1))) {
        // A dict, list or tuple repr under a sensitive key: all of it.
        out = {v, bracketEnd(s, v)};
        return true;
    }
    if (sep == ':' && !key.quoted && key.lineStart) {
        // "Authorization: Bearer ..." — the header's whole value.
        size_t e = lineEnd(s, v);
        while (e > v && (s[e - 1] == '\r' || isBlank(s[e - 1])))
            --e;
        if (e <= v || s.substr(v, e - v) == kScrubbedValue)
            return false;
        out = {v, e};
        return true;
    }
    size_t e = v;
    while (e < n && !isValueDelimiter(s[e]) && !(s[e] == '?' && e + 1 < n && s[e + 1] == '='))
        ++e;
    if (e == v || isInertToken(s.substr(v, e - v)))
        return false;
    if (e < n && (s[e] == '(' || s[e] == '['))
        return false; // "token = make_token(user)": code, not a value
    out = {v, e};
    return true;
}

bool pairAt(std::string_view s, size_t p, const KeyJudge &keys, Span &out)
{
    const char sep = s[p];
    const size_t n = s.size();
    if (p + 1 < n && s[p + 1] == sep)
        return false; // "==", "::"
    if (p > 0 && std::strchr(sep == '=' ? "=!<>:+-*/%&|^~" : ":", s[p - 1]) != nullptr)
        return false; // operators: !=, <=, +=, :=
    const Key key = keyBefore(s, p);
    if (key.empty())
        return false;
    const std::string_view k = key.text(s);
    if (sep == ':' && !key.quoted) {
        // A bare key before ':' only in "Key: value" form, and never a class
        // name ("KeyError: 'x'") or a dotted logger name.
        if (p + 1 >= n || !isBlank(s[p + 1]) || looksLikeClassName(k) || k.find('.') != npos)
            return false;
    }
    if (!keys.sensitive(k))
        return false;
    return valueAfter(s, p, key, out);
}

// Strips Django's quotes from an HTML cell's text: &#x27;value&#x27;.
Span unquoteCell(std::string_view s, Span sp)
{
    size_t b = sp.begin, e = sp.end;
    while (e > b && (s[e - 1] == '\n' || s[e - 1] == '\r'))
        --e;
    if (e > b && s[e - 1] == '=')
        --e; // quoted-printable soft break
    for (std::string_view q : {"&#x27;", "&quot;", "'", "\""}) {
        if (e - b >= 2 * q.size() && s.substr(b, q.size()) == q && s.substr(e - q.size(), q.size()) == q)
            return {b + q.size(), e - q.size()};
    }
    return {b, e};
}

} // namespace

void keyValuePairs(std::string_view s, const KeyJudge &keys, std::vector<Span> &out)
{
    size_t nextEq = findChar(s, '=', 0);
    size_t nextColon = findChar(s, ':', 0);
    while (nextEq != npos || nextColon != npos) {
        const size_t p = std::min(nextEq, nextColon);
        size_t resume = p + 1;
        Span sp{};
        if (pairAt(s, p, keys, sp)) {
            out.push_back(sp);
            resume = std::max(resume, sp.end);
        }
        if (nextEq != npos && nextEq < resume)
            nextEq = findChar(s, '=', resume);
        if (nextColon != npos && nextColon < resume)
            nextColon = findChar(s, ':', resume);
    }
}

void percentEncodedPairs(std::string_view s, const KeyJudge &keys, std::vector<Span> &out)
{
    // '=' is "%3D", once encoded; "%253D" twice. '&' is "%26" / "%2526".
    auto encodedAt = [&](size_t i, char a, char b) -> size_t {
        auto hex = [&](size_t k, char x, char y) { return k + 1 < s.size() && s[k] == x && (s[k + 1] | 0x20) == (y | 0x20); };
        if (i < s.size() && s[i] == '%') {
            if (hex(i + 1, a, b))
                return 3;
            if (hex(i + 1, '2', '5') && hex(i + 3, a, b))
                return 5;
        }
        return 0;
    };
    for (size_t p = findChar(s, '%', 0); p != npos; p = findChar(s, '%', p + 1)) {
        const size_t sep = encodedAt(p, '3', 'D');
        if (!sep)
            continue;
        const Key key = keyBefore(s, p);
        if (key.empty() || !keys.sensitive(key.text(s)))
            continue;
        const size_t b = p + sep;
        size_t e = b;
        while (e < s.size() && !isValueDelimiter(s[e]) && !encodedAt(e, '2', '6') && s[e] != '=')
            ++e;
        pushNonEmpty(s, {b, e}, out);
        p = e > p ? e - 1 : p;
    }
}

void cookieSections(std::string_view s, std::vector<Span> &out)
{
    // Text report: "COOKIES:\n" then "name = 'value'" lines up to a blank line.
    for (size_t at = findText(s, "COOKIES:", 0); at != npos; at = findText(s, "COOKIES:", at + 8)) {
        if (at > 0 && s[at - 1] != '\n')
            continue;
        size_t ls = at + 8;
        if (ls < s.size() && s[ls] == '\r')
            ++ls;
        if (ls >= s.size() || s[ls] != '\n')
            continue; // "COOKIES: No cookie data"
        ++ls;
        while (ls < s.size()) {
            size_t le = lineEnd(s, ls);
            // A quoted-printable soft break continues the line.
            while (le < s.size() && le > ls && (s[le - 1] == '=' || (s[le - 1] == '\r' && le > ls + 1 && s[le - 2] == '=')))
                le = lineEnd(s, le + 1);
            const std::string_view line = s.substr(ls, le - ls);
            if (line.empty() || line == "\r")
                break;
            size_t sep = line.find(" = ");
            size_t skip = 3;
            if (sep == npos) {
                sep = line.find(" =3D ");
                skip = 5;
            }
            if (sep != npos) {
                size_t b = ls + sep + skip;
                size_t e = le;
                while (e > b && (s[e - 1] == '\r' || s[e - 1] == '\n'))
                    --e;
                if (const std::string_view q = quoteAt(s, b); !q.empty()) {
                    // The repr runs to the last quote of the (logical) line.
                    const size_t last = s.substr(0, e).rfind(q);
                    if (last != npos && last > b) {
                        b += q.size();
                        e = last;
                    }
                }
                pushNonEmpty(s, {b, e}, out);
            }
            ls = le + 1;
        }
    }
    // HTML report: every <pre> of the table under <h3 id="cookie-info">.
    for (size_t at = findText(s, "cookie-info", 0); at != npos; at = findText(s, "cookie-info", at + 11)) {
        size_t end = std::min(findText(s, "</table>", at), findText(s, "<h3", at));
        if (end == npos)
            end = s.size();
        for (size_t pre = findText(s.substr(0, end), "<pre>", at); pre != npos;
             pre = findText(s.substr(0, end), "<pre>", pre + 5)) {
            const size_t b = pre + 5;
            size_t e = findText(s.substr(0, end), "</pre>", b);
            if (e == npos)
                e = end;
            pushNonEmpty(s, unquoteCell(s, {b, e}), out);
        }
    }
}

void htmlTableCells(std::string_view s, const KeyJudge &keys, std::vector<Span> &out)
{
    for (size_t t = findText(s, "</td>", 0); t != npos; t = findText(s, "</td>", t + 5)) {
        // Searched back a key's length only: a text of many "</td>" and no
        // "<td>" would otherwise be read back to its start for each one.
        const size_t lo = t > kMaxKey + 4 ? t - kMaxKey - 4 : 0;
        const size_t back = s.substr(lo, t - lo).rfind("<td>");
        if (back == npos)
            continue;
        const size_t open = lo + back;
        const std::string_view key = s.substr(open + 4, t - open - 4);
        if (key.empty() || key.find('<') != npos || key.find('\n') != npos || !keys.sensitive(key))
            continue;
        // The next cell, after blanks, line breaks and quoted-printable soft breaks.
        size_t i = t + 5;
        while (i < s.size() && (isBlank(s[i]) || s[i] == '\n' || s[i] == '\r' || s[i] == '='))
            ++i;
        if (s.substr(i, 3) != "<td")
            continue;
        const size_t gt = findChar(s, '>', i);
        if (gt == npos || gt - i > 64)
            continue;
        size_t b = gt + 1;
        size_t e;
        if (s.substr(b, 5) == "<pre>") {
            b += 5;
            e = findText(s, "</pre>", b);
        } else {
            e = findText(s, "</td>", b);
        }
        if (e == npos)
            e = s.size();
        pushNonEmpty(s, unquoteCell(s, {b, e}), out);
    }
}

void urlPasswords(std::string_view s, std::vector<Span> &out)
{
    for (size_t at = findChar(s, '@', 0); at != npos; at = findChar(s, '@', at + 1)) {
        size_t b = at;
        while (b > 0 && at - b < 256) {
            const char c = s[b - 1];
            if (isAlnum(c) || std::strchr("-._~!$&*+,;=:%", c) != nullptr)
                --b;
            else
                break;
        }
        if (b < 2 || s[b - 1] != '/' || s[b - 2] != '/')
            continue;
        const size_t colon = findChar(s.substr(0, at), ':', b);
        if (colon == npos || colon + 1 >= at)
            continue;
        pushNonEmpty(s, {colon + 1, at}, out);
    }
}

bool applySpans(std::string &s, std::vector<Span> &spans)
{
    if (spans.empty())
        return false;
    std::sort(spans.begin(), spans.end(), [](const Span &a, const Span &b) { return a.begin < b.begin; });
    // Merge overlapping or touching spans into one replacement each.
    size_t w = 0;
    for (size_t r = 1; r < spans.size(); ++r) {
        if (spans[r].begin <= spans[w].end)
            spans[w].end = std::max(spans[w].end, spans[r].end);
        else
            spans[++w] = spans[r];
    }
    spans.resize(w + 1);
    bool changed = false;
    std::string result;
    result.reserve(s.size() + spans.size() * kScrubbedValue.size());
    size_t pos = 0;
    for (const Span &sp : spans) {
        const size_t e = std::min(sp.end, s.size());
        if (sp.begin >= e)
            continue;
        result.append(s, pos, sp.begin - pos);
        result.append(kScrubbedValue);
        changed = changed || std::string_view(s).substr(sp.begin, e - sp.begin) != kScrubbedValue;
        pos = e;
    }
    if (!changed)
        return false;
    result.append(s, pos, std::string::npos);
    s.swap(result);
    return true;
}

} // namespace ed::scan
