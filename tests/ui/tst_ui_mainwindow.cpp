// The main window driven through its real widgets, offscreen, with the corpus
// imported: issues and their reports, search (and its inline errors), the
// detail tabs, issue actions, deleting and exporting reports, saved searches.
#include "dialogs/AboutDialog.h"
#include "store/sqlite/Sqlite.h"
#include "views/ContextView.h"
#include "models/IssueListModel.h"
#include "views/IssueListView.h"
#include "views/IssueViewSwitch.h"
#include "views/IssuePage.h"
#include "views/KeyValueTable.h"
#include "window/MainWindow.h"
#include "jobs/ConfigCache.h"
#include "views/ReportDetailView.h"
#include "views/ReportExport.h"
#include "models/ReportListModel.h"
#include "views/ReportListView.h"
#include "store/ReportStore.h"
#include "send/ReportMailer.h"
#include "views/RequestView.h"
#include "models/SavedSearches.h"
#include "views/SearchBar.h"
#include "views/TimelineChart.h"
#include <QSignalSpy>
#include "models/TracebackModel.h"
#include "views/TracebackView.h"
#include "UiSupport.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCompleter>
#include <QAbstractItemView>
#include <QHeaderView>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QTemporaryDir>
#include <QTimer>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeView>
#include <sqlite3.h>

using namespace ed;

class TestUiMainWindow : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<MainWindow> m_win;
    std::unique_ptr<Database> m_db; // a second connection for checking

    IssueListModel *issues() const { return m_win->issueList()->issueModel(); }
    ReportListModel *reports() const { return m_win->reportList()->reportModel(); }

    static bool loaded(PagedModel *m) { return edtest::waitUntilLoaded(m); }
    int issueRow(const QString &titlePrefix) const
    {
        for (int r = 0; r < issues()->rowCount(); ++r)
            if (issues()->issue(r) && issues()->issue(r)->title.startsWith(titlePrefix))
                return r;
        return -1;
    }
    // Clicks an issue like a user and waits for its latest report in the detail view.
    bool openIssue(const QString &titlePrefix)
    {
        if (!loaded(issues()))
            return false;
        const int row = issueRow(titlePrefix);
        if (row < 0)
            return false;
        QAbstractItemView *v = m_win->issueList();
        const QRect rect = v->visualRect(issues()->index(row, IssueListModel::Title));
        QTest::mouseClick(v->viewport(), Qt::LeftButton, {}, rect.center());
        return QTest::qWaitFor([this] { return m_win->detail()->detail() != nullptr; }, 10000);
    }
    int64_t count(const char *sql) const { return edtest::scalar(*m_db, sql); }

private Q_SLOTS:
    void initTestCase()
    {
        edtest::isolate();
        m_path = edtest::corpusDatabase(m_dir);
        m_win = edtest::shownMainWindow(m_path);
        QVERIFY(m_win);
        m_db = std::make_unique<Database>(std::move(*edtest::onTestSide([&] { return Database::open(m_path); })));
    }

    // Every test starts from the plain lists: no search, all time, by issue.
    void init()
    {
        m_win->searchBar()->setRange(SearchBar::AllTime);
        m_win->searchBar()->setText(QString());
        m_win->setShowAllReports(false);
        QVERIFY(loaded(issues()));
    }

    void listsShowTheCorpus()
    {
        QVERIFY(loaded(issues()));
        QVERIFY(QTest::qWaitFor([this] { return issues()->isCountKnown(); }, 5000));
        QCOMPARE(int64_t(issues()->rowCount()), count("SELECT count(*) FROM issues WHERE count > 0"));
        QVERIFY(loaded(reports()));
        QCOMPARE(int64_t(reports()->rowCount()), count("SELECT count(*) FROM reports WHERE hidden_by IS NULL"));
        // Newest issue first; every row has a title and a 14-day sparkline.
        const QModelIndex top = issues()->index(0, IssueListModel::Title);
        QVERIFY(!top.data().toString().isEmpty());
        QCOMPARE(issues()->index(0, IssueListModel::Trend).data(IssueListModel::DailyCountsRole).value<QList<qint64>>().size(),
                 14);
        QVERIFY(m_win->findChild<QLabel *>(QStringLiteral("countLabel"))->text().contains(QStringLiteral("issue")));
    }

    void selectingAnIssueListsItsReports()
    {
        QVERIFY(openIssue(QStringLiteral("ZeroDivisionError")));
        const int64_t issueId = *m_win->currentIssueId();
        QVERIFY(loaded(reports()));
        const int64_t expected = edtest::onTestSide([&] {
            Statement st = connectionOf(*m_db).prepare("SELECT count(*) FROM reports WHERE issue_id = ? AND hidden_by IS NULL");
            st.bind(1, issueId);
            return st.step() ? st.int64(0) : int64_t(-1);
        });
        QCOMPARE(int64_t(reports()->rowCount()), expected);
        for (int r = 0; r < reports()->rowCount(); ++r)
            QCOMPARE(reports()->report(r)->issueId, issueId);
        // The latest report of the issue is shown.
        QCOMPARE(m_win->detail()->detail()->row.id, reports()->report(0)->id);
        QCOMPARE(m_win->detail()->detail()->row.exceptionType, QStringLiteral("ZeroDivisionError"));

        // The toggle lists all reports again.
        m_win->findChild<QToolButton *>(QStringLiteral("allReportsToggle"))->click();
        QVERIFY(loaded(reports()));
        QCOMPARE(int64_t(reports()->rowCount()), count("SELECT count(*) FROM reports WHERE hidden_by IS NULL"));
        m_win->findChild<QToolButton *>(QStringLiteral("allReportsToggle"))->click();
        QVERIFY(loaded(reports()));
        QCOMPARE(int64_t(reports()->rowCount()), expected);
    }

    // An issue selected and no report: the pane shows the issue's page, not a
    // hint; a report chosen again shows the report.
    void issueWithoutReportShowsItsPage()
    {
        QVERIFY(openIssue(QStringLiteral("ZeroDivisionError")));
        const int64_t issueId = *m_win->currentIssueId();
        QVERIFY(loaded(reports()));
        QVERIFY(!m_win->detail()->showsIssueOnly());
        QAbstractItemView *v = m_win->reportList();
        v->selectionModel()->clear();
        v->setCurrentIndex(QModelIndex());
        QTRY_VERIFY(m_win->detail()->showsIssueOnly());
        QCOMPARE(m_win->detail()->issueOnlyPage()->issueId(), std::optional<int64_t>(issueId));
        QTRY_VERIFY(m_win->detail()->issueOnlyPage()->summary() != nullptr);
        v->setCurrentIndex(reports()->index(0, 0));
        QTRY_VERIFY(!m_win->detail()->showsIssueOnly());
        QTRY_COMPARE(m_win->detail()->detail()->row.id, reports()->report(0)->id);
    }

    void headerClickSorts()
    {
        QVERIFY(loaded(issues()));
        QHeaderView *h = m_win->issueList()->horizontalHeader();
        const QPoint eventsHeader(h->sectionViewportPosition(IssueListModel::Events) + h->sectionSize(IssueListModel::Events) / 2,
                                  h->height() / 2);
        QTest::mouseClick(h->viewport(), Qt::LeftButton, {}, eventsHeader);
        QVERIFY(loaded(issues()));
        const qint64 first = issues()->index(0, IssueListModel::Events).data().toLongLong();
        QTest::mouseClick(h->viewport(), Qt::LeftButton, {}, eventsHeader);
        QVERIFY(loaded(issues()));
        const qint64 firstAfter = issues()->index(0, IssueListModel::Events).data().toLongLong();
        QCOMPARE(std::max(first, firstAfter), count("SELECT max(count) FROM issues"));
        QCOMPARE(std::min(first, firstAfter), count("SELECT min(count) FROM issues WHERE count > 0"));
    }

    void searchNarrowsAndShowsErrors()
    {
        SearchBar *bar = m_win->searchBar();
        QLineEdit *edit = bar->lineEdit();
        edit->setFocus();
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("status:404"));
        QTest::keyClick(edit, Qt::Key_Return);
        QVERIFY(loaded(issues()));
        QVERIFY(bar->errorText().isEmpty());
        QCOMPARE(int64_t(issues()->rowCount()),
                 count("SELECT count(DISTINCT issue_id) FROM reports WHERE status_code = 404 AND hidden_by IS NULL"));
        m_win->setShowAllReports(true);
        QVERIFY(loaded(reports()));
        QCOMPARE(int64_t(reports()->rowCount()),
                 count("SELECT count(*) FROM reports WHERE status_code = 404 AND hidden_by IS NULL"));

        // Full text.
        edit->selectAll();
        QTest::keyClicks(edit, QStringLiteral("division"));
        QTest::keyClick(edit, Qt::Key_Return);
        QVERIFY(loaded(reports()));
        QVERIFY(reports()->rowCount() > 0);
        for (int r = 0; r < reports()->rowCount(); ++r)
            QCOMPARE(reports()->report(r)->exceptionType, QStringLiteral("ZeroDivisionError"));

        // A bad query: the error shows inline and the lists are emptied (the
        // last good search's rows would pass for its results).
        QVERIFY(reports()->rowCount() > 0);
        edit->selectAll();
        QTest::keyClicks(edit, QStringLiteral("level:loud"));
        QTest::keyClick(edit, Qt::Key_Return);
        QVERIFY(bar->errorText().contains(QStringLiteral("loud")));
        QVERIFY(loaded(reports()));
        QCOMPARE(reports()->rowCount(), 0);

        // Field-name completion: "lev" offers "level:".
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("lev"));
        QCompleter *c = edit->findChild<QCompleter *>();
        if (!c)
            c = bar->findChild<QCompleter *>();
        QVERIFY(c);
        QCOMPARE(c->currentCompletion(), QStringLiteral("level:"));
        QVERIFY(c->popup()->isVisible());
        QTest::keyClick(c->popup(), Qt::Key_Down); // highlight the first completion
        QTest::keyClick(c->popup(), Qt::Key_Return);
        QCOMPARE(edit->text(), QStringLiteral("level:"));
        QTest::keyClicks(edit, QStringLiteral("warning"));
        QTest::keyClick(edit, Qt::Key_Return);
        QVERIFY(loaded(reports()));
        QCOMPARE(int64_t(reports()->rowCount()), count("SELECT count(*) FROM reports WHERE level = 30 AND hidden_by IS NULL"));

        // Time range: the corpus is from 2026-11-22; "last hour" relative to now.
        bar->setText(QString());
        bar->setCustomRange(0, 1000); // 1970: nothing
        QVERIFY(loaded(reports()));
        QCOMPARE(reports()->rowCount(), 0);
        bar->setRange(SearchBar::AllTime);
        m_win->setShowAllReports(false);
        QVERIFY(loaded(issues()));
    }

    void chartFollowsTheSearchAndNarrows()
    {
        TimelineChart *chart = m_win->chart();
        if (chart->issueId()) { // it follows the issue a test above opened
            QSignalSpy updated(chart, &TimelineChart::updated);
            chart->setIssue(std::nullopt);
            QVERIFY(updated.wait(10000));
        }
        QVERIFY(QTest::qWaitFor([&] { return chart->data().total > 0; }, 10000));
        QCOMPARE(chart->data().total, count("SELECT count(*) FROM reports WHERE hidden_by IS NULL"));
        // Stacked by level: one series set per level present.
        QCOMPARE(int64_t(chart->data().byLevel.size()),
                 count("SELECT count(DISTINCT level) FROM reports WHERE hidden_by IS NULL"));
        // A bar with reports narrows the time range to it.
        int bar = -1;
        for (int i = 0; i < chart->data().buckets && bar < 0; ++i)
            for (const auto &[level, counts] : chart->data().byLevel)
                if (counts[size_t(i)] > 0)
                    bar = i;
        QVERIFY(bar >= 0);
        const auto [from, to] = chart->barSpan(bar);
        Q_EMIT chart->rangeSelected(from, to);
        QCOMPARE(m_win->searchBar()->range(), SearchBar::Custom);
        QCOMPARE(*m_win->searchBar()->query().since, from);
        m_win->setShowAllReports(true);
        QVERIFY(loaded(reports()));
        const int64_t expected = edtest::onTestSide([&] {
            Statement st = connectionOf(*m_db).prepare(
                "SELECT count(*) FROM reports WHERE hidden_by IS NULL AND timestamp >= ? AND timestamp < ?");
            st.bind(1, from).bind(2, to);
            return st.step() ? st.int64(0) : int64_t(-1);
        });
        QCOMPARE(int64_t(reports()->rowCount()), expected);
        m_win->searchBar()->setRange(SearchBar::AllTime);
        m_win->setShowAllReports(false);
    }

    // Open in Editor: the frame's site path mapped to a checkout (Settings ›
    // Source code) and handed to the editor command, a real process here.
    void openFrameInEditor()
    {
        QTemporaryDir checkout;
        QFile(checkout.filePath(QStringLiteral("shop_site.py"))).open(QIODevice::WriteOnly);
        const QString out = checkout.filePath(QStringLiteral("opened.txt"));
        int written = 0;
        m_win->config().write(
            {{ConfigKey::SourceRoots, QJsonArray{QStringLiteral("/srv/shop=") + checkout.path()}},
             {ConfigKey::Editor, QStringLiteral("/bin/sh -c \"printf %s:%s $0 $1 > %1\" {file} {line}").arg(out)}},
            this, [&](Result<void> r) { written += r.ok() ? 1 : 0; });
        QVERIFY(QTest::qWaitFor([&] { return written == 1; }, 5000));
        QVERIFY(openIssue(QStringLiteral("RuntimeError: payment gateway failed")));
        ReportDetailView *d = m_win->detail();
        d->tabs()->setCurrentIndex(ReportDetailView::TracebackTab);
        TracebackModel *tm = d->traceback()->model();
        const QModelIndex app = tm->index(tm->inAppFrameRows().last(), 0);
        QCOMPARE(app.data(TracebackModel::FileRole).toString(), QStringLiteral("/srv/shop/shop_site.py"));
        const int line = app.data(TracebackModel::LineRole).toInt();
        d->traceback()->tree()->setCurrentIndex(tm->index(0, 0, app)); // a source line of the frame
        d->traceback()->openCurrentFrameInEditor();
        QVERIFY(QTest::qWaitFor([&] { return QFileInfo(out).size() > 0; }, 10000));
        QFile opened(out);
        QVERIFY(opened.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(opened.readAll()),
                 QStringLiteral("%1:%2").arg(checkout.filePath(QStringLiteral("shop_site.py"))).arg(line));
        QVERIFY(m_win->statusBar()->currentMessage().startsWith(QStringLiteral("Opened ")));
        // A path outside the checkouts says so.
        m_win->config().write({{ConfigKey::SourceRoots, QJsonArray{QStringLiteral("/elsewhere=") + checkout.path()}}}, this,
                              [&](Result<void> r) { written += r.ok() ? 1 : 0; });
        QVERIFY(QTest::qWaitFor([&] { return written == 2; }, 5000));
        d->traceback()->openCurrentFrameInEditor();
        QVERIFY(m_win->statusBar()->currentMessage().contains(QStringLiteral("not in any of your checkouts")));
        m_win->config().write({{ConfigKey::SourceRoots, std::nullopt}, {ConfigKey::Editor, std::nullopt}});
    }

    void tracebackTab()
    {
        QVERIFY(openIssue(QStringLiteral("RuntimeError: payment gateway failed")));
        ReportDetailView *d = m_win->detail();
        d->tabs()->setCurrentIndex(ReportDetailView::TracebackTab);
        TracebackModel *tm = d->traceback()->model();
        QTreeView *tree = d->traceback()->tree();
        // In-app frames open, library frames closed.
        int open = 0, closed = 0;
        for (int row : tm->frameRows()) {
            const QModelIndex i = tm->index(row, 0);
            if (i.data(TracebackModel::InAppRole).toBool()) {
                QVERIFY(tree->isExpanded(i));
                ++open;
            } else {
                QVERIFY(!tree->isExpanded(i));
                ++closed;
            }
        }
        QVERIFY(open > 0 && closed > 0);
        // Keyboard: Left closes an open frame, Right opens it again.
        const QModelIndex app = tm->index(tm->inAppFrameRows().last(), 0);
        tree->setFocus();
        tree->setCurrentIndex(app);
        QVERIFY(tree->isExpanded(app));
        QTest::keyClick(tree, Qt::Key_Left);
        QVERIFY(!tree->isExpanded(app));
        QTest::keyClick(tree, Qt::Key_Right);
        QVERIFY(tree->isExpanded(app));

        // Copy as Django's text.
        QApplication::clipboard()->clear();
        d->traceback()->findChild<QToolButton *>(QStringLiteral("copyTraceback"))->click();
        const QString text = QApplication::clipboard()->text();
        QVERIFY(text.startsWith(QStringLiteral("Traceback (most recent call last):\n  File \"")));
        QVERIFY(text.contains(
            QStringLiteral("The above exception (gateway timeout after 30s) was the direct cause of the following exception:")));
        QVERIFY(text.contains(
            QStringLiteral("\nException Type: RuntimeError at /payments/charge/\nException Value: payment gateway failed\n")));
        // The copy is the error e-mail's traceback, to the byte (one renderer, send/DjangoRenderer).
        auto draft = edtest::onTestSide(
            [&] { return ReportMailer(*m_db).draftForReport(d->reportId().value_or(0), MailAudience::Admins); });
        QVERIFY(draft);
        QVERIFY2(draft->text.contains(QStringLiteral("\n\n") + text + QStringLiteral("Request information:\n")),
                 qPrintable(text + QStringLiteral("\n----\n") + draft->text));
    }

    // The deepest traceback (984 frames) opens, and every frame opens in one go.
    // How fast: bench/bench_ui_model ("deepest report"), not a timed test.
    void deepRecursionOpens()
    {
        const int64_t id = count("SELECT id FROM reports ORDER BY frame_count DESC LIMIT 1");
        m_win->detail()->showReport(id);
        QVERIFY(QTest::qWaitFor([&] { return m_win->detail()->reportId() == id; }, 30000));
        QApplication::processEvents();
        TracebackView *tb = m_win->detail()->traceback();
        QVERIFY(tb->model()->frameCount() > 900);
        tb->expandAllFrames();
        int open = 0;
        for (int row : tb->model()->frameRows())
            open += tb->tree()->isExpanded(tb->model()->index(row, 0)) ? 1 : 0;
        QCOMPARE(open, tb->model()->frameRows().size());
        // The repeated run stays cut; opened, its frames show and open one by one.
        QCOMPARE(tb->model()->repeatedRows().size(), 1);
        const QModelIndex run = tb->model()->index(tb->model()->repeatedRows().first(), 0);
        QVERIFY(!tb->tree()->isExpanded(run));
        tb->tree()->setExpanded(run, true);
        const QModelIndex inner = tb->model()->index(500, 0, run);
        QVERIFY(tb->tree()->isFirstColumnSpanned(500, run));
        tb->tree()->setExpanded(inner, true);
        QVERIFY(tb->model()->rowCount(inner) > 0); // its source lines
    }

    // No exception, no empty Traceback tab: a 404 opens on its Request, a
    // logger message on its Message; the tab the user picked comes back.
    void reportsWithoutExceptionOpenOnMessageOrRequest()
    {
        ReportDetailView *d = m_win->detail();
        QTabWidget *tabs = d->tabs();
        const auto show = [&](int64_t id) {
            d->showReport(id);
            return QTest::qWaitFor([&] { return d->reportId() == id; }, 10000);
        };
        const int64_t exception = count("SELECT id FROM reports WHERE message LIKE '%/payments/charge/%' LIMIT 1");
        const int64_t notFound = count("SELECT id FROM reports WHERE status_code = 404 LIMIT 1");
        const int64_t message = count("SELECT id FROM reports WHERE message LIKE 'Webhook evt_1 rejected%' LIMIT 1");
        QVERIFY(show(exception));
        tabs->setCurrentIndex(ReportDetailView::TracebackTab);
        QVERIFY(show(notFound));
        QCOMPARE(tabs->currentIndex(), int(ReportDetailView::RequestTab));
        QVERIFY(!tabs->isTabVisible(ReportDetailView::TracebackTab));
        QVERIFY(show(message));
        QCOMPARE(tabs->currentIndex(), int(ReportDetailView::MessageTab));
        QVERIFY(d->message()->toPlainText().contains(QStringLiteral("shop.payments: Webhook evt_1 rejected: bad signature")));
        QVERIFY(show(exception));
        QCOMPARE(tabs->currentIndex(), int(ReportDetailView::TracebackTab));
        QVERIFY(!tabs->isTabVisible(ReportDetailView::MessageTab));
        // A tab picked by hand stays.
        tabs->setCurrentIndex(ReportDetailView::ContextTab);
        QVERIFY(show(message));
        QCOMPARE(tabs->currentIndex(), int(ReportDetailView::ContextTab));
        QVERIFY(show(exception));
        tabs->setCurrentIndex(ReportDetailView::TracebackTab);
    }

    // The Issue tab: the issue across its reports; Previous/Next walk them.
    // Expected figures from truth.json: the ten KeyError requests came from
    // /api/items/, five of them from 10.0.0.5 and five from five other addresses.
    void issueTabSummarizesAndWalksReports()
    {
        QVERIFY(openIssue(QStringLiteral("KeyError")));
        ReportDetailView *d = m_win->detail();
        const int64_t issue = d->detail()->row.issueId;
        d->tabs()->setCurrentIndex(ReportDetailView::IssueTab);
        IssuePage *page = d->issuePage();
        QVERIFY(QTest::qWaitFor([&] { return page->issueId() == issue; }, 10000));
        QCOMPARE(page->facetLines(QStringLiteral("path")), QStringList{QStringLiteral("/api/items/ — 10 (100%)")});
        const QStringList clients = page->facetLines(QStringLiteral("client"));
        QCOMPARE(clients.size(), 5); // the top five of six
        QCOMPARE(clients.first(), QStringLiteral("10.0.0.5 — 5 (50%)"));
        QCOMPARE(page->summary()->facets.size(), size_t(8));
        QVERIFY(page->facetLines(QStringLiteral("release")).isEmpty()); // no report has one: not shown
        QVERIFY(page->findChild<QLabel *>(QStringLiteral("issueFacts"))->text().contains(QStringLiteral("10 reports")));

        auto *position = d->findChild<QLabel *>(QStringLiteral("reportPosition"));
        QVERIFY(QTest::qWaitFor([&] { return position->text() == QStringLiteral("1 of 10"); }, 5000));
        const int64_t latest = *d->reportId();
        QTest::mouseClick(d->findChild<QToolButton *>(QStringLiteral("nextReport")), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return d->reportId() && *d->reportId() != latest; }, 5000));
        QCOMPARE(position->text(), QStringLiteral("2 of 10"));
        QCOMPARE(d->tabs()->currentIndex(), int(ReportDetailView::IssueTab)); // the tab stays
        QCOMPARE(*d->reportId(), reports()->report(1)->id);
        QTest::mouseClick(page->findChild<QPushButton *>(QStringLiteral("issueLatest")), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return d->reportId() == latest; }, 5000));
        QCOMPARE(position->text(), QStringLiteral("1 of 10"));
        QVERIFY(!d->findChild<QToolButton *>(QStringLiteral("previousReport"))->isEnabled());
        d->tabs()->setCurrentIndex(ReportDetailView::TracebackTab);
    }

    void requestTabWithFilter()
    {
        QVERIFY(openIssue(QStringLiteral("RuntimeError: payment gateway failed")));
        ReportDetailView *d = m_win->detail();
        d->tabs()->setCurrentIndex(ReportDetailView::RequestTab);
        RequestView *rv = d->request();
        QCOMPARE(rv->fieldText(QStringLiteral("method")), QStringLiteral("GET"));
        QCOMPARE(rv->fieldText(QStringLiteral("url")), QStringLiteral("http://shop.example.com/payments/charge/"));
        QCOMPARE(rv->fieldText(QStringLiteral("client")), QStringLiteral("10.0.0.5"));
        // Copy as curl / as a Django test: on the clipboard, said in the status bar.
        QTest::mouseClick(rv->findChild<QToolButton *>(QStringLiteral("copyAsCurl")), Qt::LeftButton);
        const QString curl = QApplication::clipboard()->text();
        QVERIFY2(curl.startsWith(QStringLiteral("curl 'http://shop.example.com/payments/charge/'")), qPrintable(curl));
        QVERIFY(m_win->statusBar()->currentMessage().contains(QStringLiteral("curl command")));
        QTest::mouseClick(rv->findChild<QToolButton *>(QStringLiteral("copyAsDjangoTest")), Qt::LeftButton);
        QVERIFY(QApplication::clipboard()->text().contains(QStringLiteral("self.client.get(\n            '/payments/charge/',")));
        KeyValueTable *meta = rv->table(QStringLiteral("META"));
        const int all = meta->visibleRows();
        QVERIFY(all > 5);
        QTest::keyClicks(meta->filterEdit(), QStringLiteral("http_host"));
        QCOMPARE(meta->visibleRows(), 1);
        meta->filterEdit()->clear();
        QCOMPARE(meta->visibleRows(), all);

        // Settings & environment, and the raw record.
        d->tabs()->setCurrentIndex(ReportDetailView::ContextTab);
        QVERIFY(d->context()->settings()->visibleRows() > 0);
        QTest::keyClicks(d->context()->settings()->filterEdit(), QStringLiteral("SECRET_KEY"));
        QCOMPARE(d->context()->settings()->visibleRows(), 1);
        const QModelIndex secret = d->context()->settings()->view()->model()->index(0, 1);
        QVERIFY(secret.data(KeyValueModel::ScrubbedRole).toBool()); // Django's 20 asterisks, marked
        d->tabs()->setCurrentIndex(ReportDetailView::RawTab);
        const QJsonDocument raw = QJsonDocument::fromJson(d->raw()->toPlainText().toUtf8());
        QVERIFY(raw.isObject());
        QCOMPARE(raw.object().value(QStringLiteral("event_id")).toString(), d->detail()->row.eventId);
    }

    void issueActions()
    {
        // All: the issue stays in the list as its status changes (tst_ui_triage has the other views).
        m_win->issueViewSwitch()->setView(IssueView::All);
        QVERIFY(openIssue(QStringLiteral("KeyError")));
        const int64_t id = *m_win->currentIssueId();
        auto status = [&] {
            const edtest::TestSideDb testSide;
            Statement st = connectionOf(*m_db).prepare("SELECT status FROM issues WHERE id = ?");
            st.bind(1, id);
            return st.step() ? int(st.int64(0)) : -1;
        };
        m_win->action(QStringLiteral("actionResolve"))->trigger();
        QTRY_COMPARE(status(), int(IssueStatus::Resolved)); // written on the job runner
        QCOMPARE(issues()->index(m_win->issueList()->currentIndex().row(), IssueListModel::Status).data().toString(),
                 QStringLiteral("Resolved"));
        m_win->action(QStringLiteral("actionIgnore"))->trigger();
        QTRY_COMPARE(status(), int(IssueStatus::Ignored));
        m_win->action(QStringLiteral("actionReopen"))->trigger();
        QTRY_COMPARE(status(), int(IssueStatus::Unresolved));
        // is:resolved finds it after resolving again.
        m_win->action(QStringLiteral("actionResolve"))->trigger();
        QTRY_COMPARE(status(), int(IssueStatus::Resolved));
        m_win->searchBar()->setText(QStringLiteral("is:resolved"));
        QVERIFY(loaded(issues()));
        QCOMPARE(issues()->rowCount(), 1);
        QCOMPARE(issues()->issue(0)->id, id);
        m_win->searchBar()->setText(QString());
        QVERIFY(loaded(issues()));
    }

    void exportAndDelete()
    {
        m_win->setShowAllReports(true);
        QVERIFY(loaded(reports()));
        QAbstractItemView *v = m_win->reportList();
        v->setFocus();
        v->setCurrentIndex(reports()->index(0, 0));
        v->selectionModel()->select(QItemSelection(reports()->index(0, 0), reports()->index(2, 0)),
                                    QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        const QList<int64_t> ids = m_win->selectedReportIds();
        QCOMPARE(ids.size(), 3);
        // JSON Lines: the records import again into a new database, same event ids.
        const QString out = m_dir.filePath(QStringLiteral("export.jsonl"));
        auto n = edtest::onTestSide(
            [&] { return exportReports(*m_db, std::vector<int64_t>(ids.begin(), ids.end()), out, ExportFormat::JsonLines); });
        QVERIFY(n.ok());
        QCOMPARE(*n, 3);
        auto other = edtest::onTestSide([&] { return Database::open(m_dir.filePath(QStringLiteral("reimport.sqlite3"))); });
        QCOMPARE(edtest::importFiltered(*other, {out}).stored, 3);
        const QString txt = m_dir.filePath(QStringLiteral("export.txt"));
        QVERIFY(edtest::onTestSide([&] {
                    return exportReports(*m_db, std::vector<int64_t>(ids.begin(), ids.end()), txt, ExportFormat::DjangoText);
                }).ok());
        QFile f(txt);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("Request Method: "));

        // Delete (the confirmation is a modal question: answer it).
        const int64_t before = count("SELECT count(*) FROM reports");
        QTimer::singleShot(200, [] {
            if (QWidget *box = QApplication::activeModalWidget())
                QTest::keyClick(box, Qt::Key_Y, Qt::AltModifier);
        });
        QTimer::singleShot(600, [] {
            if (QWidget *box = QApplication::activeModalWidget()) // some styles: Enter is Yes
                QTest::keyClick(box, Qt::Key_Return);
        });
        m_win->action(QStringLiteral("actionDelete"))->trigger();
        QTRY_COMPARE(count("SELECT count(*) FROM reports"), before - 3); // deleted on the job runner
        // The list is read again once the delete is done.
        QTRY_COMPARE(int64_t(reports()->rowCount()), count("SELECT count(*) FROM reports WHERE hidden_by IS NULL"));
        QVERIFY(loaded(reports()));
        m_win->setShowAllReports(false);
    }

    void savedSearches()
    {
        SavedSearchesPanel *panel = m_win->savedSearches();
        panel->model()->save(QStringLiteral("Broken links"), QStringLiteral("status:404"));
        QTRY_COMPARE(panel->model()->rowCount(), 1); // written and read again on the job runner
        const QModelIndex i = panel->model()->index(0, 0);
        QListView *list = panel->list();
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(i).center());
        QCOMPARE(m_win->searchBar()->text(), QStringLiteral("status:404"));
        QVERIFY(loaded(issues()));
        QCOMPARE(int64_t(issues()->rowCount()),
                 count("SELECT count(DISTINCT issue_id) FROM reports WHERE status_code = 404 AND hidden_by IS NULL"));
        m_win->searchBar()->setText(QString());
    }

    void standardShortcuts()
    {
        QCOMPARE(m_win->action(QStringLiteral("actionFind"))->shortcut(), QKeySequence(QKeySequence::Find));
        QCOMPARE(m_win->action(QStringLiteral("actionQuit"))->shortcut(), QKeySequence(QKeySequence::Quit));
        QCOMPARE(m_win->action(QStringLiteral("actionImport"))->shortcut(), QKeySequence(QKeySequence::Open));
        QVERIFY(!m_win->action(QStringLiteral("actionPreferences"))->shortcut().isEmpty());
        QCOMPARE(m_win->action(QStringLiteral("actionCopy"))->shortcut(), QKeySequence(QKeySequence::Copy));
        // Ctrl+F puts the focus in the search field.
        QApplication::setActiveWindow(m_win.get());
        QVERIFY(QTest::qWaitForWindowActive(m_win.get()));
        m_win->issueList()->setFocus();
        QTest::keySequence(m_win.get(), QKeySequence::Find);
        QVERIFY(m_win->searchBar()->lineEdit()->hasFocus());
        // About: the versions it runs with.
        const QString versions = AboutDialog::versionsText();
        QVERIFY(versions.contains(QString::fromLatin1(qVersion())));
        QVERIFY(versions.contains(QString::fromLatin1(sqlite3_libversion())));
        QVERIFY(versions.contains(QStringLiteral(ERRORDECK_VERSION)));
        // Hooks for other features' actions.
        QVERIFY(m_win->reportMenu() && m_win->issueMenu() && m_win->actionToolBar());
    }
};

QTEST_MAIN(TestUiMainWindow)
#include "tst_ui_mainwindow.moc"
