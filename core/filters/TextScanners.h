#pragma once
// Hand-written finders for secrets inside free text. Each one appends the byte
// ranges to replace with Django's 20 asterisks; applySpans() then rewrites the
// text once. They run on every string of every imported record, so each is a
// linear scan started only from a cheap trigger (memchr, memmem) and none of
// them uses a regex engine.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ed::scan {

struct Span {
    size_t begin, end; // [begin, end) of the original text
};

// Decides whether a key found in text names a secret.
class KeyJudge {
public:
    virtual ~KeyJudge() = default;
    virtual bool sensitive(std::string_view key) const = 0;
};

// key=value (query strings, "name = 'value'" report lines, QP-encoded "=3D"),
// 'key': value (Python and JSON reprs, HTML-escaped quotes too) and header or
// YAML-like "Key: value", where the key is sensitive.
void keyValuePairs(std::string_view s, const KeyJudge &keys, std::vector<Span> &out);

// key%3Dvalue: a query string URL-encoded inside another (next=%2Flogin%3F
// password%3Dx%26...), also encoded twice (%253D), where the key is sensitive.
void percentEncodedPairs(std::string_view s, const KeyJudge &keys, std::vector<Span> &out);

// Every value of Django's COOKIES section: "COOKIES:\nname = 'value'" in the
// text report and the cookie table of the HTML report.
void cookieSections(std::string_view s, std::vector<Span> &out);

// HTML report rows "<td>KEY</td><td ...><pre>VALUE</pre></td>" with a sensitive KEY.
void htmlTableCells(std::string_view s, const KeyJudge &keys, std::vector<Span> &out);

// The password of "scheme://user:password@host".
void urlPasswords(std::string_view s, std::vector<Span> &out);

// Payment card numbers: 13 to 19 digits, single spaces, dashes or
// quoted-printable soft breaks allowed between digit groups, valid by the Luhn
// checksum, not starting with 0 (nor 1, but for 15 digits), and never the
// digits of a MIME boundary (===============N==).
void cardNumbers(std::string_view s, std::vector<Span> &out);

// The body of a PEM "-----BEGIN ... PRIVATE KEY-----" block.
void pemPrivateKeys(std::string_view s, std::vector<Span> &out);

// True when the digits of `s` pass the Luhn checksum (non-digits are skipped).
bool luhnValid(std::string_view digits);

// Replaces the spans (sorted and merged here) with the scrubbed marker; a span
// that already holds exactly the marker is left alone. True when `s` changed.
bool applySpans(std::string &s, std::vector<Span> &spans);

} // namespace ed::scan
