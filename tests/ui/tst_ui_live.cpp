// Live updates in the desktop app, offscreen (issue 17, window/LiveRefresh):
// a main window open on a database follows what another connection commits,
// without any user action: an `errordeck-cli import` in another process adds
// an issue (the list, the count and the view counts show it, the selected
// issue stays selected), an issue resolved elsewhere leaves the Unresolved
// view and its page says Resolved, a setting written elsewhere reaches the
// window's settings. A minimised window notes the change and shows it when it
// is restored. QAbstractItemModelTester checks both list models throughout.
#include "models/IssueListModel.h"
#include "models/ReportListModel.h"
#include "store/Config.h"
#include "store/IssueTriage.h"
#include "store/StoreChanges.h"
#include "views/IssuePage.h"
#include "views/IssueListView.h"
#include "views/IssueViewSwitch.h"
#include "views/ReportDetailView.h"
#include "views/ReportListView.h"
#include "views/SearchBar.h"
#include "window/LiveRefresh.h"
#include "window/MainWindow.h"
#include "store/sqlite/Sqlite.h"
#include "TestEngine.h"
#include "UiSupport.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QProcess>
#include <QSignalSpy>

using namespace ed;
using namespace edtest;

namespace {

// Generous: CI's two cores are shared by every test running at once.
constexpr int kFollowsWithinMs = 15000;

QByteArray record(const QString &id, const char *type)
{
    return errorRecordLine(id, QLatin1String(type), 1793613600000); // 2026-11-02T10:00Z
}

} // namespace

class TestUiLive : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_where;
    int m_files = 0;
    std::unique_ptr<MainWindow> m_win;
    std::unique_ptr<Database> m_other; // another app's connection

    IssueListModel *issues() const { return m_win->issueList()->issueModel(); }
    QString tabText(IssueView v) const { return m_win->issueViewSwitch()->tabText(int(v)); }
    QString countText() const { return m_win->findChild<QLabel *>(QStringLiteral("countLabel"))->text(); }
    int rowOf(int64_t issueId) const
    {
        for (int r = 0; r < issues()->rowCount(); ++r)
            if (const IssueRow *i = issues()->issue(r); i && i->id == issueId)
                return r;
        return -1;
    }
    QString batch(const QByteArray &lines)
    {
        const QString file = m_dir.filePath(QStringLiteral("batch%1.jsonl").arg(++m_files));
        writeFile(file, lines);
        return file;
    }
    // The lists settled with `rows` issues, nothing being re-read.
    bool listed(int rows, int timeoutMs = kFollowsWithinMs)
    {
        return QTest::qWaitFor(
            [&] { return firstRowsLoaded(issues()) && !issues()->isRefreshingRows() && issues()->rowCount() == rows; },
            timeoutMs);
    }
    bool select(int64_t issueId)
    {
        const int row = rowOf(issueId);
        if (row < 0)
            return false;
        m_win->issueList()->setCurrentIndex(issues()->index(row, 0));
        return m_win->currentIssueId() == issueId;
    }
    int64_t issueOfEvent(const char *eventId)
    {
        return onTestSide([&] {
            Statement st = connectionOf(*m_other).prepare("SELECT issue_id FROM reports WHERE event_id = ?");
            st.bind(1, QString::fromLatin1(eventId));
            return st.step() ? st.int64(0) : int64_t(-1);
        });
    }
    void importElsewhere(const QByteArray &lines)
    {
        QProcess cli;
        cli.start(QStringLiteral(ERRORDECK_CLI), {QStringLiteral("--db"), m_where, QStringLiteral("import"), batch(lines)});
        QVERIFY(cli.waitForFinished(60000));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        isolate();
        m_where = testDatabaseLocation(m_dir, QStringLiteral("live.sqlite3"));
        auto other = onTestSide([&] { return Database::open(m_where); });
        QVERIFY2(other.ok(), qPrintable(other.ok() ? QString() : other.error()));
        m_other = std::make_unique<Database>(std::move(*other));
        const ImportSummary s = onTestSide([&] {
            return importPlain(*m_other,
                               {batch(record(QStringLiteral("k1"), "KeyError") + record(QStringLiteral("v1"), "ValueError"))});
        });
        QCOMPARE(s.stored, 2);
        m_win = shownMainWindow(m_where);
        QVERIFY(m_win);
        m_win->searchBar()->setRange(SearchBar::AllTime);
        new QAbstractItemModelTester(issues(), QAbstractItemModelTester::FailureReportingMode::QtTest, this);
        new QAbstractItemModelTester(m_win->reportList()->reportModel(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                     this);
        QVERIFY(listed(2));
        QVERIFY(QTest::qWaitFor([&] { return m_win->liveRefresh()->feed()->isWatching(); }, kFollowsWithinMs));
    }

    // Another process imports: a new issue shows, the selection stays.
    void newIssueFromAnotherProcess()
    {
        const int64_t key = issueOfEvent("k1");
        QVERIFY(select(key));
        importElsewhere(record(QStringLiteral("t1"), "TypeError") + record(QStringLiteral("k2"), "KeyError"));
        QVERIFY2(listed(3), qPrintable(QStringLiteral("%1 rows").arg(issues()->rowCount())));
        QVERIFY(rowOf(issueOfEvent("t1")) >= 0);
        QCOMPARE(m_win->currentIssueId(), std::optional<int64_t>(key));
        QTRY_VERIFY_WITH_TIMEOUT(countText().contains(QLatin1Char('3')), kFollowsWithinMs);
        QTRY_VERIFY_WITH_TIMEOUT(tabText(IssueView::Unresolved).contains(QStringLiteral("(3)")), kFollowsWithinMs);
        // The selected issue's reports: k1 and now k2.
        QTRY_COMPARE_WITH_TIMEOUT(m_win->reportList()->reportModel()->rowCount(), 2, kFollowsWithinMs);
    }

    // Another app resolves an issue: it leaves the Unresolved view; in All
    // its page says Resolved.
    void resolvedElsewhere()
    {
        const int64_t value = issueOfEvent("v1");
        m_win->issueViewSwitch()->setView(IssueView::All);
        QVERIFY(listed(3));
        QVERIFY(select(value));
        IssuePage *page = m_win->detail()->issueOnlyPage();
        QTRY_VERIFY_WITH_TIMEOUT(page->summary() && page->summary()->issue.id == value, kFollowsWithinMs);
        QCOMPARE(page->summary()->issue.status, IssueStatus::Unresolved);
        QVERIFY(onTestSide([&] { return IssueTriage(*m_other).resolve({value}); }).ok());
        QTRY_VERIFY_WITH_TIMEOUT(tabText(IssueView::Resolved).contains(QStringLiteral("(1)")), kFollowsWithinMs);
        QTRY_VERIFY_WITH_TIMEOUT(issues()->issue(rowOf(value))->status == IssueStatus::Resolved, kFollowsWithinMs);
        QTRY_VERIFY_WITH_TIMEOUT(page->summary()->issue.status == IssueStatus::Resolved, kFollowsWithinMs);
        QCOMPARE(m_win->currentIssueId(), std::optional<int64_t>(value));
        m_win->issueViewSwitch()->setView(IssueView::Unresolved);
        QVERIFY(listed(2));
        QCOMPARE(rowOf(value), -1);
    }

    // A setting written elsewhere reaches the window's copy.
    void settingElsewhere()
    {
        QVERIFY(waitUntilLoaded(m_win->config()));
        QVERIFY(m_win->config().string(ConfigKey::EmailSubjectPrefix) != QStringLiteral("[live] "));
        QVERIFY(onTestSide([&] { return Config(*m_other).set(ConfigKey::EmailSubjectPrefix, QStringLiteral("[live] ")); }).ok());
        QTRY_COMPARE_WITH_TIMEOUT(m_win->config().string(ConfigKey::EmailSubjectPrefix), QStringLiteral("[live] "),
                                  kFollowsWithinMs);
    }

    // Minimised, the window only notes what changed; restored, it reads it.
    void minimisedWindowCatchesUp()
    {
        LiveRefresh *live = m_win->liveRefresh();
        QSignalSpy refreshed(live, &LiveRefresh::refreshed);
        m_win->showMinimized();
        QTRY_VERIFY_WITH_TIMEOUT(m_win->isMinimized(), 5000);
        QVERIFY(onTestSide([&] {
                    return importPlain(*m_other, {batch(record(QStringLiteral("z1"), "ZeroDivisionError"))});
                }).stored == 1);
        QTRY_VERIFY_WITH_TIMEOUT(live->pending().testFlag(StoreChange::Reports), kFollowsWithinMs);
        QCOMPARE(refreshed.size(), 0);
        QCOMPARE(issues()->rowCount(), 2); // not read while minimised
        m_win->showNormal();
        QTRY_VERIFY_WITH_TIMEOUT(refreshed.size() > 0, kFollowsWithinMs);
        QVERIFY(listed(3));
    }

    void cleanupTestCase()
    {
        m_win.reset();
        m_other.reset();
    }
};

QTEST_MAIN(TestUiLive)
#include "tst_ui_live.moc"
