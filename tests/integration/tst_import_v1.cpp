// Importing v1 JSON Lines: the corpus, idempotence, resume after a kill, and bad input.
#include "store/ReportStore.h"
#include "TestEngine.h"
#include "TestSupport.h"
#include "store/sqlite/Sqlite.h"

#include <QProcess>
#include <QRegularExpression>
#include <csignal>

using namespace ed;
using namespace edtest;

namespace {

QByteArray corpusBytes() { return readFile(corpus(QStringLiteral("records.jsonl"))); }

int frameTotal(const QJsonObject &record)
{
    int n = 0;
    for (QJsonValue e = record.value(QStringLiteral("exception")); e.isObject(); e = e.toObject().value(QStringLiteral("cause")))
        n += int(e.toObject().value(QStringLiteral("frames")).toArray().size());
    return n;
}

struct Fixture {
    QTemporaryDir dir;
    Database db;
    static Result<Fixture *> make()
    {
        auto *f = new Fixture;
        auto db = Database::open(testDatabaseLocation(f->dir, QStringLiteral("t.sqlite3")));
        if (!db)
            return db.failure();
        f->db = std::move(*db);
        return f;
    }
    QString file(const QString &name, const QByteArray &data)
    {
        const QString p = dir.filePath(name);
        QFile f(p);
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(data);
        return p;
    }
    int64_t reports() { return *connectionOf(db).scalar("SELECT count(*) FROM reports"); }
};

} // namespace

class TestImportV1 : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void corpusImports()
    {
        std::unique_ptr<Fixture> f(*Fixture::make());
        const auto s = importPlain(f->db, {corpus(QStringLiteral("records.jsonl"))});
        QVERIFY2(s.problems.empty(), qPrintable(problemsText(s)));
        QCOMPARE(s.stored, int64_t(98));
        QCOMPARE(s.rejected, int64_t(0));
        ReportStore store(f->db);
        // Exception types and frame counts as in the file.
        for (const QJsonObject &rec : corpusRecords()) {
            auto id = store.findByEventId(rec.value(QStringLiteral("event_id")).toString());
            QVERIFY(id);
            auto d = store.loadReport(*id);
            QVERIFY(d);
            QCOMPARE(d->row.exceptionType,
                     rec.value(QStringLiteral("exception")).toObject().value(QStringLiteral("type")).toString());
            QCOMPARE(d->row.frameCount, frameTotal(rec));
            QCOMPARE(d->row.message, rec.value(QStringLiteral("message")).toString());
        }
        // The recursion report keeps its ~1000 frames.
        SearchQuery rq;
        rq.text = QStringLiteral("type:RecursionError");
        auto rec = store.listReports(rq, 1);
        QVERIFY(rec && rec->size() == 1);
        QVERIFY(rec->front().frameCount > 900);
    }

    void repeatedFailuresShareAnIssue()
    {
        std::unique_ptr<Fixture> f(*Fixture::make());
        importPlain(f->db, {corpus(QStringLiteral("records.jsonl"))});
        ReportStore store(f->db);
        // Every /orders/N/total/ ZeroDivisionError (view_zero) in one issue, whatever N.
        const QJsonArray requests = truth().value(QStringLiteral("requests")).toArray();
        int zeros = 0;
        for (const QJsonValue r : requests)
            zeros += r.toObject().value(QStringLiteral("kind")) == QStringLiteral("zero") ? 1 : 0;
        QVERIFY(zeros > 5);
        // The issues of the reports a search finds, and how many reports it found.
        const auto issuesOf = [&](const char *search, int &reports) {
            SearchQuery q;
            q.text = QString::fromLatin1(search);
            QSet<int64_t> out;
            // The Result is held in a variable: a range-for over *temporary would read
            // a vector destroyed before the loop body runs.
            const auto rows = store.listReports(q, 1000);
            reports = rows ? int(rows->size()) : -1;
            if (rows)
                for (const ReportRow &r : *rows)
                    out.insert(r.issueId);
            return out;
        };
        int found = 0;
        const QSet<int64_t> issues = issuesOf("path:/orders/*/total/", found);
        QCOMPARE(found, zeros);
        QCOMPARE(issues.size(), 1);
        auto issue = store.loadIssue(*issues.begin());
        QCOMPARE(issue->count, int64_t(zeros));
        QCOMPARE(issue->title, QStringLiteral("ZeroDivisionError: division by zero"));
        // The implicit-chain ZeroDivisionError is another failure: another issue.
        QCOMPARE(issuesOf("type:ZeroDivisionError", found).size(), 2);
        QVERIFY(found > 0);
        // 404s of /products/N/ group by the parameterized path.
        QCOMPARE(issuesOf("path:/products/*", found).size(), 1);
        QVERIFY(found > 0);
    }

    void importingTwiceStoresOnce()
    {
        std::unique_ptr<Fixture> f(*Fixture::make());
        const QString path = corpus(QStringLiteral("records.jsonl"));
        QCOMPARE(importPlain(f->db, {path}).stored, int64_t(98));
        const auto again = importPlain(f->db, {path});
        QCOMPARE(again.stored, int64_t(0));
        QCOMPARE(again.resumedLines, int64_t(98));
        // Without the resume offset, every record is recognized as a duplicate.
        ImportSummary s;
        {
            NullScrubber sc;
            NullRecordFilter fl;
            Importer im(f->db, sc, fl);
            im.setResume(false);
            s = im.run({path});
        }
        QCOMPARE(s.stored, int64_t(0));
        QCOMPARE(s.duplicates, int64_t(98));
        // A copy under another name: duplicates by event id.
        const QString copy = f->file(QStringLiteral("copy.jsonl"), corpusBytes());
        const auto c = importPlain(f->db, {copy});
        QCOMPARE(c.duplicates, int64_t(98));
        QCOMPARE(f->reports(), int64_t(98));
        QCOMPARE(*connectionOf(f->db).scalar("SELECT sum(count) FROM issues"), int64_t(98));
    }

    void withoutEventIdContentDecides()
    {
        std::unique_ptr<Fixture> f(*Fixture::make());
        const QByteArray a = "{\"timestamp\":\"2026-11-01T00:00:00Z\",\"level\":\"ERROR\",\"message\":\"no id one\"}"
                             "\n";
        const QByteArray b = "{\"timestamp\":\"2026-11-01T00:00:01Z\",\"level\":\"ERROR\",\"message\":\"no id two\"}"
                             "\n";
        const QString p1 = f->file(QStringLiteral("a.jsonl"), a + b);
        const QString p2 = f->file(QStringLiteral("b.jsonl"), b + a + b);
        QCOMPARE(importPlain(f->db, {p1}).stored, int64_t(2));
        const auto s = importPlain(f->db, {p2});
        QCOMPARE(s.stored, int64_t(0));
        QCOMPARE(s.duplicates, int64_t(3));
    }

    void gzipAndFolders()
    {
        std::unique_ptr<Fixture> f(*Fixture::make());
        QDir(f->dir.path()).mkpath(QStringLiteral("in/nested"));
        f->file(QStringLiteral("in/nested/records.jsonl.gz"), edtest::gzip(corpusBytes()));
        f->file(QStringLiteral("in/readme.txt"), "just notes\n");
        const auto s = importPlain(f->db, {f->dir.filePath(QStringLiteral("in"))});
        QVERIFY2(s.problems.empty(), qPrintable(problemsText(s)));
        QCOMPARE(s.stored, int64_t(98));
        QCOMPARE(s.skippedFiles.size(), 1);
    }

    void badLinesAreRejectedWithFileAndLine()
    {
        std::unique_ptr<Fixture> f(*Fixture::make());
        const QByteArray good =
            "{\"event_id\":\"g1\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"level\":\"ERROR\",\"message\":\"good\"}";
        QByteArray data;
        data += good + "\n"; // 1
        data += "this is not json\n"; // 2
        data += "{\"event_id\":\"x2\",\"level\":\"ERROR\",\"message\":\"no time\"}"
                "\n"; // 3
        data += "{\"event_id\":\"x3\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"message\":\"no level\"}"
                "\n"; // 4
        data += "{\"event_id\":\"x4\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"level\":\"ERROR\"}"
                "\n"; // 5
        data += "{\"event_id\":\"x5\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"level\":\"ERROR\",\"message\":\"m\",\"status_"
                "code\":\"500\"}"
                "\n"; // 6
        data += "{\"event_id\":\"x6\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"level\":\"ERROR\",\"message\":\"bad \xff\xfe "
                "utf8\"}\n"; // 7
        data += "{\"event_id\":\"x7\",\"timestamp\":\"yesterday\",\"level\":\"ERROR\",\"message\":\"m\"}"
                "\n"; // 8
        data += "{\"event_id\":\"x8\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"level\":\"LOUD\",\"message\":\"m\"}"
                "\n"; // 9
        data += "\n"; // 10 blank: fine
        data += "[1,2,3]"
                "\n"; // 11
        data += "{\"format\":\"errordeck/2\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"level\":\"ERROR\",\"message\":\"m\"}"
                "\n"; // 12
        data += "{\"event_id\":\"x9\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"level\":\"ERROR\",\"message\":\"m\",\"exception\":"
                "{\"type\":\"E\",\"frames\":\"nope\"}}"
                "\n"; // 13
        data += "{\"event_id\":\"g4\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"level\":\"ERROR\",\"message\":\"m\",\"exception\":"
                "{\"type\":null,\"value\":\"v\",\"frames\":[]}}\n"; // 14: null type is allowed
        data += "{\"event_id\":\"g2\",\"timestamp\":1795178096.5,\"level\":40,\"message\":\"numeric time and "
                "level\",\"unknown_field\":{\"kept\":true}}"
                "\n"; // 15
        data +=
            "{\"event_id\":\"g3\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"level\":\"ERROR\",\"message\":\"truncated"; // 16: no
                                                                                                                       // newline,
                                                                                                                       // cut
                                                                                                                       // short
        const QString path = f->file(QStringLiteral("bad.jsonl"), data);
        const auto s = importPlain(f->db, {path});
        QCOMPARE(s.stored, int64_t(3));
        QCOMPARE(s.rejected, int64_t(12));
        QMap<int64_t, QString> byLine;
        for (const auto &p : s.problems) {
            QCOMPARE(p.file, path);
            byLine.insert(p.line, p.reason);
        }
        QVERIFY2(byLine.value(2).contains(QStringLiteral("not valid JSON")), qPrintable(byLine.value(2)));
        QVERIFY(byLine.value(3).contains(QStringLiteral("'timestamp'")));
        QVERIFY(byLine.value(4).contains(QStringLiteral("'level'")));
        QVERIFY(byLine.value(5).contains(QStringLiteral("'message'")));
        QVERIFY2(byLine.value(6).contains(QStringLiteral("'status_code' must be an integer")), qPrintable(byLine.value(6)));
        QVERIFY(byLine.value(7).contains(QStringLiteral("UTF-8")));
        QVERIFY(byLine.value(8).contains(QStringLiteral("invalid timestamp")));
        QVERIFY(byLine.value(9).contains(QStringLiteral("unknown level")));
        QVERIFY(!byLine.contains(10));
        QVERIFY(byLine.value(11).contains(QStringLiteral("JSON object")));
        QVERIFY(byLine.value(12).contains(QStringLiteral("unsupported format")));
        QVERIFY(byLine.value(13).contains(QStringLiteral("exception.frames")));
        QVERIFY(!byLine.contains(14));
        QVERIFY2(byLine.value(16).contains(QStringLiteral("no newline")), qPrintable(byLine.value(16)));
        // Nothing half-stored: only the good records and their issues.
        QCOMPARE(f->reports(), int64_t(3));
        QCOMPARE(*connectionOf(f->db).scalar("SELECT count(*) FROM reports_fts"), int64_t(3));
        ReportStore store(f->db);
        auto g2 = store.loadReport(*store.findByEventId(QStringLiteral("g2")));
        QVERIFY(g2);
        QCOMPARE(g2->row.level, 40);
        QCOMPARE(g2->record.value(QStringLiteral("unknown_field")).toObject().value(QStringLiteral("kept")), QJsonValue(true));
    }

    void lastLineWithoutNewlineIsStoredWhenWhole()
    {
        std::unique_ptr<Fixture> f(*Fixture::make());
        QByteArray data = corpusBytes().trimmed(); // the last record loses its newline
        const QString path = f->file(QStringLiteral("nonl.jsonl"), data);
        const auto s = importPlain(f->db, {path});
        QVERIFY2(s.problems.empty(), qPrintable(problemsText(s)));
        QCOMPARE(s.stored, int64_t(98));
    }

    void unterminatedLastLineIsReadAgainOnceComplete()
    {
        std::unique_ptr<Fixture> f(*Fixture::make());
        const QByteArray whole =
            "{\"event_id\":\"w1\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"level\":\"ERROR\",\"message\":\"whole\"}";
        const QString path = f->file(QStringLiteral("grow.jsonl"), whole + "\n" + whole.left(30));
        auto s = importPlain(f->db, {path});
        QCOMPARE(s.stored, int64_t(1));
        QCOMPARE(s.rejected, int64_t(1));
        // The writer finishes the line: the next import picks it up from where it stood.
        QByteArray full = whole;
        full.replace("w1", "w2");
        f->file(QStringLiteral("grow.jsonl"), whole + "\n" + full + "\n");
        s = importPlain(f->db, {path});
        QCOMPARE(s.stored, int64_t(1));
        QCOMPARE(s.rejected, int64_t(0));
        QCOMPARE(f->reports(), int64_t(2));
    }

    void emptyBinaryAndMissingFiles()
    {
        std::unique_ptr<Fixture> f(*Fixture::make());
        const QString empty = f->file(QStringLiteral("empty.jsonl"), QByteArray());
        QByteArray bin(4096, '\0');
        for (int i = 0; i < bin.size(); ++i)
            bin[i] = char((i * 7919) & 0xff);
        const QString binary = f->file(QStringLiteral("image.jsonl"), bin);
        const QString missing = f->dir.filePath(QStringLiteral("missing.jsonl"));
        const auto s = importPlain(f->db, {empty, binary, missing, corpus(QStringLiteral("records.jsonl"))});
        QCOMPARE(s.stored, int64_t(98)); // the good file still imports
        QMap<QString, QString> byFile;
        for (const auto &p : s.problems)
            byFile.insert(p.file, p.reason);
        QVERIFY(byFile.value(empty).contains(QStringLiteral("empty")));
        QVERIFY2(byFile.value(binary).contains(QStringLiteral("binary")), qPrintable(byFile.value(binary)));
        QVERIFY(byFile.value(missing).contains(QStringLiteral("no such file")));
    }

    void truncatedGzipKeepsWhatWasWhole()
    {
        std::unique_ptr<Fixture> f(*Fixture::make());
        QByteArray gz = edtest::gzip(corpusBytes());
        gz.truncate(gz.size() * 2 / 3);
        const QString path = f->file(QStringLiteral("cut.jsonl.gz"), gz);
        const auto s = importPlain(f->db, {path});
        QVERIFY(s.stored > 30);
        QVERIFY(s.stored < 98);
        bool named = false;
        for (const auto &p : s.problems)
            named = named || (p.file == path && p.reason.contains(QStringLiteral("gzip")));
        QVERIFY2(named, qPrintable(problemsText(s)));
        QVERIFY(f->reports() == s.stored);
    }

    void hugeLineIsRejectedNotLoaded()
    {
        std::unique_ptr<Fixture> f(*Fixture::make());
        QByteArray data =
            "{\"event_id\":\"h0\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"level\":\"ERROR\",\"message\":\"before\"}"
            "\n";
        data += "{\"event_id\":\"h1\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"level\":\"ERROR\",\"message\":\"";
        data += QByteArray(50 * 1024 * 1024, 'x');
        data += "\"}\n";
        data += "{\"event_id\":\"h2\",\"timestamp\":\"2026-11-01T00:00:00Z\",\"level\":\"ERROR\",\"message\":\"after\"}"
                "\n";
        const QString path = f->file(QStringLiteral("huge.jsonl"), data);
        data.clear();
        const auto s = importPlain(f->db, {path});
        QCOMPARE(s.stored, int64_t(2));
        QCOMPARE(s.rejected, int64_t(1));
        QCOMPARE(s.problems.front().line, int64_t(2));
        QVERIFY2(s.problems.front().reason.contains(QStringLiteral("MB")), qPrintable(s.problems.front().reason));
    }

    // The disk fills up mid-import (SQLite's max_page_count gives the same
    // SQLITE_FULL a full disk does): a clear fatal error, the batch rolled back,
    // what was committed before intact, and the import completes once there is room.
    void fullDiskStopsCleanly()
    {
        if (onPostgres())
            QSKIP("about the SQLite file filling up (max_page_count): a server's disk is not the client's");
        std::unique_ptr<Fixture> f(*Fixture::make());
        QCOMPARE(importPlain(f->db, {corpus(QStringLiteral("records.jsonl"))}).stored, int64_t(98));
        const int64_t pages = *connectionOf(f->db).scalar("PRAGMA page_count");
        QVERIFY(connectionOf(f->db).exec("PRAGMA max_page_count=" + std::to_string(pages + 8)));
        // More than 8 pages of new reports: the same corpus under fresh event ids.
        QByteArray more;
        for (const QByteArray &line : corpusBytes().split('\n'))
            if (!line.isEmpty())
                more += QByteArray(line).replace("\"event_id\": \"", "\"event_id\": \"more-") + '\n';
        const QString path = f->file(QStringLiteral("more.jsonl"), more);
        const auto s = importPlain(f->db, {path}, 20);
        QVERIFY2(s.fatal.contains(QStringLiteral("full")), qPrintable(s.fatal));
        QVERIFY(s.fatal.contains(f->db.path()));
        const int64_t stored = f->reports();
        QVERIFY(stored >= 98 && stored < 196);
        auto check = connectionOf(f->db).prepare("PRAGMA integrity_check");
        QVERIFY(check.step());
        QCOMPARE(check.qtext(0), QStringLiteral("ok"));
        QCOMPARE(*connectionOf(f->db).scalar("SELECT sum(count + hidden_count) FROM issues"), stored);
        QCOMPARE(*connectionOf(f->db).scalar("SELECT count(*) FROM reports_fts"), stored);
        // Room again: the same import goes on and ends with each report once.
        QVERIFY(connectionOf(f->db).exec("PRAGMA max_page_count=1073741823"));
        const auto again = importPlain(f->db, {path});
        QVERIFY2(again.fatal.isEmpty(), qPrintable(again.fatal));
        QCOMPARE(f->reports(), int64_t(196));
    }

    // A real kill -9 in the middle of an import, then the same import again:
    // the database is consistent and holds every report exactly once; with one
    // worker and with several (the pipeline's writer keeps reading order, so the
    // offset committed with a batch counts exactly the reports stored).
    void killedImportResumesExactlyOnce_data()
    {
        QTest::addColumn<QString>("workers");
        QTest::newRow("one worker") << QStringLiteral("1");
        QTest::newRow("four workers") << QStringLiteral("4");
    }

    void killedImportResumesExactlyOnce()
    {
        QFETCH(QString, workers);
        std::unique_ptr<Fixture> f(*Fixture::make());
        const QList<QByteArray> lines = corpusBytes().split('\n');
        const QString big = f->dir.filePath(QStringLiteral("big.jsonl"));
        int64_t total = 0;
        {
            QFile out(big);
            QVERIFY(out.open(QIODevice::WriteOnly));
            static const QRegularExpression id(QStringLiteral("\"event_id\": \"([0-9a-f]+)\""));
            // PostgreSQL writes more slowly here: 60 copies (5,880 lines) still make
            // two batches of the import's 5,000, so the kill falls after the first.
            const int copies = onPostgres() ? 60 : 150;
            for (int copy = 0; copy < copies; ++copy) {
                for (const QByteArray &l : lines) {
                    if (l.isEmpty())
                        continue;
                    QString s = QString::fromUtf8(l);
                    s.replace(id, QStringLiteral("\"event_id\": \"\\1-%1\"").arg(copy));
                    out.write(s.toUtf8() + '\n');
                    ++total;
                }
            }
        }
        const QString dbPath = testDatabaseLocation(f->dir, QStringLiteral("killed.sqlite3"));
        const QString killed = edtest::killImportAfterFirstBatch(QStringLiteral(ERRORDECK_CLI),
                                                                 {QStringLiteral("import"), QStringLiteral("--quiet"),
                                                                  QStringLiteral("--workers"), workers, QStringLiteral("--db"),
                                                                  dbPath, big},
                                                                 dbPath);
        QVERIFY2(killed.isEmpty(), qPrintable(killed));
        int64_t afterKill = 0;
        int64_t recordedLine = 0;
        {
            auto db = Database::open(dbPath);
            QVERIFY2(db, qPrintable(db ? QString() : db.error()));
            afterKill = *connectionOf(*db).scalar("SELECT count(*) FROM reports");
            if (!onPostgres()) { // the file itself is whole (a server's pages are its own business)
                auto check = connectionOf(*db).prepare("PRAGMA integrity_check");
                QVERIFY(check.step());
                QCOMPARE(check.qtext(0), QStringLiteral("ok"));
            }
            // Issue counts agree with the reports that made it.
            QCOMPARE(*connectionOf(*db).scalar("SELECT sum(count + hidden_count) FROM issues"), afterKill);
            // How far the killed import recorded it got, committed with its reports.
            QCOMPARE(*connectionOf(*db).scalar("SELECT count(*) FROM import_files"), int64_t(1));
            recordedLine = *connectionOf(*db).scalar("SELECT line FROM import_files");
        }
        QVERIFY(afterKill > 0);
        QVERIFY2(afterKill < total, "the import stored everything before it was killed");
        QVERIFY(recordedLine > 0);
        QCOMPARE(recordedLine, afterKill); // every line of big.jsonl is a report
        QProcess p;
        p.start(QStringLiteral(ERRORDECK_CLI), {QStringLiteral("import"), QStringLiteral("--quiet"), QStringLiteral("--json"),
                                                QStringLiteral("--workers"), workers, QStringLiteral("--db"), dbPath, big});
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 0);
        // The second run started at the recorded offset: it skipped exactly the
        // lines recorded, stored the rest, and met no duplicate (reading from the
        // start again would have found afterKill of them).
        const QJsonObject second = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QCOMPARE(second.value(QStringLiteral("resumed_lines")).toInteger(-1), recordedLine);
        QCOMPARE(second.value(QStringLiteral("duplicates")).toInteger(-1), int64_t(0));
        QCOMPARE(second.value(QStringLiteral("stored")).toInteger(-1), total - afterKill);
        auto db = Database::open(dbPath);
        QCOMPARE(*connectionOf(*db).scalar("SELECT count(*) FROM reports"), total);
        QCOMPARE(*connectionOf(*db).scalar("SELECT count(DISTINCT event_id) FROM reports"), total);
        QCOMPARE(*connectionOf(*db).scalar("SELECT sum(count + hidden_count) FROM issues"), total);
        QCOMPARE(*connectionOf(*db).scalar("SELECT count(*) FROM reports_fts"), total);
    }
};

QTEST_GUILESS_MAIN(TestImportV1)
#include "tst_import_v1.moc"
