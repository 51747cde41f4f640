#pragma once
// Brings stored reports in line with the current rules (`errordeck-cli rules
// apply`, and the desktop app whenever its rules, 404 settings or scrubbing
// patterns are saved, or Edit › Re-apply Rules):
//  - hide rules and the 404 rules decide each report's hidden_by again, and
//    the issues' visible and hidden counts follow (drop rules hide stored
//    reports: applying rules never deletes one);
//  - when the scrubbing rules changed since the reports were stored (or when
//    asked), every report is scrubbed again: its body, parts, raw e-mail,
//    indexed columns and full-text row, the issues' titles, culprits and
//    loggers, the send log (subject, server replies, transcript, the message
//    decoded) and the saved searches: every column textColumns() marks. Parts
//    no longer referenced are deleted, with secure_delete on and the full-text
//    index merged, and the WAL is checkpointed and truncated, so the old
//    values do not linger in free pages or the log.
// The writing goes through store/ReportRewriter, in batches of reports, one
// transaction each (with the counts of the issues the batch touched), then the
// re-scrub's last step (issues, parts, send log, saved searches, the marker of
// the scrubbing rules) in one more. A failure or a cancel leaves every report
// either as it was or as the rules make it, and every issue count right; a
// re-scrub stopped early leaves the marker as it was, so the stored reports
// still count as needing one (the next apply scrubs them all again, and only
// then are the old parts deleted).
//
// preview() answers what apply() would do, without writing: the same reading
// and deciding, so its counts are what apply() then hides.
#include "store/Database.h"
#include "store/ReportRewriter.h"
#include "base/Result.h"

#include <QHash>
#include <functional>
#include <vector>

namespace ed {

class FilterSet;

struct ApplyOptions {
    bool rescrub = false; // scrub again even if the scrubbing rules look unchanged
    std::function<void(int64_t done, int64_t total)> progress;
    // Asked between reports; true stops: apply() commits the reports done so
    // far (with their issues' counts) and says cancelled. Null: never.
    std::function<bool()> cancelled;
    int batchSize = 2000; // reports per transaction
};

struct ApplySummary {
    int64_t reports = 0; // looked at
    int64_t hidden = 0; // hidden after applying
    int64_t newlyHidden = 0; // visible before, hidden now
    int64_t newlyShown = 0; // hidden before, visible now
    int64_t relabelled = 0; // still hidden, by another rule
    bool scrubbed = false; // the re-scrub ran
    int64_t rescrubbed = 0; // reports whose stored text changed
    int64_t partsRemoved = 0;
    int64_t failed = 0; // reports that could not be read back (left as they were)
    int64_t sendLogRescrubbed = 0; // send log entries whose text changed
    int64_t searchesRescrubbed = 0;
    QString checkpoint; // empty when the WAL was truncated, else why not
    bool cancelled = false; // stopped early: `reports` were looked at, the rest left as they were
};

// What apply() would leave, counted without writing.
struct RulePreview {
    int64_t reports = 0; // looked at
    int64_t hidden = 0, newlyHidden = 0, newlyShown = 0, relabelled = 0, failed = 0;
    QHash<QString, int64_t> byLabel; // hidden_by -> reports, as apply() would leave them
    bool cancelled = false;
    int64_t hiddenBy(const QString &label) const { return byLabel.value(label); }
};

class RuleApplier {
public:
    // Every text column of the schema (store/ReportRewriter.h).
    static const std::vector<TextColumn> &textColumns() { return ReportRewriter::textColumns(); }
    static Result<ApplySummary> apply(Database &db, const FilterSet &filters, const ApplyOptions &options = {});
    // `options.rescrub` and `batchSize` aside, the same options.
    static Result<RulePreview> preview(Database &db, const FilterSet &filters, const ApplyOptions &options = {});
    // Whether stored reports were scrubbed with other rules than `filters`'.
    static Result<bool> needsRescrub(Database &db, const FilterSet &filters);
};

} // namespace ed
