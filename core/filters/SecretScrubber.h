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
#include "model/Filter.h"
#include "base/Hash.h"
#include "base/Result.h"
#include "base/BoundedRegex.h"
#include "filters/TextScanners.h"

#include <QMap>
#include <QStringList>
#include <array>
#include <bitset>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace ed {

struct ScrubSettings {
    QStringList extraKeyPatterns; // ERRORDECK_SENSITIVE_KEYS: regexes, searched, case-insensitive
    QStringList valuePatterns; // ERRORDECK_SENSITIVE_VALUES: regexes; group 1 when there is one
    QStringList safeKeys; // ERRORDECK_SAFE_KEYS: exact names, case-insensitive

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
    int64_t undecidedCount() const override { return m_undecidedCount; }

    // The key test alone (any zone but None and Cookies), for tools.
    bool keyIsSensitive(std::string_view key) const;
    const ScrubSettings &settings() const { return m_settings; }

    // The user's patterns that could not decide (PCRE2's match limit) since
    // this scrubber was made, with how many texts each masked whole (value
    // patterns) or keys each counted sensitive (key patterns): one message each.
    QStringList undecidedPatterns() const;
    // Adds the undecided counts of another scrubber of the same settings (one
    // an import's worker thread used) to this one's.
    void absorbUndecided(const SecretScrubber &other) const;

private:
    explicit SecretScrubber(const ScrubSettings &settings);
    bool builtinSensitive(std::string_view key) const;
    bool computeSensitive(std::string_view key) const;
    bool sensitiveCached(std::string_view key) const;
    bool isSafe(std::string_view lowerKey) const;
    bool applyValuePatterns(std::string &text) const;

    class TextKeys;
    ScrubSettings m_settings;
    std::array<std::vector<std::string>, 256> m_byFirst; // default patterns, lower-case, by first letter
    std::bitset<65536> m_bigrams; // first two letters of the default patterns
    size_t m_minPattern = SIZE_MAX;
    std::vector<BoundedRegex> m_keyRegexes, m_valueRegexes;
    mutable QMap<QString, qint64> m_undecidedKeys, m_undecidedValues; // pattern -> times
    mutable int64_t m_undecidedCount = 0; // their sum, for undecidedCount()
    std::unordered_set<std::string> m_safe; // lower-case
    std::unique_ptr<TextKeys> m_textKeys;

    // Verdicts per key name, direct-mapped by hash: the same few hundred keys
    // (settings, META, frame variables) come back with every record.
    struct KeySlot {
        uint64_t hash = 0;
        std::string key;
        bool sensitive = false;
        bool used = false;
    };
    mutable std::vector<KeySlot> m_keyCache;
    // Hashes of long strings found with nothing to scrub, direct-mapped.
    mutable std::vector<Hash128> m_clean;
    mutable std::vector<scan::Span> m_spans;
};

} // namespace ed
