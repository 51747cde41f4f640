#include "mail/TemplateHtmlScanner.h"

#include "mail/DjangoReportParser.h"

#include <simdjson.h>

#include <array>
#include <cstring>
#include <string>
#include <vector>

namespace ed::mail {

namespace {

// The elements of the template's traceback section and where it puts them
// (both the e-mail's page and the browser's: <span> and <a> are the
// browser's). An element under another parent could make libxml2 close or
// imply elements (its htmlStartClose table: <li> closes <li>, <td> closes
// <td>, ...): never the case for these pairs, so none of that is needed here.
struct Element {
    const char *name;
    std::array<const char *, 3> parents; // nullptr-padded; "" for the top of the section
};

constexpr Element kElements[] = {
    {"div", {"", "div", "li"}},
    {"h2", {"div"}},
    {"h3", {"li"}},
    {"ul", {"div"}},
    {"li", {"ul", "ol"}},
    {"code", {"li"}},
    {"ol", {"div"}},
    {"pre", {"li", "td"}},
    {"span", {"li", "h2", "a"}},
    {"a", {"span", "div"}},
    {"table", {"li"}},
    {"thead", {"table"}},
    {"tbody", {"table"}},
    {"tr", {"thead", "tbody"}},
    {"th", {"tr"}},
    {"td", {"tr"}},
};

constexpr size_t kMaxDepth = 64; // far below libxml2's limit (256), far above the template's (about 12)

const Element *elementNamed(std::string_view name)
{
    for (const Element &e : kElements)
        if (name == e.name)
            return &e;
    return nullptr;
}

bool isLower(char c) { return c >= 'a' && c <= 'z'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

// A code point a character reference may stand for here: what libxml2 takes
// as a character without remapping or complaint (the C0 and C1 controls and
// DEL left to libxml2).
bool plainCodePoint(uint32_t cp)
{
    return cp == '\t' || cp == '\n' || (cp >= 0x20 && cp < 0x7f) || (cp >= 0xa0 && cp < 0xd800) ||
           (cp >= 0xe000 && cp < 0xfffe) || (cp >= 0x10000 && cp <= 0x10ffff);
}

class Scanner {
public:
    Scanner(std::string_view html, TemplateHtmlEvents &events) : m_s(html), m_events(events) { }

    ScanResult run();

private:
    enum Step { Continue, Stop, Unsure };
    Step tag();
    Step startTag();
    Step endTag();
    bool reference(); // at '&': appends what it stands for to m_text
    bool flushText();

    std::string_view m_s;
    size_t m_pos = 0;
    TemplateHtmlEvents &m_events;
    std::vector<const Element *> m_open;
    std::string m_text;
    bool m_afterPre = false; // the text starts right after a <pre>: libxml2 may drop a leading newline there
    std::string m_attrs; // the current start tag's attribute names and values, NUL-terminated
    std::vector<size_t> m_attrOffsets;
    std::vector<const char *> m_atts;
};

ScanResult Scanner::run()
{
    if (!simdjson::validate_utf8(m_s.data(), m_s.size()))
        return ScanResult::Unsure; // libxml2 falls back to Latin-1 on bad UTF-8
    while (m_pos < m_s.size()) {
        const char c = m_s[m_pos];
        if (c == '<') {
            if (!flushText())
                return ScanResult::Unsure;
            const Step step = tag();
            if (step != Continue)
                return step == Stop ? ScanResult::Stopped : ScanResult::Unsure;
            continue;
        }
        if (m_open.empty())
            return ScanResult::Unsure; // text outside the section's elements
        if (c == '&') {
            if (!reference())
                return ScanResult::Unsure;
            continue;
        }
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\n' && c != '\t')
            return ScanResult::Unsure; // CR, NUL, controls: libxml2 has its own rules
        if (c == '>' || u == 0x7f)
            return ScanResult::Unsure; // Django escapes '>'
        if (u == 0xc2 && m_pos + 1 < m_s.size() && static_cast<unsigned char>(m_s[m_pos + 1]) < 0xa0)
            return ScanResult::Unsure; // a C1 control
        if (u == 0xef && m_s.substr(m_pos + 1, 1) == "\xbf" && m_pos + 2 < m_s.size() &&
            static_cast<unsigned char>(m_s[m_pos + 2]) >= 0xbe)
            return ScanResult::Unsure; // U+FFFE, U+FFFF: not XML characters
        // A run of plain bytes at once.
        size_t end = m_pos + 1;
        while (end < m_s.size()) {
            const auto b = static_cast<unsigned char>(m_s[end]);
            if (b < 0x20 || b == '<' || b == '&' || b == '>' || b >= 0x7f)
                break;
            ++end;
        }
        m_text.append(m_s.substr(m_pos, end - m_pos));
        m_pos = end;
    }
    return ScanResult::Unsure; // the input ended before the events stopped: libxml2 closes open elements at the end
}

bool Scanner::flushText()
{
    if (m_text.empty())
        return true;
    if (m_afterPre && m_text.front() == '\n')
        return false;
    m_afterPre = false;
    m_events.text(m_text);
    m_text.clear();
    return true;
}

bool Scanner::reference()
{
    const std::string_view rest = m_s.substr(m_pos);
    static constexpr std::pair<std::string_view, char> kNamed[] = {{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}};
    for (const auto &[entity, c] : kNamed) {
        if (rest.substr(0, entity.size()) == entity) {
            m_text.push_back(c);
            m_pos += entity.size();
            return true;
        }
    }
    if (rest.substr(0, 2) != "&#")
        return false;
    const bool hex = rest.substr(2, 1) == "x";
    size_t i = hex ? 3 : 2;
    uint32_t cp = 0;
    const size_t first = i;
    while (i < rest.size() && i - first < 7) {
        const char d = rest[i];
        if (isDigit(d))
            cp = cp * (hex ? 16 : 10) + uint32_t(d - '0');
        else if (hex && d >= 'a' && d <= 'f')
            cp = cp * 16 + uint32_t(d - 'a' + 10);
        else if (hex && d >= 'A' && d <= 'F')
            cp = cp * 16 + uint32_t(d - 'A' + 10);
        else
            break;
        ++i;
    }
    if (i == first || i >= rest.size() || rest[i] != ';' || !plainCodePoint(cp))
        return false;
    appendUtf8CodePoint(m_text, cp);
    m_pos += i + 1;
    return true;
}

Scanner::Step Scanner::tag()
{
    if (m_s.substr(m_pos + 1, 1) == "/")
        return endTag();
    return startTag();
}

Scanner::Step Scanner::endTag()
{
    size_t i = m_pos + 2;
    const size_t nameStart = i;
    while (i < m_s.size() && (isLower(m_s[i]) || isDigit(m_s[i])))
        ++i;
    if (i >= m_s.size() || m_s[i] != '>' || m_open.empty() || m_s.substr(nameStart, i - nameStart) != m_open.back()->name)
        return Unsure; // not the open element's end: libxml2 would close or ignore elements
    m_pos = i + 1;
    m_open.pop_back();
    m_afterPre = false;
    return m_events.end() ? Continue : Stop;
}

Scanner::Step Scanner::startTag()
{
    size_t i = m_pos + 1;
    const size_t nameStart = i;
    while (i < m_s.size() && (isLower(m_s[i]) || isDigit(m_s[i])))
        ++i;
    const Element *element = i > nameStart && isLower(m_s[nameStart]) ? elementNamed(m_s.substr(nameStart, i - nameStart))
                                                                      : nullptr;
    if (!element || m_open.size() >= kMaxDepth)
        return Unsure;
    const char *parent = m_open.empty() ? "" : m_open.back()->name;
    bool placed = false;
    for (const char *p : element->parents)
        placed = placed || (p && std::strcmp(p, parent) == 0);
    if (!placed)
        return Unsure;
    m_attrs.clear();
    m_attrOffsets.clear();
    while (true) {
        if (i >= m_s.size())
            return Unsure;
        if (m_s[i] == '>')
            break;
        if (m_s[i] != ' ')
            return Unsure; // "/>", a newline, an attribute without a blank before it
        while (i < m_s.size() && m_s[i] == ' ')
            ++i;
        const size_t attrStart = i;
        while (i < m_s.size() && (isLower(m_s[i]) || m_s[i] == '-'))
            ++i;
        if (i == attrStart || i + 1 >= m_s.size() || m_s[i] != '=' || (m_s[i + 1] != '"' && m_s[i + 1] != '\''))
            return Unsure; // no name, no value or an unquoted one
        const std::string_view attrName = m_s.substr(attrStart, i - attrStart);
        for (size_t k = 0; k < m_attrOffsets.size(); k += 2)
            if (attrName == m_attrs.c_str() + m_attrOffsets[k])
                return Unsure; // libxml2 drops a repeated attribute
        const char quote = m_s[i + 1];
        i += 2;
        const size_t valueStart = i;
        while (i < m_s.size() && m_s[i] != quote) {
            const auto b = static_cast<unsigned char>(m_s[i]);
            if (b < 0x20 || b >= 0x7f || b == '&' || b == '<' || b == '>')
                return Unsure; // references, newlines, anything but the template's plain values
            ++i;
        }
        if (i >= m_s.size())
            return Unsure;
        m_attrOffsets.push_back(m_attrs.size());
        m_attrs.append(attrName).push_back('\0');
        m_attrOffsets.push_back(m_attrs.size());
        m_attrs.append(m_s.substr(valueStart, i - valueStart)).push_back('\0');
        ++i; // the closing quote
    }
    m_pos = i + 1;
    m_atts.clear();
    for (size_t offset : m_attrOffsets)
        m_atts.push_back(m_attrs.c_str() + offset);
    m_atts.push_back(nullptr);
    m_open.push_back(element);
    m_afterPre = std::strcmp(element->name, "pre") == 0;
    return m_events.start(element->name, m_attrOffsets.empty() ? nullptr : m_atts.data()) ? Continue : Stop;
}

} // namespace

ScanResult scanTemplateHtml(std::string_view html, TemplateHtmlEvents &events)
{
    Scanner scanner(html, events);
    return scanner.run();
}

} // namespace ed::mail
