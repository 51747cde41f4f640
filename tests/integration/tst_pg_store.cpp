// The store on a real PostgreSQL 15 (tests/support/PgSupport.h, issue 17):
// the corpus imported through the same C++ path as on SQLite (Importer via
// TestSupport's importPlain/importFiltered) into both engines in the same
// test, then the counts, the per-issue counts and ReportStore's lists compared
// between them. SQLite is the reference: its numbers are not computed here.
#include "PgSupport.h"
#include "TestSupport.h"
#include "store/Database.h"
#include "store/ReportStore.h"
#include "store/RuleStore.h"
#include "store/SearchQuery.h"
#include "store/sqlite/Sqlite.h"

#include <map>

using namespace ed;
using namespace edtest;

namespace {

Database::OpenOptions withPassword()
{
    Database::OpenOptions o;
    o.password = [](const QString &) { return std::optional<QString>(QLatin1String(PgCluster::kPassword)); };
    return o;
}

// Issue title -> (count, hidden count): titles, not ids, since ids may differ between engines.
std::map<QString, std::pair<int64_t, int64_t>> perIssue(Database &db)
{
    const TestSideDb testSide;
    std::map<QString, std::pair<int64_t, int64_t>> out;
    Statement st = connectionOf(db).prepare("SELECT title, culprit, count, hidden_count FROM issues");
    while (st.step()) {
        auto &slot = out[st.qtext(0) + QLatin1Char('|') + st.qtext(1)];
        slot.first += st.int64(2);
        slot.second += st.int64(3);
    }
    return out;
}

// QVERIFY2 builds its message whether or not the check fails.
template <typename T> QString errorOf(const Result<T> &r) { return r ? QString() : r.error(); }

} // namespace

class TestPgStore : public QObject {
    Q_OBJECT

    std::unique_ptr<PgCluster> m_pg;
    QTemporaryDir m_tmp;
    int m_files = 0;

    // The same import on a fresh SQLite file and a fresh PostgreSQL database.
    struct Pair {
        std::unique_ptr<Database> lite, pg;
    };
    Pair openBoth()
    {
        Pair p;
        auto lite = Database::open(m_tmp.filePath(QStringLiteral("db%1.sqlite3").arg(++m_files)));
        if (!lite)
            qFatal("sqlite open: %s", qPrintable(lite.error()));
        p.lite = std::make_unique<Database>(std::move(*lite));
        auto pg = Database::open(m_pg->url(m_pg->createDatabase()), withPassword());
        if (!pg)
            qFatal("postgresql open: %s", qPrintable(pg.error()));
        p.pg = std::make_unique<Database>(std::move(*pg));
        return p;
    }

    void compareCounts(Database &lite, Database &pg)
    {
        for (const char *sql :
             {"SELECT count(*) FROM reports", "SELECT count(*) FROM reports WHERE hidden_by IS NOT NULL",
              "SELECT count(*) FROM issues", "SELECT sum(count) FROM issues", "SELECT sum(hidden_count) FROM issues"}) {
            const int64_t want = scalar(lite, sql);
            QVERIFY2(want >= 0, sql);
            QCOMPARE(scalar(pg, sql), want);
        }
        QVERIFY(scalar(lite, "SELECT count(*) FROM reports") > 0);
        QCOMPARE(perIssue(pg), perIssue(lite));
    }

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("PGPASSWORD");
        qputenv("PGPASSFILE", m_tmp.filePath(QStringLiteral("no-pgpass")).toUtf8());
        m_pg = std::make_unique<PgCluster>();
        QVERIFY2(m_pg->ok(), qPrintable(m_pg->error()));
    }
    void cleanupTestCase() { m_pg.reset(); }

    void plainImportMatchesSqlite()
    {
        Pair p = openBoth();
        const QStringList files{corpus(QStringLiteral("records.jsonl"))};
        const ImportSummary lite = importPlain(*p.lite, files);
        QVERIFY2(lite.fatal.isEmpty(), qPrintable(lite.fatal));
        const ImportSummary pg = importPlain(*p.pg, files);
        QVERIFY2(pg.fatal.isEmpty(), qPrintable(pg.fatal + QLatin1Char('\n') + problemsText(pg)));
        QCOMPARE(pg.stored, lite.stored);
        QCOMPARE(pg.problems.size(), lite.problems.size());
        compareCounts(*p.lite, *p.pg);

        // The same file again: resumed where the first import ended (the file's
        // progress row); a copy of it under another name: its records duplicates.
        const ImportSummary liteAgain = importPlain(*p.lite, files);
        const ImportSummary pgAgain = importPlain(*p.pg, files);
        QVERIFY2(pgAgain.fatal.isEmpty(), qPrintable(pgAgain.fatal + QLatin1Char('\n') + problemsText(pgAgain)));
        QVERIFY(liteAgain.resumedLines > 0);
        QCOMPARE(pgAgain.resumedLines, liteAgain.resumedLines);
        QCOMPARE(pgAgain.stored, liteAgain.stored);
        const QString copy = m_tmp.filePath(QStringLiteral("copy-%1.jsonl").arg(m_files));
        writeFile(copy, readFile(files.first()));
        const ImportSummary liteCopy = importPlain(*p.lite, {copy});
        const ImportSummary pgCopy = importPlain(*p.pg, {copy});
        QVERIFY2(pgCopy.fatal.isEmpty(), qPrintable(pgCopy.fatal + QLatin1Char('\n') + problemsText(pgCopy)));
        QVERIFY(liteCopy.duplicates > 0);
        QCOMPARE(pgCopy.duplicates, liteCopy.duplicates);
        QCOMPARE(pgCopy.stored, liteCopy.stored);
        compareCounts(*p.lite, *p.pg);
    }

    void filteredImportMatchesSqlite()
    {
        Pair p = openBoth();
        // Rules stored in each database (RuleStore on both engines): some reports hidden, some dropped.
        for (Database *db : {p.lite.get(), p.pg.get()}) {
            const TestSideDb testSide;
            RuleStore rules(*db);
            FilterRule hide;
            hide.name = QStringLiteral("security");
            hide.logger = QStringLiteral("django.security");
            const auto added = rules.add(hide);
            QVERIFY2(added, qPrintable(errorOf(added)));
            FilterRule drop;
            drop.name = QStringLiteral("not-found");
            drop.action = RuleAction::Drop;
            drop.statusMin = drop.statusMax = 404;
            QVERIFY(rules.add(drop));
        }
        const QStringList files{corpus(QStringLiteral("records.jsonl"))};
        const ImportSummary lite = importFiltered(*p.lite, files);
        QVERIFY2(lite.fatal.isEmpty(), qPrintable(lite.fatal));
        const ImportSummary pg = importFiltered(*p.pg, files);
        QVERIFY2(pg.fatal.isEmpty(), qPrintable(pg.fatal + QLatin1Char('\n') + problemsText(pg)));
        QCOMPARE(pg.stored, lite.stored);
        QCOMPARE(pg.dropped, lite.dropped);
        QCOMPARE(pg.hidden, lite.hidden);
        qInfo("stored %lld, dropped %lld, hidden %lld", qlonglong(lite.stored), qlonglong(lite.dropped), qlonglong(lite.hidden));
        // Both rules had something to do, or this compares nothing the plain import did not.
        QVERIFY(lite.dropped > 0);
        QVERIFY(lite.hidden > 0);
        compareCounts(*p.lite, *p.pg);
    }

    void reportStoreListsMatchSqlite()
    {
        Pair p = openBoth();
        const QStringList files{corpus(QStringLiteral("records.jsonl"))};
        QVERIFY(importPlain(*p.lite, files).fatal.isEmpty());
        const ImportSummary pg = importPlain(*p.pg, files);
        QVERIFY2(pg.fatal.isEmpty(), qPrintable(pg.fatal));
        const TestSideDb testSide;
        ReportStore liteStore(*p.lite), pgStore(*p.pg);
        const SearchQuery all;

        auto liteIssues = liteStore.listIssues(all, 1000, 0, IssueSort::Title, false);
        QVERIFY2(liteIssues, qPrintable(errorOf(liteIssues)));
        auto pgIssues = pgStore.listIssues(all, 1000, 0, IssueSort::Title, false);
        QVERIFY2(pgIssues, qPrintable(errorOf(pgIssues)));
        QVERIFY(!liteIssues->empty());
        QCOMPARE(pgIssues->size(), liteIssues->size());
        std::multimap<QString, int64_t> liteByTitle, pgByTitle;
        for (const auto &i : *liteIssues)
            liteByTitle.emplace(i.title + QLatin1Char('|') + i.culprit, i.count * 1000 + i.hiddenCount);
        for (const auto &i : *pgIssues)
            pgByTitle.emplace(i.title + QLatin1Char('|') + i.culprit, i.count * 1000 + i.hiddenCount);
        QCOMPARE(pgByTitle, liteByTitle);

        auto liteReports = liteStore.listReports(all, 1000);
        QVERIFY2(liteReports, qPrintable(errorOf(liteReports)));
        auto pgReports = pgStore.listReports(all, 1000);
        QVERIFY2(pgReports, qPrintable(errorOf(pgReports)));
        QVERIFY(!liteReports->empty());
        QCOMPARE(pgReports->size(), liteReports->size());
        QStringList liteIds, pgIds;
        for (const auto &r : *liteReports)
            liteIds << r.eventId;
        for (const auto &r : *pgReports)
            pgIds << r.eventId;
        liteIds.sort();
        pgIds.sort();
        QCOMPARE(pgIds, liteIds);
        auto liteCount = liteStore.countReports(all);
        QVERIFY2(liteCount, qPrintable(errorOf(liteCount)));
        auto pgCount = pgStore.countReports(all);
        QVERIFY2(pgCount, qPrintable(errorOf(pgCount)));
        QCOMPARE(*pgCount, *liteCount);
    }
};

QTEST_GUILESS_MAIN(TestPgStore)
#include "tst_pg_store.moc"
