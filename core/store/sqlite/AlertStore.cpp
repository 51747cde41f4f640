#include "store/AlertStore.h"

#include "base/Hash.h"
#include "store/sqlite/AlertRows.h"
#include "store/sqlite/Rows.h"
#include "store/sqlite/SearchSql.h"
#include "store/sqlite/SqlDialect.h"
#include "store/sqlite/Sqlite.h"

namespace ed {
namespace {

using namespace alertrows;

constexpr const char *kRuleColumns = "id, name, kind, query, recipients, threshold, window_minutes, rate_limit_minutes,"
                                     " enabled, created_at, held_back, coalesce(last_digest_end, 0)";

AlertRule ruleFrom(const Statement &st)
{
    AlertRule r;
    r.id = st.int64(0);
    r.name = st.qtext(1);
    r.kind = alertKindFromName(st.qtext(2)).value_or(AlertKind::NewIssue);
    r.query = st.qtext(3);
    r.recipients = listFromJson(st.text(4));
    r.threshold = int(st.int64(5));
    r.windowMinutes = int(st.int64(6));
    r.rateLimitMinutes = int(st.int64(7));
    r.enabled = st.int64(8) != 0;
    r.createdAt = st.int64(9);
    r.heldBack = st.int64(10);
    r.lastDigestEnd = st.int64(11);
    return r;
}

// The scope's filter over `reports r` with `extra` (its binds after the
// filter's) added: the search's own where is wrapped, so its ORs stay inside.
Result<SqlFilter> scoped(const Connection &c, const QString &query, int64_t now, const QString &extra,
                         const std::vector<QVariant> &binds)
{
    SearchQuery q;
    q.text = query;
    q.now = now;
    auto f = searchSql(q, dialectOf(c));
    if (!f)
        return Error{QStringLiteral("the alert's search '%1': %2").arg(query, f.error()), f.failure().kind};
    f->where = f->where.isEmpty() ? extra : QStringLiteral("(%1) AND %2").arg(f->where, extra);
    f->binds.insert(f->binds.end(), binds.begin(), binds.end());
    return f;
}

} // namespace

QString alertKindName(AlertKind k)
{
    switch (k) {
    case AlertKind::NewIssue: return QStringLiteral("new-issue");
    case AlertKind::Regression: return QStringLiteral("regression");
    case AlertKind::Spike: return QStringLiteral("spike");
    case AlertKind::Level: return QStringLiteral("level");
    case AlertKind::NewRelease: return QStringLiteral("new-release");
    case AlertKind::Digest: return QStringLiteral("digest");
    }
    return {};
}

std::optional<AlertKind> alertKindFromName(const QString &name)
{
    for (AlertKind k : {AlertKind::NewIssue, AlertKind::Regression, AlertKind::Spike, AlertKind::Level, AlertKind::NewRelease,
                        AlertKind::Digest})
        if (alertKindName(k) == name)
            return k;
    return std::nullopt;
}

QString outboxStateName(OutboxState s)
{
    switch (s) {
    case OutboxState::Queued: return QStringLiteral("queued");
    case OutboxState::Sending: return QStringLiteral("sending");
    case OutboxState::Sent: return QStringLiteral("sent");
    case OutboxState::GaveUp: return QStringLiteral("gave up");
    }
    return {};
}

namespace {

// The columns addRule and updateRule both write, as ?1 .. ?8 in this order:
// name, kind, query, recipients, threshold, window_minutes, rate_limit_minutes, enabled.
void bindRuleColumns(Statement &st, const AlertRule &r)
{
    st.bind(1, r.name).bind(2, alertKindName(r.kind)).bind(3, r.query).bind(4, jsonList(r.recipients));
    st.bind(5, r.threshold).bind(6, r.windowMinutes).bind(7, r.rateLimitMinutes).bind(8, r.enabled ? 1 : 0);
}

// A rule's INSERT or UPDATE that failed: a name another rule has is the user's error.
Error ruleWriteFailure(Connection &c, const Statement &st, const AlertRule &r)
{
    if (c.lastErrorCode() == 19) // SQLITE_CONSTRAINT: the name is taken
        return Error{QStringLiteral("an alert named '%1' exists already").arg(r.name), ErrorKind::InvalidInput};
    return st.failure();
}

// Runs the UPDATE of a rule.
Result<void> writeRule(Connection &c, Statement &st, const AlertRule &r)
{
    if (st.valid() && st.exec())
        return {};
    return ruleWriteFailure(c, st, r);
}

} // namespace

Result<int64_t> AlertStore::addRule(const AlertRule &r)
{
    Connection &c = connectionOf(m_db);
    Statement st = c.prepare("INSERT INTO alert_rules(name, kind, query, recipients, threshold, window_minutes,"
                             " rate_limit_minutes, enabled, created_at) VALUES(?,?,?,?,?,?,?,?,?) RETURNING id");
    bindRuleColumns(st, r); // ?1 .. ?8
    st.bind(9, r.createdAt);
    auto inserted = insertedId(st);
    if (!inserted)
        return st.valid() ? ruleWriteFailure(c, st, r) : inserted.failure();
    const int64_t id = *inserted;
    if (r.kind == AlertKind::NewRelease)
        if (auto seeded = seedReleases(); !seeded)
            return seeded.failure();
    return id;
}

Result<void> AlertStore::seedReleases()
{
    Statement st = connectionOf(m_db).prepare("SELECT id FROM reports WHERE hidden_by IS NULL ORDER BY id DESC LIMIT ?");
    st.bind(1, kSeedReports);
    std::vector<int64_t> ids;
    while (st.step())
        ids.push_back(st.int64(0));
    if (!st.done())
        return st.failure();
    for (auto it = ids.rbegin(); it != ids.rend(); ++it) { // oldest first: each release's earliest of them
        auto release = releaseOf(*it);
        if (!release)
            return release.failure();
        if (!release->isEmpty())
            if (auto noted = firstOfRelease(*release, *it); !noted)
                return noted.failure();
    }
    return {};
}

Result<QString> AlertStore::releaseOf(int64_t reportId)
{
    auto d = ReportStore(m_db).loadReport(reportId);
    if (!d)
        return d.failure();
    return entryText(d->report.extra, u"release");
}

Result<bool> AlertStore::firstOfRelease(const QString &release, int64_t reportId)
{
    Connection &c = connectionOf(m_db);
    const QByteArray name = release.toUtf8();
    const Hash128 h = hash128(std::string_view(name.constData(), size_t(name.size())));
    const std::string_view key(reinterpret_cast<const char *>(h.data()), 16);
    Statement ins = c.prepare(
        "INSERT INTO alert_releases(release_hash, first_report) VALUES(?, ?) ON CONFLICT(release_hash) DO NOTHING");
    ins.bindBlob(1, key).bind(2, reportId);
    if (auto r = run(ins); !r)
        return r.failure();
    Statement st = c.prepare("SELECT first_report FROM alert_releases WHERE release_hash = ?");
    st.bindBlob(1, key);
    if (!st.step())
        return st.failure();
    return st.int64(0) == reportId;
}

Result<void> AlertStore::removeRule(const QString &name)
{
    Connection &c = connectionOf(m_db);
    Statement st = c.prepare("DELETE FROM alert_rules WHERE name = ?");
    st.bind(1, name);
    if (auto r = run(st); !r)
        return r;
    if (c.changes() == 0)
        return Error{QStringLiteral("no alert named '%1'").arg(name), ErrorKind::NotFound};
    return {};
}

Result<void> AlertStore::updateRule(const AlertRule &r)
{
    Connection &c = connectionOf(m_db);
    Statement st = c.prepare("UPDATE alert_rules SET name = ?, kind = ?, query = ?, recipients = ?, threshold = ?,"
                             " window_minutes = ?, rate_limit_minutes = ?, enabled = ? WHERE id = ?");
    bindRuleColumns(st, r); // ?1 .. ?8
    st.bind(9, r.id);
    if (auto written = writeRule(c, st, r); !written)
        return written.failure();
    if (c.changes() == 0)
        return Error{QStringLiteral("no alert #%1").arg(r.id), ErrorKind::NotFound};
    return {};
}

Result<std::vector<AlertRule>> AlertStore::rules()
{
    Statement st = connectionOf(m_db).prepare(std::string("SELECT ") + kRuleColumns + " FROM alert_rules ORDER BY id");
    std::vector<AlertRule> out;
    while (st.step())
        out.push_back(ruleFrom(st));
    if (!st.done())
        return st.failure();
    return out;
}

Result<AlertRule> AlertStore::rule(const QString &name)
{
    Statement st = connectionOf(m_db).prepare(std::string("SELECT ") + kRuleColumns + " FROM alert_rules WHERE name = ?");
    st.bind(1, name);
    if (auto row = st.stepToRow(QStringLiteral("no alert named '%1'").arg(name)); !row)
        return row.failure();
    return ruleFrom(st);
}

Result<void> AlertStore::setLastDigestEnd(int64_t ruleId, int64_t end)
{
    Statement st = connectionOf(m_db).prepare("UPDATE alert_rules SET last_digest_end = ? WHERE id = ?");
    st.bind(1, end).bind(2, ruleId);
    return run(st);
}

Result<void> AlertStore::transact(const std::function<Result<void>()> &work)
{
    Connection &c = connectionOf(m_db);
    Transaction tx(c);
    if (!tx.active())
        return Error{QStringLiteral("cannot start writing to %1: %2").arg(m_db.path(), c.lastError()), c.failure().kind};
    if (auto r = work(); !r)
        return r; // rolled back by tx
    return tx.commit();
}

Result<void> AlertStore::rehearse(const std::function<Result<void>()> &work)
{
    Connection &c = connectionOf(m_db);
    Transaction tx(c, false);
    if (!tx.active())
        return Error{QStringLiteral("cannot read %1: %2").arg(m_db.path(), c.lastError()), c.failure().kind};
    return work(); // rolled back by tx
}

Result<AlertStore::Pending> AlertStore::pending()
{
    Statement st = connectionOf(m_db).prepare("SELECT id, first_report, last_report FROM alert_pending ORDER BY id");
    Pending p;
    while (st.step()) {
        p.upTo = st.int64(0);
        p.ranges.emplace_back(st.int64(1), st.int64(2));
    }
    if (!st.done())
        return st.failure();
    return p;
}

Result<void> AlertStore::dropPending(int64_t upTo)
{
    Connection &c = connectionOf(m_db);
    // The events of the ranges go with them (a report id outside every
    // remaining range is no longer anyone's business).
    Statement ev = c.prepare("DELETE FROM alert_events WHERE NOT EXISTS (SELECT 1 FROM alert_pending p WHERE p.id > ?1"
                             " AND report_id BETWEEN p.first_report AND p.last_report)");
    ev.bind(1, upTo);
    if (auto r = run(ev); !r)
        return r;
    Statement st = c.prepare("DELETE FROM alert_pending WHERE id <= ?");
    st.bind(1, upTo);
    return run(st);
}

Result<std::vector<AlertReport>> AlertStore::matching(const QString &query, int64_t now,
                                                      const std::vector<std::pair<int64_t, int64_t>> &ranges)
{
    std::vector<AlertReport> out;
    for (const auto &[first, last] : ranges) {
        auto f = scoped(connectionOf(m_db), query, now, QStringLiteral("r.id BETWEEN ? AND ?"),
                        {QVariant(qlonglong(first)), QVariant(qlonglong(last))});
        if (!f)
            return f.failure();
        Statement st = connectionOf(m_db).prepare(
            QStringLiteral("SELECT r.id, r.issue_id, r.timestamp, r.level, coalesce(e.new_issue, 0), coalesce(e.regression, 0)"
                           " FROM (SELECT r.id AS id%1) m JOIN reports r ON r.id = m.id"
                           " LEFT JOIN alert_events e ON e.report_id = r.id ORDER BY r.id")
                .arg(f->fromClause())
                .toStdString());
        bindVariants(st, f->binds);
        while (st.step())
            out.push_back({st.int64(0), st.int64(1), st.int64(2), int(st.int64(3)), st.int64(4) != 0, st.int64(5) != 0});
        if (!st.done())
            return st.failure();
    }
    return out;
}

Result<std::vector<AlertReport>> AlertStore::matchingInTime(const QString &query, int64_t now, int64_t since, int64_t until)
{
    auto f = scoped(connectionOf(m_db), query, now, QStringLiteral("r.timestamp >= ? AND r.timestamp < ?"),
                    {QVariant(qlonglong(since)), QVariant(qlonglong(until))});
    if (!f)
        return f.failure();
    // Without the writer's events: an issue's first report is its new-issue
    // report, and a report after the resolution of an issue that came back
    // (regression set, resolved_at kept) its regression.
    Statement st = connectionOf(m_db).prepare(
        QStringLiteral("SELECT r.id, r.issue_id, r.timestamp, r.level,"
                       " r.id = (SELECT min(x.id) FROM reports x WHERE x.issue_id = r.issue_id AND x.hidden_by IS NULL),"
                       " i.regression <> 0 AND i.resolved_at IS NOT NULL AND r.timestamp > i.resolved_at"
                       " FROM (SELECT r.id AS id%1) m JOIN reports r ON r.id = m.id JOIN issues i ON i.id = r.issue_id"
                       " ORDER BY r.timestamp, r.id")
            .arg(f->fromClause())
            .toStdString());
    bindVariants(st, f->binds);
    std::vector<AlertReport> out;
    while (st.step())
        out.push_back({st.int64(0), st.int64(1), st.int64(2), int(st.int64(3)), st.int64(4) != 0, st.int64(5) != 0});
    if (!st.done())
        return st.failure();
    return out;
}

Result<int64_t> AlertStore::countInWindow(const QString &query, int64_t now, int64_t issueId, int64_t since, int64_t until)
{
    auto f = scoped(connectionOf(m_db), query, now, QStringLiteral("r.issue_id = ? AND r.timestamp >= ? AND r.timestamp < ?"),
                    {QVariant(qlonglong(issueId)), QVariant(qlonglong(since)), QVariant(qlonglong(until))});
    if (!f)
        return f.failure();
    Statement st = connectionOf(m_db).prepare((QStringLiteral("SELECT count(*)") + f->fromClause()).toStdString());
    bindVariants(st, f->binds);
    if (!st.step())
        return st.failure();
    return st.int64(0);
}

Result<std::optional<Throttle>> AlertStore::throttle(int64_t ruleId, int64_t issueId)
{
    Statement st = connectionOf(m_db).prepare(
        "SELECT last_mail_at, held_back FROM alert_throttle WHERE rule_id = ? AND issue_id = ?");
    st.bind(1, ruleId).bind(2, issueId);
    if (st.step())
        return std::optional<Throttle>(Throttle{st.int64(0), st.int64(1)});
    if (!st.done())
        return st.failure();
    return std::optional<Throttle>();
}

Result<void> AlertStore::markMailed(int64_t ruleId, int64_t issueId, int64_t at)
{
    Statement st = connectionOf(m_db).prepare(
        "INSERT INTO alert_throttle(rule_id, issue_id, last_mail_at, held_back) VALUES(?1, ?2, ?3, 0)"
        " ON CONFLICT(rule_id, issue_id) DO UPDATE SET last_mail_at = excluded.last_mail_at, held_back = 0");
    st.bind(1, ruleId).bind(2, issueId).bind(3, at);
    return run(st);
}

Result<void> AlertStore::holdBack(int64_t ruleId, int64_t issueId, int64_t count)
{
    Statement st = connectionOf(m_db).prepare(
        "UPDATE alert_throttle SET held_back = held_back + ?3 WHERE rule_id = ?1 AND issue_id = ?2");
    st.bind(1, ruleId).bind(2, issueId).bind(3, count);
    if (auto r = run(st); !r)
        return r;
    Statement total = connectionOf(m_db).prepare("UPDATE alert_rules SET held_back = held_back + ?2 WHERE id = ?1");
    total.bind(1, ruleId).bind(2, count);
    return run(total);
}

} // namespace ed
