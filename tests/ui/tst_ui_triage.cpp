// Triage in the app (issue 14), offscreen through the real main window: the
// view switch (Unresolved by default: resolved and ignored issues leave it;
// counts on each tab), ignoring for a time and until more reports, merging
// the selected issues and splitting them again, deleting an issue with its
// reports; merge, split and delete ask first with No as the default.
#include "models/IssueListModel.h"
#include "store/ReportStore.h"
#include "store/sqlite/Sqlite.h"
#include "views/IssueListView.h"
#include "views/IssueViewSwitch.h"
#include "views/SearchBar.h"
#include "window/MainWindow.h"
#include "window/TriageController.h"
#include "UiSupport.h"

#include <QAction>
#include <QApplication>
#include <QDateTime>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>

using namespace ed;

namespace {

QByteArray record(const QString &id, const char *type, int64_t ms)
{
    return edtest::errorRecordLine(id, QLatin1String(type), ms);
}

// Answers the next question box with `answer`; `defaultWasNo` says what its
// default button was.
void answerNextQuestion(QMessageBox::StandardButton answer, std::shared_ptr<std::optional<bool>> defaultWasNo)
{
    auto *timer = new QTimer;
    QObject::connect(timer, &QTimer::timeout, timer, [timer, answer, defaultWasNo] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        *defaultWasNo = box->defaultButton() == box->button(QMessageBox::No);
        box->button(answer)->click();
        timer->deleteLater();
    });
    timer->start(10);
}

} // namespace

class TestUiTriage : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_win;
    std::unique_ptr<Database> m_db; // a second connection for setup and checks
    int m_files = 0;

    IssueListModel *issues() const { return m_win->issueList()->issueModel(); }
    static bool loaded(PagedModel *m) { return edtest::waitUntilLoaded(m); }
    int64_t count(const QString &sql) const
    {
        const edtest::TestSideDb testSide;
        return *connectionOf(*m_db).scalar(sql.toStdString());
    }
    void import(const QByteArray &lines)
    {
        const QString file = m_dir.filePath(QStringLiteral("batch%1.jsonl").arg(++m_files));
        edtest::writeFile(file, lines);
        const edtest::TestSideDb testSide;
        QVERIFY(edtest::importPlain(*m_db, {file}).stored > 0);
    }
    int64_t issueOf(const char *eventId) const
    {
        return count(QStringLiteral("SELECT issue_id FROM reports WHERE event_id = '%1'").arg(QLatin1String(eventId)));
    }
    QList<int64_t> listedIds() const
    {
        QList<int64_t> ids;
        for (int r = 0; r < issues()->rowCount(); ++r)
            if (const IssueRow *i = issues()->issue(r))
                ids << i->id;
        std::sort(ids.begin(), ids.end());
        return ids;
    }
    // Selects these issues in the list as a user would, the first one named current.
    bool select(const QList<int64_t> &ids)
    {
        if (!loaded(issues()))
            return false;
        QAbstractItemView *v = m_win->issueList();
        v->setFocus();
        v->selectionModel()->clearSelection();
        for (int r = 0; r < issues()->rowCount(); ++r)
            if (ids.contains(issues()->issue(r)->id))
                v->selectionModel()->select(issues()->index(r, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        for (int r = 0; r < issues()->rowCount(); ++r)
            if (issues()->issue(r)->id == ids.value(0))
                v->selectionModel()->setCurrentIndex(issues()->index(r, 0), QItemSelectionModel::NoUpdate);
        const bool all = m_win->issueList()->selectedIssueIds().size() == ids.size() && m_win->currentIssueId() == ids.value(0);
        if (!all)
            qWarning() << "listed" << listedIds() << "selected" << m_win->issueList()->selectedIssueIds() << "wanted" << ids;
        return all;
    }
    QString tabText(IssueView v) const { return m_win->issueViewSwitch()->tabText(int(v)); }
    // The view chosen and its rows loaded.
    bool show(IssueView v)
    {
        m_win->issueViewSwitch()->setView(v);
        return loaded(issues());
    }

private Q_SLOTS:
    void initTestCase()
    {
        edtest::isolate();
        const QString path = m_dir.filePath(QStringLiteral("triage.sqlite3"));
        auto db = edtest::onTestSide([&] { return Database::open(path); });
        QVERIFY(db.ok());
        m_db = std::make_unique<Database>(std::move(*edtest::onTestSide([&] { return Database::open(path); })));
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
        import(record(QStringLiteral("k1"), "KeyError", now - 3'600'000) +
               record(QStringLiteral("v1"), "ValueError", now - 3'600'000) +
               record(QStringLiteral("t1"), "TypeError", now - 3'600'000) +
               record(QStringLiteral("o1"), "OSError", now - 3'600'000));
        m_win = std::make_unique<MainWindow>(std::move(*db));
        m_win->resize(1400, 900);
        m_win->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_win.get()));
    }

    void init()
    {
        m_win->searchBar()->setRange(SearchBar::AllTime);
        m_win->searchBar()->setText(QString());
        QVERIFY(show(IssueView::Unresolved));
    }

    // Unresolved is the view the window opens on; resolving and ignoring take
    // issues out of it at once, into their own views, and the tabs count them.
    void defaultViewHidesResolvedAndIgnored()
    {
        QCOMPARE(m_win->issueViewSwitch()->view(), IssueView::Unresolved);
        const int64_t key = issueOf("k1"), value = issueOf("v1");
        QCOMPARE(listedIds().size(), 4);
        QVERIFY(select({key}));
        m_win->action(QStringLiteral("actionResolve"))->trigger();
        QTRY_VERIFY(!listedIds().contains(key)); // written on the job runner, then the list re-read
        QVERIFY(loaded(issues()));
        QCOMPARE(listedIds().size(), 3);
        QVERIFY(select({value}));
        m_win->action(QStringLiteral("actionIgnore1h"))->trigger();
        QTRY_VERIFY(!listedIds().contains(value));
        QVERIFY(count(QStringLiteral("SELECT ignore_until > %1 FROM issues WHERE id = %2")
                          .arg(QDateTime::currentMSecsSinceEpoch() + 3'000'000)
                          .arg(value)));
        QTRY_COMPARE(tabText(IssueView::Unresolved), QStringLiteral("Unresolved (2)"));
        QCOMPARE(tabText(IssueView::Resolved), QStringLiteral("Resolved (1)"));
        QCOMPARE(tabText(IssueView::Ignored), QStringLiteral("Ignored (1)"));
        QCOMPARE(tabText(IssueView::All), QStringLiteral("All (4)"));
        QVERIFY(show(IssueView::Resolved));
        QCOMPARE(listedIds(), QList<int64_t>{key});
        QVERIFY(show(IssueView::Ignored));
        QCOMPARE(listedIds(), QList<int64_t>{value});
        // With the search box: the view narrows what the search finds, the counts follow.
        m_win->searchBar()->setText(QStringLiteral("type:KeyError"));
        QVERIFY(loaded(issues()));
        QCOMPARE(listedIds(), QList<int64_t>{});
        // The Resolved count reads the same before and after the search's
        // counts come back: wait on the one that changes.
        QTRY_COMPARE(tabText(IssueView::Ignored), QStringLiteral("Ignored (0)"));
        QCOMPARE(tabText(IssueView::Resolved), QStringLiteral("Resolved (1)"));
        // Reopened: back in Unresolved.
        m_win->searchBar()->setText(QString());
        QVERIFY(show(IssueView::All));
        QVERIFY(select({key, value}));
        m_win->action(QStringLiteral("actionReopen"))->trigger();
        QTRY_COMPARE(count(QStringLiteral("SELECT count(*) FROM issues WHERE status = 0")), int64_t(4));
        QVERIFY(show(IssueView::Unresolved));
        QCOMPARE(listedIds().size(), 4);
    }

    // Ignored until 10 more reports: out of the list, back after the tenth.
    void ignoreUntilMoreReports()
    {
        const int64_t type = issueOf("t1");
        QVERIFY(select({type}));
        m_win->action(QStringLiteral("actionIgnore10"))->trigger();
        QTRY_VERIFY(!listedIds().contains(type));
        QByteArray nine, tenth;
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
        for (int i = 0; i < 9; ++i)
            nine += record(QStringLiteral("t-more-%1").arg(i), "TypeError", now - 60'000 + i);
        import(nine);
        m_win->refresh();
        QVERIFY(loaded(issues()));
        QVERIFY(!listedIds().contains(type));
        import(record(QStringLiteral("t-more-last"), "TypeError", now - 1000));
        m_win->refresh();
        QTRY_VERIFY(listedIds().contains(type));
    }

    // Merged from the list (asked first, No the default): one issue, and a new
    // report of the other's failure lands in it; split: both back.
    void mergeThenSplit()
    {
        const int64_t key = issueOf("k1"), os = issueOf("o1");
        QVERIFY(select({key, os}));
        QCOMPARE(*m_win->currentIssueId(), key);
        auto defaultWasNo = std::make_shared<std::optional<bool>>();
        answerNextQuestion(QMessageBox::Yes, defaultWasNo);
        m_win->action(QStringLiteral("actionMergeIssues"))->trigger();
        QCOMPARE(*defaultWasNo, std::optional<bool>(true));
        QTRY_VERIFY(!listedIds().contains(os));
        QCOMPARE(issueOf("o1"), key);
        import(record(QStringLiteral("o2"), "OSError", QDateTime::currentMSecsSinceEpoch() - 500));
        QCOMPARE(issueOf("o2"), key);
        m_win->refresh();
        QVERIFY(loaded(issues()));
        QVERIFY(!listedIds().contains(os));

        QVERIFY(select({key}));
        answerNextQuestion(QMessageBox::Yes, defaultWasNo);
        m_win->action(QStringLiteral("actionSplitIssue"))->trigger();
        QTRY_VERIFY(listedIds().contains(os));
        QCOMPARE(issueOf("o1"), os);
        QCOMPARE(issueOf("o2"), os);
        QCOMPARE(count(QStringLiteral("SELECT count FROM issues WHERE id = %1").arg(os)), int64_t(2));
    }

    // Deleted with its reports: No (the default) keeps it, Yes deletes it.
    void deleteIssueWithItsReports()
    {
        const int64_t value = issueOf("v1");
        QVERIFY(select({value}));
        auto defaultWasNo = std::make_shared<std::optional<bool>>();
        answerNextQuestion(QMessageBox::No, defaultWasNo);
        m_win->action(QStringLiteral("actionDeleteIssues"))->trigger();
        QCOMPARE(*defaultWasNo, std::optional<bool>(true));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM reports WHERE issue_id = %1").arg(value)), int64_t(1));
        QVERIFY(select({value}));
        answerNextQuestion(QMessageBox::Yes, defaultWasNo);
        m_win->action(QStringLiteral("actionDeleteIssues"))->trigger();
        QTRY_VERIFY(!listedIds().contains(value));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM reports WHERE issue_id = %1").arg(value)), int64_t(0));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM issues WHERE id = %1").arg(value)), int64_t(0));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM reports_fts")),
                 count(QStringLiteral("SELECT count(*) FROM reports")));
        QTRY_COMPARE(tabText(IssueView::All), QStringLiteral("All (%1)").arg(listedIds().size()));
    }

    void cleanupTestCase() { m_win.reset(); }
};

QTEST_MAIN(TestUiTriage)
#include "tst_ui_triage.moc"
