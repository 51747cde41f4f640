// Several writers on one database at once (issue 17): importers on their own
// connections (threads with a Database each, errordeck-cli processes), an app
// triaging while a batch is open, a killed importer. On SQLite the file's
// write lock makes them take turns; on PostgreSQL (the .pg run) the store's
// advisory lock does (sqldialect::takeWriteLock). The interleavings are forced:
// a first writer reads what its batch decides on, a second one is started
// and given kHoldMs to get in between (it cannot when the writers take turns:
// it waits for the first one's commit), then the first one commits.
#include "model/RecordPreparer.h"
#include "store/AlertStore.h"
#include "store/IssueTriage.h"
#include "store/ReportWriter.h"
#include "store/sqlite/SqlDialect.h"
#include "store/sqlite/Sqlite.h"
#include "TestEngine.h"
#include "TestSupport.h"

#include <QDateTime>
#include <QProcess>
#include <QScopeGuard>
#include <QThread>

#include <future>
#include <latch>
#include <map>
#include <thread>

using namespace ed;
using namespace edtest;

namespace {

// How long the second writer is given to get in between (it gets in at once
// when nothing stops it: a statement or a commit on a loopback connection).
constexpr int kHoldMs = 300;
constexpr int64_t kHour = 3'600'000;

int64_t nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

// One v1 record of a failure named by its exception type, at `ms`.
QByteArray record(const QString &id, const QString &type, int64_t ms) { return errorRecordLine(id, type, ms); }

// `n` records "PREFIX-i" over the failure types Type<first>..Type<first+types-1>.
QByteArray records(const QString &prefix, int n, int first, int types, int64_t ms = 1'600'000'000'000)
{
    QByteArray out;
    for (int i = 0; i < n; ++i)
        out += record(QStringLiteral("%1-%2").arg(prefix).arg(i), QStringLiteral("Type%1").arg(first + i % types),
                      ms + int64_t(i) * 1000);
    return out;
}

std::unique_ptr<Database> openAt(const QString &location)
{
    auto db = Database::open(location);
    if (!db)
        qFatal("open %s: %s", qPrintable(location), qPrintable(db.error()));
    return std::make_unique<Database>(std::move(*db));
}

// A writer on a connection of its own, as a second importer, host or app has:
// the preparer and ReportWriter the importers use, one record at a time.
struct Writer {
    explicit Writer(const QString &location) : db(openAt(location)), writer(*db), preparer(scrubber, filter, writer.knownParts())
    {
    }
    IngestResult store(const QByteArray &line)
    {
        PreparedRecord prepared;
        preparer.prepare(std::string_view(line.constData(), size_t(line.size())), false, {}, prepared);
        return writer.store(prepared, QStringLiteral("test"));
    }
    std::unique_ptr<Database> db;
    NullScrubber scrubber;
    NullRecordFilter filter;
    ReportWriter writer;
    RecordPreparer preparer;
};

// Runs `second` on another thread while the caller's batch is open, gives it
// kHoldMs, and returns its future; the caller commits and then waits for it.
template <typename F> std::future<std::invoke_result_t<F>> alongside(F second)
{
    auto f = std::async(std::launch::async, std::move(second));
    f.wait_for(std::chrono::milliseconds(kHoldMs));
    return f;
}

template <typename T> QString errorOf(const Result<T> &r) { return r ? QString() : r.error(); }

// fingerprint (hex) -> (count, hidden_count): what a reference import is compared by.
std::map<QString, std::pair<int64_t, int64_t>> perIssue(Database &db)
{
    const TestSideDb testSide;
    std::map<QString, std::pair<int64_t, int64_t>> out;
    Statement st = connectionOf(db).prepare("SELECT fingerprint, count, hidden_count FROM issues");
    while (st.step())
        out[QString::fromLatin1(QByteArray(st.blob(0).data(), qsizetype(st.blob(0).size())).toHex())] = {st.int64(1),
                                                                                                         st.int64(2)};
    return out;
}

// The counters agree with the reports: per issue, and in sum.
void countersMatchReports(Database &db)
{
    QCOMPARE(scalar(db, "SELECT count(*) FROM issues i WHERE count <> (SELECT count(*) FROM reports r"
                        " WHERE r.issue_id = i.id AND r.hidden_by IS NULL) OR hidden_count <> (SELECT count(*) FROM"
                        " reports r WHERE r.issue_id = i.id AND r.hidden_by IS NOT NULL)"),
             int64_t(0));
    QCOMPARE(scalar(db, "SELECT coalesce(sum(count + hidden_count), 0) FROM issues"), scalar(db, "SELECT count(*) FROM reports"));
    QCOMPARE(scalar(db, "SELECT coalesce(sum(visible + hidden), 0) FROM issue_hours"),
             scalar(db, "SELECT count(*) FROM reports"));
    QCOMPARE(scalar(db, "SELECT count(*) FROM reports_fts"), scalar(db, "SELECT count(*) FROM reports"));
    QCOMPARE(scalar(db, "SELECT count(*) FROM (SELECT fingerprint FROM issues GROUP BY fingerprint HAVING count(*) > 1) AS d"),
             int64_t(0));
}

} // namespace

// countersMatchReports, and the test ends at its first mismatch.
#define CHECK_COUNTERS(db)                                                                                                       \
    do {                                                                                                                         \
        countersMatchReports(db);                                                                                                \
        if (QTest::currentTestFailed())                                                                                          \
            return;                                                                                                              \
    } while (false)

class TestConcurrentWriters : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_dbs = 0;

    QString newLocation() { return testDatabaseLocation(m_dir, QStringLiteral("db%1.sqlite3").arg(++m_dbs)); }
    QString file(const QString &name, const QByteArray &data)
    {
        const QString path = m_dir.filePath(name);
        writeFile(path, data);
        return path;
    }
    int64_t issueOf(Database &db, const QString &type)
    {
        const TestSideDb testSide;
        Statement st = connectionOf(db).prepare("SELECT id FROM issues WHERE exception_type = ?");
        st.bind(1, type);
        return st.step() ? st.int64(0) : -1;
    }
    // A committed batch of `lines` by a writer of its own.
    void storeNow(const QString &location, const QList<QByteArray> &lines)
    {
        Writer w(location);
        QVERIFY(w.writer.begin());
        for (const QByteArray &l : lines)
            QCOMPARE(w.store(l).outcome, IngestOutcome::Stored);
        QVERIFY(w.writer.commit());
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // The same record, and a new failure, stored by two writers at once: the
    // record once (the second one's is a duplicate, not a failed batch), one
    // issue, counted as new once.
    void sameRecordAndNewIssueAtOnce()
    {
        const QString at = newLocation();
        Writer first(at), second(at);
        const QByteArray shared = record(QStringLiteral("shared"), QStringLiteral("Fresh"), nowMs());
        QVERIFY(first.writer.begin());
        const IngestResult mine = first.store(shared);
        QCOMPARE(mine.outcome, IngestOutcome::Stored);
        QVERIFY(mine.newIssue);
        auto other = alongside([&] {
            std::vector<IngestResult> rs;
            if (!second.writer.begin())
                return rs;
            rs.push_back(second.store(shared));
            rs.push_back(second.store(record(QStringLiteral("other"), QStringLiteral("Fresh"), nowMs())));
            rs.push_back(IngestResult{});
            rs.back().fatal = !second.writer.commit();
            return rs;
        });
        QVERIFY(first.writer.commit());
        const std::vector<IngestResult> rs = other.get();
        QCOMPARE(rs.size(), size_t(3));
        QVERIFY2(!rs[0].fatal && !rs[1].fatal, qPrintable(rs[0].reason + rs[1].reason));
        QCOMPARE(rs[0].outcome, IngestOutcome::Duplicate);
        QCOMPARE(rs[1].outcome, IngestOutcome::Stored);
        QVERIFY(!rs[1].newIssue);
        QVERIFY(!rs[2].fatal);
        QCOMPARE(rs[1].issueId, mine.issueId);
        QCOMPARE(scalar(*first.db, "SELECT count(*) FROM reports"), int64_t(2));
        QCOMPARE(scalar(*first.db, "SELECT count(*) FROM issues"), int64_t(1));
        CHECK_COUNTERS(*first.db);
    }

    // Report ids grow in the order batches commit, across writers (the alert
    // step reads id ranges): a writer that took ids ahead for a batch
    // (PostgreSQL, ReportRowBatch) does not use them in a later one, after
    // another writer's; and the ids store() answers are the stored ones.
    void idsFollowTheCommits()
    {
        const QString at = newLocation();
        Writer a(at), b(at);
        std::vector<int64_t> ids;
        int n = 0;
        for (Writer *w : {&a, &b, &a, &b, &a}) {
            QVERIFY(w->writer.begin());
            const IngestResult r = w->store(record(QStringLiteral("seq-%1").arg(++n), QStringLiteral("Seq"), nowMs()));
            QCOMPARE(r.outcome, IngestOutcome::Stored);
            QVERIFY(w->writer.commit());
            ids.push_back(r.reportId);
        }
        QStringList given, stored;
        for (int64_t id : ids)
            given << QString::number(id);
        {
            const TestSideDb testSide;
            Statement st = connectionOf(*a.db).prepare("SELECT id FROM reports ORDER BY id");
            while (st.step())
                stored << QString::number(st.int64(0));
        }
        QCOMPARE(stored.join(u' '), given.join(u' ')); // in commit order, each the id store() gave
        CHECK_COUNTERS(*a.db);
    }

    // The same record twice in one batch (the second while the first one's row
    // may still wait to be sent), and again in the next batch: stored once.
    void sameRecordTwiceInABatch()
    {
        const QString at = newLocation();
        Writer w(at);
        const QByteArray twice = record(QStringLiteral("twice"), QStringLiteral("Twice"), nowMs());
        QVERIFY(w.writer.begin());
        QCOMPARE(w.store(twice).outcome, IngestOutcome::Stored);
        QCOMPARE(w.store(twice).outcome, IngestOutcome::Duplicate);
        QCOMPARE(w.store(record(QStringLiteral("once"), QStringLiteral("Twice"), nowMs())).outcome, IngestOutcome::Stored);
        QVERIFY(w.writer.commit());
        QVERIFY(w.writer.begin());
        QCOMPARE(w.store(twice).outcome, IngestOutcome::Duplicate);
        QVERIFY(w.writer.commit());
        QCOMPARE(scalar(*w.db, "SELECT count(*) FROM reports"), int64_t(2));
        CHECK_COUNTERS(*w.db);
    }

    // A writer whose turn does not come within the bound (SQLite's busy timeout;
    // PostgreSQL's lock_timeout before the write lock, sqldialect::writeWaitMs)
    // gives up with the same words on both engines, instead of waiting for the
    // first one's commit (on PostgreSQL it waited for ever); the batch, tried
    // again once the first one is done, is stored.
    void aWriterWaitsForItsTurnAtMostTheBound()
    {
        const int bound = sqldialect::writeWaitMs();
        sqldialect::setWriteWaitMs(500); // before the connections open: SQLite's busy timeout is set then
        const auto restore = qScopeGuard([bound] { sqldialect::setWriteWaitMs(bound); });
        const QString at = newLocation();
        Writer first(at), second(at);
        QVERIFY(first.writer.begin());
        QCOMPARE(first.store(record(QStringLiteral("held"), QStringLiteral("Held"), nowMs())).outcome, IngestOutcome::Stored);
        const QByteArray late = record(QStringLiteral("late"), QStringLiteral("Late"), nowMs());
        auto waited = std::async(std::launch::async, [&]() -> std::pair<bool, QString> {
            if (auto b = second.writer.begin(); !b)
                return {false, b.error()};
            const IngestResult r = second.store(late);
            return {!r.fatal && r.outcome == IngestOutcome::Stored, r.reason};
        });
        if (waited.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
            QVERIFY(first.writer.commit()); // lets it through, so that the test can end
            waited.wait();
            QFAIL("the second writer still waited for its turn 20 s later (bound: 0.5 s)");
        }
        const auto [stored, why] = waited.get();
        QVERIFY(!stored);
        QVERIFY2(why.startsWith(QStringLiteral("cannot start writing to %1: another writer has held the store for 0.5 s; "
                                               "try again when it is done (")
                                    .arg(first.db->path())),
                 qPrintable(why));
        second.writer.rollback();
        QVERIFY(first.writer.commit());
        QVERIFY(second.writer.begin());
        QCOMPARE(second.store(late).outcome, IngestOutcome::Stored);
        QVERIFY(second.writer.commit());
        QCOMPARE(scalar(*first.db, "SELECT count(*) FROM reports"), int64_t(2));
        CHECK_COUNTERS(*first.db);
    }

    // A resolved issue's new reports from two writers at once: one regression,
    // and one alert event for it.
    void regressionSeenOnce()
    {
        const QString at = newLocation();
        Writer first(at), second(at);
        QVERIFY(AlertStore(*first.db).addRule(
            AlertRule{0, QStringLiteral("back"), AlertKind::Regression, {}, {QStringLiteral("ADMINS")}}));
        storeNow(at, {record(QStringLiteral("old"), QStringLiteral("Back"), nowMs() - kHour)});
        const int64_t issue = issueOf(*first.db, QStringLiteral("Back"));
        QVERIFY(IssueTriage(*first.db).resolve({issue}));
        QVERIFY(first.writer.begin());
        const IngestResult mine = first.store(record(QStringLiteral("new1"), QStringLiteral("Back"), nowMs() + kHour));
        QCOMPARE(mine.outcome, IngestOutcome::Stored);
        QVERIFY(mine.regression);
        auto other = alongside([&] {
            IngestResult r;
            if (!second.writer.begin())
                return r;
            r = second.store(record(QStringLiteral("new2"), QStringLiteral("Back"), nowMs() + kHour));
            if (!second.writer.commit())
                r.fatal = true;
            return r;
        });
        QVERIFY(first.writer.commit());
        const IngestResult theirs = other.get();
        QVERIFY2(!theirs.fatal, qPrintable(theirs.reason));
        QCOMPARE(theirs.outcome, IngestOutcome::Stored);
        QVERIFY(!theirs.regression);
        QCOMPARE(scalar(*first.db, "SELECT count(*) FROM alert_events WHERE regression <> 0"), int64_t(1));
        QCOMPARE(scalar(*first.db, "SELECT status FROM issues"), int64_t(0));
        QCOMPARE(scalar(*first.db, "SELECT regression FROM issues"), int64_t(1));
        QCOMPARE(scalar(*first.db, "SELECT count FROM issues"), int64_t(3));
        CHECK_COUNTERS(*first.db);
    }

    // An app resolves an issue while a batch is open that reopens it (or ends
    // its ignore) from what it read before: the resolution, being the newer
    // decision, stays; the counts are exact.
    void resolveWhileABatchReopens_data()
    {
        QTest::addColumn<bool>("ignored");
        QTest::newRow("resolved, a newer report") << false;
        QTest::newRow("ignored until one more report") << true;
    }
    void resolveWhileABatchReopens()
    {
        QFETCH(bool, ignored);
        const QString at = newLocation();
        Writer watch(at);
        auto app = openAt(at);
        storeNow(at, {record(QStringLiteral("old"), QStringLiteral("Flaky"), nowMs() - kHour)});
        const int64_t issue = issueOf(*app, QStringLiteral("Flaky"));
        if (ignored)
            QVERIFY(IssueTriage(*app).ignore({issue}, IgnoreUntil{{}, 1}));
        else
            QVERIFY(IssueTriage(*app).resolve({issue}));
        QTest::qWait(5);
        const int64_t reportAt = nowMs(); // after the first decision, before the app's
        QTest::qWait(5);
        QVERIFY(watch.writer.begin());
        const IngestResult r = watch.store(record(QStringLiteral("new"), QStringLiteral("Flaky"), reportAt));
        QCOMPARE(r.outcome, IngestOutcome::Stored);
        QCOMPARE(r.regression, !ignored);
        auto resolved = alongside([&] { return errorOf(IssueTriage(*app).resolve({issue})); });
        QVERIFY(watch.writer.commit());
        QCOMPARE(resolved.get(), QString());
        QCOMPARE(scalar(*app, "SELECT status FROM issues"), int64_t(1));
        QVERIFY(scalar(*app, "SELECT resolved_at FROM issues") > reportAt);
        QCOMPARE(scalar(*app, "SELECT regression FROM issues"), int64_t(0));
        QCOMPARE(scalar(*app, "SELECT count FROM issues"), int64_t(2));
        // A report from after the resolution still reopens it, once.
        Writer later(at);
        QVERIFY(later.writer.begin());
        QVERIFY(later.store(record(QStringLiteral("after"), QStringLiteral("Flaky"), nowMs() + kHour)).regression);
        QVERIFY(!later.store(record(QStringLiteral("after2"), QStringLiteral("Flaky"), nowMs() + kHour)).regression);
        QVERIFY(later.writer.commit());
        QCOMPARE(scalar(*app, "SELECT status FROM issues"), int64_t(0));
        CHECK_COUNTERS(*app);
    }

    // A merge while a batch adds reports to the issue merged away: they end
    // up in the issue merged into (moved, or landing there), with its counts.
    void mergeWhileABatchAdds()
    {
        const QString at = newLocation();
        Writer watch(at);
        auto app = openAt(at);
        storeNow(at, {record(QStringLiteral("a"), QStringLiteral("Kept"), nowMs()),
                      record(QStringLiteral("b"), QStringLiteral("Gone"), nowMs())});
        const int64_t kept = issueOf(*app, QStringLiteral("Kept")), gone = issueOf(*app, QStringLiteral("Gone"));
        QVERIFY(watch.writer.begin());
        for (int i = 0; i < 3; ++i)
            QCOMPARE(watch.store(record(QStringLiteral("g%1").arg(i), QStringLiteral("Gone"), nowMs())).outcome,
                     IngestOutcome::Stored);
        auto merged = alongside([&] { return errorOf(IssueTriage(*app).merge(kept, {gone})); });
        QVERIFY(watch.writer.commit());
        QCOMPARE(merged.get(), QString());
        const QByteArray inGone = "SELECT count(*) FROM reports WHERE issue_id = " + QByteArray::number(gone);
        QCOMPARE(scalar(*app, inGone.constData()), int64_t(0));
        QCOMPARE(scalar(*app, "SELECT count FROM issues WHERE exception_type = 'Kept'"), int64_t(5));
        CHECK_COUNTERS(*app);
    }

    // A split while a batch adds reports of the fingerprint merged away (they
    // land in the merged issue): they go back with the others, counts exact.
    void splitWhileABatchAdds()
    {
        const QString at = newLocation();
        Writer watch(at);
        auto app = openAt(at);
        storeNow(at, {record(QStringLiteral("a"), QStringLiteral("Kept"), nowMs()),
                      record(QStringLiteral("b"), QStringLiteral("Gone"), nowMs())});
        const int64_t kept = issueOf(*app, QStringLiteral("Kept")), gone = issueOf(*app, QStringLiteral("Gone"));
        QVERIFY(IssueTriage(*app).merge(kept, {gone}));
        QVERIFY(watch.writer.begin());
        for (int i = 0; i < 3; ++i) {
            const IngestResult r = watch.store(record(QStringLiteral("g%1").arg(i), QStringLiteral("Gone"), nowMs()));
            QCOMPARE(r.outcome, IngestOutcome::Stored);
            QCOMPARE(r.issueId, kept);
        }
        auto split = alongside([&] { return errorOf(IssueTriage(*app).split(kept)); });
        QVERIFY(watch.writer.commit());
        QCOMPARE(split.get(), QString());
        QCOMPARE(scalar(*app, "SELECT count(*) FROM reports WHERE origin_issue IS NOT NULL"), int64_t(0));
        QCOMPARE(scalar(*app, "SELECT count FROM issues WHERE exception_type = 'Gone'"), int64_t(4));
        QCOMPARE(scalar(*app, "SELECT count FROM issues WHERE exception_type = 'Kept'"), int64_t(1));
        CHECK_COUNTERS(*app);
    }

    // Two importers (a Database each, in threads) on overlapping files at once,
    // in small batches: every record stored once, each issue's counts those
    // of one import of all the files.
    void twoImportersOnOverlappingFiles()
    {
        const QString shared = file(QStringLiteral("shared.jsonl"), records(QStringLiteral("s"), 300, 0, 30));
        const QString a = file(QStringLiteral("a.jsonl"), records(QStringLiteral("a"), 200, 0, 20));
        const QString b = file(QStringLiteral("b.jsonl"), records(QStringLiteral("b"), 200, 10, 30));
        auto reference = openAt(newLocation());
        const ImportSummary all = importPlain(*reference, {shared, a, b});
        QVERIFY2(all.fatal.isEmpty(), qPrintable(all.fatal));
        QCOMPARE(all.stored, int64_t(700));
        const auto want = perIssue(*reference);
        for (int round = 0; round < 2; ++round) {
            const QString at = newLocation();
            auto one = openAt(at), two = openAt(at);
            std::latch start(2);
            auto run = [&start](Database &db, QStringList paths) {
                start.arrive_and_wait();
                return importPlain(db, paths, 16);
            };
            auto f1 = std::async(std::launch::async, run, std::ref(*one), QStringList{shared, a});
            auto f2 = std::async(std::launch::async, run, std::ref(*two), QStringList{shared, b});
            const ImportSummary s1 = f1.get(), s2 = f2.get();
            QVERIFY2(s1.fatal.isEmpty(), qPrintable(s1.fatal));
            QVERIFY2(s2.fatal.isEmpty(), qPrintable(s2.fatal));
            QCOMPARE(s1.stored + s2.stored, int64_t(700));
            QCOMPARE(s1.duplicates + s2.duplicates + s1.resumedLines + s2.resumedLines, int64_t(300));
            QCOMPARE(s1.newIssues + s2.newIssues, int64_t(want.size()));
            QCOMPARE(scalar(*one, "SELECT count(DISTINCT event_id) FROM reports"), int64_t(700));
            QCOMPARE(perIssue(*one), want);
            CHECK_COUNTERS(*one);
        }
    }

    // The same with two errordeck-cli import processes (--db: a file, or the
    // server's URL with PGPASSWORD from this process's environment).
    void twoCliImportsOnOverlappingFiles()
    {
        const QString shared = file(QStringLiteral("cli-shared.jsonl"), records(QStringLiteral("cs"), 400, 0, 40));
        const QString a = file(QStringLiteral("cli-a.jsonl"), records(QStringLiteral("ca"), 200, 5, 20));
        const QString b = file(QStringLiteral("cli-b.jsonl"), records(QStringLiteral("cb"), 200, 20, 30));
        auto reference = openAt(newLocation());
        QVERIFY(importPlain(*reference, {shared, a, b}).stored == 800);
        const QString at = newLocation();
        QProcess p1, p2;
        for (auto [p, own] : {std::pair{&p1, a}, std::pair{&p2, b}})
            p->start(QStringLiteral(ERRORDECK_CLI),
                     {QStringLiteral("import"), QStringLiteral("--json"), QStringLiteral("--db"), at, shared, own});
        QVERIFY(p1.waitForStarted() && p2.waitForStarted());
        QVERIFY(p1.waitForFinished(120000) && p2.waitForFinished(120000));
        for (QProcess *p : {&p1, &p2})
            QVERIFY2(p->exitStatus() == QProcess::NormalExit && p->exitCode() == 0, p->readAllStandardError().constData());
        const QJsonObject s1 = QJsonDocument::fromJson(p1.readAllStandardOutput()).object();
        const QJsonObject s2 = QJsonDocument::fromJson(p2.readAllStandardOutput()).object();
        QCOMPARE(s1.value(QStringLiteral("stored")).toInteger() + s2.value(QStringLiteral("stored")).toInteger(), qint64(800));
        auto db = openAt(at);
        QCOMPARE(scalar(*db, "SELECT count(DISTINCT event_id) FROM reports"), int64_t(800));
        QCOMPARE(perIssue(*db), perIssue(*reference));
        CHECK_COUNTERS(*db);
    }

    // An importer killed (SIGKILL) after its first batch, while another one
    // imports an overlapping file; then the file again: every record once,
    // the counters exact.
    void killedImporterThenReimport()
    {
        const QString big = file(QStringLiteral("big.jsonl"), records(QStringLiteral("k"), 8000, 0, 40));
        const QString part = file(QStringLiteral("part.jsonl"), records(QStringLiteral("k"), 2000, 0, 40));
        const QString at = newLocation();
        auto other = openAt(at);
        auto alongsideImport = std::async(std::launch::async, [&] { return importPlain(*other, {part}, 64); });
        const QString killed = killImportAfterFirstBatch(
            QStringLiteral(ERRORDECK_CLI), {QStringLiteral("import"), QStringLiteral("--quiet"), QStringLiteral("--db"), at, big},
            at, big);
        QVERIFY2(killed.isEmpty(), qPrintable(killed));
        const ImportSummary s = alongsideImport.get();
        QVERIFY2(s.fatal.isEmpty(), qPrintable(s.fatal));
        auto db = openAt(at);
        const int64_t afterKill = scalar(*db, "SELECT count(*) FROM reports");
        QVERIFY(afterKill > 0 && afterKill < 8000);
        CHECK_COUNTERS(*db);
        const ImportSummary again = importPlain(*db, {big});
        QVERIFY2(again.fatal.isEmpty(), qPrintable(again.fatal));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports"), int64_t(8000));
        QCOMPARE(scalar(*db, "SELECT count(DISTINCT event_id) FROM reports"), int64_t(8000));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM issues"), int64_t(40));
        CHECK_COUNTERS(*db);
    }
};

QTEST_GUILESS_MAIN(TestConcurrentWriters)
#include "tst_concurrent_writers.moc"
