#pragma once
// The real Scrubber: secrets by key name (Django's hidden-settings pattern,
// widened) and by value wherever they stand in text (key=value pairs, cookie
// sections, Authorization headers, URL passwords, card numbers, PEM keys and
// the user's own value regexes).
//
// Built for the import hot path: scrubText() runs on every string of every
// record. Long strings already seen clean are skipped by their hash, key
// verdicts are cached, and regexes run only for the user's extra patterns.
// The caches make an instance single-threaded: use one per import.
#include "Filter.h"
#include "Hash.h"
#include "Result.h"
#include "filters/TextScanners.h"

#include <QRegularExpression>
#include <QStringList>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace ed {

struct ScrubSettings {
    QStringList extraKeyPatterns; // ERRORDECK_SENSITIVE_KEYS: regexes, searched, case-insensitive
    QStringList valuePatterns;    // ERRORDECK_SENSITIVE_VALUES: regexes; group 1 when there is one
    QStringList safeKeys;         // ERRORDECK_SAFE_KEYS: exact names, case-insensitive

    // Substrings (case-insensitive) that make a key sensitive: Django 5.2's
    // hidden_settings (API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE)
    // and more names secrets go by.
    static const QStringList &defaultKeyPatterns();
    // A text that changes when anything that decides scrubbing changes
    // (including this build's scanners), to know stored reports are stale.
    QString fingerprint() const;
};

class SecretScrubber final : public Scrubber {
public:
    // Fails on an invalid regex, naming it.
    static Result<std::unique_ptr<SecretScrubber>> create(const ScrubSettings &settings);
    ~SecretScrubber() override;

    bool isSensitiveKey(ScrubZone zone, std::string_view key) const override;
    bool scrubText(std::string &text) const override;

    // The key test alone (any zone but None and Cookies), for tools.
    bool keyIsSensitive(std::string_view key) const;
    const ScrubSettings &settings() const { return m_settings; }

private:
    explicit SecretScrubber(const ScrubSettings &settings);
    bool computeSensitive(std::string_view key) const;
    bool isSafe(std::string_view lowerKey) const;
    bool applyValuePatterns(std::string &text) const;

    class TextKeys;
    ScrubSettings m_settings;
    std::vector<std::string> m_substrings; // lower-case
    std::vector<QRegularExpression> m_keyRegexes, m_valueRegexes;
    std::unordered_set<std::string> m_safe; // lower-case
    std::unique_ptr<TextKeys> m_textKeys;

    mutable std::unordered_map<std::string, bool> m_keyCache; // zone byte + key
    mutable std::string m_keyBuf;
    mutable std::unordered_set<Hash128, Hash128Hasher> m_clean; // hashes of long strings with nothing to scrub
    mutable std::vector<scan::Span> m_spans;
};

} // namespace ed
