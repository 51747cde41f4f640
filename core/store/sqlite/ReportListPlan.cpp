#include "store/sqlite/ReportListPlan.h"

#include "store/sqlite/Rows.h"

#include <algorithm>

namespace ed {

double issueShare(Connection &c, const QString &issueWhere)
{
    Statement st = c.prepare(QStringLiteral("SELECT coalesce(sum(CASE WHEN %1 THEN i.count + i.hidden_count END), 0),"
                                            " coalesce(sum(i.count + i.hidden_count), 0) FROM issues i")
                                 .arg(issueWhere)
                                 .toStdString());
    if (!st.step() || st.int64(1) == 0)
        return 0;
    return double(st.int64(0)) / double(st.int64(1));
}

std::optional<QStringList> prefixTerms(Connection &c, const QString &word)
{
    constexpr int kMaxTerms = 16; // more: an OR of many terms is no faster than the prefix
    // A view of the index's terms (fts5vocab) in the temp schema: no schema change.
    if (!c.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.reports_fts_terms USING fts5vocab(main, reports_fts, row)"))
        return std::nullopt;
    QString next = word;
    next.back() = QChar(next.back().unicode() + 1);
    // The word itself is taken as a term without asking (a missing term matches
    // nothing): the vocabulary counts each term's documents as it passes it,
    // and a common word's count is most of the cost. The terms after it start
    // at word + U+0001, the next possible token (a control character is never
    // in one).
    Statement st = c.prepare("SELECT term FROM temp.reports_fts_terms WHERE term >= ? AND term < ? LIMIT ?");
    st.bind(1, word + QChar(1)).bind(2, next).bind(3, kMaxTerms);
    QStringList terms{word};
    while (st.step())
        terms << st.qtext(0);
    if (!st.done() || terms.size() > kMaxTerms)
        return std::nullopt;
    return terms;
}

bool hasPathPrefix(const SearchQuery &q)
{
    auto parsed = q.parse();
    return parsed && std::any_of(parsed->terms.begin(), parsed->terms.end(),
                                 [](const SearchTerm &t) { return t.kind == SearchTerm::Kind::Path && !t.negated; });
}

Result<bool> pathIsBroad(Connection &c, const SqlFilter &f)
{
    constexpr int kBroad = 5'000; // about 100 rows in the newest 2% of a million
    Statement st = c.prepare(
        QStringLiteral("SELECT count(*) FROM (SELECT 1%1 LIMIT %2) AS capped").arg(f.fromClause()).arg(kBroad).toStdString());
    if (!st.valid())
        return st.failure();
    bindVariants(st, f.binds);
    if (!st.step())
        return st.failure();
    return st.int64(0) >= kBroad;
}

void prependCondition(SqlFilter &f, const QString &cond, const std::vector<QVariant> &binds)
{
    f.where = f.where.isEmpty() ? cond : cond + QStringLiteral(" AND ") + f.where;
    f.binds.insert(f.binds.begin(), binds.begin(), binds.end());
}

Result<std::optional<NewestWindow>> newestWindow(Connection &c, const SearchQuery &q, const SqlFilter &f,
                                                 const QString &afterCond, const std::vector<QVariant> &afterBinds)
{
    // 100 rows of a word in 0.5% of the reports or more lie in it.
    constexpr int64_t kWindow = 20'000;
    QStringList conds;
    std::vector<QVariant> binds;
    if (f.visibleOnly)
        conds << QStringLiteral("r.hidden_by IS NULL");
    if (q.since) {
        conds << QStringLiteral("r.timestamp >= ?");
        binds.push_back(qint64(*q.since));
    }
    if (q.until) {
        conds << QStringLiteral("r.timestamp < ?");
        binds.push_back(qint64(*q.until));
    }
    if (!afterCond.isEmpty()) {
        conds << afterCond;
        binds.insert(binds.end(), afterBinds.begin(), afterBinds.end());
    }
    Statement w = c.prepare(
        QStringLiteral("SELECT min(t), min(id), count(*) FROM (SELECT r.timestamp AS t, r.id AS id"
                       " FROM reports r%1%2 ORDER BY r.timestamp DESC, r.id DESC LIMIT %3) AS newest")
            .arg(sqldialect::indexedBy(f.dialect, f.timeIndex()),
                 conds.isEmpty() ? QString() : QStringLiteral(" WHERE ") + conds.join(QStringLiteral(" AND ")))
            .arg(kWindow)
            .toStdString());
    if (!w.valid())
        return w.failure();
    bindVariants(w, binds);
    if (!w.step())
        return w.failure();
    if (w.isNull(0))
        return std::optional<NewestWindow>();
    NewestWindow out{f, w.int64(2) < kWindow};
    out.bounded.boundFtsRowids(w.int64(1));
    prependCondition(out.bounded, QStringLiteral("r.timestamp >= ?"), {qint64(w.int64(0))});
    out.bounded.indexedBy = f.timeIndex();
    return std::optional<NewestWindow>(std::move(out));
}

} // namespace ed
