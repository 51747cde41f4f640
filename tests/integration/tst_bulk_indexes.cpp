// A bulk import's deferred indexes (ReportWriter::deferIndexes,
// store/sqlite/BulkIndexes.h): the import stores the same rows with them
// deferred as without, ends with every index of the schema as a new database
// has it, every search answers (and answers the same) while they are missing,
// a killed import's database gets them back when next opened, and the writer
// defers only into a database holding fewer reports than the import brings;
// and a batch's full-text rows go to the index as one segment.
// Real files, real SQLite, the real CLI for the kill.
#include "TestSupport.h"
#include "import/ImportFilters.h"
#include "store/ListQueries.h"
#include "store/ReportStore.h"
#include "store/ReportWriter.h"
#include "store/TimelineQueries.h"
#include "store/sqlite/Sqlite.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>

using namespace ed;
using namespace edtest;

namespace {

// The indexes of a database as "name: sql", by name.
QStringList indexesOf(Connection &c)
{
    Statement st = c.prepare("SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type = 'index' ORDER BY name");
    QStringList out;
    while (st.step())
        out << st.qtext(0) + QStringLiteral(": ") + st.qtext(1);
    return out;
}

QStringList indexesOfNewDatabase(const QTemporaryDir &dir)
{
    auto fresh = Database::open(dir.filePath(QStringLiteral("fresh.sqlite3")));
    if (!fresh)
        qFatal("open: %s", qPrintable(fresh.error()));
    return indexesOf(connectionOf(*fresh));
}

// A digest of every row the import writes (the clock column of import_files aside).
QString contentDigest(Database &db)
{
    Connection &c = connectionOf(db);
    QCryptographicHash h(QCryptographicHash::Sha256);
    const std::vector<std::pair<QString, QString>> tables = {
        {QStringLiteral("reports"), QStringLiteral("id")},   {QStringLiteral("issues"), QStringLiteral("id")},
        {QStringLiteral("parts"), QStringLiteral("hash")},   {QStringLiteral("issue_hours"), QStringLiteral("1")},
        {QStringLiteral("issue_days"), QStringLiteral("1")}, {QStringLiteral("releases"), QStringLiteral("hash")}};
    for (const auto &[table, order] : tables) {
        QStringList cols;
        Statement info = c.prepare(QStringLiteral("PRAGMA table_info(%1)").arg(table).toStdString());
        while (info.step())
            cols << QStringLiteral("quote(%1)").arg(info.qtext(1));
        Statement st = c.prepare(QStringLiteral("SELECT %1 FROM %2 ORDER BY %3")
                                     .arg(cols.join(QStringLiteral(" || '|' || ")), table, order)
                                     .toStdString());
        if (!st.valid())
            qFatal("%s: %s", qPrintable(table), qPrintable(st.prepareError()));
        while (st.step())
            h.addData(st.qtext(0).toUtf8() + '\n');
    }
    for (const char *sql :
         {"SELECT quote(rowid) || quote(message) || quote(exception) || quote(path) || quote(frames)"
          " FROM reports_fts ORDER BY rowid",
          "SELECT quote(path) || quote(offset) || quote(line) || quote(size) FROM import_files ORDER BY path"}) {
        Statement st = c.prepare(sql);
        while (st.step())
            h.addData(st.qtext(0).toUtf8() + '\n');
    }
    return QString::fromLatin1(h.result().toHex());
}

ImportSummary importWith(Database &db, const QStringList &paths, Importer::IndexDeferral deferral)
{
    auto filters = makeImportFilters(db);
    if (!filters)
        qFatal("filters: %s", qPrintable(filters.error()));
    Importer importer(db, *filters->scrubber, *filters->filter);
    importer.setIndexDeferral(deferral);
    importer.setBatchSize(100); // several batches, the first one dropping them
    return importer.run(paths);
}

// What the app's lists, counts and chart answer for a few searches, as text.
QStringList answers(Database &db)
{
    QStringList out;
    for (const QString &text :
         {QString(), QStringLiteral("level:error"), QStringLiteral("status:500"), QStringLiteral("logger:django"),
          QStringLiteral("path:/api/*"), QStringLiteral("path:/API"), QStringLiteral("type:KeyError"),
          QStringLiteral("is:unresolved"), QStringLiteral("checkout"), QStringLiteral("level:error checkout")}) {
        SearchQuery q;
        q.text = text;
        ReportStore store(db);
        auto count = store.countReports(q);
        auto reports = store.listReports(q, 50);
        auto byLevel = store.listReports(q, 50, 0, ReportSort::Level, false);
        auto issues = store.listIssues(q, 100);
        auto nIssues = ListQueries(db).countIssues(q);
        auto chart = TimelineQueries(db).buckets(q, 24);
        if (!count || !reports || !byLevel || !issues || !nIssues || !chart) {
            out << QStringLiteral("%1: failed: %2 %3 %4 %5 %6 %7")
                       .arg(text, count ? QString() : count.error(), reports ? QString() : reports.error(),
                            byLevel ? QString() : byLevel.error(), issues ? QString() : issues.error(),
                            nIssues ? QString() : nIssues.error(), chart ? QString() : chart.error());
            continue;
        }
        QStringList ids;
        for (const ReportRow &r : *reports)
            ids << QString::number(r.id);
        ids << QStringLiteral("/");
        for (const ReportRow &r : *byLevel)
            ids << QString::number(r.id);
        ids << QStringLiteral("/");
        for (const IssueRow &i : *issues)
            ids << QStringLiteral("%1x%2").arg(i.id).arg(i.count);
        out << QStringLiteral("%1: %2 reports, %3 issues, chart %4: %5")
                   .arg(text)
                   .arg(*count)
                   .arg(*nIssues)
                   .arg(chart->total)
                   .arg(ids.join(QLatin1Char(' ')));
    }
    return out;
}

} // namespace

class TestBulkIndexes : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deferredImportStoresTheSameWithEveryIndex()
    {
        QTemporaryDir dir;
        const QStringList paths = {generatedReports(dir, 400, 3), corpus(QStringLiteral("records.jsonl"))};
        auto deferred = Database::open(dir.filePath(QStringLiteral("deferred.sqlite3")));
        auto kept = Database::open(dir.filePath(QStringLiteral("kept.sqlite3")));
        QVERIFY(deferred && kept);
        const ImportSummary a = importWith(*deferred, paths, Importer::IndexDeferral::Always);
        const ImportSummary b = importWith(*kept, paths, Importer::IndexDeferral::Never);
        QVERIFY2(a.fatal.isEmpty() && b.fatal.isEmpty(), qPrintable(a.fatal + b.fatal));
        QCOMPARE(a.stored, int64_t(498));
        QCOMPARE(a.stored, b.stored);
        QCOMPARE(contentDigest(*deferred), contentDigest(*kept));
        QCOMPARE(answers(*deferred), answers(*kept));
        const QStringList wanted = indexesOfNewDatabase(dir);
        QVERIFY(wanted.size() > 20);
        QCOMPARE(indexesOf(connectionOf(*deferred)), wanted);
        QCOMPARE(indexesOf(connectionOf(*kept)), wanted);
    }

    // With the indexes dropped (between two batches of a bulk import), every
    // search of the app answers, and answers as with them.
    void searchesAnswerWhileIndexesAreDeferred()
    {
        QTemporaryDir dir;
        auto db = Database::open(dir.filePath(QStringLiteral("db.sqlite3")));
        QVERIFY(db);
        const ImportSummary s = importWith(*db, {generatedReports(dir, 300, 5), corpus(QStringLiteral("records.jsonl"))},
                                           Importer::IndexDeferral::Never);
        QVERIFY2(s.fatal.isEmpty() && s.stored == 398, qPrintable(problemsText(s)));
        const QStringList before = answers(*db);
        const QStringList all = indexesOf(connectionOf(*db));
        {
            ReportWriter writer(*db);
            QVERIFY(writer.begin());
            auto dropped = writer.deferIndexes(0, /*force=*/true);
            QVERIFY2(dropped && *dropped, qPrintable(dropped ? QString() : dropped.error()));
            QVERIFY(writer.commit());
            QCOMPARE(indexesOf(connectionOf(*db)).size(), all.size() - 10);
            QCOMPARE(answers(*db), before);
            QVERIFY(writer.restoreIndexes());
        }
        QCOMPARE(indexesOf(connectionOf(*db)), all);
    }

    // kill -9 after the first batch of a bulk import through the CLI: the file
    // is left without the deferred indexes; the next open builds them.
    void killedBulkImportGetsItsIndexesBack()
    {
        QTemporaryDir dir;
        const QString input = generatedReports(dir, 3000, 9);
        const QString dbPath = dir.filePath(QStringLiteral("killed.sqlite3"));
        const QString killed = killImportAfterFirstBatch(
            QStringLiteral(ERRORDECK_CLI),
            {QStringLiteral("import"), QStringLiteral("--quiet"), QStringLiteral("--db"), dbPath, input}, dbPath);
        QVERIFY2(killed.isEmpty(), qPrintable(killed));
        const QStringList wanted = indexesOfNewDatabase(dir);
        {
            Connection c;
            QVERIFY(c.open(dbPath, false, true));
            QCOMPARE(indexesOf(c).size(), wanted.size() - 10); // the import had deferred them
        }
        auto db = Database::open(dbPath);
        QVERIFY2(db, qPrintable(db ? QString() : db.error()));
        QCOMPARE(indexesOf(connectionOf(*db)), wanted);
    }

    // Only into a database with no more reports than the import brings, and
    // only for an import of kBulkMinReports or more.
    void defersOnlyIntoASmallerDatabase()
    {
        QTemporaryDir dir;
        auto db = Database::open(dir.filePath(QStringLiteral("db.sqlite3")));
        QVERIFY(db);
        auto defers = [&](int64_t expected) {
            ReportWriter writer(*db);
            if (!writer.begin())
                return QStringLiteral("begin failed");
            auto r = writer.deferIndexes(expected);
            const QString out = !r ? r.error() : *r ? QStringLiteral("deferred") : QStringLiteral("kept");
            writer.rollback(); // the drop with it
            return out;
        };
        QCOMPARE(defers(ReportWriter::kBulkMinReports - 1), QStringLiteral("kept"));
        QCOMPARE(defers(ReportWriter::kBulkMinReports), QStringLiteral("deferred"));
        QCOMPARE(indexesOf(connectionOf(*db)), indexesOfNewDatabase(dir)); // rolled back
        const ImportSummary s = importWith(*db, {corpus(QStringLiteral("records.jsonl"))}, Importer::IndexDeferral::Never);
        QCOMPARE(s.stored, int64_t(98));
        {
            const TestSideDb testSide;
            // Report ids as a database of 5,000 reports has them.
            QVERIFY(connectionOf(*db).exec("UPDATE reports SET id = 5000 WHERE id = (SELECT max(id) FROM reports)"));
        }
        QCOMPARE(defers(4999), QStringLiteral("kept"));
        QCOMPARE(defers(5000), QStringLiteral("deferred"));
    }

    // A batch's full-text rows reach the index as one segment, written at its
    // commit: FTS5 keeps them in memory until then, unless a statement of the
    // batch opens a statement journal (an INSERT ... RETURNING on SQLite does),
    // which makes it flush its pending terms (xSavepoint), a segment for every
    // report, new issue or release, merged again and again (a third of the
    // writer's work). The file brings new issues and releases too.
    void oneBatchWritesOneFullTextSegment()
    {
        QTemporaryDir dir;
        auto db = Database::open(dir.filePath(QStringLiteral("db.sqlite3")));
        QVERIFY(db);
        auto filters = makeImportFilters(*db);
        QVERIFY(filters);
        Importer importer(*db, *filters->scrubber, *filters->filter);
        importer.setIndexDeferral(Importer::IndexDeferral::Never);
        importer.setBatchSize(1000);
        // Generated reports, each with one of three releases (extra.release).
        QFile in(generatedReports(dir, 60, 4)), out(dir.filePath(QStringLiteral("releases.jsonl")));
        QVERIFY(in.open(QIODevice::ReadOnly) && out.open(QIODevice::WriteOnly));
        for (int i = 0; !in.atEnd(); ++i) {
            QJsonObject record = QJsonDocument::fromJson(in.readLine()).object();
            QJsonObject extra = record.value(QStringLiteral("extra")).toObject();
            extra.insert(QStringLiteral("release"), QStringLiteral("1.%1").arg(i % 3));
            record.insert(QStringLiteral("extra"), extra);
            out.write(QJsonDocument(record).toJson(QJsonDocument::Compact) + '\n');
        }
        out.close();
        const ImportSummary s = importer.run({out.fileName()});
        QVERIFY2(s.fatal.isEmpty() && s.stored == 60, qPrintable(problemsText(s)));
        const TestSideDb testSide;
        Connection &c = connectionOf(*db);
        QVERIFY(*c.scalar("SELECT count(*) FROM issues") > 10);
        QCOMPARE(*c.scalar("SELECT count(*) FROM releases"), int64_t(3));
        QCOMPARE(*c.scalar("SELECT count(*) FROM reports_fts"), int64_t(60));
        QCOMPARE(*c.scalar("SELECT count(DISTINCT segid) FROM reports_fts_idx"), int64_t(1));
    }
};

QTEST_GUILESS_MAIN(TestBulkIndexes)
#include "tst_bulk_indexes.moc"
