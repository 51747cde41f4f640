// Forward migrations of the PostgreSQL schema (store/postgres/PgSchemaDdl.h):
// a database made at the base version with reports in it, then opened by this
// build, reaches the current version with every report kept and its full-text
// document made again (step 16: diacritics folded); several clients at once
// migrate it once, under the 'EDK1' advisory lock; a failing step leaves the
// database as it was and says which step. Also the planner statistics an
// import leaves (Database::refreshQueryStatistics): ANALYZE after an import
// that grew the reports by a tenth, not after a small one. On a real
// PostgreSQL 15.
#include "PgSupport.h"
#include "TestSupport.h"
#include "store/Database.h"
#include "store/ReportStore.h"
#include "store/SearchQuery.h"
#include "store/postgres/PgSchemaDdl.h"
#include "store/sqlite/Sqlite.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <latch>

using namespace ed;
using namespace edtest;

namespace {

constexpr int kBase = kPgBaseSchemaVersion;

Database::OpenOptions withPassword()
{
    Database::OpenOptions o;
    o.password = [](const QString &) { return std::optional<QString>(QLatin1String(PgCluster::kPassword)); };
    return o;
}

QString errorOf(const Result<Database> &r) { return r ? QString() : r.error(); }

QByteArray reportLine(int n, const QString &message)
{
    const QJsonObject o{{QStringLiteral("event_id"), QStringLiteral("m%1").arg(n)},
                        {QStringLiteral("timestamp"), QStringLiteral("2026-11-%1T10:00:00Z").arg(n % 28 + 1, 2, 10, QChar(u'0'))},
                        {QStringLiteral("level"), QStringLiteral("ERROR")},
                        {QStringLiteral("logger"), QStringLiteral("shop.orders")},
                        {QStringLiteral("message"), message}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

QStringList eventsMatching(Database &db, const QString &text)
{
    SearchQuery q;
    q.text = text;
    return eventIdsMatching(db, q);
}

} // namespace

class TestPgMigration : public QObject {
    Q_OBJECT

    std::unique_ptr<PgCluster> m_pg;
    QTemporaryDir m_tmp;
    QString m_reports; // 40 reports, m7 and m19 with accented words
    int m_files = 0;

    // A new database at the base version holding m_reports: as an older ErrorDeck left it.
    QString baseDatabase()
    {
        const QString db = m_pg->createDatabase();
        auto old = Database::createAtVersion(m_pg->url(db), kBase);
        if (!old) {
            qWarning("%s", qPrintable(old.error()));
            return {};
        }
        const ImportSummary s = importPlain(*old, {m_reports});
        if (s.stored != 40 || !s.problems.empty()) {
            qWarning("import: %lld stored, %s", static_cast<long long>(s.stored), qPrintable(problemsText(s)));
            return {};
        }
        return db;
    }

    QString value(const QString &db, const QString &sql)
    {
        auto v = m_pg->value(db, sql);
        return v ? *v : QStringLiteral("error: ") + v.error();
    }

private Q_SLOTS:
    void initTestCase()
    {
        // libpq's own source, for the connections opened by location too (the importer's).
        qputenv("PGPASSWORD", PgCluster::kPassword);
        QVERIFY2(pgSchemaVersion() > kBase, "no PostgreSQL step to test");
        m_pg = std::make_unique<PgCluster>();
        QVERIFY2(m_pg->ok(), qPrintable(m_pg->error()));
        QByteArray lines;
        for (int n = 0; n < 40; ++n)
            lines += reportLine(n, n == 7    ? QStringLiteral("No table at the Caf\u00e9 for order %1").arg(n)
                                   : n == 19 ? QStringLiteral("Na\u00efve datetime for order %1").arg(n)
                                             : QStringLiteral("Payment declined for order %1").arg(n));
        m_reports = m_tmp.filePath(QStringLiteral("reports.jsonl"));
        writeFile(m_reports, lines);
    }
    void statisticsAfterLargeImportsOnly()
    {
        const QString db = m_pg->createDatabase();
        auto opened = Database::open(m_pg->url(db), withPassword());
        QVERIFY2(opened, qPrintable(errorOf(opened)));
        // Autovacuum off for the table: what is seen is the importer's ANALYZE.
        QCOMPARE(value(db, QStringLiteral("ALTER TABLE reports SET (autovacuum_enabled = false); SELECT 1")),
                 QStringLiteral("1"));
        const auto importRange = [&](int from, int count) {
            QByteArray lines;
            for (int n = from; n < from + count; ++n)
                lines += reportLine(n, QStringLiteral("Payment declined for order %1").arg(n));
            const QString path = m_tmp.filePath(QStringLiteral("stats-%1.jsonl").arg(from));
            writeFile(path, lines);
            return importPlain(*opened, {path}).stored;
        };
        // reltuples: what the last ANALYZE counted (-1: never analyzed).
        const QString rows = QStringLiteral("SELECT reltuples::bigint FROM pg_class WHERE oid = 'reports'::regclass");
        QCOMPARE(value(db, rows), QStringLiteral("-1"));
        QCOMPARE(importRange(0, 60), int64_t(60)); // into an empty store: analyzed
        QCOMPARE(value(db, rows), QStringLiteral("60"));
        QCOMPARE(importRange(100, 3), int64_t(3)); // 5%: left to autovacuum
        QCOMPARE(value(db, rows), QStringLiteral("60"));
        QCOMPARE(importRange(200, 20), int64_t(20)); // a third: analyzed
        QCOMPARE(value(db, rows), QStringLiteral("83"));
    }

    void cleanupTestCase() { m_pg.reset(); }

    void migratesAnOlderSchema()
    {
        const QString db = baseDatabase();
        QVERIFY(!db.isEmpty());
        QCOMPARE(value(db, QStringLiteral("SELECT string_agg(version::text, ' ') FROM errordeck_schema")),
                 QString::number(kBase));
        // The base's documents keep the accent: `cafe` is not among their words.
        QCOMPARE(value(db, QStringLiteral("SELECT count(*) FROM reports_fts WHERE document @@ 'cafe'::tsquery")),
                 QStringLiteral("0"));

        auto opened = Database::open(m_pg->url(db), withPassword());
        QVERIFY2(opened, qPrintable(errorOf(opened)));
        QStringList versions;
        for (int v = kBase; v <= pgSchemaVersion(); ++v)
            versions << QString::number(v);
        QCOMPARE(value(db, QStringLiteral("SELECT string_agg(version::text, ' ' ORDER BY version) FROM errordeck_schema")),
                 versions.join(u' '));
        QCOMPARE(value(db, QStringLiteral("SELECT count(*) FROM reports")), QStringLiteral("40"));
        QCOMPARE(value(db, QStringLiteral("SELECT count(*) FROM reports_fts")), QStringLiteral("40"));
        // Every stored document made again: the old words and the folded ones.
        QCOMPARE(eventsMatching(*opened, QStringLiteral("cafe")), QStringList{QStringLiteral("m7")});
        QCOMPARE(eventsMatching(*opened, QStringLiteral("naive")), QStringList{QStringLiteral("m19")});
        QCOMPARE(eventsMatching(*opened, QStringLiteral("declined")).size(), 38);
        QCOMPARE(eventsMatching(*opened, QStringLiteral("order")).size(), 40);
        // Its index was built again.
        QCOMPARE(value(db, QStringLiteral("SELECT count(*) FROM pg_indexes WHERE indexname = 'reports_fts_document'")),
                 QStringLiteral("1"));
        // Opened again: nothing more to do.
        opened = Database::open(m_pg->url(db), withPassword());
        QVERIFY2(opened, qPrintable(errorOf(opened)));
        QCOMPARE(value(db, QStringLiteral("SELECT count(*) FROM errordeck_schema")), QString::number(versions.size()));
    }

    void clientsAtOnceMigrateOnce()
    {
        const QString db = baseDatabase();
        QVERIFY(!db.isEmpty());
        const QString url = m_pg->url(db);
        // The test holds the migration lock first, so that every client has read
        // the old version and waits; then they take turns, and only the first migrates.
        Connection holder;
        QVERIFY(holder.openServer(url, withPassword().password));
        QVERIFY(holder.exec("BEGIN"));
        QVERIFY(holder.exec("SELECT pg_advisory_xact_lock(1162103601)"));
        constexpr int kClients = 4;
        std::latch ready(kClients);
        std::vector<QString> errors(kClients);
        std::vector<std::unique_ptr<QThread>> threads;
        for (int i = 0; i < kClients; ++i) {
            threads.emplace_back(QThread::create([&, i] {
                ready.arrive_and_wait();
                auto opened = Database::open(url, withPassword());
                errors[size_t(i)] = opened ? QString() : opened.error();
            }));
            threads.back()->start();
        }
        const QString waiting = QStringLiteral("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
        QTRY_COMPARE_WITH_TIMEOUT(value(db, waiting), QString::number(kClients), 20000);
        QCOMPARE(value(db, QStringLiteral("SELECT max(version) FROM errordeck_schema")), QString::number(kBase));
        QVERIFY(holder.exec("COMMIT"));
        for (auto &t : threads)
            t->wait();
        for (const QString &e : errors)
            QVERIFY2(e.isEmpty(), qPrintable(e));
        // One row per version: each step ran once.
        QCOMPARE(value(db, QStringLiteral("SELECT count(*) = count(DISTINCT version) FROM errordeck_schema")),
                 QStringLiteral("t"));
        QCOMPARE(value(db, QStringLiteral("SELECT max(version) FROM errordeck_schema")), QString::number(pgSchemaVersion()));
        QCOMPARE(value(db, QStringLiteral("SELECT count(*) FROM reports_fts WHERE document @@ 'cafe'::tsquery")),
                 QStringLiteral("1"));
    }

    void failingStepChangesNothing()
    {
        const QString db = baseDatabase();
        QVERIFY(!db.isEmpty());
        // Something of the DBA's in the way of step 16: a function of that name.
        QVERIFY(m_pg->sql(db, QStringLiteral("CREATE FUNCTION errordeck_unaccent(t text) RETURNS text"
                                             " LANGUAGE sql IMMUTABLE RETURN t")));
        auto opened = Database::open(m_pg->url(db), withPassword());
        QVERIFY(!opened);
        QVERIFY2(opened.error().contains(
                     QStringLiteral("migration failed, nothing was changed: schema %1 to %2:").arg(kBase).arg(kBase + 1)),
                 qPrintable(opened.error()));
        QVERIFY2(opened.error().contains(QStringLiteral("errordeck_unaccent")), qPrintable(opened.error()));
        QVERIFY2(!opened.error().contains(QLatin1String(PgCluster::kPassword)), qPrintable(opened.error()));
        QCOMPARE(value(db, QStringLiteral("SELECT string_agg(version::text, ' ') FROM errordeck_schema")),
                 QString::number(kBase));
        QCOMPARE(value(db, QStringLiteral("SELECT count(*) FROM reports_fts WHERE document IS NOT NULL")), QStringLiteral("40"));
        QCOMPARE(value(db, QStringLiteral("SELECT count(*) FROM pg_extension WHERE extname = 'unaccent'")), QStringLiteral("0"));
        // Once it is out of the way, the next open migrates.
        QVERIFY(m_pg->sql(db, QStringLiteral("DROP FUNCTION errordeck_unaccent(text)")));
        opened = Database::open(m_pg->url(db), withPassword());
        QVERIFY2(opened, qPrintable(errorOf(opened)));
        QCOMPARE(eventsMatching(*opened, QStringLiteral("cafe")), QStringList{QStringLiteral("m7")});
    }

    void olderSchemaReadOnlyIsRefused()
    {
        const QString db = baseDatabase();
        QVERIFY(!db.isEmpty());
        Database::OpenOptions o = withPassword();
        o.readOnly = true;
        auto opened = Database::open(m_pg->url(db), o);
        QVERIFY(!opened);
        QVERIFY2(opened.error().contains(QStringLiteral("has an older schema (%1) and was opened read-only").arg(kBase)),
                 qPrintable(opened.error()));
        QCOMPARE(value(db, QStringLiteral("SELECT max(version) FROM errordeck_schema")), QString::number(kBase));
    }

    void newerSchemaIsRefused()
    {
        const QString db = m_pg->createDatabase();
        QVERIFY(Database::open(m_pg->url(db), withPassword()));
        const int newer = pgSchemaVersion() + 1;
        QVERIFY(m_pg->sql(db, QStringLiteral("INSERT INTO errordeck_schema (version) VALUES (%1)").arg(newer)));
        auto opened = Database::open(m_pg->url(db), withPassword());
        QVERIFY(!opened);
        QVERIFY2(opened.error().contains(QStringLiteral("written by a newer ErrorDeck (schema %1; this version reads up to %2)")
                                             .arg(newer)
                                             .arg(pgSchemaVersion())),
                 qPrintable(opened.error()));
        QCOMPARE(value(db, QStringLiteral("SELECT max(version) FROM errordeck_schema")), QString::number(newer));
    }
};

QTEST_GUILESS_MAIN(TestPgMigration)
#include "tst_pg_migration.moc"
