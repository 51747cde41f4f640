#pragma once
// Everything that filters an import, in one object: the secret scrubber, the
// user's drop and hide rules and Django's 404-ignore rules, read from one
// database (its config and filter_rules). Import, the desktop app and
// `errordeck-cli rules` all build it with load().
//
// decide() runs the rules in this order and names the one that decided:
// drop rules, hide rules, then (for a 404) Django's ignore rules.
// An instance holds caches and is meant for one thread at a time.
#include "store/Database.h"
#include "model/Filter.h"
#include "base/Result.h"
#include "filters/FilterRules.h"
#include "filters/NotFoundRules.h"
#include "filters/SecretScrubber.h"

#include <memory>
#include <vector>

namespace ed {

class Config;

class FilterSet final : public Scrubber, public RecordFilter {
public:
    struct Settings {
        ScrubSettings scrub;
        NotFoundSettings notFound;
        std::vector<FilterRule> rules;
        static Settings fromConfig(const Config &config);
    };

    // The database's current settings and rules.
    static Result<std::unique_ptr<FilterSet>> load(Database &db);
    static Result<std::unique_ptr<FilterSet>> create(const Settings &settings);
    ~FilterSet() override;

    bool isSensitiveKey(ScrubZone zone, std::string_view key) const override;
    bool scrubText(std::string &text) const override;
    int64_t undecidedCount() const override;
    FilterDecision decide(const RecordFacts &facts) const override;

    const Settings &settings() const { return m_settings; }
    const SecretScrubber &scrubber() const { return *m_scrubber; }
    const NotFoundRules &notFoundRules() const { return m_notFound; }

    // What could not be decided since this set was made, one message per
    // pattern: rules whose message regex passed PCRE2's match limit (the
    // reports stayed visible) and scrubbing patterns that did (texts masked
    // whole). For the import summary; empty mostly.
    QStringList undecided() const;

    // The same settings and rules with caches of its own, for another thread
    // of one import (the import's workers each use one).
    Result<std::unique_ptr<FilterSet>> copyForThread() const { return create(m_settings); }
    // Adds what a copyForThread() of this set could not decide to this set's
    // counts, once that copy's thread is done with it.
    void absorbUndecided(const FilterSet &copy) const;

    // What the stored reports were scrubbed with (filter_state), so a change of
    // the scrubbing rules is noticed and `rules apply` re-scrubs.
    // "none" after an import without filters; empty before any import.
    static Result<QString> scrubbedWith(Database &db);
    static Result<void> setScrubbedWith(Database &db, const QString &fingerprint);
    // Call when an import starts: `filters` null means it stores unscrubbed text.
    static Result<void> noteImport(Database &db, const FilterSet *filters);

private:
    FilterSet(Settings settings, std::unique_ptr<SecretScrubber> scrubber, NotFoundRules notFound,
              std::vector<CompiledRule> drops, std::vector<CompiledRule> hides);

    Settings m_settings;
    std::unique_ptr<SecretScrubber> m_scrubber;
    NotFoundRules m_notFound;
    std::vector<CompiledRule> m_drop, m_hide;
    mutable QMap<QString, qint64> m_undecidedRules; // rule name -> reports
};

} // namespace ed
