#include "store/SearchValues.h"

#include "base/Level.h"
#include "store/sqlite/Sqlite.h"

namespace ed {
namespace {

// The distinct values of an indexed column, by a skip scan: each step seeks
// the next value in the column's index (a handful of seeks per value, not a
// scan of every report; SQLite does not skip-scan DISTINCT by itself). The
// walk stops at a count of steps n, not a LIMIT (PostgreSQL has none in a
// recursive query).
Result<QStringList> distinctValues(Connection &c, const char *column, int limit)
{
    const QString sql = QStringLiteral("WITH RECURSIVE v(x, n) AS (SELECT min(%1), 1 FROM reports "
                                       "UNION ALL SELECT (SELECT min(%1) FROM reports WHERE %1 > v.x), n + 1 FROM v "
                                       "WHERE v.x IS NOT NULL AND n < ?) "
                                       "SELECT x FROM v WHERE x IS NOT NULL")
                            .arg(QLatin1String(column));
    Statement st = c.prepare(sql.toStdString());
    st.bind(1, limit + 1); // the row of the NULL that ends the walk
    QStringList out;
    while (st.step())
        out << st.qtext(0);
    if (!st.done())
        return st.failure();
    return out.mid(0, limit);
}

} // namespace

Result<QHash<QString, QStringList>> loadSearchValues(Database &db, int perField)
{
    Connection &c = connectionOf(db);
    QHash<QString, QStringList> out;
    for (const auto &[field, column] :
         {std::pair{"status", "status_code"}, std::pair{"logger", "logger"}, std::pair{"type", "exception_type"},
          std::pair{"path", "path"}, std::pair{"site", "site"}}) {
        auto values = distinctValues(c, column, perField);
        if (!values)
            return values.failure();
        out.insert(QLatin1String(field), *values);
    }
    // Levels: the names, whichever are stored (level:>=warning is as useful as level:warning).
    QStringList levels;
    for (int l : {level::Debug, level::Info, level::Warning, level::Error, level::Critical})
        levels << levelName(l).toLower();
    out.insert(QStringLiteral("level"), levels);
    out.insert(QStringLiteral("is"), {QStringLiteral("unresolved"), QStringLiteral("resolved"), QStringLiteral("ignored"),
                                      QStringLiteral("regression"), QStringLiteral("hidden")});
    return out;
}

} // namespace ed
