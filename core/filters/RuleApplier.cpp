#include "filters/RuleApplier.h"

#include "model/RecordTransformer.h"
#include "store/ReportRewriter.h"
#include "store/ReportStore.h"
#include "store/SendLogStore.h"
#include "filters/FilterSet.h"
#include "filters/SendLogScrub.h"

#include <QJsonDocument>

#include <algorithm>

namespace ed {
namespace {

// hidden_by values the rules wrote; anything else (a person's choice) stays.
bool isRuleLabel(const QString &hiddenBy)
{
    return hiddenBy.startsWith(QLatin1String("404: ")) || hiddenBy.startsWith(QLatin1String("rule: "));
}

Error fail(const char *what, const QString &detail)
{
    return Error{QStringLiteral("rules apply: %1: %2").arg(QString::fromLatin1(what), detail)};
}

// Reads a stored report back and decides it under the rules: what apply()
// writes and preview() counts, so the two cannot disagree. The stored record
// is read back as it is, and (re-scrubbing) as the rules scrub it now.
class StoredJudge {
public:
    StoredJudge(Database &db, const FilterSet &filters, bool rescrub)
        : m_filters(filters), m_rescrub(rescrub), m_plain(m_noScrub), m_scrubbing(filters), m_store(db)
    {
    }

    // False when the report cannot be read back (it is then left as it was).
    bool judge(const StoredVisibility &report)
    {
        auto detail = m_store.loadReport(report.id);
        if (!detail)
            return false;
        m_json = QJsonDocument(detail->record).toJson(QJsonDocument::Compact);
        if (!(m_rescrub ? m_scrubbing : m_plain).transform(text(), false, rec))
            return false;
        const FilterDecision d = m_filters.decide(rec.facts());
        hidden = d.verdict == Verdict::Keep ? QString() : d.rule;
        if (!report.hiddenBy.isEmpty() && !isRuleLabel(report.hiddenBy))
            hidden = report.hiddenBy;
        undecided = d.undecided;
        return true;
    }

    // Re-scrubbing: whether the stored text differs from what judge() made of it.
    bool textChanged()
    {
        bool changed = !m_plain.transform(text(), false, m_asStored) || m_asStored.body != rec.body ||
                       m_asStored.newParts.size() != rec.newParts.size();
        for (size_t i = 0; !changed && i < rec.newParts.size(); ++i)
            changed = rec.newParts[i].hash != m_asStored.newParts[i].hash;
        return changed;
    }

    TransformedRecord rec; // the report as the rules make it
    QString hidden, undecided; // its hidden_by and undecided under the rules

private:
    std::string_view text() const { return {m_json.constData(), size_t(m_json.size())}; }

    const FilterSet &m_filters;
    const bool m_rescrub;
    NullScrubber m_noScrub;
    RecordTransformer m_plain; // newParts lists every part a report uses
    RecordTransformer m_scrubbing;
    ReportStore m_store;
    QByteArray m_json;
    TransformedRecord m_asStored;
};

// The counts both apply() and preview() keep, from a report's old and new hidden_by.
template <typename Summary> void countChange(Summary &sum, const QString &oldHidden, const QString &hidden)
{
    if (!hidden.isEmpty())
        ++sum.hidden;
    if (oldHidden.isEmpty() && !hidden.isEmpty())
        ++sum.newlyHidden;
    else if (!oldHidden.isEmpty() && hidden.isEmpty())
        ++sum.newlyShown;
    else if (oldHidden != hidden)
        ++sum.relabelled;
}

bool stopAsked(const ApplyOptions &o) { return o.cancelled && o.cancelled(); }

} // namespace

Result<bool> RuleApplier::needsRescrub(Database &db, const FilterSet &filters)
{
    auto stamp = FilterSet::scrubbedWith(db);
    if (!stamp)
        return stamp.failure();
    if (stamp->isEmpty()) {
        return ReportStore(db).hasReports();
    }
    return *stamp != filters.settings().scrub.fingerprint();
}

Result<RulePreview> RuleApplier::preview(Database &db, const FilterSet &filters, const ApplyOptions &options)
{
    RulePreview sum;
    auto stale = needsRescrub(db, filters);
    if (!stale)
        return stale.failure();
    auto reports = ReportRewriter(db).visibility();
    if (!reports)
        return fail("reading reports", reports.error());
    const int64_t total = int64_t(reports->size());
    StoredJudge judge(db, filters, options.rescrub || *stale);
    for (const StoredVisibility &report : *reports) {
        if (stopAsked(options)) {
            sum.cancelled = true;
            return sum;
        }
        ++sum.reports;
        if (options.progress && sum.reports % 256 == 0)
            options.progress(sum.reports, total);
        if (!judge.judge(report)) {
            ++sum.failed;
            if (!report.hiddenBy.isEmpty())
                ++sum.byLabel[report.hiddenBy]; // left as it is
            continue;
        }
        countChange(sum, report.hiddenBy, judge.hidden);
        if (!judge.hidden.isEmpty())
            ++sum.byLabel[judge.hidden];
    }
    if (options.progress)
        options.progress(sum.reports, total);
    return sum;
}

Result<ApplySummary> RuleApplier::apply(Database &db, const FilterSet &filters, const ApplyOptions &options)
{
    ApplySummary sum;
    auto stale = needsRescrub(db, filters);
    if (!stale)
        return stale.failure();
    const bool rescrub = options.rescrub || *stale;
    sum.scrubbed = rescrub;
    ReportRewriter stored(db);
    if (rescrub) {
        if (auto r = stored.zeroDeletedContent(); !r)
            return fail("secure_delete", r.error());
    }

    auto reports = stored.visibility();
    if (!reports)
        return fail("reading reports", reports.error());
    const int64_t total = int64_t(reports->size());
    const int batchSize = std::max(1, options.batchSize);

    // One transaction per batch; the issues whose reports changed visibility
    // are recounted in it, so a cancel between batches leaves counts right.
    bool open = false;
    int inBatch = 0;
    std::vector<int64_t> touched;
    const auto beginBatch = [&]() -> Result<void> {
        if (open)
            return {};
        if (auto r = stored.begin(); !r)
            return fail("cannot start writing", r.error());
        open = true;
        return {};
    };
    const auto commitBatch = [&]() -> Result<void> {
        if (!open)
            return {};
        std::sort(touched.begin(), touched.end());
        touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
        if (auto r = stored.recountIssues(touched); !r)
            return fail("recounting issues", r.error());
        if (auto r = stored.commit(); !r)
            return fail("commit", r.error());
        touched.clear();
        open = false;
        inBatch = 0;
        return {};
    };

    StoredJudge judge(db, filters, rescrub);
    for (const StoredVisibility &report : *reports) {
        if (stopAsked(options)) {
            sum.cancelled = true;
            break;
        }
        if (auto r = beginBatch(); !r)
            return r.failure();
        const int64_t id = report.id;
        ++sum.reports;
        if (options.progress && sum.reports % 256 == 0)
            options.progress(sum.reports, total);
        if (!judge.judge(report)) {
            ++sum.failed;
        } else {
            const QString &hidden = judge.hidden;
            countChange(sum, report.hiddenBy, hidden);
            if (hidden.isEmpty() != report.hiddenBy.isEmpty())
                touched.push_back(report.issueId);
            if (!rescrub) {
                if (hidden != report.hiddenBy || judge.undecided != report.undecided) {
                    if (auto r = stored.setVisibility(id, hidden, judge.undecided); !r)
                        return fail("updating a report", r.error());
                }
            } else {
                bool changed = judge.textChanged();
                std::optional<std::string> raw = stored.raw(id);
                if (raw)
                    changed = filters.scrubText(*raw) || changed;
                if (auto r = stored.rewrite(id, judge.rec, raw, hidden, judge.undecided); !r)
                    return fail("rewriting a report", r.error());
                if (changed)
                    ++sum.rescrubbed;
            }
        }
        if (++inBatch >= batchSize) {
            if (auto r = commitBatch(); !r)
                return r.failure();
        }
    }
    if (auto r = commitBatch(); !r)
        return r.failure();
    if (sum.cancelled)
        return sum; // a re-scrub's last step waits for the next whole apply

    // Every issue recounted once more: counts that went wrong some other way
    // (a write outside ErrorDeck) are right after an apply, as they always were.
    if (auto r = stored.begin(); !r)
        return fail("cannot start writing", r.error());
    if (auto r = stored.recountIssues(); !r)
        return fail("recounting issues", r.error());
    if (rescrub) {
        if (auto r = stored.rescrubIssues(filters); !r)
            return fail("rewriting an issue", r.error());
        // Parts no body refers to any more (the old, unscrubbed ones).
        auto removed = stored.removeUnreferencedParts();
        if (!removed)
            return fail("deleting unused parts", removed.error());
        sum.partsRemoved = *removed;
        // What was e-mailed keeps the report's text of its day: scrubbed again too.
        auto sent = SendLogStore(db).rewriteTexts([&filters](SendLogTexts &t) { return scrubSendLogTexts(filters, t); });
        if (!sent)
            return fail("re-scrubbing the send log", sent.error());
        sum.sendLogRescrubbed = *sent;
        auto searches = stored.rescrubSavedSearches(filters);
        if (!searches)
            return fail("rewriting a saved search", searches.error());
        sum.searchesRescrubbed = *searches;
        if (auto r = stored.optimizeFullText(); !r)
            return fail("merging the full-text index", r.error());
        if (auto r = FilterSet::setScrubbedWith(db, filters.settings().scrub.fingerprint()); !r)
            return fail("recording the scrubbing rules", r.error());
    }
    if (auto r = stored.commit(); !r)
        return fail("commit", r.error());
    if (options.progress)
        options.progress(sum.reports, total);

    if (rescrub) // old page images stay in the WAL until it is checkpointed
        sum.checkpoint = stored.truncateLog();
    return sum;
}

} // namespace ed
