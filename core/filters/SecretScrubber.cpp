#include "SecretScrubber.h"

#include <QCryptographicHash>
#include <cstring>

namespace ed {
namespace {

// Bump when a scanner changes what it finds: stored reports then count as
// scrubbed under older rules and `rules apply` re-scrubs them.
constexpr const char *kScannerVersion = "scanners-1";

// Strings at least this long are remembered (by hash) once found clean:
// settings, source context and repeated messages come back with every record.
constexpr size_t kCleanCacheMinLength = 40;
constexpr size_t kCleanCacheMax = 1u << 16;
constexpr size_t kKeyCacheMax = 1u << 16;

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return out;
}

bool contains(const char *d, size_t n, char c) { return std::memchr(d, c, n) != nullptr; }

bool contains(const char *d, size_t n, std::string_view needle)
{
    return n >= needle.size() && memmem(d, n, needle.data(), needle.size()) != nullptr;
}

// At least 13 digits: the shortest card number.
bool enoughDigits(const char *d, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; ++i)
        count += static_cast<unsigned char>(d[i] - '0') < 10;
    return count >= 13;
}

} // namespace

const QStringList &ScrubSettings::defaultKeyPatterns()
{
    static const QStringList patterns = {
        // Django 5.2's SafeExceptionReporterFilter.hidden_settings
        QStringLiteral("api"), QStringLiteral("auth"), QStringLiteral("token"), QStringLiteral("key"),
        QStringLiteral("secret"), QStringLiteral("pass"), QStringLiteral("signature"), QStringLiteral("http_cookie"),
        // and more
        QStringLiteral("cookie"), QStringLiteral("session"), QStringLiteral("csrf"), QStringLiteral("xsrf"),
        QStringLiteral("credential"), QStringLiteral("private"), QStringLiteral("pwd"), QStringLiteral("ssn"),
        QStringLiteral("cvv"), QStringLiteral("cvc"),
    };
    return patterns;
}

QString ScrubSettings::fingerprint() const
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    auto add = [&h](const QStringList &list) {
        h.addData(QByteArray::number(list.size()));
        for (const QString &s : list) {
            h.addData(QByteArrayView("\x1f"));
            h.addData(s.toUtf8());
        }
    };
    h.addData(QByteArrayView(kScannerVersion));
    add(defaultKeyPatterns());
    add(extraKeyPatterns);
    add(valuePatterns);
    QStringList safe;
    for (const QString &k : safeKeys)
        safe << k.toLower();
    safe.sort();
    add(safe);
    return QString::fromLatin1(h.result().toHex().left(32));
}

// The key test as the text scanners see it (keys found in free text).
class SecretScrubber::TextKeys final : public scan::KeyJudge {
public:
    explicit TextKeys(const SecretScrubber &s) : m_s(s) {}
    bool sensitive(std::string_view key) const override { return m_s.isSensitiveKey(ScrubZone::Extra, key); }

private:
    const SecretScrubber &m_s;
};

Result<std::unique_ptr<SecretScrubber>> SecretScrubber::create(const ScrubSettings &settings)
{
    std::unique_ptr<SecretScrubber> s(new SecretScrubber(settings));
    for (const QString &p : settings.extraKeyPatterns) {
        QRegularExpression re(p, QRegularExpression::CaseInsensitiveOption);
        if (!re.isValid())
            return Error{QStringLiteral("ERRORDECK_SENSITIVE_KEYS: '%1' is not a valid regular expression: %2").arg(p, re.errorString())};
        re.optimize();
        s->m_keyRegexes.push_back(std::move(re));
    }
    for (const QString &p : settings.valuePatterns) {
        QRegularExpression re(p);
        if (!re.isValid())
            return Error{QStringLiteral("ERRORDECK_SENSITIVE_VALUES: '%1' is not a valid regular expression: %2").arg(p, re.errorString())};
        if (re.match(QString()).hasMatch())
            return Error{QStringLiteral("ERRORDECK_SENSITIVE_VALUES: '%1' matches the empty string").arg(p)};
        re.optimize();
        s->m_valueRegexes.push_back(std::move(re));
    }
    return s;
}

SecretScrubber::SecretScrubber(const ScrubSettings &settings)
    : m_settings(settings), m_textKeys(std::make_unique<TextKeys>(*this))
{
    for (const QString &p : ScrubSettings::defaultKeyPatterns())
        m_substrings.push_back(p.toStdString());
    for (const QString &k : settings.safeKeys)
        m_safe.insert(lower(k.toStdString()));
}

SecretScrubber::~SecretScrubber() = default;

bool SecretScrubber::isSafe(std::string_view lowerKey) const
{
    return !m_safe.empty() && m_safe.count(std::string(lowerKey)) != 0;
}

bool SecretScrubber::computeSensitive(std::string_view key) const
{
    const std::string low = lower(key);
    if (isSafe(low))
        return false;
    for (const std::string &sub : m_substrings)
        if (low.find(sub) != std::string::npos)
            return true;
    if (!m_keyRegexes.empty()) {
        const QString k = QString::fromUtf8(key.data(), qsizetype(key.size()));
        for (const QRegularExpression &re : m_keyRegexes)
            if (re.match(k).hasMatch())
                return true;
    }
    return false;
}

bool SecretScrubber::keyIsSensitive(std::string_view key) const { return isSensitiveKey(ScrubZone::Extra, key); }

bool SecretScrubber::isSensitiveKey(ScrubZone zone, std::string_view key) const
{
    if (zone == ScrubZone::None)
        return false;
    // Every cookie is a secret, but for the ones the user named safe; other
    // zones share one verdict per key name.
    const char tag = zone == ScrubZone::Cookies ? 'c' : 'k';
    m_keyBuf.assign(1, tag);
    m_keyBuf.append(key);
    if (auto it = m_keyCache.find(m_keyBuf); it != m_keyCache.end())
        return it->second;
    const bool sensitive = zone == ScrubZone::Cookies ? !isSafe(lower(key)) : computeSensitive(key);
    if (m_keyCache.size() >= kKeyCacheMax)
        m_keyCache.clear();
    m_keyCache.emplace(m_keyBuf, sensitive);
    return sensitive;
}

bool SecretScrubber::applyValuePatterns(std::string &text) const
{
    QString s = QString::fromUtf8(text.data(), qsizetype(text.size()));
    const QString marker = QString::fromLatin1(kScrubbedValue.data(), qsizetype(kScrubbedValue.size()));
    bool changed = false;
    for (const QRegularExpression &re : m_valueRegexes) {
        const int group = re.captureCount() >= 1 ? 1 : 0;
        QString out;
        qsizetype pos = 0;
        bool any = false;
        auto it = re.globalMatch(s);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            const qsizetype b = m.capturedStart(group), e = m.capturedEnd(group);
            if (b < 0 || e <= b || b < pos || QStringView(s).mid(b, e - b) == marker)
                continue;
            out += QStringView(s).mid(pos, b - pos);
            out += marker;
            pos = e;
            any = true;
        }
        if (any) {
            out += QStringView(s).mid(pos);
            s = std::move(out);
            changed = true;
        }
    }
    if (changed)
        text = s.toStdString();
    return changed;
}

bool SecretScrubber::scrubText(std::string &text) const
{
    const size_t n = text.size();
    if (n < 3)
        return false;
    const char *d = text.data();
    const bool cacheable = n >= kCleanCacheMinLength;
    Hash128 h{};
    if (cacheable) {
        h = hash128(text);
        if (m_clean.count(h))
            return false;
    }
    const bool eq = contains(d, n, '=');
    const bool colon = contains(d, n, ':');
    const bool lt = contains(d, n, '<');
    const bool digits = n >= 13 && enoughDigits(d, n);
    const bool pem = n >= 30 && contains(d, n, std::string_view("-----BEGIN "));

    m_spans.clear();
    if (eq || colon)
        scan::keyValuePairs(text, *m_textKeys, m_spans);
    if (colon && contains(d, n, '@'))
        scan::urlPasswords(text, m_spans);
    if (lt)
        scan::htmlTableCells(text, *m_textKeys, m_spans);
    if (n >= 16 && (contains(d, n, std::string_view("COOKIES:")) || (lt && contains(d, n, std::string_view("cookie-info")))))
        scan::cookieSections(text, m_spans);
    if (digits)
        scan::cardNumbers(text, m_spans);
    if (pem)
        scan::pemPrivateKeys(text, m_spans);
    bool changed = scan::applySpans(text, m_spans);
    if (!m_valueRegexes.empty())
        changed = applyValuePatterns(text) || changed;
    if (!changed && cacheable) {
        if (m_clean.size() >= kCleanCacheMax)
            m_clean.clear();
        m_clean.insert(h);
    }
    return changed;
}

} // namespace ed
