// Screenshots of the desktop app with the corpus loaded: the main window, a
// report's traceback and request, the chart, the settings dialog (and its
// Receive from Sentry SDKs page), a Sentry SDK event's Breadcrumbs tab. Saved as
// PNGs in $ERRORDECK_SCREENSHOT_DIR (docs/screenshots/ comes from a run under
// Xvfb: xvfb-run -a -s "-screen 0 2600x1500x24"), else in a temporary folder.
// The main window at 1024×700, 1600×1000 and 2560×1440 in View › Theme's light
// and dark palettes, and the start page of an empty database. Settings ›
// Alerts with four rules at 1024×700 and 2560×1440, and its Edit dialog.
#include "models/IssueListModel.h"
#include "store/sqlite/Sqlite.h"
#include "views/IssueListView.h"
#include "window/MainWindow.h"
#include "window/AlertController.h"
#include "views/ReportDetailView.h"
#include "views/IssuePage.h"
#include "views/ReportListView.h"
#include "views/SearchBar.h"
#include "store/Config.h"
#include "settings/NotFoundPage.h"
#include "settings/ReceivePage.h"
#include "sentry/SentryEvent.h"
#include "store/SiteStore.h"
#include "store/AlertStore.h"
#include "settings/AlertsPage.h"
#include "settings/AlertDialog.h"
#include <QDialogButtonBox>
#include <QTimer>
#include "views/BreadcrumbsView.h"
#include "settings/SettingsDialog.h"
#include "dialogs/ServerDatabaseDialog.h"
#include "dialogs/ServerPasswordDialog.h"
#include <QJsonArray>
#include "views/TimelineChart.h"
#include "look/Theme.h"
#include "views/StartPage.h"
#include "views/TracebackView.h"
#include "UiSupport.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QDir>
#include <QStatusBar>
#include <QTabWidget>
#include <QSplitter>
#include <QLabel>
#include <QLineEdit>
#include <QTableWidget>
#include <QTreeView>
#include <QScrollBar>
#include "views/RequestView.h"
#include "views/KeyValueTable.h"

#include <QHash>
#include <QSignalSpy>
#include <QSet>
#include <optional>

using namespace ed;

class TestUiScreenshots : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_out;
    QString m_dbPath;
    std::unique_ptr<MainWindow> m_win;

    void save(QWidget *w, const QString &name)
    {
        QApplication::processEvents();
        const QPixmap pm = w->grab();
        QVERIFY(!pm.isNull());
        QVERIFY(pm.width() > 100 && pm.height() > 100);
        // Something was painted: a blank or single-colour grab is no screenshot.
        QVERIFY2(distinctColours(pm.toImage()) > 16, qPrintable(name));
        QVERIFY(pm.save(QDir(m_out).filePath(name + QStringLiteral(".png"))));
    }

    static int distinctColours(const QImage &img)
    {
        QSet<QRgb> seen;
        for (int y = 0; y < img.height(); y += 3)
            for (int x = 0; x < img.width(); x += 3)
                seen.insert(img.pixel(x, y));
        return int(seen.size());
    }

    // The lightness (0-255) of the colour covering most of the image: a
    // widget's background.
    static int dominantLightness(const QImage &img)
    {
        QHash<QRgb, int> count;
        for (int y = 0; y < img.height(); y += 2)
            for (int x = 0; x < img.width(); x += 2)
                ++count[img.pixel(x, y)];
        QRgb best = 0;
        int most = -1;
        for (auto it = count.cbegin(); it != count.cend(); ++it)
            if (it.value() > most) {
                most = it.value();
                best = it.key();
            }
        return QColor(best).lightness();
    }

    // Selects the issue whose title starts with `title` and waits for its latest report.
    void selectIssue(const QString &title)
    {
        IssueListModel *m = m_win->issueList()->issueModel();
        QVERIFY(edtest::waitUntilLoaded(m, 1));
        int row = -1;
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->issue(r) && m->issue(r)->title.startsWith(title)) {
                row = r;
                break;
            }
        QVERIFY2(row >= 0, qPrintable(title));
        const int64_t issue = m->issue(row)->id;
        m_win->issueList()->setCurrentIndex(m->index(row, IssueListModel::Title));
        // That issue's report, not the one shown before.
        QVERIFY(QTest::qWaitFor(
            [this, issue] { return m_win->detail()->detail() && m_win->detail()->detail()->row.issueId == issue; }, 10000));
    }

private Q_SLOTS:
    void initTestCase()
    {
        edtest::isolate();
        m_out = qEnvironmentVariable("ERRORDECK_SCREENSHOT_DIR", m_dir.filePath(QStringLiteral("shots")));
        QDir().mkpath(m_out);
        const QString path = edtest::corpusDatabase(m_dir);
        m_dbPath = path;
        std::optional<edtest::TestSideDb> testSide(std::in_place); // the saved searches, before the window
        auto db = Database::open(path);
        QVERIFY(db.ok());
        for (const auto &[name, query] :
             {std::pair{"Server errors", "status:5xx"}, std::pair{"Broken links", "status:404"},
              std::pair{"Security", "logger:django.security"}, std::pair{"KeyErrors", "type:KeyError"}}) {
            Statement st = connectionOf(*db).prepare("INSERT INTO saved_searches(name, query) VALUES (?, ?)");
            st.bind(1, QString::fromLatin1(name)).bind(2, QString::fromLatin1(query));
            QVERIFY(st.exec());
        }
        testSide.reset();
        m_win = std::make_unique<MainWindow>(std::move(*db));
        m_win->resize(1560, 960);
        m_win->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_win.get()));
    }

    void mainWindow()
    {
        selectIssue(QStringLiteral("ZeroDivisionError"));
        QTest::qWait(300); // the chart's animation-free rebuild and the sparklines
        // The default (light) palette: the issue list's background is light.
        QVERIFY(dominantLightness(m_win->issueList()->viewport()->grab().toImage()) > 160);
        save(m_win.get(), QStringLiteral("main-window"));
    }

    void traceback()
    {
        // Room for the detail, as a user would drag the splitter.
        if (auto *split = m_win->findChild<QSplitter *>(QStringLiteral("detailSplitter")))
            split->setSizes({560, 860});
        selectIssue(QStringLiteral("RuntimeError: payment"));
        m_win->detail()->tabs()->setCurrentIndex(ReportDetailView::TracebackTab);
        // The chained exception, in Django's words and order.
        const QString text = m_win->detail()->traceback()->tracebackText();
        QVERIFY2(text.contains(QStringLiteral("The above exception (")), qPrintable(text.right(3000)));
        QVERIFY2(text.contains(QStringLiteral("Exception Type: RuntimeError at /payments/charge/")), qPrintable(text.right(600)));
        save(m_win->detail(), QStringLiteral("traceback"));
    }

    void request()
    {
        m_win->detail()->tabs()->setCurrentIndex(ReportDetailView::RequestTab);
        if (auto *tabs = m_win->detail()->request()->findChild<QTabWidget *>())
            tabs->setCurrentIndex(3); // COOKIES: scrubbed values, marked
        // The cookies are shown, and the scrubbed ones are marked as such.
        KeyValueTable *cookies = m_win->detail()->request()->table(QStringLiteral("COOKIES"));
        QVERIFY(cookies);
        QVERIFY(cookies->isVisible());
        QAbstractItemModel *cm = cookies->view()->model();
        QVERIFY(cm->rowCount() > 0);
        int scrubbed = 0;
        for (int r = 0; r < cm->rowCount(); ++r)
            scrubbed += cm->index(r, 1).data(KeyValueModel::ScrubbedRole).toBool() ? 1 : 0;
        QVERIFY(scrubbed > 0);
        save(m_win->detail(), QStringLiteral("request"));
    }

    // The Issue tab of the KeyError issue: its facets with their shares.
    void issuePage()
    {
        selectIssue(QStringLiteral("KeyError"));
        m_win->detail()->tabs()->setCurrentIndex(ReportDetailView::IssueTab);
        IssuePage *page = m_win->detail()->issuePage();
        QVERIFY(QTest::qWaitFor([&] { return !page->facetLines(QStringLiteral("path")).isEmpty(); }, 10000));
        save(m_win->detail(), QStringLiteral("issue-page"));
        m_win->detail()->tabs()->setCurrentIndex(ReportDetailView::TracebackTab);
    }

    // The whole window at the three sizes of issue 14, light and dark (View ›
    // Theme), with a report open: the lists' columns fit, the culprit whole.
    void mainWindowAtSizes()
    {
        for (const auto &[choice, name] :
             {std::pair{theme::ThemeChoice::Light, "light"}, std::pair{theme::ThemeChoice::Dark, "dark"}}) {
            theme::applyTheme(choice);
            for (const QSize size : {QSize(1024, 700), QSize(1600, 1000), QSize(2560, 1440)}) {
                m_win->resize(size); // the window shares the width between lists and detail itself
                QTest::qWait(200);
                const int light = dominantLightness(m_win->issueList()->viewport()->grab().toImage());
                QVERIFY2(choice == theme::ThemeChoice::Dark ? light < 90 : light > 160, qPrintable(QString::number(light)));
                QCOMPARE(m_win->issueList()->horizontalScrollBar()->maximum(), 0);
                save(m_win.get(),
                     QStringLiteral("main-window-%1x%2-%3").arg(size.width()).arg(size.height()).arg(QLatin1String(name)));
            }
        }
        theme::applyTheme(theme::ThemeChoice::System);
        m_win->resize(1560, 960);
        QTest::qWait(100);
    }

    // An empty database: the start page instead of empty lists.
    void startPage()
    {
        auto db = edtest::onTestSide([&] { return Database::open(m_dir.filePath(QStringLiteral("empty.sqlite3"))); });
        QVERIFY(db.ok());
        MainWindow empty(std::move(*db));
        empty.resize(1280, 800);
        empty.show();
        QVERIFY(QTest::qWaitForWindowExposed(&empty));
        QVERIFY(QTest::qWaitFor([&] { return empty.isStartPageShown(); }, 10000));
        QTest::qWait(100);
        save(&empty, QStringLiteral("start-page"));
    }

    void chart()
    {
        // Every issue's reports (the chart follows the issue selected above).
        if (m_win->chart()->issueId()) {
            QSignalSpy updated(m_win->chart(), &TimelineChart::updated);
            m_win->chart()->setIssue(std::nullopt);
            QVERIFY(updated.wait(10000));
        }
        // The chart counts every visible report of the (unfiltered) main window.
        auto db = edtest::onTestSide([&] { return Database::open(m_dbPath, true); });
        QVERIFY(db.ok());
        QCOMPARE(int64_t(m_win->chart()->data().total),
                 edtest::scalar(*db, "SELECT count(*) FROM reports WHERE hidden_by IS NULL"));
        save(m_win->chart(), QStringLiteral("chart"));
    }

    // The chart in the window sizes of issue 14: every axis label whole
    // (tst_ui_chart checks the texts; here the picture).
    void chartAtWindowSizes()
    {
        for (const QSize size : {QSize(1024, 700), QSize(2560, 1440)}) {
            m_win->resize(size);
            QTest::qWait(100);
            QVERIFY(!m_win->chart()->axisLabels().isEmpty());
            save(m_win->chart(), QStringLiteral("chart-%1x%2").arg(size.width()).arg(size.height()));
        }
        m_win->resize(1560, 960);
        QTest::qWait(100);
    }

    void settings()
    {
        // Values as the corpus's site had them (see the corpus README).
        ConfigCache &c = m_win->config();
        QVERIFY(
            edtest::writeConfig(c, ConfigKey::Admins,
                                QJsonArray{QJsonArray{QStringLiteral("Shop Ops"), QStringLiteral("ops@shop.example.com")},
                                           QJsonArray{QStringLiteral("Alice Admin"), QStringLiteral("alice@shop.example.com")}}));
        // One pair: QJsonArray{QJsonArray{...}} would be a copy of the inner array, not a list of one.
        QJsonArray managers;
        managers.append(QJsonArray{QStringLiteral("Web Team"), QStringLiteral("web@shop.example.com")});
        QVERIFY(edtest::writeConfig(c, ConfigKey::Managers, managers));
        QCOMPARE(c.value(ConfigKey::Managers).toArray().size(), 1);
        QCOMPARE(c.value(ConfigKey::Managers).toArray().at(0).toArray().at(1).toString(), QStringLiteral("web@shop.example.com"));
        QVERIFY(edtest::writeConfig(c, ConfigKey::InternalIps, QJsonArray{QStringLiteral("10.0.0.5")}));
        QVERIFY(edtest::writeConfig(
            c, ConfigKey::IgnorableUrls,
            QJsonArray{QStringLiteral("^/wp-"), QStringLiteral("\\.php$"), QStringLiteral("^/favicon\\.ico$")}));
        SettingsDialog dlg(m_win->databasePath(), m_win->config(), m_win.get());
        QVERIFY(QTest::qWaitFor([&dlg] { return dlg.isReady(); }, 10000));
        dlg.notFound()->setTestRequest(QStringLiteral("/wp-login.php"), QStringLiteral("https://shop.example.com/"),
                                       QStringLiteral("shop.example.com"));
        dlg.resize(900, 660);
        dlg.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dlg));
        save(&dlg, QStringLiteral("settings"));
        dlg.showPage(SettingsDialog::NotFound);
        // The live tester's verdict on the test request, by the rule that hides it.
        QVERIFY2(dlg.notFound()->verdict().startsWith(QStringLiteral("Hidden")), qPrintable(dlg.notFound()->verdict()));
        save(&dlg, QStringLiteral("settings-404"));
    }

    // Settings › Receive from Sentry SDKs with two sites, one whose SDK dropped events.
    void receiveSettings()
    {
        {
            auto db = edtest::onTestSide([&] { return Database::open(m_dbPath); });
            QVERIFY(db.ok());
            const edtest::TestSideDb testSide;
            SiteStore sites(*db);
            auto shop = sites.add(QStringLiteral("shop"));
            QVERIFY(shop.ok());
            QVERIFY(sites.add(QStringLiteral("blog")).ok());
            QVERIFY(sites.addCount(shop->number, QStringLiteral("dropped"), QStringLiteral("queue_overflow:error"), 3).ok());
            QVERIFY(sites.addCount(shop->number, QStringLiteral("session"), QStringLiteral("exited"), 120).ok());
        }
        SettingsDialog dlg(m_win->databasePath(), m_win->config(), m_win.get());
        QVERIFY(QTest::qWaitFor([&dlg] { return dlg.isReady(); }, 10000));
        dlg.resize(900, 660);
        dlg.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dlg));
        dlg.showPage(SettingsDialog::Receive);
        QTRY_COMPARE(dlg.receive()->sites()->rowCount(), 2);
        QVERIFY2(dlg.receive()->counts()->text().contains(QStringLiteral("shop: the SDK dropped 3 events: queue_overflow:error")),
                 qPrintable(dlg.receive()->counts()->text()));
        save(&dlg, QStringLiteral("settings-receive"));
        // Not loopback: the warning.
        dlg.receive()->listen()->setText(QStringLiteral("0.0.0.0:8765"));
        QVERIFY(!dlg.receive()->warning()->isHidden());
        save(&dlg, QStringLiteral("settings-receive-exposed"));
    }

    // Settings › Alerts with a rule of each common kind, at the smallest and largest window sizes.
    void alertsSettings()
    {
        {
            auto db = edtest::onTestSide([&] { return Database::open(m_dbPath); });
            QVERIFY(db.ok());
            const edtest::TestSideDb testSide;
            AlertStore alerts(*db);
            AlertRule r;
            r.name = QStringLiteral("New issues");
            r.recipients = {QStringLiteral("ADMINS")};
            QVERIFY(alerts.addRule(r).ok());
            r.name = QStringLiteral("Checkout KeyError spike");
            r.kind = AlertKind::Spike;
            r.query = QStringLiteral("type:KeyError");
            r.threshold = 20;
            r.windowMinutes = 10;
            r.recipients = {QStringLiteral("ADMINS"), QStringLiteral("oncall@shop.example.com")};
            QVERIFY(alerts.addRule(r).ok());
            r = AlertRule{};
            r.name = QStringLiteral("Critical");
            r.kind = AlertKind::Level;
            r.threshold = 50;
            r.rateLimitMinutes = 0;
            r.recipients = {QStringLiteral("oncall@shop.example.com")};
            r.enabled = false;
            QVERIFY(alerts.addRule(r).ok());
            r = AlertRule{};
            r.name = QStringLiteral("Weekly digest");
            r.kind = AlertKind::Digest;
            r.windowMinutes = 10080;
            r.recipients = {QStringLiteral("MANAGERS")};
            QVERIFY(alerts.addRule(r).ok());
        }
        SettingsDialog dlg(m_win->databasePath(), m_win->config(), m_win.get());
        QVERIFY(QTest::qWaitFor([&dlg] { return dlg.isReady(); }, 10000));
        dlg.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dlg));
        dlg.showPage(SettingsDialog::Alerts);
        QTRY_COMPARE(dlg.alerts()->rules()->rowCount(), 4);
        QTRY_VERIFY(dlg.alerts()->outboxLabel()->text().startsWith(QStringLiteral("Outbox:")));
        for (const QSize size : {QSize(1024, 700), QSize(2560, 1440)}) {
            dlg.resize(size);
            save(&dlg, QStringLiteral("settings-alerts-%1x%2").arg(size.width()).arg(size.height()));
        }
        // Edit… on the spike rule: its numbers and the dry run.
        dlg.resize(900, 660);
        dlg.alerts()->rules()->selectRow(1);
        QString problem = QStringLiteral("no alert dialog");
        QTimer::singleShot(0, this, [&] {
            auto *d = dlg.alerts()->findChild<AlertDialog *>();
            if (!d)
                return;
            QSignalSpy shown(d, &AlertDialog::dryRunShown);
            problem = shown.wait(20000) ? QString() : QStringLiteral("no dry run came");
            save(d, QStringLiteral("settings-alert-dialog"));
            d->reject();
        });
        dlg.alerts()->editRule();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        // The four rules are for the picture: the window's alert step sends
        // nothing for them (no SMTP server here), so no failure is left in
        // the status bar of the screenshots after this one.
        m_win->alerts()->stop();
        m_win->statusBar()->clearMessage();
    }

    // A Sentry SDK's event (sentry_sdk 1.9.10 in a Django view, the capture in
    // tests/data/sentry) imported as the receiver stores it: its Breadcrumbs tab.
    void breadcrumbs()
    {
        const QByteArray event = edtest::readFile(
            QStringLiteral(ERRORDECK_TEST_DATA "/sentry/python-1.9.10-django-chained-500-event.json"));
        std::string json;
        QVERIFY(sentry::eventToV1Record(std::string_view(event.constData(), size_t(event.size())), 1, {}, json).ok());
        const QString file = m_dir.filePath(QStringLiteral("sentry.jsonl"));
        edtest::writeFile(file, QByteArray::fromStdString(json) + '\n');
        int64_t reportId = 0;
        {
            auto db = edtest::onTestSide([&] { return Database::open(m_dbPath); });
            QVERIFY(db.ok());
            const edtest::TestSideDb testSide;
            QCOMPARE(edtest::importFiltered(*db, {file}).stored, int64_t(1));
            reportId = edtest::scalar(*db, "SELECT max(id) FROM reports"); // the one just stored
        }
        if (auto *split = m_win->findChild<QSplitter *>(QStringLiteral("detailSplitter")))
            split->setSizes({560, 860});
        m_win->refresh();
        m_win->detail()->showReport(reportId);
        QVERIFY(
            QTest::qWaitFor([&] { return m_win->detail()->detail() && m_win->detail()->detail()->row.id == reportId; }, 10000));
        QVERIFY(m_win->detail()->tabs()->isTabVisible(ReportDetailView::BreadcrumbsTab));
        m_win->detail()->tabs()->setCurrentIndex(ReportDetailView::BreadcrumbsTab);
        QCOMPARE(m_win->detail()->breadcrumbs()->table()->rowCount(), 4);
        save(m_win->detail(), QStringLiteral("breadcrumbs"));
        for (const QSize size : {QSize(1024, 700), QSize(2560, 1440)}) {
            m_win->resize(size);
            QTest::qWait(200);
            save(m_win.get(), QStringLiteral("breadcrumbs-%1x%2").arg(size.width()).arg(size.height()));
        }
        m_win->resize(1560, 960);
        QTest::qWait(100);
        m_win->detail()->tabs()->setCurrentIndex(ReportDetailView::TracebackTab);
    }

    // File › Open Server Database… and the password it may ask for, in the
    // light and the dark theme.
    void serverDialogs()
    {
        for (const auto choice : {theme::ThemeChoice::Light, theme::ThemeChoice::Dark}) {
            theme::applyTheme(choice);
            const QString suffix = choice == theme::ThemeChoice::Dark ? QStringLiteral("-dark") : QString();
            ServerDatabaseDialog server(m_win.get());
            server.setFields({QStringLiteral("db.example.org"), QStringLiteral("errors"), QStringLiteral("errordeck"),
                              QStringLiteral("verify-full"), QStringLiteral("/etc/ssl/certs/example-ca.pem"), 5432});
            server.show();
            QVERIFY(QTest::qWaitForWindowExposed(&server));
            save(&server, QStringLiteral("server-database") + suffix);
            ServerPasswordDialog password(QStringLiteral("postgresql://errordeck@db.example.org:5432/errors"),
                                          QStringLiteral("postgresql:errordeck@db.example.org:5432"), m_win.get());
            password.show();
            QVERIFY(QTest::qWaitForWindowExposed(&password));
            save(&password, QStringLiteral("server-password") + suffix);
        }
        theme::applyTheme(theme::ThemeChoice::System);
    }

    // View › Theme › Dark: every color derives from the palette (no fixed colors).
    void darkPalette()
    {
        theme::applyTheme(theme::ThemeChoice::Dark); // View › Theme › Dark
        if (auto *split = m_win->findChild<QSplitter *>(QStringLiteral("detailSplitter")))
            split->setSizes({820, 600});
        selectIssue(QStringLiteral("ZeroDivisionError"));
        QTest::qWait(300);
        // Each part's background follows the dark palette: a fixed light colour
        // anywhere would be the dominant colour of that part.
        const QList<QWidget *> parts{m_win->issueList()->viewport(), m_win->detail()->traceback()->tree()->viewport(),
                                     m_win->chart()};
        for (QWidget *w : parts)
            QVERIFY2(dominantLightness(w->grab().toImage()) < 90, qPrintable(w->metaObject()->className()));
        save(m_win.get(), QStringLiteral("main-window-dark"));
    }

    void cleanupTestCase()
    {
        theme::applyTheme(theme::ThemeChoice::System);
        m_win.reset();
    }
};

QTEST_MAIN(TestUiScreenshots)
#include "tst_ui_screenshots.moc"
