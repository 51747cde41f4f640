// Watched folders: files and lines appended while watching are stored exactly
// once and never read twice (a line written in two parts, rotation to .1 with
// both files still growing, a rotation chain while nobody watched), Django's
// file-based e-mail folder, the signals, and `errordeck-cli watch` itself.
#include "TestSupport.h"
#include "store/sqlite/Sqlite.h"

#include "store/ReportStore.h"
#include "watch/FolderWatcher.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <csignal>

using namespace edtest;
using namespace ed;

namespace {

// Tests share a loaded 2-core machine with builds: be generous.
constexpr int kTimeoutMs = 60000;

// The corpus's v1 lines, as the Django handler wrote them.
const QList<QByteArray> &corpusLines()
{
    static const QList<QByteArray> lines = [] {
        QList<QByteArray> out;
        for (const QByteArray &l : readFile(corpus(QStringLiteral("records.jsonl"))).split('\n'))
            if (!l.trimmed().isEmpty())
                out << l + '\n';
        return out;
    }();
    return lines;
}

QByteArray lines(int from, int to) // [from, to)
{
    QByteArray out;
    for (int i = from; i < to; ++i)
        out += corpusLines().at(i);
    return out;
}

void append(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Append), qPrintable(path));
    QCOMPARE(f.write(data), data.size());
}

// A folder to watch, a database beside it, and everything the watcher says.
struct Fixture {
    QTemporaryDir dir;
    QString folder, dbPath;
    Database db; // the test's own connection, as the UI would have
    std::unique_ptr<FolderWatcher> watcher;
    int64_t stored = 0, duplicates = 0, rejected = 0, batches = 0;
    QStringList problems, rotated, errors, filesRead;
    QList<qint64> newIssues, regressions;
    int checks = 0;

    Fixture()
    {
        folder = dir.filePath(QStringLiteral("logs"));
        QDir().mkpath(folder);
        dbPath = testDatabaseLocation(dir, QStringLiteral("watch.sqlite3"));
        auto opened = Database::open(dbPath);
        if (opened)
            db = std::move(*opened);
    }
    ~Fixture() { stop(); }

    void start(int pollMs = 400)
    {
        // No scrubbing and no rules: what is counted is what the store does.
        watcher = std::make_unique<FolderWatcher>(dbPath,
                                                  [](Database &) -> Result<ImportFilters> { return nullImportFilters(); });
        watcher->setFolders({folder});
        watcher->setPollInterval(pollMs);
        watcher->setSettleTime(300);
        QObject::connect(watcher.get(), &FolderWatcher::imported, watcher.get(), [this](const WatchBatch &b) {
            ++batches;
            stored += b.summary.stored;
            duplicates += b.summary.duplicates;
            rejected += b.summary.rejected;
            for (const ImportProblem &p : b.summary.problems)
                problems << QStringLiteral("%1:%2: %3").arg(p.file).arg(p.line).arg(p.reason);
            rotated << b.rotated;
            filesRead << b.files;
        });
        QObject::connect(watcher.get(), &FolderWatcher::error, watcher.get(), [this](const QString &m) { errors << m; });
        QObject::connect(watcher.get(), &FolderWatcher::checked, watcher.get(), [this] { ++checks; });
        QObject::connect(watcher.get(), &FolderWatcher::newIssue, watcher.get(), [this](qint64 id) { newIssues << id; });
        QObject::connect(watcher.get(), &FolderWatcher::regression, watcher.get(), [this](qint64 id) { regressions << id; });
        watcher->start();
    }
    void stop()
    {
        if (watcher)
            watcher->stop();
        watcher.reset();
    }
    QString path(const QString &name) const { return folder + QLatin1Char('/') + name; }
    int64_t reports() { return *connectionOf(db).scalar("SELECT count(*) FROM reports"); }
    int64_t distinctEvents() { return *connectionOf(db).scalar("SELECT count(DISTINCT event_id) FROM reports"); }
    // Waits until the watcher has looked at the folder `n` more times.
    bool waitChecks(int n)
    {
        const int target = checks + n;
        QDeadlineTimer deadline(kTimeoutMs);
        while (checks < target && !deadline.hasExpired())
            QTest::qWait(20);
        return checks >= target;
    }
    QString said() const { return (problems + errors).join(QLatin1Char('\n')); }
};

} // namespace

class TestWatch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(corpusLines().size() >= 60); }

    // The importer's side: a small file that grows is not read again from its
    // start (the head hash covers only what was read), and a held last line is
    // neither rejected nor skipped.
    void importerResumesGrowingSmallFileAndHoldsIncompleteLine()
    {
        Fixture f;
        const QString p = f.path(QStringLiteral("grow.jsonl"));
        NullScrubber scrub;
        NullRecordFilter filter;
        writeFile(p, lines(0, 2));
        Importer first(f.db, scrub, filter);
        QCOMPARE(first.run({p}).stored, int64_t(2));
        const QByteArray third = corpusLines().at(2);
        append(p, third.left(third.size() / 2));
        Importer held(f.db, scrub, filter);
        held.setHoldIncompleteLastLine(true);
        ImportSummary s = held.run({p});
        QCOMPARE(s.duplicates, int64_t(0)); // lines 1-2 were not read again
        QCOMPARE(s.resumedLines, int64_t(2));
        QCOMPARE(s.rejected, int64_t(0));
        QVERIFY2(s.problems.empty(), qPrintable(problemsText(s)));
        s = held.run({p}); // again, unchanged: still quiet
        QCOMPARE(s.rejected, int64_t(0));
        append(p, third.mid(third.size() / 2));
        s = held.run({p});
        QCOMPARE(s.stored, int64_t(1));
        QCOMPARE(s.duplicates, int64_t(0));
        QCOMPARE(f.reports(), int64_t(3));
        // Replaced by a file with other content: read afresh.
        writeFile(p, lines(3, 6));
        s = held.run({p});
        QCOMPARE(s.stored, int64_t(3));
        QCOMPARE(s.resumedLines, int64_t(0));
        // Truncated and rewritten shorter with the same first line (copytruncate):
        // read afresh too, the first line a duplicate.
        writeFile(p, lines(3, 4));
        s = held.run({p});
        QCOMPARE(s.duplicates, int64_t(1));
        QCOMPARE(s.resumedLines, int64_t(0));
    }

    void appendsNewFilesSplitLineAndRotationAreStoredOnce()
    {
        Fixture f;
        const QString a = f.path(QStringLiteral("errors.jsonl"));
        writeFile(a, lines(0, 10));
        f.start();
        QTRY_COMPARE_WITH_TIMEOUT(f.reports(), int64_t(10), kTimeoutMs);

        append(a, lines(10, 15));
        QTRY_COMPARE_WITH_TIMEOUT(f.reports(), int64_t(15), kTimeoutMs);

        writeFile(f.path(QStringLiteral("other.jsonl")), lines(15, 20));
        QTRY_COMPARE_WITH_TIMEOUT(f.reports(), int64_t(20), kTimeoutMs);

        // A line written in two parts, with polls in between.
        const QByteArray line = corpusLines().at(20);
        append(a, line.left(line.size() / 3));
        QVERIFY(f.waitChecks(3));
        QCOMPARE(f.reports(), int64_t(20));
        QCOMPARE(f.rejected, int64_t(0));
        append(a, line.mid(line.size() / 3));
        QTRY_COMPARE_WITH_TIMEOUT(f.reports(), int64_t(21), kTimeoutMs);

        // Rotation as RotatingFileHandler does it, while another process still
        // has the old file open: errors.jsonl -> errors.jsonl.1, a new
        // errors.jsonl, and more lines into both.
        QFile stillOpen(a);
        QVERIFY(stillOpen.open(QIODevice::WriteOnly | QIODevice::Append));
        stillOpen.write(lines(21, 23)); // not yet seen by the watcher
        stillOpen.flush();
        QVERIFY(QFile::rename(a, a + QStringLiteral(".1")));
        writeFile(a, lines(23, 25));
        stillOpen.write(lines(25, 26));
        stillOpen.flush();
        QTRY_COMPARE_WITH_TIMEOUT(f.reports(), int64_t(26), kTimeoutMs);
        append(a, lines(26, 28));
        stillOpen.write(lines(28, 30));
        stillOpen.close();
        QTRY_COMPARE_WITH_TIMEOUT(f.reports(), int64_t(30), kTimeoutMs);
        QVERIFY(f.waitChecks(2));

        QCOMPARE(f.reports(), int64_t(30));
        QCOMPARE(f.distinctEvents(), int64_t(30));
        QCOMPARE(f.stored, int64_t(30));
        // Nothing was read twice: no duplicates, no rejections, no complaints.
        QCOMPARE(f.duplicates, int64_t(0));
        QCOMPARE(f.rejected, int64_t(0));
        QVERIFY2(f.problems.isEmpty() && f.errors.isEmpty(), qPrintable(f.said()));
        const QString canonicalFolder = QFileInfo(f.folder).canonicalFilePath();
        QVERIFY2(
            f.rotated.join(QLatin1Char('\n')).contains(QStringLiteral("/errors.jsonl -> %1/errors.jsonl.1").arg(canonicalFolder)),
            qPrintable(f.rotated.join(QLatin1Char('\n'))));
        // One newIssue signal per issue created, with its id.
        const int64_t issues = *connectionOf(f.db).scalar("SELECT count(*) FROM issues");
        QCOMPARE(int64_t(f.newIssues.size()), issues);
        for (qint64 id : std::as_const(f.newIssues))
            QCOMPARE(*connectionOf(f.db).scalar("SELECT count(*) FROM issues WHERE id = " + std::to_string(id)), int64_t(1));
    }

    // logrotate ran while nothing watched: .1 -> .2, errors.jsonl -> .1, a new
    // errors.jsonl; lines had been added to the file before it was renamed.
    void rotationChainWhileNotWatching()
    {
        Fixture f;
        const QString a = f.path(QStringLiteral("errors.jsonl"));
        writeFile(a + QStringLiteral(".1"), lines(30, 35));
        writeFile(a, lines(35, 40));
        f.start();
        QTRY_COMPARE_WITH_TIMEOUT(f.reports(), int64_t(10), kTimeoutMs);
        f.stop();

        append(a, lines(40, 42));
        QVERIFY(QFile::rename(a + QStringLiteral(".1"), a + QStringLiteral(".2")));
        QVERIFY(QFile::rename(a, a + QStringLiteral(".1")));
        writeFile(a, lines(42, 45));

        f.start();
        QTRY_COMPARE_WITH_TIMEOUT(f.reports(), int64_t(15), kTimeoutMs);
        QVERIFY(f.waitChecks(2));
        QCOMPARE(f.reports(), int64_t(15));
        QCOMPARE(f.duplicates, int64_t(0));
        QCOMPARE(f.rotated.size(), 2); // .1 -> .2 and errors.jsonl -> .1
        QCOMPARE(f.rejected, int64_t(0));
        QVERIFY2(f.problems.isEmpty() && f.errors.isEmpty(), qPrintable(f.said()));
    }

    // Django's file-based e-mail backend: new .log files, and messages appended
    // to a file by a connection that is still open. A file read whole is read
    // again only when its size changes.
    void djangoEmailFolder()
    {
        QStringList mails = QDir(corpus(QStringLiteral("emails"))).entryList({QStringLiteral("*.log")}, QDir::Files, QDir::Name);
        QVERIFY(mails.size() >= 3);
        auto mailBytes = [&](int i) { return readFile(corpus(QStringLiteral("emails/")) + mails.at(i)); };
        auto messagesIn = [](const QByteArray &b) { return int64_t(b.count(QByteArray(79, '-') + '\n')); };
        const QByteArray m0 = mailBytes(0), m1 = mailBytes(1), m2 = mailBytes(2);
        QVERIFY(messagesIn(m0) >= 1 && messagesIn(m1) >= 1 && messagesIn(m2) >= 1);

        Fixture f;
        const QString first = f.path(QStringLiteral("20261122-095530-1.log"));
        writeFile(first, m0);
        f.start();
        QTRY_COMPARE_WITH_TIMEOUT(f.reports(), messagesIn(m0), kTimeoutMs);
        QVERIFY2(f.problems.isEmpty() && f.errors.isEmpty(), qPrintable(f.said()));

        append(first, m1); // the same connection sends another message
        QTRY_COMPARE_WITH_TIMEOUT(f.reports(), messagesIn(m0) + messagesIn(m1), kTimeoutMs);
        writeFile(f.path(QStringLiteral("20261122-095531-2.log")), m2);
        QTRY_COMPARE_WITH_TIMEOUT(f.reports(), messagesIn(m0) + messagesIn(m1) + messagesIn(m2), kTimeoutMs);

        // Idle polls read nothing again. First let the batch that stored the last
        // report deliver its (queued) signal, so the snapshot includes it.
        QVERIFY(f.waitChecks(1));
        const int64_t batches = f.batches, duplicates = f.duplicates;
        QVERIFY(f.waitChecks(3));
        QCOMPARE(f.batches, batches);
        QCOMPARE(f.duplicates, duplicates);
        // The appended file was read whole again: its first messages were duplicates.
        QCOMPARE(f.duplicates, messagesIn(m0));
        QCOMPARE(f.stored, f.reports());
        QVERIFY2(f.problems.isEmpty() && f.errors.isEmpty(), qPrintable(f.said()));
    }

    // An issue resolved in the app and seen again: the regression signal.
    void regressionSignal()
    {
        Fixture f;
        const QString a = f.path(QStringLiteral("errors.jsonl"));
        QJsonObject rec = QJsonDocument::fromJson(corpusLines().at(0)).object();
        writeFile(a, QJsonDocument(rec).toJson(QJsonDocument::Compact) + '\n');
        f.start();
        QTRY_COMPARE_WITH_TIMEOUT(f.newIssues.size(), 1, kTimeoutMs);
        const qint64 issue = f.newIssues.first();
        ReportStore store(f.db);
        const auto resolved = store.setIssueStatus(issue, IssueStatus::Resolved);
        QVERIFY2(resolved, qPrintable(resolved ? QString() : resolved.error()));
        rec.insert(QStringLiteral("event_id"), QStringLiteral("0123456789abcdef0123456789abcdef"));
        rec.insert(QStringLiteral("timestamp"), QDateTime::currentDateTimeUtc().addSecs(60).toString(Qt::ISODateWithMs));
        append(a, QJsonDocument(rec).toJson(QJsonDocument::Compact) + '\n');
        QTRY_COMPARE_WITH_TIMEOUT(f.regressions.size(), 1, kTimeoutMs);
        QCOMPARE(f.regressions.first(), issue);
        QCOMPARE(f.newIssues.size(), 1);
        QCOMPARE(store.loadIssue(issue)->status, IssueStatus::Unresolved);
    }

    // A folder that is not there: said once through error(), not every poll.
    void missingFolderIsReportedOnce()
    {
        Fixture f;
        QVERIFY(QDir(f.folder).removeRecursively());
        f.start(200);
        QVERIFY(f.waitChecks(4));
        QCOMPARE(f.errors.size(), 1);
        QVERIFY2(f.errors.first().contains(QStringLiteral("no such file or folder")), qPrintable(f.errors.first()));
        // It appears: watched from then on.
        QDir().mkpath(f.folder);
        writeFile(f.path(QStringLiteral("late.jsonl")), lines(50, 52));
        QTRY_COMPARE_WITH_TIMEOUT(f.reports(), int64_t(2), kTimeoutMs);
    }

    // errordeck-cli watch: a line per import, stops cleanly on SIGTERM.
    void cliWatch()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("logs"));
        QDir().mkpath(folder);
        const QString db = testDatabaseLocation(dir, QStringLiteral("cli.sqlite3"));
        writeFile(folder + QStringLiteral("/a.jsonl"), lines(0, 3));
        QProcess p;
        p.start(QStringLiteral(ERRORDECK_CLI), {QStringLiteral("watch"), QStringLiteral("--db"), db, QStringLiteral("--interval"),
                                                QStringLiteral("0.3"), folder});
        QVERIFY(p.waitForStarted(kTimeoutMs));
        QByteArray out;
        auto readOut = [&] {
            out += p.readAllStandardOutput();
            return out;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(readOut().contains("3 stored, 0 duplicates, 0 rejected"), out.constData(), kTimeoutMs);
        append(folder + QStringLiteral("/a.jsonl"), lines(3, 5));
        QTRY_VERIFY2_WITH_TIMEOUT(readOut().contains("2 stored, 0 duplicates, 0 rejected"), out.constData(), kTimeoutMs);
        p.terminate(); // SIGTERM
        QVERIFY(p.waitForFinished(kTimeoutMs));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(p.exitCode() == 0, err.constData());
        QVERIFY2(err.contains("stopped"), err.constData());
        auto opened = Database::open(db);
        QVERIFY(opened);
        QCOMPARE(*connectionOf(*opened).scalar("SELECT count(*) FROM reports"), int64_t(5));
    }
};

QTEST_GUILESS_MAIN(TestWatch)
#include "tst_watch.moc"
