// Card numbers and PEM private keys in free text (declared in TextScanners.h).
#include "filters/ScanText.h"

namespace ed::scan {
using namespace detail;

bool luhnValid(std::string_view digits)
{
    int sum = 0;
    bool twice = false;
    int count = 0;
    for (size_t i = digits.size(); i-- > 0;) {
        const char c = digits[i];
        if (!isDigit(c))
            continue;
        int d = c - '0';
        if (twice) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        twice = !twice;
        ++count;
    }
    return count > 0 && sum % 10 == 0;
}

void cardNumbers(std::string_view s, std::vector<Span> &out)
{
    const size_t n = s.size();
    struct Group {
        size_t begin, end;
    };
    Group groups[24];
    size_t i = 0;
    while (i < n) {
        if (!isDigit(s[i])) {
            i = nextDigit(s, i + 1);
            continue;
        }
        // Quoted-printable "=3D" ('=') before the number is no word.
        const bool afterQpEquals = i >= 3 && s[i - 3] == '=' && s[i - 2] == '3' && (s[i - 1] == 'D' || s[i - 1] == 'd');
        if (i > 0 && (isAlpha(s[i - 1]) || s[i - 1] == '_') && !afterQpEquals) {
            while (i < n && isAlnum(s[i]))
                ++i; // part of a word or a hex id
            continue;
        }
        // The run: digit groups joined by single spaces or dashes, or split by
        // a quoted-printable soft line break ("=\n"): the number as it stands
        // once the e-mail is decoded.
        int count = 0;
        size_t j = i;
        while (count < 24) {
            const size_t gb = j;
            while (j < n && isDigit(s[j]))
                ++j;
            groups[count++] = {gb, j};
            if (j + 1 < n && (s[j] == ' ' || s[j] == '-') && isDigit(s[j + 1]))
                ++j;
            else if (const size_t soft = softBreakAt(s, j); soft && j + soft < n && isDigit(s[j + soft]))
                j += soft;
            else
                break;
        }
        const size_t runEnd = j;
        // "=20" / "=09" (a quoted-printable space or tab) glued to the digits:
        // the first group also starts two digits later.
        if (i > 0 && s[i - 1] == '=' && count < 24 && groups[0].end - groups[0].begin > 2 &&
            (s.substr(i, 2) == "20" || s.substr(i, 2) == "09")) {
            std::copy_backward(groups, groups + count, groups + count + 1);
            groups[0].end = i + 2;
            groups[1].begin = i + 2;
            ++count;
        }
        // Python's MIME boundaries, "===============<up to 19 digits>==", are
        // never a card number.
        if (i >= 2 && s[i - 1] == '=' && s[i - 2] == '=' && runEnd + 1 < n && s[runEnd] == '=' && s[runEnd + 1] == '=') {
            i = runEnd;
            continue;
        }
        for (int a = 0; a < count;) {
            size_t digits = 0;
            int matched = -1;
            for (int b = a; b < count; ++b) {
                const size_t len = groups[b].end - groups[b].begin;
                digits += len;
                if (len > 19 || digits > 19)
                    break;
                if (digits < 13)
                    continue;
                // ISO/IEC 7812: no payment card starts with 0, and with 1 only
                // 15-digit airline (UATP) cards; 13 to 19 digits starting with 1
                // are mostly epoch times in ms, us or ns.
                const char first = s[groups[a].begin];
                if (first == '0' || (first == '1' && digits != 15))
                    continue;
                const size_t after = groups[b].end;
                if (after < n && (isAlpha(s[after]) || s[after] == '_'))
                    continue; // "4242...42px": glued to a word
                const std::string_view text = s.substr(groups[a].begin, after - groups[a].begin);
                bool allSame = true;
                for (char c : text)
                    allSame = allSame && (!isDigit(c) || c == text[0]);
                if (!allSame && luhnValid(text)) {
                    matched = b;
                    break;
                }
            }
            if (matched >= 0) {
                out.push_back({groups[a].begin, groups[matched].end});
                a = matched + 1;
            } else {
                ++a;
            }
        }
        i = runEnd > i ? runEnd : i + 1;
    }
}

void pemPrivateKeys(std::string_view s, std::vector<Span> &out)
{
    constexpr std::string_view begin = "-----BEGIN ";
    for (size_t at = findText(s, begin, 0); at != npos; at = findText(s, begin, at + begin.size())) {
        const size_t headerEnd = findText(s, "-----", at + begin.size());
        if (headerEnd == npos || headerEnd - at > 80)
            continue;
        const std::string_view label = s.substr(at + begin.size(), headerEnd - at - begin.size());
        if (label.find("PRIVATE KEY") == npos)
            continue;
        const size_t b = headerEnd + 5;
        size_t e = findText(s, "-----END", b);
        if (e == npos)
            e = s.size();
        pushNonEmpty(s, {b, e}, out);
    }
}

} // namespace ed::scan
