#pragma once
// A scanner for the narrow HTML that Django's technical_500.html template
// writes in its traceback section, reporting the same start, end and text
// events libxml2's HTML parser reports for it, at a fraction of the cost
// (libxml2's tokenizer was 40% of an e-mail import's worker CPU).
//
// It knows only what the template writes: the template's elements nested as
// the template nests them, double- or single-quoted attributes, the entities
// Django's escape() writes and numeric character references. On anything
// else (a comment, an unknown element, an element where the template has none,
// an end tag that does not close the open element, an unusual character) it
// answers Unsure and the caller reads the page with libxml2 instead: inside
// that subset libxml2 neither implies nor auto-closes elements, so the two
// event streams are the same (tst_mail_html_scanner compares them).
#include <string_view>

namespace ed::mail {

class TemplateHtmlEvents {
public:
    virtual ~TemplateHtmlEvents() = default;
    // `name` is lower case and NUL-terminated; `atts` is libxml2's layout:
    // name, value, name, value, ..., nullptr (nullptr when there are none).
    // Each returns false to stop the scan.
    virtual bool start(const char *name, const char **atts) = 0;
    virtual bool end() = 0;
    virtual void text(std::string_view decoded) = 0;
};

enum class ScanResult {
    Stopped, // the events asked to stop: what they read is the page's
    Unsure, // outside the template's subset, or the input ended first: read it with libxml2
};

ScanResult scanTemplateHtml(std::string_view html, TemplateHtmlEvents &events);

} // namespace ed::mail
