#include "filters/NotFoundRules.h"

#include "base/Ascii.h"

#include <algorithm>

namespace ed {
namespace {

bool isSchemeChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

QString fromUtf8(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

} // namespace

SplitUrl urlSplit(std::string_view in)
{
    SplitUrl r;
    // url.lstrip(_WHATWG_C0_CONTROL_OR_SPACE), then drop every tab, CR and LF.
    size_t start = 0;
    while (start < in.size() && static_cast<unsigned char>(in[start]) <= 0x20)
        ++start;
    std::string url;
    url.reserve(in.size() - start);
    for (size_t i = start; i < in.size(); ++i)
        if (in[i] != '\t' && in[i] != '\r' && in[i] != '\n')
            url += in[i];

    std::string_view rest(url);
    const size_t colon = rest.find(':');
    if (colon != std::string_view::npos && colon > 0 && static_cast<unsigned char>(rest[0]) < 0x80 &&
        ((rest[0] | 0x20) >= 'a' && (rest[0] | 0x20) <= 'z') && std::all_of(rest.begin(), rest.begin() + colon, isSchemeChar)) {
        r.scheme = asciiLower(rest.substr(0, colon));
        rest.remove_prefix(colon + 1);
    }
    if (rest.substr(0, 2) == "//") {
        size_t delim = rest.size();
        for (char c : {'/', '?', '#'}) {
            const size_t p = rest.find(c, 2);
            if (p != std::string_view::npos)
                delim = std::min(delim, p);
        }
        r.netloc = std::string(rest.substr(2, delim - 2));
        rest.remove_prefix(delim);
        const bool open = r.netloc.find('[') != std::string::npos, close = r.netloc.find(']') != std::string::npos;
        if (open != close)
            r.valid = false; // Python: ValueError("Invalid IPv6 URL")
    }
    if (const size_t hash = rest.find('#'); hash != std::string_view::npos) {
        r.fragment = std::string(rest.substr(hash + 1));
        rest = rest.substr(0, hash);
    }
    if (const size_t q = rest.find('?'); q != std::string_view::npos) {
        r.query = std::string(rest.substr(q + 1));
        rest = rest.substr(0, q);
    }
    r.path = std::string(rest);
    return r;
}

QRegularExpression pythonRegex(const QString &pattern)
{
    // Python 3 `re` on str: \d, \w and \s are Unicode-aware, \Z is PCRE's \z,
    // and "{,n}" means "{0,n}".
    QString p;
    p.reserve(pattern.size() + 4);
    bool inClass = false;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern[i];
        if (c == QLatin1Char('\\') && i + 1 < pattern.size()) {
            const QChar next = pattern[i + 1];
            p += c;
            p += (!inClass && next == QLatin1Char('Z')) ? QLatin1Char('z') : next;
            ++i;
            continue;
        }
        if (inClass) {
            if (c == QLatin1Char(']'))
                inClass = false;
        } else if (c == QLatin1Char('[')) {
            inClass = true;
            p += c;
            // A ']' right after '[' or '[^' is a literal, not the end.
            if (i + 1 < pattern.size() && pattern[i + 1] == QLatin1Char('^'))
                p += pattern[++i];
            if (i + 1 < pattern.size() && pattern[i + 1] == QLatin1Char(']'))
                p += pattern[++i];
            continue;
        } else if (c == QLatin1Char('{') && i + 1 < pattern.size() && pattern[i + 1] == QLatin1Char(',')) {
            p += QLatin1String("{0");
            continue;
        }
        p += c;
    }
    return QRegularExpression(p, QRegularExpression::UseUnicodePropertiesOption);
}

Result<NotFoundRules> NotFoundRules::compile(const NotFoundSettings &settings)
{
    NotFoundRules r;
    r.m_settings = settings;
    for (const QString &p : settings.ignorableUrls) {
        QRegularExpression re = pythonRegex(p);
        if (!re.isValid())
            return Error{
                QStringLiteral("IGNORABLE_404_URLS: '%1' is not a valid regular expression: %2").arg(p, re.errorString())};
        re.optimize();
        r.m_patterns.push_back(std::move(re));
    }
    for (const QString &a : settings.crawlerAgents)
        if (!a.isEmpty())
            r.m_agents.push_back(asciiLower(a.toStdString()));
    for (const QString &p : settings.hiddenPrefixes)
        if (!p.isEmpty())
            r.m_prefixes.push_back(p.toStdString());
    return r;
}

bool NotFoundRules::isInternal(std::string_view host, std::string_view referer)
{
    // re.match("^https?://%s/" % re.escape(domain), referer)
    std::string_view rest = referer;
    if (rest.substr(0, 7) == "http://")
        rest.remove_prefix(7);
    else if (rest.substr(0, 8) == "https://")
        rest.remove_prefix(8);
    else
        return false;
    return rest.size() > host.size() && rest.substr(0, host.size()) == host && rest[host.size()] == '/';
}

QString NotFoundRules::ignoredBy(std::string_view fullPath, std::string_view host, std::string_view referer,
                                 std::string_view userAgent) const
{
    // Django's checks, in Django's order.
    if (referer.empty())
        return QStringLiteral("404: no referer");
    if (m_settings.appendSlash && !fullPath.empty() && fullPath.back() == '/' &&
        referer == fullPath.substr(0, fullPath.size() - 1))
        return QStringLiteral("404: APPEND_SLASH redirect (referer is the URL without its slash)");
    if (!isInternal(host, referer) && referer.find('?') != std::string_view::npos)
        return QStringLiteral("404: external referer with a query (search engine)");
    const SplitUrl ref = urlSplit(referer);
    if (!ref.valid)
        return QStringLiteral("404: referer is not a valid URL (Django fails before mailing)");
    if ((ref.netloc.empty() || ref.netloc == host) && ref.path == fullPath)
        return QStringLiteral("404: referer is the requested URL (bot)");
    if (!m_patterns.empty()) {
        const QString uri = fromUtf8(fullPath);
        for (size_t i = 0; i < m_patterns.size(); ++i)
            if (m_patterns[i].match(uri).hasMatch())
                return QStringLiteral("404: IGNORABLE_404_URLS '%1'").arg(m_settings.ignorableUrls[qsizetype(i)]);
    }
    // Beyond Django.
    if (m_settings.hideCrawlers && !userAgent.empty() && !m_agents.empty()) {
        const std::string ua = asciiLower(userAgent);
        for (const std::string &a : m_agents)
            if (ua.find(a) != std::string::npos)
                return QStringLiteral("404: crawler user agent '%1'").arg(QString::fromStdString(a));
    }
    for (const std::string &p : m_prefixes)
        if (fullPath.substr(0, p.size()) == p)
            return QStringLiteral("404: ERRORDECK_HIDDEN_404_PREFIXES '%1'").arg(QString::fromStdString(p));
    return {};
}

} // namespace ed
