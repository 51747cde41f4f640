// The PostgreSQL schema (store/postgres/PgSchemaDdl.h) against the SQLite one:
// every table, column, index and trigger of a freshly created SQLite database,
// read from its sqlite_schema and pragmas (not from a list typed here), has
// its counterpart in pgSchemaDdl(), at the same version. No server needed;
// the DDL itself was run on PostgreSQL 15 by hand (docs/postgresql.md).
#include "store/Database.h"
#include "store/postgres/PgSchemaDdl.h"
#include "store/sqlite/Sqlite.h"
#include "TestSupport.h"

#include <QRegularExpression>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

using namespace ed;

namespace {

QString fromView(std::string_view sql) { return QString::fromUtf8(sql.data(), qsizetype(sql.size())); }

// The base and every step after it: what a new PostgreSQL database is made of.
QString ddl()
{
    QString all = fromView(pgSchemaDdl());
    for (std::string_view step : pgSchemaMigrations())
        all += fromView(step);
    return all;
}

QStringList column0(Connection &c, const std::string &sql)
{
    Statement st = c.prepare(sql);
    QStringList out;
    while (st.step())
        out << st.qtext(0);
    return out;
}

// The body of `CREATE TABLE name (...)` in the DDL, "" when there is none.
QString pgTableBody(const QString &text, const QString &table)
{
    const QRegularExpression start(QStringLiteral("\\bCREATE TABLE %1 \\(\\n").arg(QRegularExpression::escape(table)));
    const auto m = start.match(text);
    if (!m.hasMatch())
        return {};
    const qsizetype end = text.indexOf(QStringLiteral("\n);"), m.capturedEnd());
    return text.mid(m.capturedEnd(), end - m.capturedEnd());
}

} // namespace

class TestPgSchemaDdl : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // A change of the SQLite schema needs its PostgreSQL step (and this constant moved with it).
    void mirrorsTheSqliteSchema() { QCOMPARE(kPgMirrorsSqliteSchema, Database::currentSchemaVersion()); }
    void versionsFollowTheSteps()
    {
        QCOMPARE(pgSchemaVersion(), kPgBaseSchemaVersion + int(pgSchemaMigrations().size()));
        QCOMPARE(Database::currentServerSchemaVersion(), pgSchemaVersion());
    }

    void everySqliteObjectHasItsPostgresForm()
    {
        edtest::TestSideDb side;
        QTemporaryDir dir;
        auto db = Database::open(dir.filePath(QStringLiteral("fresh.sqlite3")));
        QVERIFY2(db, qPrintable(db ? QString() : db.error()));
        Connection &c = connectionOf(*db);
        const QString text = ddl();

        // Tables, FTS5's virtual table among them; not its shadow tables
        // (FTS5's own storage: on PostgreSQL the tsvector and its index).
        const QStringList tables = column0(
            c, "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual')"
               " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
        QVERIFY2(tables.size() > 20, qPrintable(tables.join(u' ')));
        QVERIFY(tables.contains(QStringLiteral("reports_fts")));
        for (const QString &table : tables) {
            const QString body = pgTableBody(text, table);
            QVERIFY2(!body.isEmpty(), qPrintable(QStringLiteral("no CREATE TABLE %1 in the PostgreSQL DDL").arg(table)));
            // Every column, as the first word of a line of the table's body.
            const QStringList columns = column0(
                c, QStringLiteral("SELECT name FROM pragma_table_info('%1')").arg(table).toStdString());
            QVERIFY(!columns.isEmpty());
            for (const QString &col : columns) {
                const QRegularExpression line(QStringLiteral("(^|\\n)    %1 ").arg(QRegularExpression::escape(col)));
                const QRegularExpression added(QStringLiteral("\\bALTER TABLE %1 ADD COLUMN %2 ")
                                                   .arg(QRegularExpression::escape(table), QRegularExpression::escape(col)));
                QVERIFY2(line.match(body).hasMatch() || added.match(text).hasMatch(),
                         qPrintable(QStringLiteral("%1.%2 missing").arg(table, col)));
            }
        }
        // No column of the SQLite schema is a word PostgreSQL reserves (issue 17: `offset`).
        for (const QString &table : tables)
            for (const QString &col :
                 column0(c, QStringLiteral("SELECT name FROM pragma_table_info('%1')").arg(table).toStdString()))
                for (const char *reserved : {"offset", "limit", "order", "user", "group", "desc", "end", "table", "column"})
                    QVERIFY2(col != QLatin1String(reserved), qPrintable(table + u'.' + col));

        // Indexes (not the automatic ones of UNIQUE and PRIMARY KEY) and triggers.
        const QStringList indexes = column0(c, "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL");
        QVERIFY2(indexes.size() > 15, qPrintable(indexes.join(u' ')));
        for (const QString &index : indexes) {
            const QRegularExpression create(QStringLiteral("\\bCREATE INDEX %1 ON ").arg(QRegularExpression::escape(index)));
            QVERIFY2(create.match(text).hasMatch(), qPrintable(QStringLiteral("no index %1").arg(index)));
        }
        const QStringList triggers = column0(c, "SELECT name FROM sqlite_schema WHERE type = 'trigger'");
        QVERIFY(!triggers.isEmpty());
        for (const QString &trigger : triggers) {
            const QRegularExpression create(QStringLiteral("\\bCREATE TRIGGER %1\\b").arg(QRegularExpression::escape(trigger)));
            QVERIFY2(create.match(text).hasMatch(), qPrintable(QStringLiteral("no trigger %1").arg(trigger)));
        }
    }

    // What PostgreSQL would refuse or read otherwise, if it crept back in.
    void noSqliteOnlyForms()
    {
        // The statements, not their comments (which name the SQLite forms they replace).
        const QString text = ddl().remove(QRegularExpression(QStringLiteral("--[^\\n]*")));
        for (const char *form :
             {"WITHOUT ROWID", "AUTOINCREMENT", "INTEGER PRIMARY KEY", "COLLATE NOCASE", "X''", "BLOB", "VIRTUAL TABLE", "fts5"})
            QVERIFY2(!text.contains(QLatin1String(form), Qt::CaseInsensitive), form);
        QVERIFY(!text.contains(QRegularExpression(QStringLiteral("\\boffset\\b"))));
        // The full text: a tsvector with a GIN index, and trigrams for substrings.
        QVERIFY(text.contains(QLatin1String("tsvector GENERATED ALWAYS AS")));
        QVERIFY(text.contains(QLatin1String("USING gin (document)")));
        QVERIFY(text.contains(QLatin1String("gin_trgm_ops")));
    }
};

QTEST_GUILESS_MAIN(TestPgSchemaDdl)
#include "tst_pg_schema_ddl.moc"
