#include "store/ListQueries.h"

#include "store/ReportStore.h"

#include <sqlite3.h>

namespace ed {

Result<int64_t> ListQueries::countIssues(const SearchQuery &q)
{
    const bool plain = q.text.trimmed().isEmpty() && !q.since && !q.until;
    if (plain)
        return m_db.conn().scalar(q.includeHidden ? "SELECT count(*) FROM issues WHERE count + hidden_count > 0"
                                                  : "SELECT count(*) FROM issues WHERE count > 0");
    SearchQuery all = q;
    all.issueId.reset();
    auto f = all.toSql();
    if (!f)
        return f.failure();
    QString sql = QStringLiteral("SELECT count(DISTINCT r.issue_id) FROM reports r");
    if (f->joinsIssues)
        sql += QStringLiteral(" JOIN issues i ON i.id = r.issue_id");
    if (!f->where.isEmpty())
        sql += QStringLiteral(" WHERE ") + f->where;
    Statement st = m_db.conn().prepare(sql.toStdString());
    if (!st.valid())
        return st.failure();
    bindVariants(st, f->binds);
    if (!st.step())
        return st.failure();
    return st.int64(0);
}

Result<std::optional<int64_t>> ListQueries::latestReportOfIssue(int64_t issueId)
{
    Statement st = m_db.conn().prepare("SELECT id FROM reports WHERE issue_id = ? ORDER BY timestamp DESC, id DESC LIMIT 1");
    if (!st.valid())
        return st.failure();
    st.bind(1, issueId);
    if (st.step())
        return std::optional<int64_t>(st.int64(0));
    if (st.errorCode() != SQLITE_DONE)
        return st.failure();
    return std::optional<int64_t>();
}

Result<int64_t> ListQueries::totalReports() { return m_db.conn().scalar("SELECT count(*) FROM reports"); }

Result<std::vector<std::pair<QString, int64_t>>> ListQueries::hiddenCounts()
{
    Statement st = m_db.conn().prepare(
        "SELECT hidden_by, count(*) FROM reports WHERE hidden_by IS NOT NULL GROUP BY hidden_by ORDER BY 2 DESC");
    if (!st.valid())
        return st.failure();
    std::vector<std::pair<QString, int64_t>> out;
    while (st.step())
        out.emplace_back(st.qtext(0), st.int64(1));
    if (st.errorCode() != SQLITE_DONE)
        return st.failure();
    return out;
}

} // namespace ed
