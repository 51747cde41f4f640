// The job runner (ui/controllers/JobRunner.h) and the UI-thread check
// (core/base/ThreadCheck.h): results come back on the receiver's thread,
// cancelling interrupts a running query, stale results are dropped, writes run
// in order; SQLite on the registered UI thread is fatal, and the main window's
// work (lists, detail, chart, saved searches, issue actions) does none, nor
// do the settings, rules, send and send log dialogs.
#include "base/ThreadCheck.h"
#include "dialogs/SendDialog.h"
#include "dialogs/SendLogDialog.h"
#include "jobs/ConfigCache.h"
#include "jobs/JobRunner.h"
#include "settings/RecipientsPage.h"
#include "settings/RulesPage.h"
#include "settings/SettingsDialog.h"
#include "store/Config.h"
#include "store/RuleStore.h"
#include "models/IssueListModel.h"
#include "models/ReportListModel.h"
#include "models/SavedSearches.h"
#include "store/ReportStore.h"
#include "store/sqlite/Sqlite.h"
#include "views/IssueListView.h"
#include "window/MainWindow.h"
#include "views/ReportDetailView.h"
#include "views/ReportListView.h"
#include "views/TimelineChart.h"
#include "UiSupport.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTreeWidget>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QSemaphore>
#include <QThread>

using namespace ed;

namespace {

// A query that would run for minutes unless interrupted.
constexpr const char *kEndlessQuery =
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000000) SELECT count(*) FROM n";

Result<int64_t> runEndless(Database &db, std::atomic<bool> &started)
{
    Statement st = connectionOf(db).prepare(kEndlessQuery);
    started = true;
    if (!st.step())
        return st.failure();
    return st.int64(0);
}

// Collects UI-thread violations instead of ending the process, for a scope.
struct ViolationRecorder {
    QStringList seen;
    dbthread::ViolationHandler previous;
    ViolationRecorder()
    {
        previous = dbthread::setViolationHandler([this](const QString &m) { seen << m; });
        dbthread::setUiThread(QThread::currentThread());
    }
    ~ViolationRecorder()
    {
        // Registered still (isolate() did it for every test): fatal again from here.
        dbthread::setViolationHandler(previous);
    }
};

} // namespace

class TestUiJobs : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_corpusDb;

private Q_SLOTS:
    void initTestCase()
    {
        edtest::isolate();
        QVERIFY(m_dir.isValid());
        m_corpusDb = edtest::corpusDatabase(m_dir);
    }

    void resultsArriveOnTheReceiversThread()
    {
        JobRunner runner(m_corpusDb);
        // A receiver on the UI thread, and one on a thread of its own.
        QObject here;
        QThread other;
        other.start();
        QObject there;
        there.moveToThread(&other);
        std::atomic<QThread *> workThread{nullptr}, hereThread{nullptr}, thereThread{nullptr};
        runner.run(
            &here, {QStringLiteral("count")},
            [&](JobContext &ctx) {
                workThread = QThread::currentThread();
                return ReportStore(ctx.db()).countReports({});
            },
            [&](Result<int64_t> n) {
                QVERIFY(n && *n > 0);
                hereThread = QThread::currentThread();
            });
        runner.run(
            &there, {QStringLiteral("count")}, [](JobContext &ctx) { return ReportStore(ctx.db()).countReports({}); },
            [&](Result<int64_t>) { thereThread = QThread::currentThread(); });
        QVERIFY(QTest::qWaitFor([&] { return hereThread.load() && thereThread.load(); }, 10000));
        QCOMPARE(hereThread.load(), QThread::currentThread());
        QCOMPARE(thereThread.load(), &other);
        QVERIFY(workThread.load() != QThread::currentThread());
        other.quit();
        other.wait();
    }

    void cancelInterruptsARunningQuery()
    {
        JobRunner runner(m_corpusDb);
        QObject receiver;
        std::atomic<bool> started{false};
        std::atomic<int> kind{-1};
        bool delivered = false;
        runner.run(
            &receiver, {QStringLiteral("endless")},
            [&](JobContext &ctx) {
                auto r = runEndless(ctx.db(), started);
                kind = r ? -2 : int(r.errorKind());
                return r;
            },
            [&](Result<int64_t>) { delivered = true; });
        QVERIFY(QTest::qWaitFor([&] { return started.load(); }, 5000));
        QTest::qWait(100);
        QElapsedTimer t;
        t.start();
        runner.cancel(&receiver, QStringLiteral("endless"));
        QVERIFY(QTest::qWaitFor([&] { return kind.load() != -1; }, 5000));
        QVERIFY2(t.elapsed() < 2000, qPrintable(QString::number(t.elapsed())));
        QCOMPARE(kind.load(), int(ErrorKind::Interrupted));
        QTest::qWait(100);
        QVERIFY(!delivered); // a cancelled job's result is not delivered
        QVERIFY(QTest::qWaitFor([&] { return runner.pending() == 0; }, 5000));
        // The connection goes on serving the next job.
        std::optional<int64_t> n;
        runner.run(
            &receiver, {QStringLiteral("count")}, [](JobContext &ctx) { return ReportStore(ctx.db()).countReports({}); },
            [&](Result<int64_t> r) { n = r ? *r : -1; });
        QVERIFY(QTest::qWaitFor([&] { return n.has_value(); }, 5000));
        QVERIFY(*n > 0);
    }

    void aNewerJobOfTheSameNameMakesTheOlderStale()
    {
        JobRunner runner(m_corpusDb);
        QObject receiver;
        QSemaphore release;
        QList<int> delivered;
        for (int i = 1; i <= 3; ++i) {
            runner.run(
                &receiver, {QStringLiteral("search")},
                [&release, i](JobContext &) {
                    release.acquire();
                    return i;
                },
                [&delivered](int value) { delivered << value; });
        }
        // Another name is not affected.
        runner.run(
            &receiver, {QStringLiteral("other")}, [](JobContext &) { return 10; },
            [&delivered](int value) { delivered << value; });
        release.release(3);
        QVERIFY(QTest::qWaitFor([&] { return runner.pending() == 0; }, 5000));
        QTest::qWait(50);
        std::sort(delivered.begin(), delivered.end());
        QCOMPARE(delivered, (QList<int>{3, 10}));
    }

    void aReceiverGoneGetsNothing()
    {
        JobRunner runner(m_corpusDb);
        auto receiver = std::make_unique<QObject>();
        std::atomic<bool> started{false};
        bool delivered = false;
        runner.run(
            receiver.get(), {QStringLiteral("endless")}, [&](JobContext &ctx) { return runEndless(ctx.db(), started); },
            [&](Result<int64_t>) { delivered = true; });
        QVERIFY(QTest::qWaitFor([&] { return started.load(); }, 5000));
        receiver.reset(); // interrupts its query
        QVERIFY(QTest::qWaitFor([&] { return runner.pending() == 0; }, 5000));
        QTest::qWait(50);
        QVERIFY(!delivered);
    }

    void progressAndWritesInOrder()
    {
        JobRunner runner(m_corpusDb);
        QObject receiver;
        QList<qint64> steps;
        QThread *progressThread = nullptr;
        bool done = false;
        runner.run(
            &receiver,
            {QStringLiteral("steps"), JobRunner::Access::None, 0,
             [&](qint64 step, qint64) {
                 steps << step;
                 progressThread = QThread::currentThread();
             }},
            [](JobContext &ctx) {
                for (int i = 1; i <= 3; ++i)
                    ctx.progress(i, 3);
                return true;
            },
            [&](bool) { done = true; });
        QVERIFY(QTest::qWaitFor([&] { return done; }, 5000));
        QCOMPARE(steps, (QList<qint64>{1, 2, 3}));
        QCOMPARE(progressThread, QThread::currentThread());

        // Unnamed writes: all of them, one after another, in the order asked for.
        SavedSearchModel model(m_corpusDb);
        for (int i = 0; i < 5; ++i)
            model.save(QStringLiteral("same"), QStringLiteral("status:%1").arg(400 + i));
        QVERIFY(QTest::qWaitFor(
            [&] {
                return model.rowCount() == 1 &&
                       model.index(0, 0).data(SavedSearchModel::QueryRole).toString() == QStringLiteral("status:404");
            },
            5000));
        model.remove(model.index(0, 0).data(SavedSearchModel::IdRole).toLongLong());
        QVERIFY(QTest::qWaitFor([&] { return model.rowCount() == 0; }, 5000));
    }

    // A deliberate query on the registered UI thread: the check fires (here
    // through a recording handler); inside AllowOnUiThread, or on a job, it does not.
    void aQueryOnTheUiThreadIsCaught()
    {
        QVERIFY2(dbthread::checksEnabled(), "the tests are built with ERRORDECK_ASSERT_THREADS");
        auto db = edtest::onTestSide([&] { return Database::open(m_corpusDb, /*readOnly=*/true); });
        QVERIFY(db);
        ViolationRecorder recorder;
        (void)ReportStore(*db).countReports({}); // on the UI thread: caught
        QCOMPARE(recorder.seen.size(), 1);
        QVERIFY2(recorder.seen.at(0).contains(QStringLiteral("SQLite on the UI thread: SELECT ")), qPrintable(recorder.seen.at(0)));
        {
            const dbthread::AllowOnUiThread allow("the test checks the database");
            (void)ReportStore(*db).countReports({});
        }
        QCOMPARE(recorder.seen.size(), 1);
        JobRunner runner(m_corpusDb);
        QObject receiver;
        bool done = false;
        runner.run(
            &receiver, {}, [](JobContext &ctx) { return ReportStore(ctx.db()).countReports({}); },
            [&](Result<int64_t>) { done = true; });
        QVERIFY(QTest::qWaitFor([&] { return done; }, 5000));
        QCOMPARE(recorder.seen.size(), 1);
    }

    // Without a handler the check ends the process (qFatal): run in a child.
    void aQueryOnTheUiThreadIsFatal()
    {
        if (qEnvironmentVariableIsSet("ERRORDECK_FATAL_CHILD")) {
            auto db = edtest::onTestSide([&] { return Database::open(m_corpusDb, /*readOnly=*/true); });
            dbthread::setUiThread(QThread::currentThread());
            (void)ReportStore(*db).countReports({});
            return; // not reached
        }
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ERRORDECK_FATAL_CHILD"), QStringLiteral("1"));
        child.setProcessEnvironment(env);
        child.setProcessChannelMode(QProcess::MergedChannels); // QTest logs the qFatal on stdout
        child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("aQueryOnTheUiThreadIsFatal")});
        QVERIFY(child.waitForFinished(30000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);
        const QByteArray out = child.readAll();
        QVERIFY2(out.contains("SQLite on the UI thread: SELECT "), out.constData());
    }

    // The main window with the UI thread registered: loading the lists, a
    // report's detail, the chart, saved searches, resolving and deleting run
    // no SQLite on the UI thread.
    void theMainWindowKeepsSqliteOffTheUiThread()
    {
        const QString path = edtest::corpusDatabase(m_dir, QStringLiteral("window.sqlite3"));
        auto db = edtest::onTestSide([&] { return Database::open(path); });
        QVERIFY(db);
        ViolationRecorder recorder;
        auto win = std::make_unique<MainWindow>(std::move(*db));
        win->resize(1200, 800);
        win->show();
        QVERIFY(QTest::qWaitForWindowExposed(win.get()));
        IssueListModel *issues = win->issueList()->issueModel();
        QVERIFY(
            QTest::qWaitFor([&] { return issues->isCountKnown() && issues->rowCount() > 0 && issues->isRowLoaded(0); }, 10000));
        win->issueList()->setCurrentIndex(issues->index(0, IssueListModel::Title));
        ReportListModel *reports = win->reportList()->reportModel();
        QVERIFY(QTest::qWaitFor([&] { return reports->isCountKnown() && reports->rowCount() > 0 && reports->isRowLoaded(0); },
                                10000));
        win->reportList()->setCurrentIndex(reports->index(0, 0));
        QVERIFY(QTest::qWaitFor([&] { return win->detail()->detail() != nullptr; }, 10000));
        QVERIFY(QTest::qWaitFor([&] { return win->chart()->data().total > 0; }, 10000));
        win->savedSearches()->model()->save(QStringLiteral("500s"), QStringLiteral("status:500"));
        QVERIFY(QTest::qWaitFor([&] { return win->savedSearches()->model()->rowCount() == 1; }, 10000));
        win->action(QStringLiteral("actionResolve"))->trigger();
        QVERIFY(QTest::qWaitFor([&] { return win->action(QStringLiteral("actionEmailAdmins"))->isEnabled(); }, 10000));
        QTest::qWait(200); // the resolve's write and the 404 checks come back
        QVERIFY2(recorder.seen.isEmpty(), qPrintable(recorder.seen.join(u'\n')));
        win.reset(); // the checkpoint at quit runs on a job, waited for
        QVERIFY2(recorder.seen.isEmpty(), qPrintable(recorder.seen.join(u'\n')));
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal")) || QFileInfo(path + QStringLiteral("-wal")).size() == 0);
    }

    // The dialogs with the UI thread registered: the settings, the rules, the
    // send dialog (composing, sending through the file backend, the send log's
    // record) and the send log (its list and an entry) load what the database
    // holds, and write, with no SQLite on the UI thread.
    void theDialogsKeepSqliteOffTheUiThread()
    {
        const QString path = edtest::corpusDatabase(m_dir, QStringLiteral("dialogs.sqlite3"));
        const QString mailDir = m_dir.filePath(QStringLiteral("mail-out"));
        QVERIFY(QDir().mkpath(mailDir));
        int64_t reportId = 0;
        {
            const edtest::TestSideDb testSide;
            auto db = Database::open(path);
            QVERIFY(db);
            Config c(*db);
            QVERIFY(c.set(ConfigKey::Admins, QJsonArray{QJsonArray{QStringLiteral("Ops"), QStringLiteral("ops@example.com")}}));
            QVERIFY(c.set(ConfigKey::EmailBackend, QStringLiteral("file")));
            QVERIFY(c.set(ConfigKey::EmailFilePath, mailDir));
            FilterRule r;
            r.name = QStringLiteral("quiet-warnings");
            r.action = RuleAction::Hide;
            r.belowLevel = 40;
            QVERIFY(RuleStore(*db).add(r));
            reportId = edtest::scalar(*db, "SELECT min(id) FROM reports");
        }
        QVERIFY(reportId > 0);
        ViolationRecorder recorder;
        ConfigCache config(JobRunner::forDatabase(path));

        {
            SettingsDialog dlg(path, config);
            QVERIFY(!dlg.isReady());
            QVERIFY(!dlg.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
            QVERIFY(QTest::qWaitFor([&] { return dlg.isReady(); }, 10000));
            QTableWidget *admins = dlg.recipients()->admins();
            QVERIFY(admins->rowCount() >= 1 && admins->item(0, 1));
            QCOMPARE(admins->item(0, 1)->text(), QStringLiteral("ops@example.com"));
            QTableWidget *rules = dlg.rules()->rules();
            QVERIFY(QTest::qWaitFor([&] { return rules->rowCount() == 1 && rules->isEnabled(); }, 10000));
            QCOMPARE(rules->item(0, 1)->text(), QStringLiteral("quiet-warnings"));
            admins->item(0, 1)->setText(QStringLiteral("ops2@example.com"));
            QSignalSpy applied(&dlg, &SettingsDialog::applied);
            QVERIFY(dlg.apply());
            QVERIFY(applied.wait(10000));
            QVERIFY(applied.first().first().toBool());
            QCOMPARE(config.people(ConfigKey::Admins).value(0).second, QStringLiteral("ops2@example.com"));
        }
        {
            std::unique_ptr<SendDialog> d(SendDialog::forReport(path, nullptr, reportId, MailAudience::Admins));
            QVERIFY(QTest::qWaitFor([&] { return d->isComposed(); }, 10000));
            QCOMPARE(d->findChild<QLineEdit *>(QStringLiteral("sendTo"))->text(), QStringLiteral("ops2@example.com"));
            QSignalSpy logged(d.get(), &SendDialog::attemptLogged);
            d->findChild<QPushButton *>(QStringLiteral("sendButton"))->click();
            QVERIFY(logged.wait(20000));
            QVERIFY2(logged.first().at(1).toBool(), qPrintable(d->findChild<QLabel *>(QStringLiteral("sendStatus"))->text()));
        }
        {
            SendLogDialog log(path, nullptr);
            log.reload();
            QVERIFY(QTest::qWaitFor([&] { return log.isLoaded(); }, 10000));
            QCOMPARE(log.list()->topLevelItemCount(), 1);
            QSignalSpy shown(&log, &SendLogDialog::detailsShown);
            log.selectEntry(log.list()->topLevelItem(0)->data(0, Qt::UserRole + 1).toLongLong());
            QVERIFY(shown.wait(10000));
            QVERIFY2(log.findChild<QPlainTextEdit *>(QStringLiteral("sendLogDetails"))
                         ->toPlainText()
                         .contains(QStringLiteral("To: ops2@example.com")),
                     qPrintable(log.findChild<QPlainTextEdit *>(QStringLiteral("sendLogDetails"))->toPlainText()));
        }
        QVERIFY2(recorder.seen.isEmpty(), qPrintable(recorder.seen.join(u'\n')));
    }

    // A message that went out is logged even when its dialog closes before
    // the writer is free (here: held by another write, as an import holds it).
    void anAttemptIsLoggedAfterItsDialogCloses()
    {
        const QString path = edtest::corpusDatabase(m_dir, QStringLiteral("closing.sqlite3"));
        const QString mailDir = m_dir.filePath(QStringLiteral("mail-closing"));
        QVERIFY(QDir().mkpath(mailDir));
        int64_t reportId = 0;
        {
            const edtest::TestSideDb testSide;
            auto db = Database::open(path);
            Config c(*db);
            QVERIFY(c.set(ConfigKey::Admins, QJsonArray{QJsonArray{QStringLiteral("Ops"), QStringLiteral("ops@example.com")}}));
            QVERIFY(c.set(ConfigKey::EmailBackend, QStringLiteral("file")));
            QVERIFY(c.set(ConfigKey::EmailFilePath, mailDir));
            reportId = edtest::scalar(*db, "SELECT min(id) FROM reports");
        }
        QVERIFY(reportId > 0);
        const auto logged = [&] {
            const edtest::TestSideDb testSide;
            auto db = Database::open(path, /*readOnly=*/true);
            return edtest::scalar(*db, "SELECT count(*) FROM send_log");
        };
        auto runner = JobRunner::forDatabase(path); // the dialog's too
        QSemaphore release;
        QObject holder;
        bool held = false, released = false;
        auto d = std::unique_ptr<SendDialog>(SendDialog::forReport(path, nullptr, reportId, MailAudience::Admins));
        QVERIFY(QTest::qWaitFor([&] { return d->isComposed(); }, 10000));
        runner->run(
            &holder, {QString(), JobRunner::Access::Write},
            [&](JobContext &) {
                held = true;
                release.acquire();
                return 0;
            },
            [&](int) { released = true; });
        QVERIFY(QTest::qWaitFor([&] { return held; }, 10000));
        d->findChild<QPushButton *>(QStringLiteral("sendButton"))->click();
        // Delivered (the file backend wrote it), not logged yet: the writer is held.
        QVERIFY(QTest::qWaitFor([&] { return !QDir(mailDir).entryList(QDir::Files).isEmpty(); }, 20000));
        QTest::qWait(100);
        QCOMPARE(logged(), int64_t(0));
        d.reset(); // the dialog goes before its attempt is logged
        release.release();
        QVERIFY(QTest::qWaitFor([&] { return released; }, 10000));
        QTRY_COMPARE_WITH_TIMEOUT(logged(), int64_t(1), 10000);
    }
};

QTEST_MAIN(TestUiJobs)
#include "tst_ui_jobs.moc"
