// Watched folders in the desktop app, offscreen: the folders come from Config
// (ERRORDECK_WATCHED_FOLDERS) and the Settings dialog's page; lines appended to
// a JSON Lines file in a watched folder show up in the lists while they are
// open, the selection and scroll position stay where the user left them, and a
// new issue or a regression raises a notification. QAbstractItemModelTester
// checks both list models through every refresh.
#include "models/IssueListModel.h"
#include "views/IssueListView.h"
#include "views/IssueViewSwitch.h"
#include "window/MainWindow.h"
#include "window/AlertController.h"
#include "models/ReportListModel.h"
#include "views/ReportListView.h"
#include "store/ReportStore.h"
#include "views/SearchBar.h"
#include "settings/SettingsDialog.h"
#include "store/sqlite/Sqlite.h"
#include "settings/WatchPage.h"
#include "UiSupport.h"
#include "watch/FolderWatcher.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSplitter>
#include <QUuid>

using namespace ed;

class TestUiWatch : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path, m_folder, m_log;
    std::unique_ptr<MainWindow> m_win;
    std::unique_ptr<Database> m_db; // a second connection, for checking
    QList<QJsonObject> m_records;
    int64_t m_corpusReports = 0, m_corpusIssues = 0; // the corpus imported at once

    IssueListModel *issues() const { return m_win->issueList()->issueModel(); }
    ReportListModel *reports() const { return m_win->reportList()->reportModel(); }
    int64_t count(const char *sql) const { return edtest::scalar(*m_db, sql); }

    void append(const QList<QJsonObject> &records)
    {
        QFile f(m_log);
        QVERIFY(f.open(QIODevice::Append));
        for (const QJsonObject &r : records)
            f.write(QJsonDocument(r).toJson(QJsonDocument::Compact) + '\n');
    }
    // The record again as another event: a new id and the given time.
    static QJsonObject another(QJsonObject r, const QString &timestamp)
    {
        r.insert(QStringLiteral("event_id"), QUuid::createUuid().toString(QUuid::Id128));
        r.insert(QStringLiteral("timestamp"), timestamp);
        return r;
    }
    QJsonObject recordOfIssue(int64_t issueId) const
    {
        const edtest::TestSideDb testSide;
        Statement st = connectionOf(*m_db).prepare("SELECT event_id FROM reports WHERE issue_id = ?");
        st.bind(1, issueId);
        while (st.step()) {
            const QString eventId = st.qtext(0);
            for (const QJsonObject &r : m_records)
                if (r.value(QStringLiteral("event_id")).toString() == eventId)
                    return r;
        }
        return {};
    }
    bool listsSettled(qint64 issueCount)
    {
        return QTest::qWaitFor(
            [&] {
                return edtest::firstRowsLoaded(issues()) && !issues()->isRefreshingRows() && issues()->rowCount() == issueCount;
            },
            30000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        edtest::isolate();
        m_path = m_dir.filePath(QStringLiteral("watch.sqlite3"));
        m_folder = m_dir.filePath(QStringLiteral("watched"));
        QVERIFY(QDir().mkpath(m_folder));
        m_log = m_folder + QStringLiteral("/site.jsonl");
        auto db = edtest::onTestSide([&] { return Database::open(m_path); });
        QVERIFY(db.ok());
        m_win = std::make_unique<MainWindow>(std::move(*db));
        m_win->resize(1300, 700); // the issue list must scroll
        m_win->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_win.get()));
        m_win->searchBar()->setRange(SearchBar::AllTime);
        m_db = std::make_unique<Database>(std::move(*edtest::onTestSide([&] { return Database::open(m_path); })));
        new QAbstractItemModelTester(issues(), QAbstractItemModelTester::FailureReportingMode::QtTest, this);
        new QAbstractItemModelTester(reports(), QAbstractItemModelTester::FailureReportingMode::QtTest, this);
        QFile f(edtest::corpus(QStringLiteral("records.jsonl")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        while (!f.atEnd()) {
            const QByteArray line = f.readLine().trimmed();
            if (!line.isEmpty())
                m_records << QJsonDocument::fromJson(line).object();
        }
        QCOMPARE(m_records.size(), 98);
        const QString referencePath = edtest::corpusDatabase(m_dir, QStringLiteral("reference.sqlite3"));
        auto reference = edtest::onTestSide([&] { return Database::open(referencePath); });
        QVERIFY(reference.ok());
        m_corpusReports = edtest::scalar(*reference, "SELECT count(*) FROM reports");
        m_corpusIssues = edtest::scalar(*reference, "SELECT count(*) FROM issues WHERE count > 0");
        QVERIFY2(m_corpusReports > 50 && m_corpusIssues >= 15,
                 qPrintable(QStringLiteral("%1 reports, %2 issues").arg(m_corpusReports).arg(m_corpusIssues)));
    }

    void cleanupTestCase() { m_win.reset(); }

    // Setting the folders starts the watcher; appended lines show up in the lists.
    void configuredFolderIsWatched()
    {
        QVERIFY(!m_win->folderWatcher());
        QVERIFY(m_win->watchStatusLabel()->isHidden());
        QSignalSpy notified(m_win.get(), &MainWindow::notified);
        QVERIFY(edtest::writeConfig(m_win->config(), ConfigKey::WatchedFolders, QJsonArray{m_folder}));
        QVERIFY(m_win->folderWatcher());
        QVERIFY(m_win->folderWatcher()->isRunning());
        QCOMPARE(m_win->folderWatcher()->folders(), QStringList{m_folder});
        m_win->folderWatcher()->setPollInterval(200);
        QVERIFY(!m_win->watchStatusLabel()->isHidden());
        QVERIFY2(m_win->watchStatusLabel()->text().contains(QStringLiteral("Watching 1 folder")),
                 qPrintable(m_win->watchStatusLabel()->text()));

        QSignalSpy batches(m_win->folderWatcher(), &FolderWatcher::imported);
        const int nudges = m_win->alerts()->nudges();
        append(m_records);
        QTRY_COMPARE_WITH_TIMEOUT(count("SELECT count(*) FROM reports"), m_corpusReports, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(batches.size() > 0, 10000); // queued after the commit
        // Each batch that stored reports nudges the app's alert step.
        QTRY_VERIFY_WITH_TIMEOUT(m_win->alerts()->nudges() > nudges, 10000);
        QVERIFY(listsSettled(m_corpusIssues));
        // A notification per batch for its new issues, not one per issue.
        QTRY_VERIFY_WITH_TIMEOUT(!notified.isEmpty(), 10000);
        QTest::qWait(500);
        QVERIFY(notified.size() <= batches.size());
        QVERIFY2(notified.at(0).at(0).toString().contains(QStringLiteral("new issue")),
                 qPrintable(notified.at(0).at(0).toString()));
        QVERIFY(m_win->watchStatusLabel()->text().contains(QStringLiteral("new report")));
    }

    // New reports of the selected issue and a new issue above it: the lists
    // update in place, the selection follows the issue, the scroll stays.
    void liveRefreshKeepsSelectionAndScroll()
    {
        const qint64 issueCount = count("SELECT count(*) FROM issues WHERE count > 0");
        QVERIFY(listsSettled(issueCount));
        QAbstractItemView *view = m_win->issueList();
        // Short enough to scroll, whatever layout other tests saved.
        m_win->findChild<QSplitter *>(QStringLiteral("listSplitter"))->setSizes({180, 300});
        QTRY_VERIFY(view->verticalScrollBar()->maximum() > 0);
        const int row = int(issueCount) / 2;
        QVERIFY(issues()->issue(row));
        view->scrollTo(issues()->index(row, IssueListModel::Title), QAbstractItemView::PositionAtCenter);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualRect(issues()->index(row, IssueListModel::Title)).center());
        const int64_t issueId = *m_win->currentIssueId();
        QCOMPARE(issueId, issues()->issue(row)->id);
        const int scroll = view->verticalScrollBar()->value();
        QVERIFY(scroll > 0);
        const int64_t eventsBefore = issues()->issue(row)->count;
        // Its latest report, selected in the report list.
        QTRY_VERIFY_WITH_TIMEOUT(m_win->currentReportId().has_value(), 10000);
        const int64_t reportId = *m_win->currentReportId();
        QTRY_VERIFY_WITH_TIMEOUT(reports()->isCountKnown(), 10000);
        const int reportsBefore = reports()->rowCount();

        QSignalSpy notified(m_win.get(), &MainWindow::notified);
        QSignalSpy refreshed(issues(), &PagedModel::rowsRefreshed);
        QSignalSpy resets(issues(), &QAbstractItemModel::modelReset);
        const QJsonObject same = recordOfIssue(issueId);
        QVERIFY(!same.isEmpty());
        QJsonObject fresh = m_records.first(); // a 500 with a traceback
        QJsonObject exc = fresh.value(QStringLiteral("exception")).toObject();
        exc.insert(QStringLiteral("type"), QStringLiteral("WatchedFolderTestError"));
        fresh.insert(QStringLiteral("exception"), exc);
        // Older than anything: the selected issue keeps its place; the new issue is newest.
        append({another(same, QStringLiteral("2026-11-01T08:00:00+00:00")),
                another(same, QStringLiteral("2026-11-01T08:00:01+00:00")),
                another(same, QStringLiteral("2026-11-01T08:00:02+00:00")),
                another(fresh, QStringLiteral("2026-11-23T10:00:00+00:00"))});

        QTRY_VERIFY_WITH_TIMEOUT(refreshed.size() > 0 && listsSettled(issueCount + 1), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(issues()->issue(view->currentIndex().row()) &&
                                     issues()->issue(view->currentIndex().row())->count == eventsBefore + 3,
                                 30000);
        QCOMPARE(resets.size(), 0); // refreshed in place, never reset
        QCOMPARE(m_win->currentIssueId(), std::optional<int64_t>(issueId));
        QCOMPARE(view->currentIndex().row(), row + 1); // the new issue came on top
        QCOMPARE(m_win->issueList()->selectedIssueIds(), QList<int64_t>{issueId});
        QCOMPARE(view->verticalScrollBar()->value(), scroll);
        QVERIFY(issues()->issue(0)->title.startsWith(QStringLiteral("WatchedFolderTestError")));
        // The issue's report list grew, its selected report stayed.
        QTRY_COMPARE_WITH_TIMEOUT(reports()->rowCount(), reportsBefore + 3, 30000);
        QCOMPARE(m_win->currentReportId(), std::optional<int64_t>(reportId));
        // The counts in the status bar follow.
        QTRY_VERIFY_WITH_TIMEOUT(
            m_win->findChild<QLabel *>(QStringLiteral("countLabel"))->text().contains(QString::number(issueCount + 1)), 10000);

        QTRY_VERIFY_WITH_TIMEOUT(!notified.isEmpty(), 10000);
        QCOMPARE(notified.at(0).at(0).toString(), QStringLiteral("1 new issue"));
        QVERIFY2(notified.at(0).at(1).toString().startsWith(QStringLiteral("WatchedFolderTestError")),
                 qPrintable(notified.at(0).at(1).toString()));
    }

    // A resolved issue that gets a new report: a regression notification.
    void regressionIsNotified()
    {
        const int64_t issueId = *m_win->currentIssueId();
        // All: resolving keeps the issue listed and selected (in Unresolved it would leave the list).
        m_win->issueViewSwitch()->setView(IssueView::All);
        IssueListModel *issues = m_win->issueList()->issueModel();
        QVERIFY(edtest::waitUntilLoaded(issues));
        for (int row = 0; row < issues->rowCount(); ++row)
            if (issues->issue(row) && issues->issue(row)->id == issueId)
                m_win->issueList()->setCurrentIndex(issues->index(row, 0));
        QCOMPARE(m_win->currentIssueId(), std::optional<int64_t>(issueId));
        m_win->resolveIssues();
        QTRY_COMPARE(count(qPrintable(QStringLiteral("SELECT status FROM issues WHERE id = %1").arg(issueId))),
                     int64_t(IssueStatus::Resolved));
        QSignalSpy notified(m_win.get(), &MainWindow::notified);
        const int64_t before = count("SELECT count(*) FROM reports");
        QVERIFY(!recordOfIssue(issueId).isEmpty());
        append({another(recordOfIssue(issueId), QDateTime::currentDateTimeUtc().addSecs(60).toString(Qt::ISODateWithMs))});
        QTRY_COMPARE_WITH_TIMEOUT(count("SELECT count(*) FROM reports"), before + 1, 30000);
        QCOMPARE(count(qPrintable(QStringLiteral("SELECT status FROM issues WHERE id = %1").arg(issueId))),
                 int64_t(IssueStatus::Unresolved));
        QTRY_VERIFY_WITH_TIMEOUT(!notified.isEmpty(), 10000);
        QCOMPARE(notified.at(0).at(0).toString(), QStringLiteral("1 regression"));
        QTRY_COMPARE_WITH_TIMEOUT(m_win->currentIssueId(), std::optional<int64_t>(issueId), 10000);
    }

    // Settings › Watched folders: adding and removing folders restarts the watcher.
    void settingsPageEditsTheFolders()
    {
        m_win->openSettings();
        auto *dlg = m_win->findChild<SettingsDialog *>();
        QVERIFY(dlg);
        QTRY_VERIFY(dlg->isReady()); // the settings come from a job
        dlg->showPage(SettingsDialog::Watch);
        WatchPage *page = dlg->watch();
        QVERIFY(page->isVisible());
        QCOMPARE(page->folders(), QStringList{m_folder});
        const QString second = m_dir.filePath(QStringLiteral("second"));
        QVERIFY(QDir().mkpath(second));
        QVERIFY(page->addFolder(second));
        QVERIFY(!page->addFolder(second + QStringLiteral("/"))); // listed already
        QCOMPARE(page->list()->count(), 2);
        QSignalSpy applied(dlg, &SettingsDialog::applied);
        QVERIFY(dlg->apply());
        QVERIFY(applied.wait(10000) && applied.first().first().toBool());
        QCOMPARE(m_win->config().stringList(ConfigKey::WatchedFolders), (QStringList{m_folder, second}));
        QVERIFY(m_win->folderWatcher());
        QCOMPARE(m_win->folderWatcher()->folders(), (QStringList{m_folder, second}));
        QVERIFY(m_win->watchStatusLabel()->text().contains(QStringLiteral("Watching 2 folders")));
        if (const QString shots = qEnvironmentVariable("ERRORDECK_SCREENSHOT_DIR"); !shots.isEmpty()) {
            QTest::qWait(50); // the page's layout settles
            QVERIFY(dlg->grab().save(shots + QStringLiteral("/settings-watch.png")));
        }

        // A file in the new folder is imported too.
        const qint64 before = count("SELECT count(*) FROM reports");
        QFile f(second + QStringLiteral("/other.jsonl"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        QJsonObject r = another(m_records.at(1), QStringLiteral("2026-11-24T10:00:00+00:00"));
        f.write(QJsonDocument(r).toJson(QJsonDocument::Compact) + '\n');
        f.close();
        QTRY_COMPARE_WITH_TIMEOUT(count("SELECT count(*) FROM reports"), before + 1, 30000);

        page->list()->selectAll();
        page->removeSelected();
        applied.clear();
        QVERIFY(dlg->apply());
        QVERIFY(applied.wait(10000) && applied.first().first().toBool()); // written by a job, then the watcher stops
        QVERIFY(!m_win->folderWatcher());
        QVERIFY(m_win->watchStatusLabel()->isHidden());
        dlg->close();
    }
};

QTEST_MAIN(TestUiWatch)
#include "tst_ui_watch.moc"
