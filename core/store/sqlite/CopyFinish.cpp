#include "store/sqlite/CopyFinish.h"

#include "store/sqlite/SqlDialect.h"
#include "store/sqlite/Sqlite.h"

#include <algorithm>

namespace ed {

namespace {

// The highest id the source's engine has handed out for an id it picks (an
// AUTOINCREMENT's sqlite_sequence, an identity's sequence): alert_rules
// promises never to reuse an id, even one whose rule was removed.
int64_t sourceHighWater(Connection &src, const std::string &table, const std::string &column)
{
    Statement st;
    if (src.engine() == Engine::Postgres) {
        st = src.prepare("SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence(?, ?)::regclass), 0)");
        st.bind(1, std::string_view(table)).bind(2, std::string_view(column));
    } else {
        st = src.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?");
        st.bind(1, std::string_view(table));
    }
    return st.step() ? st.int64(0) : 0; // no sequence (or no sqlite_sequence yet): nothing handed out
}

} // namespace

// issue_hours and issue_days from the copied reports, in the destination's
// form (sqldialect::rollupNoStatus/rollupNoText for "none"): what ReportWriter
// and the triggers would have made of them. One text for floor division on
// both engines (SQLite's / truncates as PostgreSQL's does).
Result<void> rebuildRollups(Connection &c)
{
    const SqlDialect d = dialectOf(c);
    const QString noStatus = sqldialect::rollupNoStatus(d), noText = sqldialect::rollupNoText(d);
    const std::string hours =
        QStringLiteral(
            "INSERT INTO issue_hours(hour, issue_id, level, status_code, logger, exception_type, visible, hidden)"
            " SELECT CASE WHEN r.timestamp >= 0 THEN r.timestamp / 3600000 ELSE -((-r.timestamp + 3599999) / 3600000) END,"
            " r.issue_id, r.level, coalesce(r.status_code, %1), coalesce(r.logger, %2), coalesce(r.exception_type, %2),"
            " sum(CASE WHEN r.hidden_by IS NULL THEN 1 ELSE 0 END), sum(CASE WHEN r.hidden_by IS NULL THEN 0 ELSE 1 END)"
            " FROM reports r GROUP BY 1, 2, 3, 4, 5, 6")
            .arg(noStatus, noText)
            .toStdString();
    for (const char *sql : {"DELETE FROM issue_hours", "DELETE FROM issue_days"})
        if (auto r = c.exec(sql); !r)
            return r;
    if (auto r = c.exec(hours); !r)
        return r;
    return c.exec("INSERT INTO issue_days(day, issue_id, level, status_code, logger, exception_type, visible, hidden)"
                  " SELECT CASE WHEN h.hour >= 0 THEN h.hour / 24 ELSE -((-h.hour + 23) / 24) END, h.issue_id, h.level,"
                  " h.status_code, h.logger, h.exception_type, sum(h.visible), sum(h.hidden)"
                  " FROM issue_hours h GROUP BY 1, 2, 3, 4, 5, 6");
}

// The destination's engine-picked ids past every copied one (and past what the
// source handed out): PostgreSQL's identities by setval, SQLite's AUTOINCREMENT
// in sqlite_sequence (which SQLite already moved past the copied ids).
Result<void> setIdsPastCopied(Connection &src, Connection &dst, const std::vector<CatalogTable> &dstTables)
{
    for (const CatalogTable &t : dstTables) {
        if (t.key.size() != 1)
            continue;
        const CatalogColumn &id = t.columns[t.key[0]];
        if (dst.engine() == Engine::Postgres) {
            if (!id.identity)
                continue;
            auto copied = dst.scalar("SELECT coalesce(max(\"" + id.name + "\"), 0) FROM \"" + t.name + '"');
            if (!copied)
                return copied.failure();
            const int64_t past = std::max(*copied, sourceHighWater(src, t.name, id.sameAs));
            if (past <= 0)
                continue; // nothing handed out: the identity starts at 1 as it is
            Statement st = dst.prepare("SELECT setval(pg_get_serial_sequence(?, ?), ?)");
            st.bind(1, std::string_view(t.name)).bind(2, std::string_view(id.name)).bind(3, past);
            if (!st.step())
                return st.failure();
        } else {
            auto autoincrement = dst.scalar("SELECT count(*) FROM sqlite_schema WHERE name = '" + t.name +
                                            "' AND sql LIKE '%AUTOINCREMENT%'");
            if (!autoincrement)
                return autoincrement.failure();
            const int64_t past = *autoincrement ? sourceHighWater(src, t.name, id.sameAs) : 0;
            if (past <= 0)
                continue;
            Statement up = dst.prepare("UPDATE sqlite_sequence SET seq = ?1 WHERE name = ?2 AND seq < ?1");
            up.bind(1, past).bind(2, std::string_view(t.name));
            Statement add = dst.prepare("INSERT INTO sqlite_sequence(name, seq) SELECT ?2, ?1 WHERE NOT EXISTS (SELECT 1 FROM "
                                        "sqlite_sequence WHERE name = ?2)");
            add.bind(1, past).bind(2, std::string_view(t.name));
            if (!up.exec())
                return up.failure();
            if (!add.exec())
                return add.failure();
        }
    }
    return {};
}

} // namespace ed
