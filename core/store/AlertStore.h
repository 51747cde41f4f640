#pragma once
// Alerts as stored: the rules (table alert_rules), what the writer committed
// since the alert step last looked (alert_pending, alert_events: ReportWriter
// adds them in its batch's transaction), the per-issue rate limit
// (alert_throttle) and the outbox the mails wait in until a send succeeds
// (alert_outbox; a summary mail's issues in alert_folded). Deciding what fires and sending it is core/alert's work.
#include "store/Database.h"
#include "store/ReportStore.h"
#include "base/Result.h"

#include <QString>
#include <QStringList>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace ed {

enum class AlertKind { NewIssue, Regression, Spike, Level, NewRelease, Digest };
// "new-issue", "regression", "spike", "level", "new-release", "digest"
QString alertKindName(AlertKind k);
std::optional<AlertKind> alertKindFromName(const QString &name);

struct AlertRule {
    int64_t id = 0;
    QString name;
    AlertKind kind = AlertKind::NewIssue;
    QString query; // the scope in the search language; empty: every visible report
    QStringList recipients; // "ADMINS", "MANAGERS" or addresses
    int threshold = 0; // spike: reports in the window; level: the lowest level that fires
    int windowMinutes = 0; // spike: the window; digest: the period (1440 daily, 10080 weekly)
    int rateLimitMinutes = 60; // at most one mail per issue in this time; 0: no limit
    bool enabled = true;
    int64_t createdAt = 0; // ms since the epoch
    int64_t heldBack = 0; // mails the rate limit held back, all time
    int64_t lastDigestEnd = 0; // digest: the end of the last period queued (0: none yet)
};

// A stored report the alert step looks at, with what the writer saw of it.
struct AlertReport {
    int64_t id = 0, issueId = 0, timestamp = 0;
    int level = 0;
    bool newIssue = false, regression = false;
};

enum class OutboxState { Queued = 0, Sending = 1, Sent = 2, GaveUp = 3 };
QString outboxStateName(OutboxState s); // "queued", "sending", "sent", "gave up"

struct OutboxEntry {
    int64_t id = 0;
    int64_t ruleId = 0;
    QString ruleName;
    AlertKind kind = AlertKind::NewIssue;
    QStringList recipients; // the rule's when it fired
    int64_t issueId = 0, reportId = 0;
    QString reason; // "new issue", "12 reports in 10 minutes"
    int64_t heldBack = 0; // mails held back for this issue since the last one
    int64_t periodStart = 0, periodEnd = 0; // digest
    OutboxState state = OutboxState::Queued;
    int attempts = 0;
    int64_t nextAttemptAt = 0, createdAt = 0;
    QString lastError;
    int64_t sendLogId = 0;
};

struct Throttle {
    int64_t lastMailAt = 0;
    int64_t heldBack = 0;
};

// An issue's count in a digest's period.
struct DigestIssue {
    IssueRow issue;
    int64_t countInPeriod = 0;
};
struct DigestData {
    int64_t start = 0, end = 0;
    int64_t reports = 0; // visible reports in the period
    std::vector<DigestIssue> newIssues, regressions, top;
};

class AlertStore {
public:
    explicit AlertStore(Database &db) : m_db(db) { }

    // Rules. A name is unique (InvalidInput when taken); remove: NotFound.
    // A new-release rule first notes the releases of the newest stored
    // reports (kSeedReports), so that a release already running is not "new".
    Result<int64_t> addRule(const AlertRule &rule);
    Result<void> removeRule(const QString &name);
    // The rule of `rule.id` takes rule's name, kind, scope, recipients, numbers
    // and enabled; its rate limits, held back count and digest periods stay
    // (Settings › Alerts › Edit). A taken name: InvalidInput; no such id: NotFound.
    Result<void> updateRule(const AlertRule &rule);
    Result<std::vector<AlertRule>> rules();
    Result<AlertRule> rule(const QString &name);
    Result<void> setLastDigestEnd(int64_t ruleId, int64_t end);

    // Runs `work` in one write transaction: committed when it succeeds.
    Result<void> transact(const std::function<Result<void>()> &work);
    // Runs `work` in a transaction that is rolled back: a dry run writes nothing.
    Result<void> rehearse(const std::function<Result<void>()> &work);

    // The report ids the writer committed since the last take (inclusive
    // ranges) and the newest pending row; dropPending(upTo) forgets them.
    struct Pending {
        int64_t upTo = 0;
        std::vector<std::pair<int64_t, int64_t>> ranges;
    };
    Result<Pending> pending();
    Result<void> dropPending(int64_t upTo);

    // The visible reports of `ranges` (or of [since, until) by time, for a dry
    // run, when ranges is empty) that `query` matches, by id. For a dry run
    // newIssue marks an issue's first stored report and regression a report
    // after the resolution of an issue that came back.
    Result<std::vector<AlertReport>> matching(const QString &query, int64_t now,
                                              const std::vector<std::pair<int64_t, int64_t>> &ranges);
    Result<std::vector<AlertReport>> matchingInTime(const QString &query, int64_t now, int64_t since, int64_t until);
    // The visible reports of an issue `query` matches with since <= time < until.
    Result<int64_t> countInWindow(const QString &query, int64_t now, int64_t issueId, int64_t since, int64_t until);

    // The rate limit of a rule for an issue (nullopt: never mailed).
    Result<std::optional<Throttle>> throttle(int64_t ruleId, int64_t issueId);
    // A mail was queued: held back starts again from zero.
    Result<void> markMailed(int64_t ruleId, int64_t issueId, int64_t at);
    Result<void> holdBack(int64_t ruleId, int64_t issueId, int64_t count);

    // The release a report names (its extra's "release"), empty for none.
    Result<QString> releaseOf(int64_t reportId);
    // Notes the release at this report unless it was seen before; true when
    // this report is the release's first (also when noted by this report before).
    Result<bool> firstOfRelease(const QString &release, int64_t reportId);
    static constexpr int kSeedReports = 5000;

    // The outbox.
    Result<int64_t> enqueue(const OutboxEntry &e);
    // Marks up to `limit` due entries as sending and returns them: queued ones
    // whose time has come, and ones a process that died left sending for more
    // than `staleMs`. One transaction: two senders never claim the same entry.
    Result<std::vector<OutboxEntry>> claimDue(int64_t now, int limit, int64_t staleMs);
    Result<void> markSent(int64_t id, int64_t sendLogId);
    // Back to queued for another attempt at `retryAt`, or gave up.
    Result<void> markFailed(int64_t id, const QString &error, int64_t sendLogId, std::optional<int64_t> retryAt);
    // Newest first; limit < 0: all.
    Result<std::vector<OutboxEntry>> outbox(int limit = 100);
    // The mails of one issue each a rule queued at or after `since` (summaries
    // and digests not counted): what ERRORDECK_ALERT_MAILS_PER_HOUR caps.
    Result<int64_t> mailsSince(int64_t ruleId, int64_t since);
    // A summary mail (an entry without an issue) and the issues it lists, each
    // with the report that fired, in order (table alert_folded).
    Result<void> fold(int64_t outboxId, const std::vector<std::pair<int64_t, int64_t>> &issueReports);
    Result<std::vector<std::pair<int64_t, int64_t>>> folded(int64_t outboxId);

    // What a digest of [start, end) tells: the issues first seen then, those
    // that came back after being resolved, the `top` most reported.
    Result<DigestData> digest(int64_t start, int64_t end, int top);

private:
    Result<void> seedReleases();
    Database &m_db;
};

} // namespace ed
