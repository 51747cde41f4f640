#pragma once
// Brings stored reports in line with the current rules (`errordeck-cli rules
// apply`; the desktop app does not call it: its settings apply to what is
// imported next):
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
// The writing goes through store/ReportRewriter, in one transaction: a failure
// leaves the stored data as it was.
#include "store/Database.h"
#include "store/ReportRewriter.h"
#include "base/Result.h"

#include <functional>
#include <vector>

namespace ed {

class FilterSet;

struct ApplyOptions {
    bool rescrub = false; // scrub again even if the scrubbing rules look unchanged
    std::function<void(int64_t done, int64_t total)> progress;
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
};

class RuleApplier {
public:
    // Every text column of the schema (store/ReportRewriter.h).
    static const std::vector<TextColumn> &textColumns() { return ReportRewriter::textColumns(); }
    static Result<ApplySummary> apply(Database &db, const FilterSet &filters, const ApplyOptions &options = {});
    // Whether stored reports were scrubbed with other rules than `filters`'.
    static Result<bool> needsRescrub(Database &db, const FilterSet &filters);
};

} // namespace ed
