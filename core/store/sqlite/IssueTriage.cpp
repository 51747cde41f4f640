#include "store/IssueTriage.h"

#include "store/sqlite/SqlDialect.h"
#include "store/sqlite/Sqlite.h"

#include <QDateTime>
#include <QString>

namespace ed {
namespace {

int64_t nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

Error noIssue(int64_t id) { return Error{QStringLiteral("no issue #%1").arg(id), ErrorKind::NotFound}; }

// The issue `id` was merged into, or 0.
Result<int64_t> mergedInto(Connection &c, int64_t id)
{
    Statement st = c.prepare(
        "SELECT a.issue_id FROM issues o JOIN issue_aliases a ON a.fingerprint = o.fingerprint WHERE o.id = ?");
    st.bind(1, id);
    if (st.step())
        return st.int64(0);
    if (!st.done())
        return st.failure();
    return int64_t(0);
}

Result<bool> exists(Connection &c, int64_t id)
{
    Statement st = c.prepare("SELECT 1 FROM issues WHERE id = ?");
    st.bind(1, id);
    if (st.step())
        return true;
    if (!st.done())
        return st.failure();
    return false;
}

// For an action on issue `id`: NotFound when there is none, else the issue it
// was merged into (0: none), which each action answers in its own words.
Result<int64_t> mergeTargetOfExisting(Connection &c, int64_t id)
{
    auto found = exists(c, id);
    if (!found)
        return found.failure();
    if (!*found)
        return noIssue(id);
    return mergedInto(c, id);
}

// Runs `sql` (?1 the issue id, then `extra` as ?2, ?3, ...) for each issue in
// one transaction; an issue it changes nothing of fails as `unchanged` says.
template <typename Unchanged>
Result<void> updateEach(Database &db, const std::vector<int64_t> &ids, const char *sql, const std::vector<int64_t> &extra,
                        Unchanged unchanged)
{
    Connection &c = connectionOf(db);
    Transaction tx(c);
    if (!tx.active())
        return c.failure();
    Statement st = c.prepare(sql);
    if (!st.valid())
        return st.failure();
    for (int64_t id : ids) {
        st.reset();
        st.bind(1, id);
        for (size_t i = 0; i < extra.size(); ++i)
            st.bind(int(i) + 2, extra[i]);
        if (!st.exec())
            return st.failure();
        if (c.changes() == 0)
            return unchanged(c, id);
    }
    return tx.commit();
}

Result<void> missing(Connection &, int64_t id) { return noIssue(id); }

} // namespace

Result<void> IssueTriage::resolve(const std::vector<int64_t> &ids)
{
    return updateEach(m_db, ids,
                      "UPDATE issues SET status = 1, resolved_at = ?2, regression = 0, resolved_in = NULL,"
                      " ignore_until = NULL, ignore_until_count = NULL WHERE id = ?1",
                      {nowMs()}, missing);
}

Result<void> IssueTriage::resolveInNextRelease(const std::vector<int64_t> &ids)
{
    // The release of its newest report: a report of one first seen later reopens it.
    return updateEach(m_db, ids,
                      "UPDATE issues SET status = 1, resolved_at = ?2, regression = 0, resolved_in = last_release,"
                      " ignore_until = NULL, ignore_until_count = NULL WHERE id = ?1 AND last_release IS NOT NULL",
                      {nowMs()}, [](Connection &c, int64_t id) -> Result<void> {
                          auto found = exists(c, id);
                          if (!found)
                              return found.failure();
                          if (!*found)
                              return noIssue(id);
                          return Error{QStringLiteral("issue #%1: its reports carry no release (extra.release); resolve it"
                                                      " without the next release")
                                           .arg(id),
                                       ErrorKind::InvalidInput};
                      });
}

Result<void> IssueTriage::ignore(const std::vector<int64_t> &ids, const IgnoreUntil &until)
{
    // ?2 / ?3: -1 for no limit (NULL). ?2 is first met beside its column, so
    // PostgreSQL types it bigint (a time in ms: `?2 < 0` first made it integer).
    return updateEach(m_db, ids,
                      "UPDATE issues SET status = 2, resolved_at = NULL, regression = 0, resolved_in = NULL,"
                      " ignore_until = nullif(coalesce(?2, ignore_until), -1),"
                      " ignore_until_count = CASE WHEN ?3 < 0 THEN NULL ELSE count + ?3 END WHERE id = ?1",
                      {until.forMs ? nowMs() + *until.forMs : -1, until.moreReports ? *until.moreReports : -1}, missing);
}

Result<void> IssueTriage::unresolve(const std::vector<int64_t> &ids)
{
    return updateEach(m_db, ids,
                      "UPDATE issues SET status = 0, resolved_at = NULL, resolved_in = NULL, ignore_until = NULL,"
                      " ignore_until_count = NULL WHERE id = ?1",
                      {}, missing);
}

Result<void> IssueTriage::markReviewed(const std::vector<int64_t> &ids)
{
    return updateEach(m_db, ids, "UPDATE issues SET reviewed = 1 WHERE id = ?1", {}, missing);
}

Result<int64_t> IssueTriage::merge(int64_t into, const std::vector<int64_t> &others)
{
    Connection &c = connectionOf(m_db);
    Transaction tx(c);
    if (!tx.active())
        return c.failure();
    auto check = [&c](int64_t id) -> Result<void> {
        auto target = mergeTargetOfExisting(c, id);
        if (!target)
            return target.failure();
        if (*target)
            return Error{QStringLiteral("issue #%1 was merged into #%2 already").arg(id).arg(*target), ErrorKind::InvalidInput};
        return {};
    };
    if (auto r = check(into); !r)
        return r.failure();
    Statement redirect = c.prepare("UPDATE issue_aliases SET issue_id = ?1 WHERE issue_id = ?2");
    Statement alias = c.prepare(
        "INSERT INTO issue_aliases(fingerprint, issue_id) SELECT fingerprint, ?1 FROM issues WHERE id = ?2");
    // Each report remembers the issue it came from (the first, through merges of merges).
    Statement move = c.prepare(
        "UPDATE reports SET origin_issue = coalesce(origin_issue, issue_id), issue_id = ?1 WHERE issue_id = ?2");
    Statement add = c.prepare(
        "UPDATE issues SET count = issues.count + o.count, hidden_count = issues.hidden_count + o.hidden_count,"
        " first_seen = CASE WHEN o.first_seen < issues.first_seen THEN o.first_seen ELSE issues.first_seen END,"
        " last_seen = CASE WHEN o.last_seen > issues.last_seen THEN o.last_seen ELSE issues.last_seen END,"
        " level = CASE WHEN o.level > issues.level THEN o.level ELSE issues.level END,"
        " last_release = CASE WHEN o.last_seen > issues.last_seen THEN coalesce(o.last_release, issues.last_release)"
        " ELSE coalesce(issues.last_release, o.last_release) END"
        " FROM (SELECT * FROM issues WHERE id = ?2) o WHERE issues.id = ?1");
    Statement empty = c.prepare("UPDATE issues SET count = 0, hidden_count = 0 WHERE id = ?1");
    int64_t moved = 0;
    for (int64_t other : others) {
        if (other == into)
            continue;
        if (auto r = check(other); !r)
            return r.failure();
        redirect.reset();
        alias.reset();
        add.reset();
        empty.reset();
        move.reset();
        redirect.bind(1, into).bind(2, other);
        alias.bind(1, into).bind(2, other);
        add.bind(1, into).bind(2, other);
        move.bind(1, into).bind(2, other);
        empty.bind(1, other);
        if (!redirect.exec() || !alias.exec() || !add.exec())
            return c.failure();
        if (!move.exec())
            return move.failure();
        moved += c.changes();
        if (!empty.exec())
            return empty.failure();
    }
    if (auto r = tx.commit(); !r)
        return r.failure();
    return moved;
}

Result<int64_t> IssueTriage::split(int64_t merged)
{
    Connection &c = connectionOf(m_db);
    Transaction tx(c);
    if (!tx.active())
        return c.failure();
    auto found = exists(c, merged);
    if (!found)
        return found.failure();
    if (!*found)
        return noIssue(merged);
    // The issues merged into it (their rows kept their fingerprints and states).
    Statement origins = c.prepare(
        "SELECT o.id FROM issue_aliases a JOIN issues o ON o.fingerprint = a.fingerprint WHERE a.issue_id = ?");
    origins.bind(1, merged);
    std::vector<int64_t> ids{merged};
    while (origins.step())
        ids.push_back(origins.int64(0));
    if (!origins.done())
        return origins.failure();
    if (ids.size() == 1)
        return Error{QStringLiteral("nothing was merged into issue #%1").arg(merged), ErrorKind::InvalidInput};
    Statement back = c.prepare(
        "UPDATE reports SET issue_id = origin_issue, origin_issue = NULL WHERE issue_id = ? AND origin_issue IS NOT NULL");
    back.bind(1, merged);
    if (!back.exec())
        return back.failure();
    const int64_t moved = c.changes();
    Statement unalias = c.prepare("DELETE FROM issue_aliases WHERE issue_id = ?");
    unalias.bind(1, merged);
    if (!unalias.exec())
        return unalias.failure();
    // The counters of each from its reports (reports_issue: a range each).
    Statement recount = c.prepare(
        "UPDATE issues SET count = (SELECT count(*) FROM reports WHERE issue_id = ?1 AND hidden_by IS NULL),"
        " hidden_count = (SELECT count(*) FROM reports WHERE issue_id = ?1 AND hidden_by IS NOT NULL),"
        " first_seen = coalesce((SELECT min(timestamp) FROM reports WHERE issue_id = ?1), first_seen),"
        " last_seen = coalesce((SELECT max(timestamp) FROM reports WHERE issue_id = ?1), last_seen),"
        " level = coalesce((SELECT max(level) FROM reports WHERE issue_id = ?1), level) WHERE id = ?1");
    for (int64_t id : ids) {
        recount.reset();
        recount.bind(1, id);
        if (!recount.exec())
            return recount.failure();
    }
    if (auto r = tx.commit(); !r)
        return r.failure();
    return moved;
}

Result<int64_t> IssueTriage::deleteIssues(const std::vector<int64_t> &ids)
{
    Connection &c = connectionOf(m_db);
    Transaction tx(c);
    if (!tx.active())
        return c.failure();
    // The full-text rows first, while the reports say which; the reports'
    // delete trigger takes their counts off issue_hours and issue_days.
    Statement fts = c.prepare(sqldialect::ftsDeleteIssue(dialectOf(c)).toStdString());
    Statement reports = c.prepare("DELETE FROM reports WHERE issue_id = ?");
    Statement mergedIssues = c.prepare("DELETE FROM issues WHERE fingerprint IN"
                                       " (SELECT fingerprint FROM issue_aliases WHERE issue_id = ?)");
    Statement aliases = c.prepare("DELETE FROM issue_aliases WHERE issue_id = ?");
    Statement issue = c.prepare("DELETE FROM issues WHERE id = ?");
    int64_t deleted = 0;
    for (int64_t id : ids) {
        // Its reports are in the issue it went into, which a split gives them back from.
        auto target = mergeTargetOfExisting(c, id);
        if (!target)
            return target.failure();
        if (*target)
            return Error{QStringLiteral("issue #%1 was merged into #%2: delete that one, or split it first").arg(id).arg(*target),
                         ErrorKind::InvalidInput};
        for (Statement *st : {&fts, &reports, &mergedIssues, &aliases, &issue}) {
            st->reset();
            st->bind(1, id);
            if (!st->exec())
                return st->failure();
            if (st == &reports)
                deleted += c.changes();
        }
    }
    if (auto r = tx.commit(); !r)
        return r.failure();
    return deleted;
}

} // namespace ed
