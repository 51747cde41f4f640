#pragma once
// The alert step: what the writer committed since the last step (every path
// that stores reports records its batches, store/AlertStore.h) is matched
// against the enabled rules, each firing passes the rule's per-issue rate
// limit or is counted as held back, and what passes is queued in the outbox in
// the same transaction. A rule queues at most ERRORDECK_ALERT_MAILS_PER_HOUR
// mails of one issue each in an hour (a first import of a long history makes
// every issue new at once): the issues past it go into one summary mail per
// step, listing them, and count as held back. Nothing here sends (AlertDispatcher.h) and nothing
// here runs inside an import's transaction: an import never waits for mail.
#include "alert/AlertClock.h"
#include "store/AlertStore.h"
#include "store/Database.h"

#include <QStringList>

namespace ed {

struct AlertStepSummary {
    int64_t reports = 0; // reports looked at (per rule)
    int64_t queued = 0; // mails queued
    int64_t heldBack = 0; // held back by the rate limits
    QStringList problems; // a rule that could not be evaluated, by name; the others went on
};

// One mail a rule would send: the issue, the report it shows, why.
struct AlertFiring {
    int64_t issueId = 0, reportId = 0, at = 0;
    QString reason;
    int64_t extra = 0; // more reports of the issue that fired in the same batch: held back
};

struct AlertDryRun {
    int64_t reports = 0, mails = 0, heldBack = 0;
    std::vector<AlertFiring> mailed; // in time order
};

class AlertEngine {
public:
    AlertEngine(Database &db, AlertClock clock) : m_db(db), m_clock(std::move(clock)) { }

    Result<AlertStepSummary> evaluate();
    // Queues the digest of each enabled digest rule whose period has passed
    // since its last one (or since it was added); `force`: the rule named
    // `only` (or every digest rule when empty) now, for the period ending now.
    Result<int64_t> queueDigests(bool force = false, const QString &only = {});
    // What `rule` would have sent for the stored reports of [since, until),
    // rate limit included, with the reports' own times as the clock. Nothing is written.
    Result<AlertDryRun> dryRun(const AlertRule &rule, int64_t since, int64_t until);

    // "new issue", "regression", "12 reports in 10 minutes", "level ERROR or above"
    static QString describe(const AlertRule &rule);
    // A rule as `alerts add` makes it, checked: kind's numbers, recipients, the search.
    static Result<void> check(const AlertRule &rule);

    // "new issue: and 37 more issues, past the cap of 10 alert mails an hour"
    static QString summaryReason(const AlertRule &rule, int64_t more, int64_t cap);

private:
    Result<void> queueSummary(AlertStore &store, const AlertRule &rule, const std::vector<AlertFiring> &folded, int64_t cap,
                              int64_t now);
    Result<std::vector<AlertFiring>> fire(AlertStore &store, const AlertRule &rule, const std::vector<AlertReport> &batch,
                                          int64_t now);
    Database &m_db;
    AlertClock m_clock;
};

} // namespace ed
