#include "store/sqlite/SqlDialect.h"

#include "store/sqlite/Sqlite.h"

#include <QStringList>
#include <atomic>
#include <cstdint>

namespace ed {

// The engine behind the connection (Connection::engine()).
SqlDialect dialectOf(const Connection &c) { return c.engine() == Engine::Postgres ? SqlDialect::Postgres : SqlDialect::Sqlite; }

namespace sqldialect {

QString equalsIgnoringCase(SqlDialect d, const QString &column)
{
    return d == SqlDialect::Sqlite ? column + QStringLiteral(" = ? COLLATE NOCASE")
                                   : QStringLiteral("lower(%1) = lower(?)").arg(column);
}

QString likeIgnoringCase(SqlDialect d, const QString &column)
{
    return column + (d == SqlDialect::Sqlite ? QStringLiteral(" LIKE ? ESCAPE '\\'") : QStringLiteral(" ILIKE ? ESCAPE '\\'"));
}

QString likeWithinRange(SqlDialect d, const QString &column)
{
    return d == SqlDialect::Sqlite ? likeIgnoringCase(d, column) : QStringLiteral("(%1 || '') ILIKE ? ESCAPE '\\'").arg(column);
}

QString orderIgnoringCase(SqlDialect d, const QString &column)
{
    return d == SqlDialect::Sqlite ? column + QStringLiteral(" COLLATE NOCASE") : QStringLiteral("lower(%1)").arg(column);
}

QString comparedIgnoringCase(SqlDialect d, const QString &column, const char *op)
{
    return d == SqlDialect::Sqlite ? QStringLiteral("%1 COLLATE NOCASE %2 ?").arg(column, QLatin1String(op))
                                   : QStringLiteral("lower(%1) COLLATE \"C\" %2 ?").arg(column, QLatin1String(op));
}

QString rollupNoStatus(SqlDialect d) { return d == SqlDialect::Sqlite ? QStringLiteral("X''") : QStringLiteral("-1"); }
QString rollupNoText(SqlDialect d) { return d == SqlDialect::Sqlite ? QStringLiteral("X''") : QStringLiteral("''"); }

const char *beginWriting(SqlDialect d) { return d == SqlDialect::Sqlite ? "BEGIN IMMEDIATE" : "BEGIN"; }

const char *beginSnapshot(SqlDialect d)
{
    return d == SqlDialect::Sqlite ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
}

// 'EDW1' (the schema's migration lock is 'EDK1', PgDatabase.cpp).
std::string takeWriteLock(SqlDialect d)
{
    if (d == SqlDialect::Sqlite)
        return {};
    return "SET LOCAL lock_timeout = " + std::to_string(writeWaitMs()) + "; SELECT pg_advisory_xact_lock(1162106673)";
}

namespace {
std::atomic<int> g_writeWaitMs{10000};
}

int writeWaitMs() { return g_writeWaitMs.load(); }
void setWriteWaitMs(int ms) { g_writeWaitMs.store(ms); }

QString writerWaitedTooLong()
{
    return QStringLiteral("another writer has held the store for %1 s; try again when it is done")
        .arg(QString::number(writeWaitMs() / 1000.0));
}

const char *claimingRows(SqlDialect d) { return d == SqlDialect::Sqlite ? "" : " FOR UPDATE SKIP LOCKED"; }

QString indexedBy(SqlDialect d, const QString &index)
{
    return d == SqlDialect::Sqlite && !index.isEmpty() ? QStringLiteral(" INDEXED BY ") + index : QString();
}

QString unindexed(SqlDialect d, const QString &column) { return d == SqlDialect::Sqlite ? QLatin1Char('+') + column : column; }

QStringList sortKeyOf(SqlDialect d, const QString &column)
{
    if (d == SqlDialect::Postgres && column == QLatin1String("r.message"))
        return {QStringLiteral("left(r.message, 200)"), column};
    return {column};
}

QString reportsFirstJoin(SqlDialect d)
{
    return d == SqlDialect::Sqlite ? QStringLiteral(" CROSS JOIN issues i ON i.id = r.issue_id")
                                   : QStringLiteral(" JOIN issues i ON i.id = r.issue_id");
}

// On PostgreSQL the index is a table of its own too (reports_fts, keyed by
// report_id, with the tsvector `document` made of the four texts: PgSchemaDdl.cpp);
// the words are folded as the document's are (errordeck_unaccent: no diacritics).
QString ftsMatches(SqlDialect d)
{
    return d == SqlDialect::Sqlite
               ? QStringLiteral("r.id IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?)")
               : QStringLiteral(
                     "r.id IN (SELECT report_id FROM reports_fts WHERE document @@ to_tsquery('simple', errordeck_unaccent(?)))");
}

QString ftsMatchesFrom(SqlDialect d)
{
    return d == SqlDialect::Sqlite
               ? QStringLiteral("r.id IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH ? AND rowid >= ?)")
               : QStringLiteral("r.id IN (SELECT report_id FROM reports_fts WHERE document @@ to_tsquery('simple', "
                                "errordeck_unaccent(?)) AND report_id >= ?)");
}

QString ftsInsert(SqlDialect d)
{
    return d == SqlDialect::Sqlite
               ? QStringLiteral("INSERT INTO reports_fts(rowid, message, exception, path, frames) VALUES(?,?,?,?,?)")
               : QStringLiteral("INSERT INTO reports_fts(report_id, message, exception, path, frames) VALUES(?,?,?,?,?)");
}

QString ftsRewrite(SqlDialect d)
{
    return QStringLiteral("UPDATE reports_fts SET message = ?1, exception = ?2, path = ?3, frames = ?4 WHERE %1 = ?5")
        .arg(d == SqlDialect::Sqlite ? QLatin1String("rowid") : QLatin1String("report_id"));
}

QString ftsDeleteReport(SqlDialect d)
{
    return QStringLiteral("DELETE FROM reports_fts WHERE %1 = ?")
        .arg(d == SqlDialect::Sqlite ? QLatin1String("rowid") : QLatin1String("report_id"));
}

QString ftsDeleteIssue(SqlDialect d)
{
    return QStringLiteral("DELETE FROM reports_fts WHERE %1 IN (SELECT id FROM reports WHERE issue_id = ?)")
        .arg(d == SqlDialect::Sqlite ? QLatin1String("rowid") : QLatin1String("report_id"));
}

QString notifyChange(SqlDialect d, StoreChange kind)
{
    if (d == SqlDialect::Sqlite)
        return {};
    return QStringLiteral("NOTIFY %1, '%2'").arg(QLatin1String(changeChannel()), QLatin1String(storeChangeName(kind)));
}

const char *changeChannel() { return "errordeck_changes"; }
std::string listenForChanges() { return std::string("LISTEN ") + changeChannel(); }

} // namespace sqldialect

Result<void> announceChange(Connection &c, StoreChangeKinds kinds)
{
    const SqlDialect d = dialectOf(c);
    QStringList statements; // one round trip for all of them
    for (StoreChange kind : kStoreChanges)
        if (kinds.testFlag(kind))
            if (QString sql = sqldialect::notifyChange(d, kind); !sql.isEmpty())
                statements << sql;
    if (statements.isEmpty())
        return {};
    return c.exec(statements.join(QStringLiteral("; ")).toStdString());
}

int64_t sqlLimit(int64_t limit) { return limit < 0 ? INT64_MAX : limit; }

Result<int64_t> insertedId(Statement &st)
{
    if (!st.valid())
        return st.failure();
    if (!st.step()) {
        Error e = st.done() ? Error{QStringLiteral("the insert returned no row")} : st.failure();
        st.reset();
        return e;
    }
    const int64_t id = st.int64(0);
    // Run to the end: SQLite finishes the statement's work there.
    while (st.step()) { }
    Error e = st.failure();
    const bool ok = st.done();
    st.reset();
    if (!ok)
        return e;
    return id;
}

} // namespace ed
