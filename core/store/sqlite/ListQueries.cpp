#include "store/ListQueries.h"

#include "store/sqlite/Rollups.h"
#include "store/sqlite/Rows.h"
#include "store/sqlite/SearchSql.h"
#include "store/sqlite/Sqlite.h"

#include "store/ReportStore.h"

namespace ed {

Result<int64_t> ListQueries::countIssues(const SearchQuery &q)
{
    const bool plain = q.text.trimmed().isEmpty() && !q.since && !q.until;
    if (plain)
        return connectionOf(m_db).scalar(q.includeHidden ? "SELECT count(*) FROM issues WHERE count + hidden_count > 0"
                                                         : "SELECT count(*) FROM issues WHERE count > 0");
    SearchQuery all = q;
    all.issueId.reset();
    auto f = searchSql(all);
    if (!f)
        return f.failure();
    if (auto rows = rollupRows(all)) {
        Statement st = connectionOf(m_db).prepare(
            QStringLiteral("SELECT count(*) FROM (SELECT issue_id FROM (%1) GROUP BY 1 HAVING sum(n) > 0)")
                .arg(rows->sql)
                .toStdString());
        if (!st.valid())
            return st.failure();
        bindVariants(st, rows->binds);
        if (!st.step())
            return st.failure();
        return st.int64(0);
    }
    const QString sql = QStringLiteral("SELECT count(DISTINCT r.issue_id)") + f->aggregateFromClause();
    Statement st = connectionOf(m_db).prepare(sql.toStdString());
    if (!st.valid())
        return st.failure();
    bindVariants(st, f->binds);
    if (!st.step())
        return st.failure();
    return st.int64(0);
}

Result<std::vector<std::pair<QString, int64_t>>> ListQueries::hiddenCounts()
{
    Statement st = connectionOf(m_db).prepare(
        "SELECT hidden_by, count(*) FROM reports WHERE hidden_by IS NOT NULL GROUP BY hidden_by ORDER BY 2 DESC");
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
