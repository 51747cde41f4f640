#include "store/ListQueries.h"

#include "store/sqlite/IssueViews.h"
#include "store/sqlite/Rollups.h"
#include "store/sqlite/Rows.h"
#include "store/sqlite/SearchSql.h"
#include "store/sqlite/Sqlite.h"

#include "store/ReportStore.h"

namespace ed {
namespace {

// " FROM issues i ..." with the issues that have a report matching `q` (its
// issue id and view ignored), as ReportStore::listIssues finds them: from the
// stored counters when the search is empty, else the per-issue counts or the reports.
struct MatchingIssues {
    QString from;
    std::vector<QVariant> binds;
    bool hasWhere = false;
};

// `byStatus`: a view's condition follows, which issues_status answers.
Result<MatchingIssues> matchingIssues(const SearchQuery &q, SqlDialect d, bool byStatus = false)
{
    MatchingIssues m;
    if (q.text.trimmed().isEmpty() && !q.since && !q.until) {
        m.from = QStringLiteral(" FROM issues i%1 WHERE %2")
                     .arg(byStatus ? sqldialect::indexedBy(d, QStringLiteral("issues_status")) : QString(),
                          q.includeHidden ? QStringLiteral("count + hidden_count > 0") : QStringLiteral("count > 0"));
        m.hasWhere = true;
        return m;
    }
    SearchQuery all = q;
    all.issueId.reset();
    all.view.reset();
    auto f = searchSql(all, d);
    if (!f)
        return f.failure();
    if (auto rows = rollupRows(all, d)) {
        m.from = QStringLiteral(" FROM issues i JOIN (SELECT issue_id AS iid FROM (%1) AS u GROUP BY 1 HAVING sum(n) > 0) m"
                                " ON m.iid = i.id")
                     .arg(rows->sql);
        m.binds = std::move(rows->binds);
        return m;
    }
    m.from = QStringLiteral(" FROM issues i JOIN (SELECT DISTINCT r.issue_id AS iid%1) m ON m.iid = i.id")
                 .arg(f->aggregateFromClause());
    m.binds = f->binds;
    return m;
}

} // namespace

Result<int64_t> ListQueries::countIssues(const SearchQuery &q)
{
    auto m = matchingIssues(q, dialectOf(connectionOf(m_db)), q.view && *q.view != IssueView::All);
    if (!m)
        return m.failure();
    QString sql = QStringLiteral("SELECT count(*)") + m->from;
    if (q.view && *q.view != IssueView::All)
        sql += (m->hasWhere ? QStringLiteral(" AND ") : QStringLiteral(" WHERE ")) + issueViewCondition(*q.view, queryNow(q));
    Statement st = connectionOf(m_db).prepare(sql.toStdString());
    if (!st.valid())
        return st.failure();
    bindVariants(st, m->binds);
    if (!st.step())
        return st.failure();
    return st.int64(0);
}

Result<std::array<int64_t, kIssueViewCount>> ListQueries::viewCounts(const SearchQuery &q)
{
    auto m = matchingIssues(q, dialectOf(connectionOf(m_db)));
    if (!m)
        return m.failure();
    QStringList sums;
    const int64_t now = queryNow(q);
    for (IssueView v : kAllIssueViews)
        sums << (v == IssueView::All
                     ? QStringLiteral("count(*)")
                     : QStringLiteral("coalesce(sum(CASE WHEN %1 THEN 1 ELSE 0 END), 0)").arg(issueViewCondition(v, now)));
    Statement st = connectionOf(m_db).prepare(
        (QStringLiteral("SELECT ") + sums.join(QStringLiteral(", ")) + m->from).toStdString());
    if (!st.valid())
        return st.failure();
    bindVariants(st, m->binds);
    if (!st.step())
        return st.failure();
    std::array<int64_t, kIssueViewCount> out{};
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = st.int64(int(i));
    return out;
}

Result<std::vector<std::pair<QString, int64_t>>> ListQueries::hiddenCounts()
{
    Statement st = connectionOf(m_db).prepare(
        "SELECT hidden_by, count(*) FROM reports WHERE hidden_by IS NOT NULL GROUP BY hidden_by ORDER BY 2 DESC, 1");
    if (!st.valid())
        return st.failure();
    std::vector<std::pair<QString, int64_t>> out;
    while (st.step())
        out.emplace_back(st.qtext(0), st.int64(1));
    if (!st.done())
        return st.failure();
    return out;
}

} // namespace ed
