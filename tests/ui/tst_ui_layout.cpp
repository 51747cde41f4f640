// The main window at 1024×700 (issue 14's "Finish"): with the corpus, the
// issue titles and culprits readable and no horizontal scroll in the lists;
// the detail pane usable (its Traceback buttons give way to an overflow menu);
// the saved-searches panel out of the way at narrow widths unless the user
// chose it, the choice kept; the lists' share of the width back after narrow →
// wide; the Issue page's muted note following View › Theme; status-bar
// messages beside the permanent widgets, not under them.
#include "look/Theme.h"
#include "models/IssueListModel.h"
#include "models/ReportListModel.h"
#include "models/SavedSearches.h"
#include "views/IssueListView.h"
#include "views/IssuePage.h"
#include "views/RatioSplitter.h"
#include "views/ReportDetailView.h"
#include "views/ReportListView.h"
#include "views/TracebackView.h"
#include "window/MainWindow.h"
#include "UiSupport.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QScrollBar>
#include <QSettings>
#include <QSplitterHandle>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>

#include <cmath>

using namespace ed;

namespace {

// "Readable", as this test means it: every text of a column shows at least
// `chars` of its characters before the ellipsis (all of a shorter one). What
// shows is measured here with the view's font, the cell's margins taken
// generously (Fusion's are 3 px a side).
int worstVisibleChars(const QTableView *view, int column, const QStringList &texts, int chars, QString *worst)
{
    const int room = view->columnWidth(column) - 12;
    int least = INT_MAX;
    for (const QString &t : texts) {
        const QString shown = view->fontMetrics().elidedText(t, Qt::ElideRight, room);
        const int visible = shown == t ? int(t.size()) : int(shown.size()) - 1; // less the "…"
        const int need = std::min(chars, int(t.size()));
        if (visible - need < least) {
            least = visible - need;
            *worst = QStringLiteral("\"%1\" shows as \"%2\" in %3 px").arg(t, shown).arg(room);
        }
    }
    return least;
}

// WCAG 2's contrast, written out here (not the product's function).
double contrast(const QColor &a, const QColor &b)
{
    const auto lum = [](const QColor &c) {
        const auto lin = [](int v8) {
            const double v = v8 / 255.0;
            return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        const QColor rgb = c.toRgb();
        return 0.2126 * lin(rgb.red()) + 0.7152 * lin(rgb.green()) + 0.0722 * lin(rgb.blue());
    };
    const double x = lum(a), y = lum(b);
    return (std::max(x, y) + 0.05) / (std::min(x, y) + 0.05);
}

double listsShare(const QSplitter *split)
{
    const QList<int> sizes = split->sizes();
    return double(sizes.at(0)) / double(sizes.at(0) + sizes.at(1));
}

} // namespace

class TestUiLayout : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_win;

    void settle(const QSize &size)
    {
        m_win->resize(size);
        QTest::qWait(150); // the layout, then the column fitters' refit
    }

private Q_SLOTS:
    void initTestCase()
    {
        edtest::isolate();
        // Settings of its own: the choices made here are no other test's (ctest -j).
        QCoreApplication::setApplicationName(QStringLiteral("errordeck-ui-tests-layout"));
        QSettings().remove(QStringLiteral("MainWindow")); // an earlier run's choices
        QSettings().remove(QStringLiteral("View/theme"));
        theme::applyTheme(theme::ThemeChoice::Light);
        const QString path = edtest::corpusDatabase(m_dir);
        m_win = edtest::shownMainWindow(path);
        QVERIFY(m_win);
        QVERIFY(edtest::waitUntilLoaded(m_win->issueList()->issueModel(), 19));
    }

    void widthsAt1024()
    {
        IssueListView *issues = m_win->issueList();
        IssueListModel *m = issues->issueModel();
        issues->setCurrentIndex(m->index(0, IssueListModel::Title));
        QVERIFY(QTest::qWaitFor([this] { return m_win->detail()->detail() != nullptr; }, 10000));
        settle(QSize(1024, 700));
        QCOMPARE(m_win->width(), 1024); // nothing holds the window wider
        QVERIFY(m_win->savedSearches()->isHidden()); // no choice made: the lists need its room
        QCOMPARE(issues->horizontalScrollBar()->maximum(), 0);
        QCOMPARE(m_win->reportList()->horizontalScrollBar()->maximum(), 0);

        QStringList titles, culprits;
        for (int r = 0; r < m->rowCount(); ++r) {
            QVERIFY(m->issue(r));
            titles << m->issue(r)->title;
            culprits << m->issue(r)->culprit;
        }
        QVERIFY(culprits.contains(QStringLiteral("shop_site in view_sensitive_post"))); // the corpus's
        QString worst;
        QVERIFY(!issues->isColumnHidden(IssueListModel::Title));
        QVERIFY(!issues->isColumnHidden(IssueListModel::Culprit));
        QVERIFY2(worstVisibleChars(issues, IssueListModel::Title, titles, 24, &worst) >= 0, qPrintable(worst));
        QVERIFY2(worstVisibleChars(issues, IssueListModel::Culprit, culprits, 20, &worst) >= 0, qPrintable(worst));
        // The counts and the last time stay.
        QVERIFY(!issues->isColumnHidden(IssueListModel::Events));
        QVERIFY(!issues->isColumnHidden(IssueListModel::LastSeen));

        // The reports (all of them, the long exceptions too): the exception readable.
        ReportListView *reports = m_win->reportList();
        m_win->setShowAllReports(true);
        QVERIFY(edtest::waitUntilLoaded(reports->reportModel(), 50));
        QTest::qWait(50); // the fitter's refit after the rows
        QStringList exceptions;
        for (int r = 0; r < reports->reportModel()->rowCount(); ++r)
            exceptions << reports->reportModel()->index(r, ReportListModel::Exception).data().toString();
        QVERIFY(!reports->isColumnHidden(ReportListModel::Exception));
        QVERIFY(exceptions.contains(QStringLiteral("OperationalError: no such table: orders_order")));
        QVERIFY2(worstVisibleChars(reports, ReportListModel::Exception, exceptions, 20, &worst) >= 0, qPrintable(worst));
        QCOMPARE(reports->horizontalScrollBar()->maximum(), 0);
        m_win->setShowAllReports(false); // the issue's reports again, its latest shown
        QVERIFY(edtest::waitUntilLoaded(reports->reportModel(), 1));
        QVERIFY(QTest::qWaitFor([this] { return m_win->detail()->detail() != nullptr; }, 10000));

        // The detail: room for its code, its tabs and buttons at hand.
        ReportDetailView *detail = m_win->detail();
        QVERIFY2(detail->width() >= 380, qPrintable(QString::number(detail->width())));
        detail->tabs()->setCurrentIndex(ReportDetailView::TracebackTab);
        QApplication::processEvents();
        QToolBar *row = detail->traceback()->buttonRow();
        QVERIFY(row->isVisible());
        QVERIFY(row->geometry().right() < detail->traceback()->width());
    }

    // The Traceback tab's buttons do not hold the detail pane wide: a narrow
    // pane puts those that do not fit in the tool bar's overflow menu.
    void buttonRowMinimumWidth()
    {
        TracebackView view;
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QToolBar *row = view.buttonRow();
        QVERIFY2(row->minimumSizeHint().width() <= 100, qPrintable(QString::number(row->minimumSizeHint().width())));
        QVERIFY2(view.minimumSizeHint().width() <= 260, qPrintable(QString::number(view.minimumSizeHint().width())));
        const QList<QToolButton *> buttons = {
            row->findChild<QToolButton *>(QStringLiteral("copyTraceback")),
            row->findChild<QToolButton *>(QStringLiteral("openInEditorButton")),
        };
        for (QToolButton *b : buttons)
            QVERIFY(b);
        view.resize(1000, 400);
        QTest::qWait(50);
        for (QToolButton *b : buttons)
            QVERIFY(b->isVisible()); // wide: all in the row
        view.resize(240, 400);
        QTest::qWait(50);
        QCOMPARE(view.width(), 240);
        // Narrow: the ones that do not fit are in the overflow menu, which is there.
        const auto *overflow = row->findChild<QToolButton *>(QStringLiteral("qt_toolbar_ext_button"));
        QVERIFY(overflow);
        QVERIFY(overflow->isVisible());
        QVERIFY(!buttons.last()->isVisible() || !buttons.first()->isVisible());
        QVERIFY(row->geometry().right() < view.width());
    }

    // Narrow → wide: the lists have their share of the width again (a plain
    // splitter keeps what the narrow window squeezed them to), until the user
    // drags the handle.
    void splitterRatioAfterNarrowThenWide()
    {
        auto *split = m_win->detailSplitter();
        QVERIFY(!split->isUserSized());
        settle(QSize(2560, 1440));
        const double wide = listsShare(split);
        QVERIFY2(std::abs(wide - 0.57) < 0.03, qPrintable(QString::number(wide)));
        settle(QSize(700, 600)); // narrower than the panes' minimums allow the ratio
        settle(QSize(1024, 700));
        settle(QSize(2560, 1440));
        QVERIFY2(std::abs(listsShare(split) - wide) < 0.01,
                 qPrintable(QStringLiteral("%1, was %2").arg(listsShare(split)).arg(wide)));
        // The user drags the handle to the left: from then on their sizes stand.
        QSplitterHandle *handle = split->handle(1);
        const QPoint mid(handle->width() / 2, handle->height() / 2);
        QTest::mousePress(handle, Qt::LeftButton, {}, mid);
        QTest::mouseMove(handle, mid - QPoint(500, 0));
        QTest::mouseRelease(handle, Qt::LeftButton, {}, mid - QPoint(500, 0));
        QTRY_VERIFY(split->isUserSized());
        const double dragged = listsShare(split);
        QVERIFY2(dragged < wide - 0.1, qPrintable(QString::number(dragged)));
        settle(QSize(1600, 1000));
        settle(QSize(2560, 1440));
        QVERIFY2(std::abs(listsShare(split) - wide) > 0.05, qPrintable(QString::number(listsShare(split))));
        settle(QSize(1024, 700));
    }

    // The Issue page's note (how many reports its numbers come from) in the
    // muted colour of the theme shown, not of the theme it was made in.
    void mutedNoteFollowsTheme()
    {
        auto *note = m_win->detail()->issuePage()->findChild<QLabel *>(QStringLiteral("issueSampleNote"));
        QVERIFY(note);
        theme::applyTheme(theme::ThemeChoice::Light);
        QTRY_VERIFY(note->palette().color(QPalette::Window).lightness() > 180);
        const QColor lightText = note->palette().color(QPalette::WindowText);
        QVERIFY(lightText.lightness() < 140);
        theme::applyTheme(theme::ThemeChoice::Dark);
        QTRY_VERIFY(note->palette().color(QPalette::Window).lightness() < 80);
        const QPalette dark = note->palette();
        const QColor text = dark.color(QPalette::WindowText);
        QVERIFY2(contrast(text, dark.color(QPalette::Base)) >= 4.5, qPrintable(text.name()));
        QVERIFY2(contrast(text, dark.color(QPalette::Window)) >= 4.0, qPrintable(text.name()));
        QVERIFY(text != dark.color(QPalette::Text)); // still muted, not the plain text colour
        theme::applyTheme(theme::ThemeChoice::Light);
        QTRY_COMPARE(note->palette().color(QPalette::WindowText), lightText);
    }

    // View › Saved Searches: hidden by itself at 1024 px until the user
    // chooses; the choice followed at any width and kept for the next window.
    void savedSearchesChoiceKept()
    {
        settle(QSize(1024, 700));
        QAction *toggle = m_win->action(QStringLiteral("actionShowSavedSearches"));
        QVERIFY(toggle);
        QVERIFY(m_win->savedSearches()->isHidden());
        QVERIFY(!toggle->isChecked());
        settle(QSize(1600, 1000));
        QVERIFY(m_win->savedSearches()->isVisible()); // room for it
        QVERIFY(toggle->isChecked());
        settle(QSize(1024, 700));
        toggle->trigger(); // the user wants it even here
        QVERIFY(m_win->savedSearches()->isVisible());
        QCOMPARE(QSettings().value(QStringLiteral("MainWindow/savedSearches")).toString(), QStringLiteral("shown"));
        QCOMPARE(m_win->issueList()->horizontalScrollBar()->maximum(), 0);
        settle(QSize(2560, 1440));
        toggle->trigger(); // and not at all, even wide
        QVERIFY(m_win->savedSearches()->isHidden());
        settle(QSize(1600, 1000));
        QVERIFY(m_win->savedSearches()->isHidden());
        QCOMPARE(QSettings().value(QStringLiteral("MainWindow/savedSearches")).toString(), QStringLiteral("hidden"));
    }

    // The settings the window left, read by the next one: the saved-searches
    // choice, and the detail splitter's sizes only as the user dragged them.
    void nextWindowKeepsChoices()
    {
        settle(QSize(2560, 1440));
        m_win->close(); // writes the state
        QCOMPARE(QSettings().value(QStringLiteral("MainWindow/detailSplitterByUser")).toBool(), true);
        auto db = edtest::onTestSide([&] { return Database::open(m_win->databasePath()); });
        QVERIFY(db.ok());
        MainWindow next(std::move(*db));
        next.resize(2560, 1440);
        next.show();
        QVERIFY(QTest::qWaitForWindowExposed(&next));
        QTest::qWait(100);
        QVERIFY(next.savedSearches()->isHidden()); // the user's "hidden", at 2560 px
        QVERIFY(!next.action(QStringLiteral("actionShowSavedSearches"))->isChecked());
        QVERIFY(next.detailSplitter()->isUserSized());
        next.close();
        m_win->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_win.get()));
    }

    // At 1024 px with every permanent widget of the status bar showing (an
    // import's progress, a watched folder, the Sentry endpoint, mailboxes), a
    // message still has its own part of the bar: left of them, none over another.
    void statusBarMessagesDoNotOverlap()
    {
        m_win->show(); // (shown again by the test before; not after its failure)
        QVERIFY(QTest::qWaitForWindowExposed(m_win.get()));
        settle(QSize(1024, 700));
        QStatusBar *bar = m_win->statusBar();
        const QStringList permanent = {QStringLiteral("importProgress"), QStringLiteral("watchStatus"),
                                       QStringLiteral("receiveStatus"), QStringLiteral("mailboxStatus")};
        const QStringList texts = {QString(), QStringLiteral("Watching 2 folders"), QStringLiteral("Receiving on 127.0.0.1:8765"),
                                   QStringLiteral("Polling 2 mailboxes")};
        QList<QWidget *> shown;
        for (qsizetype i = 0; i < permanent.size(); ++i) {
            auto *w = bar->findChild<QWidget *>(permanent.at(i));
            QVERIFY2(w, qPrintable(permanent.at(i)));
            if (auto *label = qobject_cast<QLabel *>(w))
                label->setText(texts.at(i));
            w->show();
            shown << w;
        }
        bar->showMessage(QStringLiteral("Rules applied to 12,345 stored reports: 67 hidden (8 newly, 9 shown again)"));
        QTest::qWait(100);
        QCOMPARE(m_win->width(), 1024);
        auto *count = bar->findChild<QLabel *>(QStringLiteral("countLabel"));
        QVERIFY(count);
        QVERIFY2(count->isHidden(), qPrintable(bar->currentMessage())); // the message takes its place, not the place over it
        int firstPermanent = bar->width();
        for (qsizetype i = 0; i < shown.size(); ++i) {
            const QRect g = shown.at(i)->geometry();
            QVERIFY2(g.width() > 0 && g.right() <= bar->width(), qPrintable(permanent.at(i)));
            firstPermanent = std::min(firstPermanent, g.left());
            for (qsizetype j = i + 1; j < shown.size(); ++j)
                QVERIFY2(!g.intersects(shown.at(j)->geometry()), qPrintable(permanent.at(i) + u' ' + permanent.at(j)));
        }
        // What the message has: the bar left of the first permanent widget.
        const int room = firstPermanent - 6;
        QVERIFY2(room >= bar->fontMetrics().horizontalAdvance(bar->currentMessage()) / 2,
                 qPrintable(QStringLiteral("%1 px for the message").arg(room)));
        bar->clearMessage();
        for (QWidget *w : shown)
            w->hide();
    }

    void cleanupTestCase()
    {
        theme::applyTheme(theme::ThemeChoice::System);
        QSettings().remove(QStringLiteral("View/theme"));
        QSettings().remove(QStringLiteral("MainWindow"));
        m_win.reset();
    }
};

QTEST_MAIN(TestUiLayout)
#include "tst_ui_layout.moc"
