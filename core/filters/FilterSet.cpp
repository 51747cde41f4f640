#include "filters/FilterSet.h"

#include "store/Config.h"

namespace ed {

FilterSet::Settings FilterSet::Settings::fromConfig(const Config &config)
{
    Settings s;
    s.scrub.extraKeyPatterns = config.stringList(ConfigKey::SensitiveKeys);
    s.scrub.valuePatterns = config.stringList(ConfigKey::SensitiveValues);
    s.scrub.safeKeys = config.stringList(ConfigKey::SafeKeys);
    s.notFound.ignorableUrls = config.stringList(ConfigKey::IgnorableUrls);
    s.notFound.appendSlash = config.flag(ConfigKey::AppendSlash);
    s.notFound.hideCrawlers = config.flag(ConfigKey::HideCrawler404s);
    s.notFound.crawlerAgents = config.stringList(ConfigKey::CrawlerAgents);
    s.notFound.hiddenPrefixes = config.stringList(ConfigKey::Hidden404Prefixes);
    return s;
}

Result<std::unique_ptr<FilterSet>> FilterSet::load(Database &db)
{
    const Config config(db);
    Settings s = Settings::fromConfig(config);
    auto rules = RuleStore(db).list();
    if (!rules)
        return Error{QStringLiteral("cannot read the filter rules: %1").arg(rules.error())};
    s.rules = std::move(*rules);
    return create(s);
}

Result<std::unique_ptr<FilterSet>> FilterSet::create(const Settings &settings)
{
    auto scrubber = SecretScrubber::create(settings.scrub);
    if (!scrubber)
        return scrubber.failure();
    auto notFound = NotFoundRules::compile(settings.notFound);
    if (!notFound)
        return notFound.failure();
    std::vector<CompiledRule> drops, hides;
    for (const FilterRule &r : settings.rules) {
        if (!r.enabled)
            continue;
        auto c = CompiledRule::compile(r);
        if (!c)
            return c.failure();
        (r.action == RuleAction::Drop ? drops : hides).push_back(std::move(*c));
    }
    return std::unique_ptr<FilterSet>(
        new FilterSet(settings, std::move(*scrubber), std::move(*notFound), std::move(drops), std::move(hides)));
}

FilterSet::FilterSet(Settings settings, std::unique_ptr<SecretScrubber> scrubber, NotFoundRules notFound,
                     std::vector<CompiledRule> drops, std::vector<CompiledRule> hides)
    : m_settings(std::move(settings)),
      m_scrubber(std::move(scrubber)),
      m_notFound(std::move(notFound)),
      m_drop(std::move(drops)),
      m_hide(std::move(hides))
{
}

FilterSet::~FilterSet() = default;

bool FilterSet::isSensitiveKey(ScrubZone zone, std::string_view key) const { return m_scrubber->isSensitiveKey(zone, key); }

bool FilterSet::scrubText(std::string &text) const { return m_scrubber->scrubText(text); }

int64_t FilterSet::undecidedCount() const { return m_scrubber->undecidedCount(); }

FilterDecision FilterSet::decide(const RecordFacts &facts) const
{
    // A rule that cannot decide neither drops nor hides (the report stays
    // visible, fail safe) and is named in the decision; the others still apply.
    FilterDecision d;
    auto undecided = [&](const CompiledRule &r) {
        ++m_undecidedRules[r.rule().name];
        if (!d.undecided.isEmpty())
            d.undecided += QStringLiteral(", ");
        d.undecided += r.rule().label();
    };
    // Drop rules first: a report both would take is dropped.
    for (const auto &[rules, verdict] : {std::pair{&m_drop, Verdict::Drop}, std::pair{&m_hide, Verdict::Hide}}) {
        for (const CompiledRule &r : *rules) {
            const BoundedRegex::Outcome o = r.test(facts);
            if (o == BoundedRegex::Outcome::Match) {
                d.verdict = verdict;
                d.rule = r.rule().label();
                return d;
            }
            if (o == BoundedRegex::Outcome::Undecided)
                undecided(r);
        }
    }
    if (facts.statusCode == 404) {
        QString by = m_notFound.ignoredBy(facts.fullPath, facts.host, facts.referer, facts.userAgent);
        if (!by.isEmpty()) {
            d.verdict = Verdict::Hide;
            d.rule = std::move(by);
        }
    }
    return d;
}

void FilterSet::absorbUndecided(const FilterSet &copy) const
{
    for (auto it = copy.m_undecidedRules.cbegin(); it != copy.m_undecidedRules.cend(); ++it)
        m_undecidedRules[it.key()] += it.value();
    m_scrubber->absorbUndecided(*copy.m_scrubber);
}

QStringList FilterSet::undecided() const
{
    QStringList out;
    for (auto it = m_undecidedRules.cbegin(); it != m_undecidedRules.cend(); ++it)
        out << QStringLiteral("rule '%1': its message regex passed the regex match limit on %2 report(s); "
                              "they were kept visible")
                   .arg(it.key())
                   .arg(it.value());
    return out + m_scrubber->undecidedPatterns();
}

Result<QString> FilterSet::scrubbedWith(Database &db) { return RuleStore(db).scrubbedWith(); }

Result<void> FilterSet::setScrubbedWith(Database &db, const QString &fingerprint)
{
    return RuleStore(db).setScrubbedWith(fingerprint);
}

Result<void> FilterSet::noteImport(Database &db, const FilterSet *filters)
{
    if (!filters)
        return setScrubbedWith(db, QStringLiteral("none"));
    auto current = scrubbedWith(db);
    if (!current)
        return current.failure();
    // Only a database with nothing stored under other rules takes this
    // import's fingerprint; otherwise the older mark stays until `rules apply`.
    if (current->isEmpty())
        return setScrubbedWith(db, filters->settings().scrub.fingerprint());
    return {};
}

} // namespace ed
