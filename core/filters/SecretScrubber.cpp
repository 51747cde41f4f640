#include "filters/SecretScrubber.h"

#include "base/Ascii.h"
#include "filters/DjangoSafeSettings.h"

#include <QCryptographicHash>
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <xxhash.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ed {
namespace {

// Bump when a scanner changes what it finds: stored reports then count as
// scrubbed under older rules and `rules apply` re-scrubs them.
constexpr const char *kScannerVersion = "scanners-2";

// Strings at least this long are remembered (by hash) once found clean:
// settings, source context and repeated messages come back with every record.
constexpr size_t kCleanCacheMinLength = 32;
constexpr size_t kCleanSlots = 1u << 15; // 512 KB
constexpr size_t kKeySlots = 1u << 12;

size_t cleanSlot(const Hash128 &h)
{
    uint32_t v;
    std::memcpy(&v, h.data(), sizeof v);
    return v & (kCleanSlots - 1);
}

bool sameHash(const Hash128 &a, const Hash128 &b)
{
    uint64_t a0, a1, b0, b1;
    std::memcpy(&a0, a.data(), 8);
    std::memcpy(&a1, a.data() + 8, 8);
    std::memcpy(&b0, b.data(), 8);
    std::memcpy(&b1, b.data() + 8, 8);
    return a0 == b0 && a1 == b1;
}

inline unsigned char lowerAscii(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u >= 'A' && u <= 'Z' ? u | 0x20 : u;
}

bool contains(const char *d, size_t n, std::string_view needle)
{
    return n >= needle.size() && memmem(d, n, needle.data(), needle.size()) != nullptr;
}

// What a text holds that a scanner starts from, in one pass over its bytes.
struct Triggers {
    bool eq = false, colon = false, lt = false, at = false, newline = false, percent = false;
    size_t digits = 0, dashes = 0;
    bool any() const { return eq || colon || lt || percent || digits >= 13 || dashes >= 10; }
};

Triggers triggersOf(const char *d, size_t n)
{
    enum : uint8_t { Eq = 1, Colon = 2, Lt = 4, At = 8, Newline = 16, Digit = 32, Dash = 64, Percent = 128 };
    static const auto table = [] {
        std::array<uint8_t, 256> t{};
        t['='] = Eq;
        t[':'] = Colon;
        t['<'] = Lt;
        t['@'] = At;
        t['\n'] = Newline;
        t['-'] = Dash;
        t['%'] = Percent;
        for (int c = '0'; c <= '9'; ++c)
            t[size_t(c)] = Digit;
        return t;
    }();
    unsigned flags = 0;
    size_t digits = 0, dashes = 0;
    size_t i = 0;
#if defined(__SSE2__)
    // 16 bytes at a time: this runs on every string not already known clean.
    if (n >= 16) {
        const __m128i eq = _mm_set1_epi8('='), colon = _mm_set1_epi8(':'), lt = _mm_set1_epi8('<'), at = _mm_set1_epi8('@'),
                      nl = _mm_set1_epi8('\n'), dash = _mm_set1_epi8('-'), pct = _mm_set1_epi8('%'),
                      below0 = _mm_set1_epi8('0' - 1), above9 = _mm_set1_epi8('9' + 1);
        __m128i anyEq = _mm_setzero_si128(), anyColon = anyEq, anyLt = anyEq, anyAt = anyEq, anyNl = anyEq, anyPct = anyEq;
        // Per-byte counters (compare masks are -1), summed before they can wrap.
        __m128i digitCount = _mm_setzero_si128(), dashCount = digitCount;
        const __m128i zero = _mm_setzero_si128();
        auto flush = [&] {
            const __m128i d8 = _mm_sad_epu8(digitCount, zero), s8 = _mm_sad_epu8(dashCount, zero);
            digits += size_t(_mm_cvtsi128_si32(d8) + _mm_extract_epi16(d8, 4));
            dashes += size_t(_mm_cvtsi128_si32(s8) + _mm_extract_epi16(s8, 4));
            digitCount = dashCount = zero;
        };
        size_t blocks = 0;
        for (; i + 16 <= n; i += 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(d + i));
            anyEq = _mm_or_si128(anyEq, _mm_cmpeq_epi8(v, eq));
            anyColon = _mm_or_si128(anyColon, _mm_cmpeq_epi8(v, colon));
            anyLt = _mm_or_si128(anyLt, _mm_cmpeq_epi8(v, lt));
            anyAt = _mm_or_si128(anyAt, _mm_cmpeq_epi8(v, at));
            anyNl = _mm_or_si128(anyNl, _mm_cmpeq_epi8(v, nl));
            anyPct = _mm_or_si128(anyPct, _mm_cmpeq_epi8(v, pct));
            // Signed compares: bytes >= 0x80 are negative, never digits.
            const __m128i isDigit = _mm_and_si128(_mm_cmpgt_epi8(v, below0), _mm_cmplt_epi8(v, above9));
            digitCount = _mm_sub_epi8(digitCount, isDigit);
            dashCount = _mm_sub_epi8(dashCount, _mm_cmpeq_epi8(v, dash));
            if (++blocks == 255) {
                flush();
                blocks = 0;
            }
        }
        flush();
        flags |= (_mm_movemask_epi8(anyEq) ? Eq : 0) | (_mm_movemask_epi8(anyColon) ? Colon : 0) |
                 (_mm_movemask_epi8(anyLt) ? Lt : 0) | (_mm_movemask_epi8(anyAt) ? At : 0) |
                 (_mm_movemask_epi8(anyNl) ? Newline : 0) | (_mm_movemask_epi8(anyPct) ? Percent : 0);
    }
#endif
    for (; i < n; ++i) {
        const uint8_t f = table[static_cast<unsigned char>(d[i])];
        flags |= f;
        digits += (f >> 5) & 1;
        dashes += (f >> 6) & 1;
    }
    Triggers t;
    t.eq = flags & Eq;
    t.colon = flags & Colon;
    t.lt = flags & Lt;
    t.at = flags & At;
    t.newline = flags & Newline;
    t.percent = flags & Percent;
    t.digits = digits;
    t.dashes = dashes;
    return t;
}

// Django settings (upper case) that configure a cookie, a session or CSRF rather than hold
// one (CSRF_COOKIE_NAME = 'csrftoken', SESSION_COOKIE_AGE): caught by the
// widened "cookie", "session", "csrf", "xsrf" patterns alone, they show, as
// Django's own filter shows them. A name that also holds one of Django's
// patterns (SECRET, TOKEN, KEY, HTTP_COOKIE, ...) stays sensitive.
bool isCookieSetting(std::string_view key)
{
    static const std::array<std::string_view, 17> suffixes = {"_name",
                                                              "_age",
                                                              "_domain",
                                                              "_path",
                                                              "_secure",
                                                              "_httponly",
                                                              "_samesite",
                                                              "_engine",
                                                              "_serializer",
                                                              "_failure_view",
                                                              "_use_sessions",
                                                              "_trusted_origins",
                                                              "_expire_at_browser_close",
                                                              "_save_every_request",
                                                              "_cache_alias",
                                                              "_file_path",
                                                              "_class"};
    // Settings are upper case (Django reads only those); "cookie_name" in a form stays a secret's name.
    if (std::any_of(key.begin(), key.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        return false;
    const std::string low = asciiLower(key);
    std::string_view stem;
    for (std::string_view s : suffixes)
        if (low.size() > s.size() && std::string_view(low).substr(low.size() - s.size()) == s)
            stem = std::string_view(low).substr(0, low.size() - s.size());
    if (stem.empty())
        return false;
    constexpr std::array<std::string_view, 4> widened = {"cookie", "session", "csrf", "xsrf"};
    bool configures = false;
    for (const QString &pattern : ScrubSettings::defaultKeyPatterns()) {
        const std::string p = pattern.toStdString();
        if (stem.find(p) == std::string_view::npos)
            continue;
        if (std::find(widened.begin(), widened.end(), p) == widened.end())
            return false; // one of the other patterns: a secret's name
        configures = true;
    }
    return configures;
}

} // namespace

const QStringList &ScrubSettings::defaultKeyPatterns()
{
    static const QStringList patterns = {
        // Django 5.2's SafeExceptionReporterFilter.hidden_settings
        QStringLiteral("api"),
        QStringLiteral("auth"),
        QStringLiteral("token"),
        QStringLiteral("key"),
        QStringLiteral("secret"),
        QStringLiteral("pass"),
        QStringLiteral("signature"),
        QStringLiteral("http_cookie"),
        // and more
        QStringLiteral("cookie"),
        QStringLiteral("session"),
        QStringLiteral("csrf"),
        QStringLiteral("xsrf"),
        QStringLiteral("credential"),
        QStringLiteral("private"),
        QStringLiteral("pwd"),
        QStringLiteral("ssn"),
        QStringLiteral("cvv"),
        QStringLiteral("cvc"),
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
    explicit TextKeys(const SecretScrubber &s) : m_s(s) { }
    bool sensitive(std::string_view key) const override { return m_s.isSensitiveKey(ScrubZone::Extra, key); }

private:
    const SecretScrubber &m_s;
};

Result<std::unique_ptr<SecretScrubber>> SecretScrubber::create(const ScrubSettings &settings)
{
    std::unique_ptr<SecretScrubber> s(new SecretScrubber(settings));
    for (const QString &p : settings.extraKeyPatterns) {
        auto re = BoundedRegex::compile(p, QRegularExpression::CaseInsensitiveOption, QStringLiteral("ERRORDECK_SENSITIVE_KEYS"));
        if (!re)
            return re.failure();
        s->m_keyRegexes.push_back(std::move(*re));
    }
    for (const QString &p : settings.valuePatterns) {
        if (const QString e = userPatternError(p); !e.isEmpty())
            return Error{QStringLiteral("ERRORDECK_SENSITIVE_VALUES: %1").arg(e)};
        auto re = BoundedRegex::compile(p, {}, QStringLiteral("ERRORDECK_SENSITIVE_VALUES"));
        if (!re)
            return re.failure();
        s->m_valueRegexes.push_back(std::move(*re));
    }
    return s;
}

SecretScrubber::SecretScrubber(const ScrubSettings &settings)
    : m_settings(settings), m_textKeys(std::make_unique<TextKeys>(*this)), m_keyCache(kKeySlots), m_clean(kCleanSlots)
{
    for (const QString &p : ScrubSettings::defaultKeyPatterns()) {
        const std::string low = asciiLower(p.toStdString());
        m_byFirst[static_cast<unsigned char>(low[0])].push_back(low);
        m_bigrams.set(unsigned(static_cast<unsigned char>(low[0])) << 8 | static_cast<unsigned char>(low[1]));
        m_minPattern = std::min(m_minPattern, low.size());
    }
    for (const QString &k : settings.safeKeys)
        m_safe.insert(asciiLower(k.toStdString()));
}

SecretScrubber::~SecretScrubber() = default;

bool SecretScrubber::isSafe(std::string_view lowerKey) const
{
    return !m_safe.empty() && m_safe.count(std::string(lowerKey)) != 0;
}

bool SecretScrubber::builtinSensitive(std::string_view key) const
{
    // The default substrings, found without lower-casing a copy: patterns are
    // bucketed by their first letter, so most positions cost one table look-up.
    const size_t n = key.size();
    for (size_t i = 0; i + m_minPattern <= n; ++i) {
        const unsigned char c = lowerAscii(key[i]);
        const unsigned bigram = unsigned(c) << 8 | lowerAscii(key[i + 1]);
        if (!m_bigrams[bigram])
            continue; // no pattern starts with these two letters: the usual case
        for (const std::string &p : m_byFirst[c]) {
            if (i + p.size() > n)
                continue;
            size_t j = 1;
            while (j < p.size() && lowerAscii(key[i + j]) == static_cast<unsigned char>(p[j]))
                ++j;
            if (j == p.size())
                return true;
        }
    }
    return false;
}

bool SecretScrubber::computeSensitive(std::string_view key) const
{
    // Django's settings that configure rather than hold a secret stay readable
    // (DjangoSafeSettings.h); the user's own key patterns still apply to them.
    if (builtinSensitive(key) && !isCookieSetting(key) && !isDjangoSafeSetting(key))
        return true;
    const QString k = QString::fromUtf8(key.data(), qsizetype(key.size()));
    for (const BoundedRegex &re : m_keyRegexes) {
        const BoundedRegex::Outcome o = re.search(k);
        if (o == BoundedRegex::Outcome::Undecided) {
            ++m_undecidedKeys[re.pattern()]; // fail closed: the key counts as sensitive
            ++m_undecidedCount;
        }
        if (o != BoundedRegex::Outcome::NoMatch)
            return true;
    }
    return false;
}

void SecretScrubber::absorbUndecided(const SecretScrubber &other) const
{
    for (auto it = other.m_undecidedKeys.cbegin(); it != other.m_undecidedKeys.cend(); ++it)
        m_undecidedKeys[it.key()] += it.value();
    for (auto it = other.m_undecidedValues.cbegin(); it != other.m_undecidedValues.cend(); ++it)
        m_undecidedValues[it.key()] += it.value();
}

QStringList SecretScrubber::undecidedPatterns() const
{
    QStringList out;
    for (auto it = m_undecidedValues.cbegin(); it != m_undecidedValues.cend(); ++it)
        out << QStringLiteral("ERRORDECK_SENSITIVE_VALUES: '%1' passed the regex match limit on %2 text(s); "
                              "they were masked whole")
                   .arg(it.key())
                   .arg(it.value());
    for (auto it = m_undecidedKeys.cbegin(); it != m_undecidedKeys.cend(); ++it)
        out << QStringLiteral("ERRORDECK_SENSITIVE_KEYS: '%1' passed the regex match limit on %2 key(s); "
                              "their values were masked")
                   .arg(it.key())
                   .arg(it.value());
    return out;
}

bool SecretScrubber::keyIsSensitive(std::string_view key) const { return isSensitiveKey(ScrubZone::Extra, key); }

bool SecretScrubber::sensitiveCached(std::string_view key) const
{
    const uint64_t h = XXH3_64bits(key.data(), key.size());
    KeySlot &slot = m_keyCache[h & (kKeySlots - 1)];
    if (slot.used && slot.hash == h && slot.key == key)
        return slot.sensitive;
    const bool sensitive = computeSensitive(key) && (m_safe.empty() || !isSafe(asciiLower(key)));
    slot.hash = h;
    slot.key.assign(key);
    slot.sensitive = sensitive;
    slot.used = true;
    return sensitive;
}

bool SecretScrubber::isSensitiveKey(ScrubZone zone, std::string_view key) const
{
    if (zone == ScrubZone::None)
        return false;
    // Every cookie is a secret, but for the ones the user named safe.
    if (zone == ScrubZone::Cookies)
        return m_safe.empty() || !isSafe(asciiLower(key));
    return sensitiveCached(key);
}

bool SecretScrubber::applyValuePatterns(std::string &text) const
{
    QString s = QString::fromUtf8(text.data(), qsizetype(text.size()));
    const QString marker = QString::fromLatin1(kScrubbedValue.data(), qsizetype(kScrubbedValue.size()));
    bool changed = false;
    for (const BoundedRegex &re : m_valueRegexes) {
        const int group = re.captureCount() >= 1 ? 1 : 0;
        QString out;
        qsizetype pos = 0, from = 0;
        bool any = false;
        for (;;) {
            const BoundedRegex::Found m = re.find(s, from, group);
            if (m.outcome == BoundedRegex::Outcome::Undecided) {
                // The pattern cannot tell whether a secret stands here: fail
                // closed, the whole text goes, and the text says why.
                ++m_undecidedValues[re.pattern()];
                ++m_undecidedCount;
                text = std::string(kScrubbedValue) +
                       " (masked whole: the scrubbing pattern could not decide within the regex match limit)";
                return true;
            }
            if (m.outcome == BoundedRegex::Outcome::NoMatch)
                break;
            // On past the whole match, as globalMatch would; an empty one moves on by one.
            from = std::max(m.matchEnd, from + 1);
            const qsizetype b = m.begin, e = m.end;
            if (e <= b || b < pos || QStringView(s).mid(b, e - b) == marker)
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
    // Long strings come back (settings, source context, repeated messages):
    // one hash tells a text already found clean. Short ones are cheaper to scan.
    const bool cacheable = n >= kCleanCacheMinLength;
    Hash128 h{};
    if (cacheable) {
        h = hash128(text);
        if (sameHash(m_clean[cleanSlot(h)], h))
            return false;
    }
    const Triggers t = triggersOf(d, n);
    m_spans.clear();
    if (t.any()) {
        if (t.eq || t.colon)
            scan::keyValuePairs(text, *m_textKeys, m_spans);
        if (t.colon && t.at)
            scan::urlPasswords(text, m_spans);
        if (t.percent)
            scan::percentEncodedPairs(text, *m_textKeys, m_spans);
        if (t.lt)
            scan::htmlTableCells(text, *m_textKeys, m_spans);
        if ((t.colon && t.newline && contains(d, n, std::string_view("COOKIES:"))) ||
            (t.lt && t.dashes && contains(d, n, std::string_view("cookie-info"))))
            scan::cookieSections(text, m_spans);
        if (t.digits >= 13)
            scan::cardNumbers(text, m_spans);
        if (t.dashes >= 10 && contains(d, n, std::string_view("-----BEGIN ")))
            scan::pemPrivateKeys(text, m_spans);
    }
    bool changed = scan::applySpans(text, m_spans);
    if (!m_valueRegexes.empty())
        changed = applyValuePatterns(text) || changed;
    if (!changed && cacheable)
        m_clean[cleanSlot(h)] = h;
    return changed;
}

} // namespace ed
