// The parallel import (ImportPipeline: a reader, N preparing workers, one
// writer) against the same import on one worker: the same rows, issues, parts,
// full-text rows and summary counts, for v1 files and e-mails; damaged input in
// the middle of a file; cancel mid-file. Resume after a kill -9 with several
// workers is tst_import_v1's killedImportResumesExactlyOnce. Real files, real
// SQLite or PostgreSQL (the .pg run), the real filters.
#include "TestSupport.h"
#include "import/ImportFilters.h"
#include "store/sqlite/Sqlite.h"

#include <QCryptographicHash>
#include <QDir>

using namespace ed;
using namespace edtest;

namespace {

// The columns of `table` in their order (full text's generated tsvector left
// out on PostgreSQL: it is made from the texts compared anyway).
QStringList columnsOf(Connection &c, const char *table)
{
    QStringList cols;
    const QString sql = onPostgres() ? QStringLiteral("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                                                      "'public' AND table_name = '%1' AND column_name <> 'document' "
                                                      "ORDER BY ordinal_position")
                                     : QStringLiteral("SELECT name FROM pragma_table_info('%1')");
    auto info = c.prepare(sql.arg(QLatin1String(table)).toStdString());
    while (info.step())
        cols << info.qtext(0);
    return cols;
}

// Every row of every table that an import writes, as text, in id order:
// what the two imports are compared by (import_files without its clock column).
// Both imports of a comparison are on the same engine: its own quoting.
QStringList tableDump(Database &db)
{
    Connection &c = connectionOf(db);
    const bool pg = onPostgres();
    QStringList out;
    const QString ftsKey = pg ? QStringLiteral("report_id") : QStringLiteral("rowid");
    const std::vector<std::pair<const char *, QString>> tables = {
        {"reports", QString()},
        {"issues", QString()},
        {"parts", QStringLiteral("hash")},
        {"reports_fts", ftsKey + QStringLiteral(", message, exception, path, frames")},
        {"import_files", QStringLiteral("path, head_hash, byte_offset, line, size")}};
    for (const auto &[table, given] : tables) {
        const QStringList cols = given.isEmpty() ? columnsOf(c, table) : given.split(QStringLiteral(", "));
        if (cols.isEmpty())
            qFatal("dump %s: no columns", table);
        QStringList quoted;
        for (const QString &col : cols)
            quoted << (pg ? QStringLiteral("quote_nullable(%1)") : QStringLiteral("quote(%1)")).arg(col);
        const QString order = QLatin1String(table) == QLatin1String("parts")          ? QStringLiteral("hash")
                              : QLatin1String(table) == QLatin1String("import_files") ? QStringLiteral("path")
                              : QLatin1String(table) == QLatin1String("reports_fts")  ? ftsKey
                              : pg                                                    ? QStringLiteral("id")
                                                                                      : QStringLiteral("rowid");
        auto st = c.prepare(QStringLiteral("SELECT %1 FROM %2 ORDER BY %3")
                                .arg(quoted.join(QStringLiteral(" || '|' || ")), QLatin1String(table), order)
                                .toStdString());
        if (!st.valid())
            qFatal("dump %s: %s", table, qPrintable(st.prepareError()));
        int64_t rows = 0;
        QCryptographicHash h(QCryptographicHash::Sha256);
        while (st.step()) {
            h.addData(st.qtext(0).toUtf8());
            h.addData("\n");
            ++rows;
        }
        out << QStringLiteral("%1: %2 rows, %3").arg(QLatin1String(table)).arg(rows).arg(QString::fromLatin1(h.result().toHex()));
    }
    return out;
}

struct Run {
    ImportSummary summary;
    QStringList dump;
    QStringList undecided;
};

// Imports `paths` into a fresh database through the database's own filters.
Run importWith(const QString &dbPath, const QStringList &paths, int workers, int batch = 5000)
{
    auto db = Database::open(dbPath);
    if (!db)
        qFatal("open: %s", qPrintable(db.error()));
    auto filters = makeImportFilters(*db);
    if (!filters)
        qFatal("filters: %s", qPrintable(filters.error()));
    Importer importer(*db, *filters->scrubber, *filters->filter);
    importer.setWorkers(workers);
    importer.setBatchSize(batch);
    Run r;
    r.summary = importer.run(paths);
    r.dump = tableDump(*db);
    return r;
}

QString summaryText(const ImportSummary &s)
{
    QString t = QStringLiteral("files %1 stored %2 dup %3 rejected %4 dropped %5 hidden %6 new %7 regr %8 resumed %9")
                    .arg(s.files)
                    .arg(s.stored)
                    .arg(s.duplicates)
                    .arg(s.rejected)
                    .arg(s.dropped)
                    .arg(s.hidden)
                    .arg(s.newIssues)
                    .arg(s.regressions)
                    .arg(s.resumedLines);
    t += QStringLiteral(" bytes %1 cancelled %2 fatal '%3'\n").arg(s.bytes).arg(s.cancelled).arg(s.fatal);
    t += problemsText(s);
    t += QStringLiteral("skipped: %1").arg(s.skippedFiles.join(QLatin1Char(',')));
    return t;
}

} // namespace

class TestImportParallel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The corpus in every form it comes in, plus generated reports: four workers
    // store exactly what one does.
    void parallelStoresWhatOneWorkerStores()
    {
        QTemporaryDir dir;
        const QString generated = generatedReports(dir, 1500, 7);
        // A bad line and a blank one in the middle of a v1 file, and a last line cut short.
        QByteArray damaged = readFile(corpus(QStringLiteral("records.jsonl")));
        const qsizetype mid = damaged.indexOf('\n', damaged.size() / 2) + 1;
        damaged.insert(mid, "{\"format\": \"errordeck/1\", \"timestamp\": \n\n");
        damaged.append("{\"format\": \"errordeck/1\", \"event_id\": \"cut");
        const QString damagedPath = dir.filePath(QStringLiteral("damaged.jsonl"));
        writeFile(damagedPath, damaged);
        const QStringList paths = {generated, damagedPath, corpus(QStringLiteral("reports.mbox")),
                                   corpus(QStringLiteral("emails")), corpus(QStringLiteral("eml")),
                                   // Again: everything a duplicate the second time round.
                                   corpus(QStringLiteral("records.jsonl"))};
        const Run one = importWith(testDatabaseLocation(dir, QStringLiteral("one.sqlite3")), paths, 1, 700);
        const Run four = importWith(testDatabaseLocation(dir, QStringLiteral("four.sqlite3")), paths, 4, 700);
        QVERIFY2(one.summary.fatal.isEmpty(), qPrintable(one.summary.fatal));
        QCOMPARE(one.summary.workers, 1);
        QCOMPARE(four.summary.workers, 4);
        // Not vacuous: reports of each kind, rejected lines with their line numbers.
        QVERIFY(one.summary.stored > 1500);
        QVERIFY(one.summary.duplicates >= 98);
        QVERIFY(one.summary.rejected >= 2);
        QVERIFY(one.summary.hidden > 0);
        QVERIFY2(problemsText(one.summary).contains(QStringLiteral("damaged.jsonl:")), qPrintable(problemsText(one.summary)));
        QCOMPARE(summaryText(four.summary), summaryText(one.summary));
        QCOMPARE(four.dump, one.dump);
        QCOMPARE(four.summary.newIssueIds, one.summary.newIssueIds);
    }

    // Cancel in the middle of a file, then the same import
    // again: whatever was stored is stored once, the rest comes the second time,
    // and the recorded offset agrees with the reports stored.
    void cancelMidFileThenResume()
    {
        QTemporaryDir dir;
        const QString file = generatedReports(dir, 3000, 3);
        const QString dbPath = testDatabaseLocation(dir, QStringLiteral("cancel.sqlite3"));
        auto db = Database::open(dbPath);
        QVERIFY(db);
        auto filters = makeImportFilters(*db);
        QVERIFY(filters);
        Importer importer(*db, *filters->scrubber, *filters->filter);
        importer.setWorkers(3);
        importer.setBatchSize(100);
        // Cancelled as the app's Cancel button does it: while records are in
        // every stage of the pipeline (read, being prepared, being stored).
        importer.setProgressHandler(
            [&](const ImportProgress &p) {
                if (p.reports >= 300)
                    importer.cancel();
            },
            0);
        const ImportSummary s = importer.run({file});
        QVERIFY(s.cancelled);
        QVERIFY2(s.stored >= 300 && s.stored < 3000, qPrintable(QString::number(s.stored)));
        const int64_t stored = *connectionOf(*db).scalar("SELECT count(*) FROM reports");
        QCOMPARE(stored, s.stored);
        // Every line of the generated file is a report: the offset's line is the count.
        QCOMPARE(*connectionOf(*db).scalar("SELECT line FROM import_files"), stored);
        Importer again(*db, *filters->scrubber, *filters->filter);
        again.setWorkers(3);
        const ImportSummary rest = again.run({file});
        QCOMPARE(rest.resumedLines, stored);
        QCOMPARE(rest.duplicates, int64_t(0));
        QCOMPARE(rest.stored, 3000 - stored);
        QCOMPARE(*connectionOf(*db).scalar("SELECT count(DISTINCT event_id) FROM reports"), int64_t(3000));
        QCOMPARE(*connectionOf(*db).scalar("SELECT sum(count + hidden_count) FROM issues"), int64_t(3000));
    }
};

QTEST_GUILESS_MAIN(TestImportParallel)
#include "tst_import_parallel.moc"
