// Screenshots of the desktop app with the corpus loaded: the main window, a
// report's traceback and request, the chart and the settings dialog. Saved as
// PNGs in $ERRORDECK_SCREENSHOT_DIR (docs/screenshots/ comes from a run under
// Xvfb: xvfb-run -a -s "-screen 0 1600x1000x24"), else in a temporary folder.
#include "IssueListModel.h"
#include "IssueListView.h"
#include "MainWindow.h"
#include "ReportDetailView.h"
#include "ReportListView.h"
#include "SearchBar.h"
#include "Config.h"
#include "NotFoundPage.h"
#include "SettingsDialog.h"
#include <QJsonArray>
#include "TimelineChart.h"
#include "TracebackView.h"
#include "tst_ui_support.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QDir>
#include <QTabWidget>
#include <QSplitter>
#include <QTreeView>
#include "RequestView.h"

using namespace ed;

class TestUiScreenshots : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_out;
    std::unique_ptr<MainWindow> m_win;

    void save(QWidget *w, const QString &name)
    {
        QApplication::processEvents();
        const QPixmap pm = w->grab();
        QVERIFY(!pm.isNull());
        QVERIFY(pm.width() > 100 && pm.height() > 100);
        QVERIFY(pm.save(QDir(m_out).filePath(name + QStringLiteral(".png"))));
    }

    // Selects the issue whose title starts with `title` and waits for its latest report.
    void selectIssue(const QString &title)
    {
        IssueListModel *m = m_win->issueList()->issueModel();
        QVERIFY(QTest::qWaitFor([m] { return m->isCountKnown() && m->rowCount() > 0 && m->isRowLoaded(0); }, 10000));
        int row = 0;
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->issue(r) && m->issue(r)->title.startsWith(title)) {
                row = r;
                break;
            }
        m_win->issueList()->setCurrentIndex(m->index(row, IssueListModel::Title));
        QVERIFY(QTest::qWaitFor([this] { return m_win->detail()->detail() != nullptr; }, 10000));
    }

private Q_SLOTS:
    void initTestCase()
    {
        uitest::isolate();
        m_out = qEnvironmentVariable("ERRORDECK_SCREENSHOT_DIR", m_dir.filePath(QStringLiteral("shots")));
        QDir().mkpath(m_out);
        const QString path = uitest::corpusDatabase(m_dir);
        auto db = Database::open(path);
        QVERIFY(db.ok());
        for (const auto &[name, query] : {std::pair{"Server errors", "status:5xx"}, std::pair{"Broken links", "status:404"},
                                          std::pair{"Security", "logger:django.security"}, std::pair{"KeyErrors", "type:KeyError"}}) {
            Statement st = db->conn().prepare("INSERT INTO saved_searches(name, query) VALUES (?, ?)");
            st.bind(1, QString::fromLatin1(name)).bind(2, QString::fromLatin1(query));
            QVERIFY(st.exec());
        }
        m_win = std::make_unique<MainWindow>(std::move(*db));
        m_win->resize(1560, 960);
        m_win->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_win.get()));
    }

    void mainWindow()
    {
        selectIssue(QStringLiteral("ZeroDivisionError"));
        QTest::qWait(300); // the chart's animation-free rebuild and the sparklines
        save(m_win.get(), QStringLiteral("main-window"));
    }

    void traceback()
    {
        // Room for the detail, as a user would drag the splitter.
        if (auto *split = m_win->findChild<QSplitter *>(QStringLiteral("detailSplitter")))
            split->setSizes({560, 860});
        selectIssue(QStringLiteral("RuntimeError: payment"));
        m_win->detail()->tabs()->setCurrentIndex(ReportDetailView::TracebackTab);
        save(m_win->detail(), QStringLiteral("traceback"));
    }

    void request()
    {
        m_win->detail()->tabs()->setCurrentIndex(ReportDetailView::RequestTab);
        if (auto *tabs = m_win->detail()->request()->findChild<QTabWidget *>())
            tabs->setCurrentIndex(3); // COOKIES: scrubbed values, marked
        save(m_win->detail(), QStringLiteral("request"));
    }

    void chart()
    {
        QVERIFY(QTest::qWaitFor([this] { return m_win->chart()->data().total > 0; }, 10000));
        save(m_win->chart(), QStringLiteral("chart"));
    }

    void settings()
    {
        // Values as the corpus's site had them (see the corpus README).
        Config &c = m_win->config();
        QVERIFY(c.set(ConfigKey::Admins, QJsonArray{QJsonArray{QStringLiteral("Shop Ops"), QStringLiteral("ops@shop.example.com")},
                                                    QJsonArray{QStringLiteral("Alice Admin"), QStringLiteral("alice@shop.example.com")}}).ok());
        QVERIFY(c.set(ConfigKey::Managers, QJsonArray{QJsonArray{QStringLiteral("Web Team"), QStringLiteral("web@shop.example.com")}}).ok());
        QVERIFY(c.set(ConfigKey::InternalIps, QJsonArray{QStringLiteral("10.0.0.5")}).ok());
        QVERIFY(c.set(ConfigKey::IgnorableUrls, QJsonArray{QStringLiteral("^/wp-"), QStringLiteral("\\.php$"), QStringLiteral("^/favicon\\.ico$")}).ok());
        SettingsDialog dlg(m_win->database(), m_win->config(), m_win.get());
        dlg.notFound()->setTestRequest(QStringLiteral("/wp-login.php"), QStringLiteral("https://shop.example.com/"),
                                       QStringLiteral("shop.example.com"));
        dlg.resize(900, 660);
        dlg.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dlg));
        save(&dlg, QStringLiteral("settings"));
        dlg.showPage(SettingsDialog::NotFound);
        save(&dlg, QStringLiteral("settings-404"));
    }

    // The system's dark palette: every color derives from it (no fixed colors).
    void darkPalette()
    {
        QApplication::setStyle(QStringLiteral("Fusion"));
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(45, 45, 48));
        dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
        dark.setColor(QPalette::Base, QColor(30, 30, 32));
        dark.setColor(QPalette::AlternateBase, QColor(40, 40, 43));
        dark.setColor(QPalette::Text, QColor(230, 230, 230));
        dark.setColor(QPalette::PlaceholderText, QColor(140, 140, 140));
        dark.setColor(QPalette::Button, QColor(50, 50, 54));
        dark.setColor(QPalette::ButtonText, QColor(230, 230, 230));
        dark.setColor(QPalette::Highlight, QColor(42, 130, 218));
        dark.setColor(QPalette::HighlightedText, Qt::white);
        dark.setColor(QPalette::ToolTipBase, QColor(50, 50, 54));
        dark.setColor(QPalette::ToolTipText, QColor(230, 230, 230));
        QApplication::setPalette(dark);
        if (auto *split = m_win->findChild<QSplitter *>(QStringLiteral("detailSplitter")))
            split->setSizes({820, 600});
        selectIssue(QStringLiteral("ZeroDivisionError"));
        QTest::qWait(300);
        save(m_win.get(), QStringLiteral("main-window-dark"));
    }

    void cleanupTestCase() { m_win.reset(); }
};

QTEST_MAIN(TestUiScreenshots)
#include "tst_ui_screenshots.moc"
