// Receiving from Sentry SDKs in the desktop app (issue 15), offscreen:
// Settings › Receive from Sentry SDKs saves its two settings through Config
// and shows the sites with their DSNs and what their SDKs counted; with the
// setting on, Debian's sentry_sdk (a real SDK, in /usr/bin/python3) sends to
// the DSN the page shows and the lists grow without a click; the report's
// Breadcrumbs tab shows what the SDK logged (and is absent for a handler
// report); a port in use is a status-bar message, not a crash; the SDK's
// _meta marks the frame whose variables it cut, as scrubbed values are marked.
#include "models/IssueListModel.h"
#include "models/ReportListModel.h"
#include "models/TracebackModel.h"
#include "model/ReportJson.h"
#include "model/SentryExtra.h"
#include "sentry/Envelope.h"
#include "sentry/SentryEvent.h"
#include "settings/ReceivePage.h"
#include "settings/SettingsDialog.h"
#include "store/SiteStore.h"
#include "views/BreadcrumbsView.h"
#include "views/IssueListView.h"
#include "views/ReportDetailView.h"
#include "views/ReportListView.h"
#include "views/RequestView.h"
#include "views/SearchBar.h"
#include "window/MainWindow.h"
#include "window/AlertController.h"
#include "window/ReceiveController.h"
#include "UiSupport.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace ed;

namespace {

// What the site does: a log line and a breadcrumb of its own before an
// error; one event dropped by before_send, which the SDK reports as a
// client_report ("the SDK dropped 1 event: before_send:error") at flush.
const char *kSiteScript = R"PY(
import logging, sys
import sentry_sdk

def before_send(event, hint):
    if event.get("message") == "dropped on purpose":
        return None
    return event

sentry_sdk.init(dsn=sys.argv[1], before_send=before_send)
logging.getLogger("shop.checkout").warning("cart has 3 items")
sentry_sdk.add_breadcrumb(category="payment", message="card charged", level="info", data={"amount": 42})
sentry_sdk.capture_message("dropped on purpose")
try:
    1 / 0
except ZeroDivisionError:
    sentry_sdk.capture_exception()
sentry_sdk.flush(10)
)PY";

// Two messages through the SDK's serializer: one whose request body the SDK
// removed (an AnnotatedValue, as for a body over max_request_body_size), one sent whole.
// (No two slashes in a row in this raw string: moc 6.4 takes them for a comment.)
const char *kTrimmedRequestScript = R"PY(
import sys
import sentry_sdk
from sentry_sdk.utils import AnnotatedValue

def upload(event, hint):
    event["request"] = {"method": "POST", "url": "http:/" "/shop.example.com/upload/",
                        "data": AnnotatedValue.removed_because_over_size_limit()}
    return event

def form(event, hint):
    event["request"] = {"method": "POST", "url": "http:/" "/shop.example.com/form/", "data": {"q": "shoes"}}
    return event

sentry_sdk.init(dsn=sys.argv[1])
with sentry_sdk.push_scope() as scope:
    scope.add_event_processor(upload)
    sentry_sdk.capture_message("upload too large")
with sentry_sdk.push_scope() as scope:
    scope.add_event_processor(form)
    sentry_sdk.capture_message("form sent whole")
sentry_sdk.flush(10)
)PY";

// Runs a site's script with Debian's python3 (its sentry_sdk) against `dsn`,
// with no proxy in the way; empty when it finished well, else why not.
QString runSite(const char *script, const QString &dsn)
{
    QProcess site;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *proxy : {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
        env.remove(QString::fromLatin1(proxy));
    site.setProcessEnvironment(env);
    site.start(edtest::kPython, {QStringLiteral("-c"), QString::fromUtf8(script), dsn});
    if (!site.waitForFinished(30000))
        return QStringLiteral("the site's script did not finish in 30 s");
    if (site.exitStatus() != QProcess::NormalExit || site.exitCode() != 0)
        return QString::fromUtf8(site.readAllStandardError());
    return {};
}

// A socket listening on a free loopback port, as another program holding it would.
struct HeldPort {
    int fd = -1, port = 0;
    HeldPort()
    {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 || ::listen(fd, 1) != 0 ||
            ::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) != 0)
            return;
        port = ntohs(a.sin_port);
    }
    ~HeldPort() { close(); }
    void close()
    {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
};

QStringList columnTexts(const QTableWidget *t, int column)
{
    QStringList out;
    for (int r = 0; r < t->rowCount(); ++r)
        out << (t->item(r, column) ? t->item(r, column)->text() : QString());
    return out;
}

} // namespace

class TestUiReceive : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<MainWindow> m_win;

    static bool ready(SettingsDialog &dlg)
    {
        return QTest::qWaitFor([&dlg] { return dlg.isReady(); }, 10000);
    }
    static bool applyAndWait(SettingsDialog &dlg)
    {
        QSignalSpy applied(&dlg, &SettingsDialog::applied);
        if (!dlg.apply())
            return false;
        return (applied.count() > 0 || applied.wait(10000)) && applied.first().first().toBool();
    }
    // The page's sites as read by its job after `action`.
    static bool sitesAfter(ReceivePage *page, const std::function<void()> &action)
    {
        QSignalSpy loaded(page, &ReceivePage::sitesLoaded);
        action();
        return loaded.wait(10000);
    }
    std::vector<Site> storedSites()
    {
        auto db = edtest::onTestSide([&] { return Database::open(m_path); });
        if (!db)
            return {};
        auto sites = edtest::onTestSide([&] { return SiteStore(*db).list(); });
        return sites ? *sites : std::vector<Site>{};
    }
    static Report reportOfEvent(std::string_view event)
    {
        std::string json;
        auto facts = sentry::eventToV1Record(event, 1, {}, json);
        if (!facts.ok())
            qWarning("%s", qPrintable(facts.error()));
        return reportFromRecord(QJsonDocument::fromJson(QByteArray::fromStdString(json)).object());
    }
    bool receiving()
    {
        return QTest::qWaitFor([this] { return m_win->receiver()->isReceiving(); }, 10000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        edtest::isolate();
        m_path = m_dir.filePath(QStringLiteral("receive.sqlite3"));
        m_win = edtest::shownMainWindow(m_path, QSize(1300, 760));
        QVERIFY(m_win);
        m_win->searchBar()->setRange(SearchBar::AllTime);
        m_win->setShowAllReports(true);
        new QAbstractItemModelTester(m_win->issueList()->issueModel(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                     this);
        new QAbstractItemModelTester(m_win->reportList()->reportModel(), QAbstractItemModelTester::FailureReportingMode::QtTest,
                                     this);
        QVERIFY(edtest::waitUntilLoaded(m_win->config()));
    }

    void cleanupTestCase() { m_win.reset(); }

    // The page loads and saves ERRORDECK_RECEIVE and ERRORDECK_RECEIVE_LISTEN,
    // refuses an address that is not HOST:PORT, warns for one that is not loopback.
    void pageSavesAndLoads()
    {
        ConfigCache &config = m_win->config();
        {
            SettingsDialog dlg(m_path, config);
            QVERIFY(ready(dlg));
            ReceivePage *page = dlg.receive();
            QVERIFY(!page->enabled()->isChecked());
            QCOMPARE(page->listen()->text(), QStringLiteral("127.0.0.1:8765"));
            QVERIFY(page->warning()->isHidden());
            page->listen()->setText(QStringLiteral("0.0.0.0:8765"));
            QVERIFY(!page->warning()->isHidden());
            QVERIFY2(page->warning()->text().contains(QStringLiteral("0.0.0.0 is not loopback")),
                     qPrintable(page->warning()->text()));
            page->listen()->setText(QStringLiteral("no port here"));
            QVERIFY(!applyAndWait(dlg));
            QVERIFY2(page->errorText(ConfigKey::ReceiveListen).contains(QStringLiteral("not HOST:PORT")),
                     qPrintable(page->errorText(ConfigKey::ReceiveListen)));
            QVERIFY(!config.isSet(ConfigKey::ReceiveListen));
            page->listen()->setText(QStringLiteral("[::1]:9123"));
            QVERIFY(page->warning()->isHidden());
            QVERIFY(applyAndWait(dlg));
            QCOMPARE(config.string(ConfigKey::ReceiveListen), QStringLiteral("[::1]:9123"));
            QCOMPARE(config.flag(ConfigKey::ReceiveEnabled), false);
            QVERIFY(!m_win->receiver()->isReceiving());
        }
        // A dialog opened afterwards shows what was saved (read again from the database).
        SettingsDialog again(m_path, config);
        QVERIFY(ready(again));
        QCOMPARE(again.receive()->listen()->text(), QStringLiteral("[::1]:9123"));
        QVERIFY(!again.receive()->enabled()->isChecked());
        again.receive()->listen()->setText(QStringLiteral("127.0.0.1:8765"));
        QVERIFY(applyAndWait(again));
    }

    // Add site, the Copy button, Rotate key; the DSN is the one the CLI prints.
    void sitesAndCopy()
    {
        SettingsDialog dlg(m_path, m_win->config());
        QVERIFY(ready(dlg));
        ReceivePage *page = dlg.receive();
        page->addSite(QStringLiteral("shop"));
        QTRY_COMPARE(page->sites()->rowCount(), 1);
        const std::vector<Site> sites = storedSites();
        QCOMPARE(sites.size(), size_t(1));
        const Site shop = sites.front();
        QCOMPARE(shop.name, QStringLiteral("shop"));
        QCOMPARE(page->sites()->rowCount(), 1);
        const QString expected = QStringLiteral("http://%1@127.0.0.1:8765/%2").arg(shop.publicKey).arg(shop.number);
        QCOMPARE(page->sites()->item(0, ReceivePage::DsnColumn)->text(), expected);
        QVERIFY(page->sites()->item(0, ReceivePage::SiteColumn)->text().contains(QStringLiteral("shop")));

        QGuiApplication::clipboard()->clear();
        auto *copy = qobject_cast<QPushButton *>(page->sites()->cellWidget(0, ReceivePage::CopyColumn));
        QVERIFY(copy);
        copy->click();
        QCOMPARE(QGuiApplication::clipboard()->text(), expected);

        page->sites()->selectRow(0);
        page->findChild<QPushButton *>(QStringLiteral("rotateKey"))->click();
        QTRY_VERIFY(page->sites()->item(0, ReceivePage::DsnColumn) &&
                    page->sites()->item(0, ReceivePage::DsnColumn)->text() != expected);
        const Site rotated = storedSites().front();
        QVERIFY(rotated.publicKey != shop.publicKey);
        QCOMPARE(page->sites()->item(0, ReceivePage::DsnColumn)->text(),
                 QStringLiteral("http://%1@127.0.0.1:8765/%2").arg(rotated.publicKey).arg(rotated.number));
        // A name taken is refused with the store's reason; nothing is added.
        QVERIFY(sitesAfter(page, [page] { page->addSite(QStringLiteral("shop")); }));
        QVERIFY2(page->sitesStatus()->text().contains(QStringLiteral("a site called \"shop\" exists already")),
                 qPrintable(page->sitesStatus()->text()));
        QCOMPARE(storedSites().size(), size_t(1));
    }

    // With the setting on, a real SDK sends to the DSN the page shows: the
    // lists grow by themselves, the crumbs are in the Breadcrumbs tab, the
    // event before_send dropped is counted on the page.
    void sdkEventsListedLive()
    {
        QVERIFY(edtest::writeConfig(m_win->config(), ConfigKey::ReceiveListen, QStringLiteral("127.0.0.1:0")));
        QVERIFY(edtest::writeConfig(m_win->config(), ConfigKey::ReceiveEnabled, true));
        QVERIFY(receiving());
        const int port = m_win->receiver()->port();
        QVERIFY(port > 0);
        QVERIFY(!m_win->receiver()->statusLabel()->isHidden());
        QVERIFY2(m_win->receiver()->statusLabel()->text().contains(QStringLiteral("127.0.0.1:%1").arg(port)),
                 qPrintable(m_win->receiver()->statusLabel()->text()));

        m_win->openSettings();
        auto *dlg = m_win->findChild<SettingsDialog *>();
        QVERIFY(dlg);
        QVERIFY(ready(*dlg));
        ReceivePage *page = dlg->receive();
        QTRY_COMPARE(page->sites()->rowCount(), 1);
        const Site shop = storedSites().front();
        const QString dsn = page->dsnOf(0);
        QCOMPARE(dsn, QStringLiteral("http://%1@127.0.0.1:%2/%3").arg(shop.publicKey).arg(port).arg(shop.number));
        QCOMPARE(page->status()->text(), QStringLiteral("Receiving from Sentry SDKs on 127.0.0.1:%1").arg(port));

        ReportListModel *reports = m_win->reportList()->reportModel();
        QVERIFY(edtest::waitUntilLoaded(reports));
        QCOMPARE(reports->rowCount(), 0);
        const int nudges = m_win->alerts()->nudges();
        const QString failed = runSite(kSiteScript, dsn);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));

        // No refresh asked for: the receiver's batch refreshes the lists.
        QTRY_COMPARE_WITH_TIMEOUT(reports->rowCount(), 1, 10000);
        QVERIFY(m_win->alerts()->nudges() > nudges); // and the batch nudged the app's alert step
        QVERIFY(edtest::waitUntilLoaded(reports, 1));
        QCOMPARE(reports->report(0)->exceptionType, QStringLiteral("ZeroDivisionError"));
        QTRY_COMPARE(m_win->issueList()->issueModel()->rowCount(), 1);
        QVERIFY(m_win->receiver()->storedCount() >= 1);

        // The Breadcrumbs tab: the log line and the site's own crumb, oldest first.
        m_win->detail()->showReport(reports->report(0)->id);
        QTRY_VERIFY(m_win->detail()->detail() && m_win->detail()->detail()->row.id == reports->report(0)->id);
        QTabWidget *tabs = m_win->detail()->tabs();
        QVERIFY(tabs->isTabVisible(ReportDetailView::BreadcrumbsTab));
        const QTableWidget *crumbs = m_win->detail()->breadcrumbs()->table();
        const QStringList messages = columnTexts(crumbs, BreadcrumbsView::MessageColumn);
        const QStringList categories = columnTexts(crumbs, BreadcrumbsView::CategoryColumn);
        const qsizetype logLine = messages.indexOf(QStringLiteral("cart has 3 items"));
        const qsizetype charged = messages.indexOf(QStringLiteral("card charged  {\"amount\":42}"));
        QVERIFY2(logLine >= 0 && charged > logLine, qPrintable(messages.join(QStringLiteral(" | "))));
        QCOMPARE(categories.at(logLine), QStringLiteral("shop.checkout"));
        QCOMPARE(categories.at(charged), QStringLiteral("payment"));
        QCOMPARE(crumbs->item(int(logLine), BreadcrumbsView::LevelColumn)->text(), QStringLiteral("warning"));
        QVERIFY(!crumbs->item(int(charged), BreadcrumbsView::TimeColumn)->text().isEmpty());
        tabs->setCurrentIndex(ReportDetailView::BreadcrumbsTab);

        // The client report: counted for the site and shown on the open page.
        QTRY_VERIFY_WITH_TIMEOUT(
            page->counts()->text().contains(QStringLiteral("shop: the SDK dropped 1 event: before_send:error")), 10000);
        dlg->close();
    }

    // A report from the Django handler has no breadcrumbs: no tab for them.
    void noBreadcrumbsTabForHandlerReports()
    {
        const QString file = m_dir.filePath(QStringLiteral("handler.jsonl"));
        const QJsonObject record = edtest::corpusRecords().first();
        edtest::writeFile(file, QJsonDocument(record).toJson(QJsonDocument::Compact) + '\n');
        {
            auto db = edtest::onTestSide([&] { return Database::open(m_path); });
            QVERIFY(db.ok());
            const ImportSummary s = edtest::onTestSide([&] { return edtest::importPlain(*db, {file}); });
            QCOMPARE(s.stored, int64_t(1));
        }
        m_win->refresh();
        ReportListModel *reports = m_win->reportList()->reportModel();
        QTRY_COMPARE(reports->rowCount(), 2);
        QVERIFY(edtest::waitUntilLoaded(reports, 2));
        std::optional<int64_t> handlerReport;
        for (int r = 0; r < reports->rowCount(); ++r)
            if (reports->report(r) && reports->report(r)->eventId == record.value(QStringLiteral("event_id")).toString())
                handlerReport = reports->report(r)->id;
        QVERIFY(handlerReport);
        m_win->detail()->showReport(*handlerReport);
        QTRY_VERIFY(m_win->detail()->detail() && m_win->detail()->detail()->row.id == *handlerReport);
        QVERIFY(!m_win->detail()->tabs()->isTabVisible(ReportDetailView::BreadcrumbsTab));
        // The tab the user had picked does not stay on a hidden page.
        QVERIFY(m_win->detail()->tabs()->currentIndex() != ReportDetailView::BreadcrumbsTab);
    }

    // Another program holds the port: a message, no receiver, the app goes on.
    void portInUseIsReported()
    {
        HeldPort holder;
        QVERIFY(holder.port > 0);
        QVERIFY(edtest::writeConfig(m_win->config(), ConfigKey::ReceiveListen, QStringLiteral("127.0.0.1:%1").arg(holder.port)));
        QTRY_VERIFY_WITH_TIMEOUT(!m_win->receiver()->statusOk(), 10000);
        QVERIFY(!m_win->receiver()->isReceiving());
        QVERIFY2(m_win->statusBar()->currentMessage().startsWith(QStringLiteral("Receiving from Sentry SDKs: ")),
                 qPrintable(m_win->statusBar()->currentMessage()));
        QVERIFY2(m_win->receiver()->statusText().contains(QString::number(holder.port)),
                 qPrintable(m_win->receiver()->statusText()));
        // Once the port is free again, a restart takes it.
        holder.close();
        QVERIFY(edtest::writeConfig(m_win->config(), ConfigKey::ReceiveListen, QStringLiteral("127.0.0.1:0")));
        QVERIFY(receiving());
        QVERIFY(m_win->receiver()->statusOk());
        // Off: stopped, the label gone.
        QVERIFY(edtest::writeConfig(m_win->config(), ConfigKey::ReceiveEnabled, false));
        QTRY_VERIFY(!m_win->receiver()->isReceiving());
        QVERIFY(m_win->receiver()->statusLabel()->isHidden());
    }

    // The two SDKs' crumb times: @sentry/node's seconds since the epoch,
    // sentry_sdk's ISO strings (the captures in tests/data/sentry).
    void breadcrumbTimesOfBothSdks()
    {
        const QByteArray body = edtest::readFile(
            QStringLiteral(ERRORDECK_TEST_DATA "/sentry/node-11.12.0-envelope-chained-error.envelope"));
        const sentry::EnvelopeResult parsed = sentry::parseEnvelope(std::string_view(body.constData(), size_t(body.size())));
        QVERIFY2(parsed.ok(), qPrintable(parsed.error));
        std::string_view event;
        for (const sentry::EnvelopeItem &item : parsed.envelope.items)
            if (item.type == "event")
                event = item.payload;
        QVERIFY(!event.empty());
        const std::vector<Breadcrumb> node = breadcrumbsOf(reportOfEvent(event));
        QCOMPARE(node.size(), size_t(1));
        QCOMPARE(node[0].timestamp, std::optional<int64_t>(1796152591947)); // 1796152591.947 s
        QCOMPARE(node[0].category, QStringLiteral("auth"));
        QCOMPARE(node[0].message, QStringLiteral("user logged in"));
        QCOMPARE(node[0].level, QStringLiteral("info"));

        const QByteArray py = edtest::readFile(QStringLiteral(ERRORDECK_TEST_DATA "/sentry/python-1.9.10-store-event.json"));
        const std::vector<Breadcrumb> python = breadcrumbsOf(reportOfEvent(std::string_view(py.constData(), size_t(py.size()))));
        QCOMPARE(python.size(), size_t(1));
        QCOMPARE(python[0].timestamp, std::optional<int64_t>(1796152547415)); // 2026-12-01T19:15:47.415740Z
        QCOMPARE(python[0].type, QStringLiteral("default"));
    }

    // The SDK's _meta (python-1.9.10-store-event.json: 14 variables in the
    // first frame of the second exception, 10 sent): that frame's variables
    // are marked as cut by the SDK, like scrubbed values; no other is.
    void sdkTrimmingMarked()
    {
        const QByteArray event = edtest::readFile(QStringLiteral(ERRORDECK_TEST_DATA "/sentry/python-1.9.10-store-event.json"));
        const Report report = reportOfEvent(std::string_view(event.constData(), size_t(event.size())));
        QVERIFY(!report.exceptions.empty());
        const TracebackModel::Tree tree = TracebackModel::build(report, {});
        TracebackModel model;
        model.setTree(tree);
        int trimmedGroups = 0;
        QString label;
        for (int top = 0; top < model.rowCount(); ++top) {
            const QModelIndex frame = model.index(top, 0);
            for (int c = 0; c < model.rowCount(frame); ++c) {
                const QModelIndex child = model.index(c, 0, frame);
                if (child.data(TracebackModel::KindRole).toInt() == TracebackModel::VarsGroup &&
                    child.data(TracebackModel::SdkTrimmedRole).toBool()) {
                    ++trimmedGroups;
                    label = child.data(Qt::DisplayRole).toString();
                    QVERIFY(child.data(Qt::ToolTipRole).toString().contains(QStringLiteral("it had 14 variables")));
                    QVERIFY(child.data(Qt::FontRole).value<QFont>().italic());
                }
            }
        }
        QCOMPARE(trimmedGroups, 1);
        QCOMPARE(label, QStringLiteral("Local variables (10 of 14: the SDK left out 4)"));
    }
    // What the SDK leaves out of a request (sentry_sdk's own AnnotatedValue, as
    // its Django integration sets for a body over max_request_body_size, sent
    // through its serializer as _meta): the Request tab says so; a request the
    // SDK sent whole has no such note.
    void sdkRemovedRequestBodyNoted()
    {
        QVERIFY(edtest::writeConfig(m_win->config(), ConfigKey::ReceiveListen, QStringLiteral("127.0.0.1:0")));
        QVERIFY(edtest::writeConfig(m_win->config(), ConfigKey::ReceiveEnabled, true));
        QVERIFY(receiving());
        const Site shop = storedSites().front();
        const QString dsn =
            QStringLiteral("http://%1@127.0.0.1:%2/%3").arg(shop.publicKey).arg(m_win->receiver()->port()).arg(shop.number);
        const QString failed = runSite(kTrimmedRequestScript, dsn);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));

        ReportListModel *reports = m_win->reportList()->reportModel();
        const auto rowOf = [&](const QString &message) {
            for (int i = 0; i < reports->rowCount(); ++i)
                if (const auto *r = reports->report(i); r && r->message == message)
                    return r->id;
            return int64_t(0);
        };
        QTRY_VERIFY_WITH_TIMEOUT(edtest::waitUntilLoaded(reports) && rowOf(QStringLiteral("upload too large")) &&
                                     rowOf(QStringLiteral("form sent whole")),
                                 10000);
        RequestView *request = m_win->detail()->request();
        m_win->detail()->showReport(rowOf(QStringLiteral("upload too large")));
        QTRY_VERIFY(m_win->detail()->detail() && m_win->detail()->detail()->row.id == rowOf(QStringLiteral("upload too large")));
        QVERIFY(!request->sdkNote()->isHidden());
        QVERIFY2(request->sdkNote()->text().contains(QStringLiteral("POST: removed by the SDK before sending (!config)")),
                 qPrintable(request->sdkNote()->text()));
        m_win->detail()->showReport(rowOf(QStringLiteral("form sent whole")));
        QTRY_VERIFY(m_win->detail()->detail() && m_win->detail()->detail()->row.id == rowOf(QStringLiteral("form sent whole")));
        QVERIFY(request->sdkNote()->isHidden());
    }
};

QTEST_MAIN(TestUiReceive)
#include "tst_ui_receive.moc"
