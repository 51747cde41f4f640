#include "filters/RuleApplier.h"

#include "model/RecordTransformer.h"
#include "store/ReportRewriter.h"
#include "store/ReportStore.h"
#include "store/SendLogStore.h"
#include "filters/FilterSet.h"
#include "filters/SendLogScrub.h"

#include <QJsonDocument>

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
    if (auto r = stored.begin(); !r)
        return fail("cannot start writing", r.error());

    auto reports = stored.visibility();
    if (!reports)
        return fail("reading reports", reports.error());
    const int64_t total = int64_t(reports->size());

    // The stored record read back as it is, and (re-scrubbing) as the rules
    // scrub it now; comparing the two tells whether a report changed.
    NullScrubber noScrub;
    RecordTransformer plain(noScrub); // newParts lists every part a report uses
    RecordTransformer scrubbing(filters);
    ReportStore store(db);
    TransformedRecord rec, asStored;

    for (const StoredVisibility &report : *reports) {
        const int64_t id = report.id;
        const QString &oldHidden = report.hiddenBy;
        ++sum.reports;
        if (options.progress && sum.reports % 256 == 0)
            options.progress(sum.reports, total);
        auto detail = store.loadReport(id);
        if (!detail) {
            ++sum.failed;
            continue;
        }
        const QByteArray json = QJsonDocument(detail->record).toJson(QJsonDocument::Compact);
        const std::string_view text(json.constData(), size_t(json.size()));
        if (!(rescrub ? scrubbing : plain).transform(text, false, rec)) {
            ++sum.failed;
            continue;
        }
        const FilterDecision d = filters.decide(rec.facts());
        QString hidden = d.verdict == Verdict::Keep ? QString() : d.rule;
        if (!oldHidden.isEmpty() && !isRuleLabel(oldHidden))
            hidden = oldHidden;
        if (!hidden.isEmpty())
            ++sum.hidden;
        if (oldHidden.isEmpty() && !hidden.isEmpty())
            ++sum.newlyHidden;
        else if (!oldHidden.isEmpty() && hidden.isEmpty())
            ++sum.newlyShown;
        else if (oldHidden != hidden)
            ++sum.relabelled;

        if (!rescrub) {
            if (hidden != oldHidden || d.undecided != report.undecided) {
                if (auto r = stored.setVisibility(id, hidden, d.undecided); !r)
                    return fail("updating a report", r.error());
            }
            continue;
        }

        bool changed = !plain.transform(text, false, asStored) || asStored.body != rec.body ||
                       asStored.newParts.size() != rec.newParts.size();
        for (size_t i = 0; !changed && i < rec.newParts.size(); ++i)
            changed = rec.newParts[i].hash != asStored.newParts[i].hash;
        std::optional<std::string> raw = stored.raw(id);
        if (raw)
            changed = filters.scrubText(*raw) || changed;
        if (auto r = stored.rewrite(id, rec, raw, hidden, d.undecided); !r)
            return fail("rewriting a report", r.error());
        if (changed)
            ++sum.rescrubbed;
    }

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
