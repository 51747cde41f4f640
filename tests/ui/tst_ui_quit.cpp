// The app's database at quit, and its File › Back Up Database…: after the
// window closes nothing is left in the -wal, so the one .sqlite3 file a user
// sees (and copies, the obvious backup) holds everything, a resolve done in
// the app included; the backup made from the app while it runs is whole too.
#include "models/IssueListModel.h"
#include "store/sqlite/Sqlite.h"
#include "views/IssueListView.h"
#include "window/DatabaseOpener.h"
#include "window/MainWindow.h"
#include "store/ReportStore.h"
#include "UiSupport.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace ed;

namespace {

int64_t walBytes(const QString &path)
{
    const QFileInfo wal(path + QStringLiteral("-wal"));
    return wal.exists() ? wal.size() : 0;
}

// The main file alone, copied elsewhere as a user would, then opened.
std::unique_ptr<Database> openCopyOfMainFile(const QString &path, const QTemporaryDir &into)
{
    const QString copy = into.filePath(QStringLiteral("copied.sqlite3"));
    QFile::remove(copy);
    if (!QFile::copy(path, copy))
        return nullptr;
    const edtest::TestSideDb testSide;
    auto db = Database::open(copy, /*readOnly=*/true);
    if (!db) {
        qWarning() << db.error();
        return nullptr;
    }
    return std::make_unique<Database>(std::move(*db));
}

int64_t issueStatus(Database &db, int64_t id)
{
    const edtest::TestSideDb testSide;
    Statement st = connectionOf(db).prepare("SELECT status FROM issues WHERE id = ?");
    st.bind(1, id);
    return st.step() ? st.int64(0) : -1;
}

} // namespace

class TestUiQuit : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { edtest::isolate(); }

    // The app's start: an old file opens and is upgraded off the UI thread
    // (isolate() made a UI-thread SQLite call fatal), while the event loop runs.
    void anOldDatabaseUpgradesOffTheUiThread()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.sqlite3"));
        QVERIFY(QFile::copy(QStringLiteral(ERRORDECK_TEST_DATA "/migrations/schema6.sqlite3"), path));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        bool loopRan = false;
        QTimer::singleShot(0, [&] { loopRan = true; });
        auto db = openDatabaseOffTheUiThread(path);
        QVERIFY2(db, db ? "" : qPrintable(db.error()));
        QVERIFY(loopRan);
        const edtest::TestSideDb testSide;
        QCOMPARE(edtest::scalar(*db, "PRAGMA user_version"), 8);
        QVERIFY(edtest::scalar(*db, "SELECT count(*) FROM issue_days") > 0); // the upgrade counted its reports
        auto notAFile = openDatabaseOffTheUiThread(dir.path()) /* a folder */;
        QVERIFY(!notAFile); // an error, delivered the same way
    }

    void nothingLeftInTheWalAtQuit()
    {
        QTemporaryDir dir, elsewhere;
        const QString path = edtest::corpusDatabase(dir);
        int64_t issueId = 0;
        {
            auto db = edtest::onTestSide([&] { return Database::open(path); });
            QVERIFY(db);
            auto win = std::make_unique<MainWindow>(std::move(*db));
            win->resize(1200, 800);
            win->show();
            QVERIFY(QTest::qWaitForWindowExposed(win.get()));
            IssueListModel *issues = win->issueList()->issueModel();
            QVERIFY(edtest::waitUntilLoaded(issues, 1));
            win->issueList()->setCurrentIndex(issues->index(0, IssueListModel::Title));
            QVERIFY(QTest::qWaitFor([&win] { return win->currentIssueId().has_value(); }, 5000));
            issueId = *win->currentIssueId();
            win->action(QStringLiteral("actionResolve"))->trigger();
            QTRY_COMPARE(issueStatus(win->database(), issueId), int64_t(IssueStatus::Resolved)); // written on the job runner

            // The backup from the app, while it runs (its readers open, the resolve in the WAL).
            const QString backup = elsewhere.filePath(QStringLiteral("backup.sqlite3"));
            QSignalSpy backedUp(win.get(), &MainWindow::backupFinished);
            QVERIFY(win->backUpDatabaseTo(backup));
            QVERIFY(!win->backUpDatabaseTo(backup)); // one at a time
            QVERIFY(backedUp.wait(30000));
            QVERIFY2(backedUp.at(0).at(0).toBool(), qPrintable(backedUp.at(0).at(1).toString()));
            QVERIFY(walBytes(path) > 0); // the test is meaningful: the resolve is in the WAL now
            auto copy = edtest::onTestSide([&] { return Database::open(backup, /*readOnly=*/true); });
            QVERIFY2(copy, qPrintable(copy ? QString() : copy.error()));
            QCOMPARE(issueStatus(*copy, issueId), int64_t(IssueStatus::Resolved));
            QCOMPARE(edtest::scalar(*copy, "SELECT count(*) FROM reports"),
                     edtest::scalar(win->database(), "SELECT count(*) FROM reports"));

            QVERIFY(win->close());
        } // the window and every connection of the app go here
        QCOMPARE(walBytes(path), int64_t(0));
        auto copy = openCopyOfMainFile(path, elsewhere);
        QVERIFY(copy);
        QVERIFY(edtest::scalar(*copy, "SELECT count(*) FROM reports") > 0);
        QCOMPARE(issueStatus(*copy, issueId), int64_t(IssueStatus::Resolved));
    }
};

QTEST_MAIN(TestUiQuit)
#include "tst_ui_quit.moc"
