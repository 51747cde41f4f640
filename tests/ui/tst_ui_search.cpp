// The search bar in the main window, offscreen, over the corpus, in
// America/New_York (main() sets TZ before anything reads it): times shown with
// their zone and typed in it, Settings › Display switching to UTC, a search
// that does not parse underlined with the lists emptied, no error while a term
// is still being typed.
#include "models/IssueListModel.h"
#include "models/ReportListModel.h"
#include "dialogs/SearchSyntaxDialog.h"
#include "settings/DisplayPage.h"
#include "settings/SettingsDialog.h"
#include "store/sqlite/Sqlite.h"
#include "views/IssueListView.h"
#include "views/ReportDetailView.h"
#include "views/ReportListView.h"
#include "views/SearchBar.h"
#include "window/MainWindow.h"
#include "UiSupport.h"

#include <QApplication>
#include <QAbstractItemView>
#include <QAction>
#include <QComboBox>
#include <QCompleter>
#include <QRegularExpression>
#include <QTextBrowser>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTimeZone>
#include <QTimer>
#include <ctime>

using namespace ed;

namespace {

// Pixels of the error color's kind (red well above green and blue) in an image: the wavy underline.
int reddishPixels(const QImage &image)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.red() - std::max(c.green(), c.blue()) > 60)
                ++n;
        }
    return n;
}

// A time as New York reads it, worked out here with Qt's named zone (the app
// uses the process's local zone: the two must agree).
QString newYork(int64_t ms)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, QTimeZone("America/New_York"));
    return t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss ")) + t.timeZoneAbbreviation();
}

} // namespace

class TestUiSearch : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<MainWindow> m_win;
    std::unique_ptr<Database> m_db; // a second connection for checking

    IssueListModel *issues() const { return m_win->issueList()->issueModel(); }
    ReportListModel *reports() const { return m_win->reportList()->reportModel(); }
    SearchBar *bar() const { return m_win->searchBar(); }
    int64_t count(const QString &sql, std::optional<int64_t> bind = {}) const
    {
        return edtest::onTestSide([&] {
            Statement st = connectionOf(*m_db).prepare(sql.toUtf8().constData());
            if (bind)
                st.bind(1, *bind);
            return st.step() ? st.int64(0) : int64_t(-1);
        });
    }
    // Types `text` into the bar like a user, then Enter.
    void search(const QString &text)
    {
        QLineEdit *edit = bar()->lineEdit();
        edit->setFocus();
        edit->selectAll();
        QTest::keyClicks(edit, text);
        QTest::keyClick(edit, Qt::Key_Return);
    }
    int64_t newestReportTime() const
    {
        return count(QStringLiteral("SELECT max(timestamp) FROM reports WHERE hidden_by IS NULL"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        edtest::isolate();
        m_path = edtest::corpusDatabase(m_dir);
        m_win = edtest::shownMainWindow(m_path);
        QVERIFY(m_win);
        m_db = std::make_unique<Database>(std::move(*edtest::onTestSide([&] { return Database::open(m_path); })));
        QVERIFY(edtest::waitUntilLoaded(m_win->config()));
    }

    void init()
    {
        bar()->setRange(SearchBar::AllTime);
        bar()->setText(QString());
        m_win->setShowAllReports(true);
        QVERIFY(edtest::waitUntilLoaded(reports(), 1));
    }

    // Local time (the default) with its zone's name, in the list and the
    // report's summary; after: reads a typed time in that zone.
    void localTimesAreNamedAndTypedInTheirZone()
    {
        QCOMPARE(bar()->zone(), DisplayZone::Local);
        const int64_t newest = newestReportTime();
        const QString shown = newYork(newest);
        QVERIFY2(shown.endsWith(QStringLiteral(" EST")), qPrintable(shown)); // November: standard time
        QCOMPARE(reports()->data(reports()->index(0, ReportListModel::Time), Qt::DisplayRole).toString(), shown);
        m_win->reportList()->setCurrentIndex(reports()->index(0, 0));
        auto *summary = m_win->detail()->findChild<QLabel *>(QStringLiteral("reportSummary"));
        QVERIFY(summary);
        QTRY_VERIFY(summary->text().contains(shown));

        // The time as shown, typed back (without the zone): the newest report
        // and those in its second.
        const QString typed = shown.left(19).replace(QLatin1Char(' '), QLatin1Char('T'));
        search(QStringLiteral("after:") + typed);
        QVERIFY(edtest::waitUntilLoaded(reports()));
        QVERIFY(bar()->errorText().isEmpty());
        const int64_t secondStart = newest - newest % 1000;
        const QString atOrAfter = QStringLiteral("SELECT count(*) FROM reports WHERE hidden_by IS NULL AND timestamp >= ?");
        QVERIFY(count(atOrAfter, secondStart) > 0);
        QCOMPARE(int64_t(reports()->rowCount()), count(atOrAfter, secondStart));
        // Read as UTC the same digits are five hours earlier (New York is UTC-5).
        search(QStringLiteral("after:") + typed + QLatin1Char('Z'));
        QVERIFY(edtest::waitUntilLoaded(reports()));
        QCOMPARE(int64_t(reports()->rowCount()), count(atOrAfter, secondStart - 5 * 3600 * 1000));
        QVERIFY(count(atOrAfter, secondStart - 5 * 3600 * 1000) > count(atOrAfter, secondStart));
        // An offset says its own zone: -05:00 is New York's.
        search(QStringLiteral("after:") + typed + QStringLiteral("-05:00"));
        QVERIFY(edtest::waitUntilLoaded(reports()));
        QCOMPARE(int64_t(reports()->rowCount()), count(atOrAfter, secondStart));
    }

    // Settings › Display › UTC: the lists say UTC, and typed times are UTC.
    void settingsSwitchToUtc()
    {
        m_win->openSettings();
        auto *dlg = m_win->findChild<SettingsDialog *>();
        QVERIFY(dlg);
        QTRY_VERIFY(dlg->isReady());
        dlg->showPage(SettingsDialog::Display);
        QComboBox *zone = dlg->display()->zoneBox();
        QVERIFY(zone->isVisible());
        QCOMPARE(zone->currentData().toString(), QStringLiteral("local"));
        zone->setCurrentIndex(zone->findData(QStringLiteral("utc")));
        QSignalSpy applied(dlg, &SettingsDialog::applied);
        QVERIFY(dlg->apply());
        QVERIFY(applied.wait(10000) && applied.first().first().toBool());
        dlg->close();
        QCOMPARE(m_win->config().string(ConfigKey::TimeZone), QStringLiteral("utc"));
        QTRY_COMPARE(bar()->zone(), DisplayZone::Utc);
        QVERIFY(edtest::waitUntilLoaded(reports(), 1));
        const int64_t newest = newestReportTime();
        const QString utc = QDateTime::fromMSecsSinceEpoch(newest, QTimeZone::utc())
                                .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) +
                            QStringLiteral(" UTC");
        QCOMPARE(reports()->data(reports()->index(0, ReportListModel::Time), Qt::DisplayRole).toString(), utc);
        search(QStringLiteral("after:") + utc.left(19).replace(QLatin1Char(' '), QLatin1Char('T')));
        QVERIFY(edtest::waitUntilLoaded(reports()));
        QCOMPARE(int64_t(reports()->rowCount()),
                 count(QStringLiteral("SELECT count(*) FROM reports WHERE hidden_by IS NULL AND timestamp >= ?"),
                       newest - newest % 1000));
        QVERIFY(reports()->rowCount() > 0);
        // Back to local for the other tests.
        QVERIFY(edtest::writeConfig(m_win->config(), ConfigKey::TimeZone, QStringLiteral("local")));
        QTRY_COMPARE(bar()->zone(), DisplayZone::Local);
    }

    // A field that is no field: its name underlined, the reason and the
    // suggestion under the bar, and both lists empty (not the last results).
    void unknownFieldIsUnderlinedAndEmptiesTheLists()
    {
        m_win->setShowAllReports(false);
        QVERIFY(edtest::waitUntilLoaded(issues(), 1));
        const int clean = reddishPixels(bar()->lineEdit()->grab().toImage());
        search(QStringLiteral("level:error staus:500"));
        QVERIFY2(bar()->errorText().contains(QStringLiteral("unknown field 'staus'")), qPrintable(bar()->errorText()));
        QVERIFY2(bar()->errorText().contains(QStringLiteral("did you mean status:?")), qPrintable(bar()->errorText()));
        QCOMPARE(bar()->underlined(), (std::pair<qsizetype, qsizetype>(12, 6)));
        auto *label = bar()->findChild<QLabel *>(QStringLiteral("searchError"));
        QVERIFY(label && label->isVisible());
        QVERIFY(edtest::waitUntilLoaded(issues()));
        QVERIFY(edtest::waitUntilLoaded(reports()));
        QCOMPARE(issues()->rowCount(), 0);
        QCOMPARE(reports()->rowCount(), 0);
        // The underline is drawn: red where there was none.
        const int underlined = reddishPixels(bar()->lineEdit()->grab().toImage());
        QVERIFY2(underlined > clean + 10, qPrintable(QStringLiteral("%1 red pixels, %2 before").arg(underlined).arg(clean)));

        // Corrected: the lists come back, the underline and the message go.
        search(QStringLiteral("level:error status:500"));
        QVERIFY(bar()->errorText().isEmpty());
        QVERIFY(!label->isVisible());
        QCOMPARE(bar()->underlined(), (std::pair<qsizetype, qsizetype>(0, 0)));
        QVERIFY(edtest::waitUntilLoaded(issues(), 1));
        QCOMPARE(int64_t(issues()->rowCount()),
                 count(QStringLiteral("SELECT count(DISTINCT issue_id) FROM reports WHERE level = 40 AND status_code = 500 "
                                      "AND hidden_by IS NULL")));
        QCOMPARE(reddishPixels(bar()->lineEdit()->grab().toImage()), clean);
    }

    // "level:" on its way to "level:error": the pause in typing does not flag
    // the term the cursor is at; a longer pause or Enter does. A bad term
    // elsewhere is flagged at the first pause.
    void noErrorWhileATermIsBeingTyped()
    {
        auto *pause = bar()->findChild<QTimer *>(QStringLiteral("searchPause"));
        auto *longPause = bar()->findChild<QTimer *>(QStringLiteral("searchLongPause"));
        QVERIFY(pause && longPause);
        QLineEdit *edit = bar()->lineEdit();
        edit->setFocus();
        edit->clear();
        QSignalSpy invalid(bar(), &SearchBar::queryInvalid);
        QTest::keyClicks(edit, QStringLiteral("status:500 level:"));
        QVERIFY(pause->isActive());
        QTRY_VERIFY(!pause->isActive()); // the pause came
        QVERIFY(bar()->errorText().isEmpty());
        QCOMPARE(invalid.count(), 0);
        QVERIFY(longPause->isActive());
        // Typing on: still nothing flagged, and the value completes the term.
        QTest::keyClicks(edit, QStringLiteral("err"));
        QVERIFY(!longPause->isActive());
        QTRY_VERIFY(!pause->isActive());
        QVERIFY(bar()->errorText().isEmpty());
        // The longer pause: now it is an error.
        QTRY_VERIFY_WITH_TIMEOUT(!bar()->errorText().isEmpty(), 10000);
        QVERIFY(bar()->errorText().contains(QStringLiteral("unknown level 'err'")));
        QCOMPARE(invalid.count(), 1);
        // Typing again hides it until the next pause.
        QTest::keyClicks(edit, QStringLiteral("or"));
        QVERIFY(bar()->errorText().isEmpty());
        QTRY_VERIFY(!pause->isActive());
        QVERIFY(bar()->errorText().isEmpty()); // valid: status:500 level:error
        QVERIFY(edtest::waitUntilLoaded(reports()));
        QCOMPARE(
            int64_t(reports()->rowCount()),
            count(QStringLiteral("SELECT count(*) FROM reports WHERE level = 40 AND status_code = 500 AND hidden_by IS NULL")));

        // Enter does not wait.
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("level:"));
        QTest::keyClick(edit, Qt::Key_Return);
        QVERIFY(bar()->errorText().contains(QStringLiteral("needs a value")));

        // A bad term behind the cursor is flagged at the first pause.
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("staus:500 level:error"));
        QTRY_VERIFY(!pause->isActive());
        QVERIFY(bar()->errorText().contains(QStringLiteral("unknown field 'staus'")));
        QVERIFY(!longPause->isActive());
    }

    // After a field name the bar offers what the database holds, read by a
    // job (a UI-thread SQLite call would be fatal here: isolate()).
    void valuesAreCompletedFromTheDatabase()
    {
        QSignalSpy valuesLoaded(m_win.get(), &MainWindow::searchValuesLoaded);
        m_win->refresh(); // reads them again; the answer comes from a job
        QVERIFY(valuesLoaded.wait(10000));
        QLineEdit *edit = bar()->lineEdit();
        edit->setFocus();
        edit->clear();
        QCompleter *c = bar()->completer();
        QTest::keyClicks(edit, QStringLiteral("status:"));
        QVERIFY(c->popup()->isVisible());
        QStringList offered;
        for (int i = 0; c->setCurrentRow(i); ++i)
            offered << c->currentCompletion();
        QStringList stored;
        edtest::onTestSide([&] {
            Statement st = connectionOf(*m_db).prepare(
                "SELECT DISTINCT status_code FROM reports WHERE status_code IS NOT NULL ORDER BY 1");
            while (st.step())
                stored << QStringLiteral("status:") + QString::number(st.int64(0));
            return 0;
        });
        QVERIFY(stored.contains(QStringLiteral("status:404")));
        QCOMPARE(offered, stored);

        // "status:40" narrows to the 40x codes; choosing one ends the term.
        QTest::keyClicks(edit, QStringLiteral("40"));
        QVERIFY(c->popup()->isVisible());
        QVERIFY(c->currentCompletion().startsWith(QStringLiteral("status:40")));
        QTest::keyClick(c->popup(), Qt::Key_Down);
        const QString chosen = c->popup()->currentIndex().data().toString();
        QVERIFY(chosen.startsWith(QStringLiteral("status:40")));
        QTest::keyClick(c->popup(), Qt::Key_Return);
        QCOMPARE(edit->text(), chosen + QLatin1Char(' '));

        // Types, in any case as typed.
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("type:zerodiv"));
        QVERIFY(c->popup()->isVisible());
        QCOMPARE(c->currentCompletion(), QStringLiteral("type:ZeroDivisionError"));
        // Loggers after a negation.
        edit->clear();
        QTest::keyClicks(edit, QStringLiteral("-logger:django.req"));
        QCOMPARE(c->currentCompletion(), QStringLiteral("logger:django.request"));
        QTest::keyClick(edit, Qt::Key_Escape);
        edit->clear();
    }

    // Help › Search Syntax: every field of the language, each with an example.
    void searchSyntaxPageListsEveryField()
    {
        auto *action = m_win->findChild<QAction *>(QStringLiteral("actionSearchSyntax"));
        QVERIFY(action);
        action->trigger();
        auto *dlg = m_win->findChild<SearchSyntaxDialog *>();
        QVERIFY(dlg);
        QTRY_VERIFY(dlg->isVisible());
        const QString text = dlg->browser()->toPlainText();
        for (const QString &field : SearchQuery::fieldNames()) {
            const QRegularExpression example(QStringLiteral("(^|\\s)%1:[^\\s]").arg(field));
            QVERIFY2(text.contains(example), qPrintable(field));
        }
        for (const char *also : {"message:=", "OR", "after:-7d", "after:yesterday", "Z", "+02:00", "--utc"})
            QVERIFY2(text.contains(QLatin1String(also)), also);
        dlg->close();
    }
};

// TZ before anything reads the zone (Qt and libc cache it).
int main(int argc, char **argv)
{
    qputenv("TZ", "America/New_York");
    tzset();
    QApplication app(argc, argv);
    TestUiSearch test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_ui_search.moc"
