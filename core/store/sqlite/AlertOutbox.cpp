// The outbox of alert mails and the digest's numbers (store/AlertStore.h).
#include "store/AlertStore.h"

#include "store/sqlite/AlertRows.h"
#include "store/sqlite/SqlDialect.h"

namespace ed {
namespace {

using namespace alertrows;

constexpr const char *kOutboxColumns = "id, coalesce(rule_id, 0), rule_name, kind, recipients, coalesce(issue_id, 0),"
                                       " coalesce(report_id, 0), reason, held_back, coalesce(period_start, 0),"
                                       " coalesce(period_end, 0), state, attempts, next_attempt_at, created_at,"
                                       " coalesce(last_error, ''), coalesce(send_log_id, 0)";

OutboxEntry outboxFrom(const Statement &st)
{
    OutboxEntry e;
    e.id = st.int64(0);
    e.ruleId = st.int64(1);
    e.ruleName = st.qtext(2);
    e.kind = alertKindFromName(st.qtext(3)).value_or(AlertKind::NewIssue);
    e.recipients = listFromJson(st.text(4));
    e.issueId = st.int64(5);
    e.reportId = st.int64(6);
    e.reason = st.qtext(7);
    e.heldBack = st.int64(8);
    e.periodStart = st.int64(9);
    e.periodEnd = st.int64(10);
    e.state = OutboxState(st.int64(11));
    e.attempts = int(st.int64(12));
    e.nextAttemptAt = st.int64(13);
    e.createdAt = st.int64(14);
    e.lastError = st.qtext(15);
    e.sendLogId = st.int64(16);
    return e;
}

} // namespace

Result<int64_t> AlertStore::enqueue(const OutboxEntry &e)
{
    Connection &c = connectionOf(m_db);
    Statement st = c.prepare("INSERT INTO alert_outbox(rule_id, rule_name, kind, recipients, issue_id, report_id, reason,"
                             " held_back, period_start, period_end, state, attempts, next_attempt_at, created_at)"
                             " VALUES(?,?,?,?,?,?,?,?,?,?,0,0,?,?) RETURNING id");
    st.bind(1, e.ruleId).bind(2, e.ruleName).bind(3, alertKindName(e.kind)).bind(4, jsonList(e.recipients));
    bindIdOrNull(st, 5, e.issueId);
    bindIdOrNull(st, 6, e.reportId);
    st.bind(7, e.reason).bind(8, e.heldBack);
    bindIdOrNull(st, 9, e.periodStart);
    bindIdOrNull(st, 10, e.periodEnd);
    st.bind(11, e.nextAttemptAt).bind(12, e.createdAt);
    return insertedId(st);
}

Result<std::vector<OutboxEntry>> AlertStore::claimDue(int64_t now, int limit, int64_t staleMs)
{
    std::vector<OutboxEntry> out;
    // Without the write lock when nothing is due (most rounds).
    Statement any = connectionOf(m_db).prepare("SELECT EXISTS (SELECT 1 FROM alert_outbox WHERE (state = 0 AND"
                                               " next_attempt_at <= ?1) OR (state = 1 AND claimed_at <= ?2))");
    any.bind(1, now).bind(2, now - staleMs);
    if (!any.step())
        return any.failure();
    const bool anyDue = any.int64(0) != 0;
    any.reset(); // its read ends before the write transaction begins
    if (!anyDue)
        return out;
    auto claimed = transact([&]() -> Result<void> {
        Statement st = connectionOf(m_db).prepare(
            std::string("SELECT ") + kOutboxColumns +
            " FROM alert_outbox WHERE (state = 0 AND next_attempt_at <= ?1) OR (state = 1 AND claimed_at <= ?2)"
            " ORDER BY id LIMIT ?3" +
            sqldialect::claimingRows(dialectOf(connectionOf(m_db))));
        st.bind(1, now).bind(2, now - staleMs).bind(3, limit);
        while (st.step())
            out.push_back(outboxFrom(st));
        if (!st.done())
            return st.failure();
        Statement up = connectionOf(m_db).prepare("UPDATE alert_outbox SET state = 1, claimed_at = ? WHERE id = ?");
        for (OutboxEntry &e : out) {
            up.bind(1, now).bind(2, e.id);
            if (auto r = run(up); !r)
                return r;
            up.reset();
            e.state = OutboxState::Sending;
        }
        return {};
    });
    if (!claimed)
        return claimed.failure();
    return out;
}

Result<void> AlertStore::markSent(int64_t id, int64_t sendLogId)
{
    Statement st = connectionOf(m_db).prepare(
        "UPDATE alert_outbox SET state = 2, attempts = attempts + 1, send_log_id = ?2, last_error = NULL WHERE id = ?1");
    st.bind(1, id).bind(2, sendLogId);
    return run(st);
}

Result<void> AlertStore::markFailed(int64_t id, const QString &error, int64_t sendLogId, std::optional<int64_t> retryAt)
{
    Statement st = connectionOf(m_db).prepare(
        "UPDATE alert_outbox SET state = ?2, attempts = attempts + 1, last_error = ?3,"
        " send_log_id = coalesce(?4, send_log_id), next_attempt_at = coalesce(?5, next_attempt_at) WHERE id = ?1");
    st.bind(1, id).bind(2, retryAt ? 0 : 3).bind(3, error);
    bindIdOrNull(st, 4, sendLogId);
    if (retryAt)
        st.bind(5, *retryAt);
    else
        st.bindNull(5);
    return run(st);
}

Result<std::vector<OutboxEntry>> AlertStore::outbox(int limit)
{
    Statement st = connectionOf(m_db).prepare(std::string("SELECT ") + kOutboxColumns +
                                              " FROM alert_outbox ORDER BY id DESC LIMIT ?");
    st.bind(1, sqlLimit(limit));
    std::vector<OutboxEntry> out;
    while (st.step())
        out.push_back(outboxFrom(st));
    if (!st.done())
        return st.failure();
    return out;
}

Result<int64_t> AlertStore::mailsSince(int64_t ruleId, int64_t since)
{
    Statement st = connectionOf(m_db).prepare(
        "SELECT count(*) FROM alert_outbox WHERE rule_id = ?1 AND created_at >= ?2 AND issue_id IS NOT NULL");
    st.bind(1, ruleId).bind(2, since);
    if (!st.step())
        return st.failure();
    return st.int64(0);
}

Result<void> AlertStore::fold(int64_t outboxId, const std::vector<std::pair<int64_t, int64_t>> &issueReports)
{
    Statement st = connectionOf(m_db).prepare(
        "INSERT INTO alert_folded(outbox_id, position, issue_id, report_id) VALUES(?,?,?,?) "
        "ON CONFLICT(outbox_id, position) DO NOTHING");
    int64_t position = 0;
    for (const auto &[issue, report] : issueReports) {
        st.bind(1, outboxId).bind(2, ++position).bind(3, issue).bind(4, report);
        if (auto r = run(st); !r)
            return r;
        st.reset();
    }
    return {};
}

Result<std::vector<std::pair<int64_t, int64_t>>> AlertStore::folded(int64_t outboxId)
{
    Statement st = connectionOf(m_db).prepare(
        "SELECT issue_id, report_id FROM alert_folded WHERE outbox_id = ? ORDER BY position");
    st.bind(1, outboxId);
    std::vector<std::pair<int64_t, int64_t>> out;
    while (st.step())
        out.emplace_back(st.int64(0), st.int64(1));
    if (!st.done())
        return st.failure();
    return out;
}

Result<DigestData> AlertStore::digest(int64_t start, int64_t end, int top)
{
    DigestData d;
    d.start = start;
    d.end = end;
    Connection &c = connectionOf(m_db);
    Statement total = c.prepare("SELECT count(*) FROM reports WHERE hidden_by IS NULL AND timestamp >= ? AND timestamp < ?");
    total.bind(1, start).bind(2, end);
    if (!total.step())
        return total.failure();
    d.reports = total.int64(0);
    // Each list: issues with their visible reports in the period, by that count.
    const char *lists[] = {
        "i.first_seen >= ?1 AND i.first_seen < ?2", // new
        "i.regression = 1 AND i.status = 0", // came back, and seen in the period
        "TRUE", // top (PostgreSQL wants a boolean)
    };
    std::vector<DigestIssue> *into[] = {&d.newIssues, &d.regressions, &d.top};
    for (size_t k = 0; k < 3; ++k) {
        Statement st = c.prepare(
            std::string("SELECT i.id, i.title, i.culprit, i.level, i.logger, i.exception_type, i.first_seen, i.last_seen,"
                        " i.count, i.hidden_count, i.status, i.regression, n FROM issues i JOIN"
                        " (SELECT issue_id, count(*) AS n FROM reports WHERE hidden_by IS NULL AND timestamp >= ?1"
                        " AND timestamp < ?2 GROUP BY issue_id) r ON r.issue_id = i.id WHERE ") +
            lists[k] + " ORDER BY n DESC, i.id LIMIT ?3");
        st.bind(1, start).bind(2, end).bind(3, top);
        while (st.step()) {
            DigestIssue di;
            di.issue.id = st.int64(0);
            di.issue.title = st.qtext(1);
            di.issue.culprit = st.qtext(2);
            di.issue.level = int(st.int64(3));
            di.issue.logger = st.qtext(4);
            di.issue.exceptionType = st.qtext(5);
            di.issue.firstSeen = st.int64(6);
            di.issue.lastSeen = st.int64(7);
            di.issue.count = st.int64(8);
            di.issue.hiddenCount = st.int64(9);
            di.issue.status = IssueStatus(st.int64(10));
            di.issue.regression = st.int64(11) != 0;
            di.countInPeriod = st.int64(12);
            into[k]->push_back(std::move(di));
        }
        if (!st.done())
            return st.failure();
    }
    return d;
}

} // namespace ed
