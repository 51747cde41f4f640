#pragma once
// Which 404s Django would not have mailed: a port of
// BrokenLinkEmailsMiddleware.is_ignorable_request (django/middleware/common.py),
// with the user's IGNORABLE_404_URLS (Python regexes) and APPEND_SLASH, plus
// two ErrorDeck rules beyond Django, off by default: crawler user agents and
// hidden path prefixes. A 404 matched here is kept but hidden, marked with the
// rule that decided, so changing the settings brings it back.
#include "base/Result.h"

#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <string>
#include <string_view>
#include <vector>

namespace ed {

struct NotFoundSettings {
    QStringList ignorableUrls; // IGNORABLE_404_URLS
    bool appendSlash = true; // APPEND_SLASH
    bool hideCrawlers = false; // ERRORDECK_HIDE_CRAWLER_404S
    QStringList crawlerAgents; // ERRORDECK_CRAWLER_AGENTS (substrings, case-insensitive)
    QStringList hiddenPrefixes; // ERRORDECK_HIDDEN_404_PREFIXES
};

// Python's urllib.parse.urlsplit (3.11), which Django uses on the referer.
struct SplitUrl {
    std::string scheme, netloc, path, query, fragment;
    bool valid = true; // false where Python raises ValueError (unbalanced IPv6 brackets)
};
SplitUrl urlSplit(std::string_view url);

// A Python `re` pattern as a QRegularExpression (PCRE2): the few spellings
// that differ (\Z) are translated.
QRegularExpression pythonRegex(const QString &pattern);

class NotFoundRules {
public:
    // Fails on an IGNORABLE_404_URLS entry that is not a valid regex.
    static Result<NotFoundRules> compile(const NotFoundSettings &settings);

    // The rule that makes this 404 ignorable, or an empty string when Django
    // would have mailed MANAGERS. `fullPath` is request.get_full_path(), `host`
    // request.get_host(), `referer` META['HTTP_REFERER'].
    QString ignoredBy(std::string_view fullPath, std::string_view host, std::string_view referer,
                      std::string_view userAgent) const;

    // Django's is_internal_request: the referer is on this host.
    static bool isInternal(std::string_view host, std::string_view referer);

    const NotFoundSettings &settings() const { return m_settings; }

private:
    NotFoundSettings m_settings;
    std::vector<QRegularExpression> m_patterns;
    std::vector<std::string> m_agents; // lower-case
    std::vector<std::string> m_prefixes;
};

} // namespace ed
