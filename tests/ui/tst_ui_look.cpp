// The app's look and feel (issue 14): View › Theme changes the palette at once
// and is kept; muted text keeps a 4.5:1 contrast on any palette; destructive
// confirmations default to No; Copy says so in the status bar; Alt+3 puts a
// visible focus in the detail; form labels sit level with their fields; the
// lists' columns fit the window (no horizontal scroll at 1024×700, the
// culprit whole at 2560 px); the lists' cached text lines follow the column's
// width, the text and its alignment, as the standard delegate draws them.
#include "look/Theme.h"
#include "models/IssueListModel.h"
#include "models/ReportListModel.h"
#include "settings/RecipientsPage.h"
#include "settings/ScrubbingPage.h"
#include "settings/SettingsDialog.h"
#include "views/ElidedTextDelegate.h"
#include "views/IssueListView.h"
#include "views/ReportDetailView.h"
#include "views/ReportListView.h"
#include "window/MainWindow.h"
#include "UiSupport.h"

#include <QAction>
#include <QApplication>
#include <QFormLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QStandardItemModel>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>

#include <cmath>

using namespace ed;

namespace {

// WCAG 2's contrast, written out here (not the product's function).
double luminance(const QColor &c)
{
    const auto lin = [](int v8) {
        const double v = v8 / 255.0;
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    const QColor rgb = c.toRgb();
    return 0.2126 * lin(rgb.red()) + 0.7152 * lin(rgb.green()) + 0.0722 * lin(rgb.blue());
}
double contrast(const QColor &a, const QColor &b)
{
    const double x = luminance(a), y = luminance(b);
    return (std::max(x, y) + 0.05) / (std::min(x, y) + 0.05);
}

// The first and last x of the text's ink in a table's first row: pixels far
// from the row's background.
std::pair<int, int> inkSpan(QTableView &view)
{
    const QImage img = view.viewport()->grab().toImage();
    const int rowTop = view.visualRect(view.model()->index(0, 0)).top();
    const int rowBottom = view.visualRect(view.model()->index(0, 0)).bottom();
    const QColor bg = img.pixelColor(1, rowTop + 1);
    int first = -1, last = -1;
    for (int x = 0; x < img.width(); ++x)
        for (int y = rowTop; y <= rowBottom; ++y) {
            const QColor c = img.pixelColor(x, y);
            if (std::abs(c.lightness() - bg.lightness()) > 80) {
                if (first < 0)
                    first = x;
                last = x;
                break;
            }
        }
    return {first, last};
}

} // namespace

class TestUiLook : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_win;
    QPalette m_systemPalette;

    bool selectFirstIssue()
    {
        IssueListModel *m = m_win->issueList()->issueModel();
        if (!edtest::waitUntilLoaded(m, 1))
            return false;
        m_win->issueList()->setCurrentIndex(m->index(0, IssueListModel::Title));
        return QTest::qWaitFor([this] { return m_win->detail()->detail() != nullptr; }, 10000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        edtest::isolate();
        QSettings().remove(QStringLiteral("View/theme"));
        m_systemPalette = QApplication::palette();
        const QString path = edtest::corpusDatabase(m_dir);
        m_win = edtest::shownMainWindow(path);
        QVERIFY(m_win);
        m_win->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_win.get()));
    }

    void themeMenu()
    {
        QAction *dark = m_win->action(QStringLiteral("actionThemeDark"));
        QAction *light = m_win->action(QStringLiteral("actionThemeLight"));
        QAction *system = m_win->action(QStringLiteral("actionThemeSystem"));
        QVERIFY(dark && light && system);
        QVERIFY(system->isChecked());
        dark->trigger();
        // At once, in the application and the window, and kept for the next start.
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 80);
        QTRY_VERIFY(m_win->palette().color(QPalette::Base).lightness() < 80);
        QTRY_VERIFY(m_win->issueList()->viewport()->palette().color(QPalette::Base).lightness() < 80);
        QCOMPARE(QSettings().value(QStringLiteral("View/theme")).toString(), QStringLiteral("dark"));
        QCOMPARE(theme::savedTheme(), theme::ThemeChoice::Dark);
        QVERIFY(dark->isChecked());
        // Muted text on the dark palette: readable against the base.
        const QPalette p = QApplication::palette();
        const QColor muted = theme::mutedText(p);
        QVERIFY2(contrast(muted, p.color(QPalette::Base)) >= 4.5, qPrintable(muted.name()));
        QVERIFY(muted != p.color(QPalette::Text)); // still muted
        light->trigger();
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 180);
        QCOMPARE(theme::savedTheme(), theme::ThemeChoice::Light);
        system->trigger();
        QCOMPARE(QApplication::palette().color(QPalette::Window), m_systemPalette.color(QPalette::Window));
        QCOMPARE(QApplication::palette().color(QPalette::Text), m_systemPalette.color(QPalette::Text));
        QCOMPARE(theme::savedTheme(), theme::ThemeChoice::System);
    }

    // Palettes whose PlaceholderText is unreadable (dark themes keeping Qt's
    // light grey, or one equal to the base): muted text does not use it.
    void mutedContrastOnAnyPalette()
    {
        struct Case {
            QColor base, text, placeholder;
        };
        for (const Case &c : {Case{QColor(30, 30, 32), QColor(230, 230, 230), QColor(60, 60, 60)},
                              Case{QColor(30, 30, 32), QColor(200, 200, 200), QColor(30, 30, 32)},
                              Case{QColor(0, 43, 54), QColor(147, 161, 161), QColor(7, 54, 66)}, // Solarized dark
                              Case{QColor(255, 255, 255), QColor(0, 0, 0), QColor(240, 240, 240)},
                              Case{QColor(250, 250, 250), QColor(60, 60, 60), QColor(60, 60, 60)}}) {
            QPalette p;
            p.setColor(QPalette::Base, c.base);
            p.setColor(QPalette::Window, c.base);
            p.setColor(QPalette::Text, c.text);
            p.setColor(QPalette::WindowText, c.text);
            p.setColor(QPalette::PlaceholderText, c.placeholder);
            const QColor m = theme::mutedText(p);
            const double want = std::min(4.5, contrast(c.text, c.base)); // never below the text's own
            QVERIFY2(contrast(m, c.base) >= want - 1e-9,
                     qPrintable(QStringLiteral("%1 on %2: %3").arg(m.name(), c.base.name()).arg(contrast(m, c.base))));
            QCOMPARE(m.alpha(), 255); // opaque: its contrast does not depend on what is under it
        }
    }

    void deleteConfirmationDefaultsToNo()
    {
        QVERIFY(selectFirstIssue());
        QTRY_VERIFY(!m_win->selectedReportIds().isEmpty());
        const qint64 before = m_win->reportList()->reportModel()->rowCount();
        QString defaultText;
        bool seen = false;
        QTimer::singleShot(0, this, [&] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box)
                return;
            seen = true;
            if (box->defaultButton())
                defaultText = box->defaultButton()->text();
            // Enter takes the default button.
            QTest::keyClick(box, Qt::Key_Return);
        });
        m_win->deleteSelectedReports();
        QVERIFY(seen);
        QCOMPARE(defaultText.remove(QLatin1Char('&')), QStringLiteral("No"));
        QTest::qWait(200);
        QCOMPARE(m_win->reportList()->reportModel()->rowCount(), before); // nothing deleted
    }

    void copyGivesFeedback()
    {
        QVERIFY(selectFirstIssue());
        m_win->statusBar()->clearMessage();
        m_win->activateWindow(); // after the message box above
        QVERIFY(QTest::qWaitForWindowActive(m_win.get()));
        m_win->issueList()->setFocus();
        QTRY_VERIFY(m_win->issueList()->hasFocus());
        m_win->copySelection();
        QVERIFY2(m_win->statusBar()->currentMessage().startsWith(QStringLiteral("Copied")),
                 qPrintable(m_win->statusBar()->currentMessage()));
        m_win->statusBar()->clearMessage();
        m_win->action(QStringLiteral("actionCopyTraceback"))->trigger();
        QVERIFY2(m_win->statusBar()->currentMessage().startsWith(QStringLiteral("Copied the traceback")),
                 qPrintable(m_win->statusBar()->currentMessage()));
    }

    void focusDetailShows()
    {
        QVERIFY(selectFirstIssue());
        m_win->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_win.get()));
        m_win->detail()->tabs()->setCurrentIndex(ReportDetailView::TracebackTab);
        m_win->action(QStringLiteral("actionFocusDetail"))->trigger();
        QWidget *page = m_win->detail()->tabs()->currentWidget();
        QWidget *focus = QApplication::focusWidget();
        QVERIFY(focus);
        // In the tab, on a widget that shows focus (not the page itself, which takes none).
        QVERIFY2(page->isAncestorOf(focus), focus->metaObject()->className());
        QVERIFY(focus->isVisible());
        QVERIFY(focus->focusPolicy() & Qt::TabFocus);
    }

    // Each label of the Recipients and Scrubbing pages beside its field's top, not floating off it.
    void formLabelsLevelWithFields()
    {
        SettingsDialog dlg(m_win->databasePath(), m_win->config(), m_win.get());
        QVERIFY(QTest::qWaitFor([&dlg] { return dlg.isReady(); }, 10000));
        dlg.resize(900, 660);
        dlg.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dlg));
        for (const SettingsDialog::Page page : {SettingsDialog::Recipients, SettingsDialog::Scrubbing}) {
            dlg.showPage(page);
            QApplication::processEvents();
            QWidget *p = page == SettingsDialog::Recipients ? static_cast<QWidget *>(dlg.recipients())
                                                            : static_cast<QWidget *>(dlg.scrubbing());
            QVERIFY(p);
            auto *form = qobject_cast<QFormLayout *>(p->layout());
            QVERIFY(form);
            int rows = 0;
            for (int r = 0; r < form->rowCount(); ++r) {
                QLayoutItem *l = form->itemAt(r, QFormLayout::LabelRole);
                QLayoutItem *f = form->itemAt(r, QFormLayout::FieldRole);
                if (!l || !f || !l->widget() || !f->widget() || !f->widget()->layout())
                    continue;
                QWidget *editor = f->widget()->layout()->itemAt(0)->widget(); // the field in its box
                const int labelTop = l->widget()->mapTo(p, QPoint(0, 0)).y();
                const int editorTop = editor->mapTo(p, QPoint(0, 0)).y();
                QVERIFY2(std::abs(labelTop - editorTop) <= 8, qPrintable(QStringLiteral("%1: label at %2, field at %3")
                                                                             .arg(qobject_cast<QLabel *>(l->widget())->text())
                                                                             .arg(labelTop)
                                                                             .arg(editorTop)));
                ++rows;
            }
            QVERIFY(rows >= 3);
        }
        dlg.close();
    }

    void columnsFitTheWindow()
    {
        IssueListView *issues = m_win->issueList();
        IssueListModel *m = issues->issueModel();
        QVERIFY(edtest::waitUntilLoaded(m, 5));
        m_win->resize(1024, 700);
        QTest::qWait(100);
        // At 1024×700 no horizontal scroll in either list; title and culprit shown.
        QCOMPARE(issues->horizontalScrollBar()->maximum(), 0);
        QCOMPARE(m_win->reportList()->horizontalScrollBar()->maximum(), 0);
        QVERIFY(!issues->isColumnHidden(IssueListModel::Title));
        QVERIFY(!issues->isColumnHidden(IssueListModel::Culprit));
        QVERIFY(!issues->isColumnHidden(IssueListModel::Events));
        QVERIFY(issues->columnWidth(IssueListModel::Title) >= issues->fontMetrics().horizontalAdvance(QLatin1Char('M')) * 9);
        // At 2560 px every culprit loaded is whole, and every column is back.
        m_win->resize(2560, 1440);
        QTest::qWait(100);
        QCOMPARE(issues->horizontalScrollBar()->maximum(), 0);
        int widest = 0;
        for (int r = 0; r < m->rowCount(); ++r)
            widest = std::max(widest, issues->fontMetrics().horizontalAdvance(m->issue(r)->culprit));
        QVERIFY2(issues->columnWidth(IssueListModel::Culprit) >= widest + 8,
                 qPrintable(QStringLiteral("%1 < %2").arg(issues->columnWidth(IssueListModel::Culprit)).arg(widest)));
        for (int c = 0; c < IssueListModel::ColumnCount; ++c)
            QVERIFY2(!issues->isColumnHidden(c), qPrintable(QString::number(c)));
        m_win->resize(1400, 900);
    }

    void cachedTextFollowsWidthTextAndAlignment()
    {
        QStandardItemModel model(1, 1);
        const QString longText = QStringLiteral("IntegrityError: duplicate key value violates unique constraint "
                                                "\"shop_order_pkey\" DETAIL: Key (id)=(42) already exists.");
        model.setItem(0, 0, new QStandardItem(longText));
        // A one-column table as the lists show text (no wrap, no grid), with `delegate`.
        const auto showTable = [&model](QTableView &table, QAbstractItemDelegate *delegate, int width) {
            table.setModel(&model);
            table.setItemDelegate(delegate);
            table.setWordWrap(false);
            table.setShowGrid(false);
            table.resize(900, 200);
            table.setColumnWidth(0, width);
            table.show();
            return QTest::qWaitForWindowExposed(&table);
        };
        QTableView view;
        QVERIFY(showTable(view, new ElidedTextDelegate(&view), 120));
        const auto narrow = inkSpan(view);
        QVERIFY2(narrow.first >= 0 && narrow.second < 120,
                 qPrintable(QStringLiteral("%1..%2").arg(narrow.first).arg(narrow.second)));
        // Wider: laid out again for the new room, not the narrow line drawn again.
        view.setColumnWidth(0, 800);
        const auto wide = inkSpan(view);
        QVERIFY2(wide.second > 400, qPrintable(QString::number(wide.second)));
        // New text: its own line.
        model.item(0, 0)->setText(QStringLiteral("W"));
        const auto one = inkSpan(view);
        QVERIFY2(one.second - one.first < 30, qPrintable(QStringLiteral("%1..%2").arg(one.first).arg(one.second)));
        // Where the standard delegate puts it, left and right aligned.
        QTableView standard;
        QVERIFY(showTable(standard, new QStyledItemDelegate(&standard), 800));
        for (const Qt::Alignment a :
             {Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter), Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter)}) {
            model.item(0, 0)->setTextAlignment(a);
            const auto ours = inkSpan(view), theirs = inkSpan(standard);
            QVERIFY2(std::abs(ours.first - theirs.first) <= 2 && std::abs(ours.second - theirs.second) <= 2,
                     qPrintable(QStringLiteral("ours %1..%2, standard %3..%4")
                                    .arg(ours.first)
                                    .arg(ours.second)
                                    .arg(theirs.first)
                                    .arg(theirs.second)));
        }
    }

    void cleanupTestCase()
    {
        theme::applyTheme(theme::ThemeChoice::System);
        QSettings().remove(QStringLiteral("View/theme"));
        m_win.reset();
    }
};

QTEST_MAIN(TestUiLook)
#include "tst_ui_look.moc"
