// E-mailing from the desktop app, driven through its real widgets offscreen and
// sent to a real SMTP server (tests/support/smtp_server.py, aiosmtpd): "E-mail
// admins…" and "E-mail managers…" from the main window, the SendDialog's
// recipients and Send, a dead server, the settings' "Send test e-mail", the
// send log's Resend. What the server received is read back with Python's
// email package and compared with what Django sent for the same request.
#include "settings/EmailPage.h"
#include "store/sqlite/Sqlite.h"
#include "models/IssueListModel.h"
#include "views/IssueListView.h"
#include "window/MainWindow.h"
#include "models/ReportListModel.h"
#include "views/ReportListView.h"
#include "dialogs/SendDialog.h"
#include "dialogs/SendLogDialog.h"
#include "settings/SettingsDialog.h"
#include "send/SendLog.h"
#include "SmtpSupport.h"
#include "UiSupport.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTimer>
#include <QToolBar>
#include <QTreeWidget>
#include <optional>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace ed;
using edtest::SmtpServer;

class TestUiSend : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<MainWindow> m_win;
    std::unique_ptr<Database> m_db; // a second connection, for settings and checks
    std::unique_ptr<SmtpServer> m_server;
    int m_servers = 0;
    int64_t m_report500 = 0, m_report404 = 0;
    QString m_subject500, m_subject404; // what Django sent for those requests

    ReportListModel *reports() const { return m_win->reportList()->reportModel(); }
    IssueListModel *issues() const { return m_win->issueList()->issueModel(); }
    QString newServerDir() { return m_dir.filePath(QStringLiteral("server%1").arg(++m_servers)); }

    void setPort(int port)
    {
        // Through the window's own settings, as the settings dialog writes them (a Write job).
        QVERIFY(edtest::writeConfig(m_win->config(), ConfigKey::EmailPort, port));
    }

    // Clicks the report like a user (in the list of all reports).
    bool selectReport(int64_t id)
    {
        m_win->setShowAllReports(true);
        if (!edtest::waitUntilLoaded(reports(), 1))
            return false;
        for (int row = 0; row < reports()->rowCount(); ++row) {
            const ReportRow *r = reports()->report(row);
            if (!r || r->id != id)
                continue;
            const QModelIndex i = reports()->index(row, ReportListModel::Exception);
            m_win->reportList()->scrollTo(i);
            QTest::mouseClick(m_win->reportList()->viewport(), Qt::LeftButton, {}, m_win->reportList()->visualRect(i).center());
            return m_win->currentReportId() == id;
        }
        return false;
    }

    bool selectIssue(int64_t id)
    {
        if (!edtest::waitUntilLoaded(issues(), 1))
            return false;
        for (int row = 0; row < issues()->rowCount(); ++row) {
            if (!issues()->issue(row) || issues()->issue(row)->id != id)
                continue;
            const QModelIndex i = issues()->index(row, IssueListModel::Title);
            m_win->issueList()->scrollTo(i);
            QTest::mouseClick(m_win->issueList()->viewport(), Qt::LeftButton, {}, m_win->issueList()->visualRect(i).center());
            return m_win->currentIssueId() == id;
        }
        return false;
    }

    // The dialog the last triggered action opened.
    SendDialog *openedDialog()
    {
        const auto dialogs = m_win->findChildren<SendDialog *>();
        return dialogs.isEmpty() ? nullptr : dialogs.last();
    }

    static QString statusOf(SendDialog *d) { return d->findChild<QLabel *>(QStringLiteral("sendStatus"))->text(); }

    // Sets a line edit's text as a user would: select all, type.
    static void typeInto(QLineEdit *edit, const QString &text)
    {
        edit->setFocus();
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, text);
    }

    // For docs/screenshots (run under Xvfb with ERRORDECK_SCREENSHOT_DIR set), else a temporary folder.
    void screenshot(QWidget *w, const QString &name)
    {
        const QString dir = qEnvironmentVariable("ERRORDECK_SCREENSHOT_DIR", m_dir.path());
        QVERIFY(QDir().mkpath(dir));
        QApplication::processEvents();
        const QPixmap pm = w->grab();
        QVERIFY(pm.width() > 300 && pm.height() > 300);
        QVERIFY(pm.save(QDir(dir).filePath(name + QStringLiteral(".png"))));
    }

    static QByteArray fileBytes(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        edtest::isolate();
        qunsetenv(kPasswordEnvVar);
        m_path = edtest::corpusDatabase(m_dir);
        std::optional<edtest::TestSideDb> testSide(std::in_place); // the setup, until the window comes
        m_db = std::make_unique<Database>(std::move(*Database::open(m_path)));
        QVERIFY(edtest::applyCorpusSettings(*m_db));
        {
            Config c(*m_db);
            QVERIFY(c.set(ConfigKey::EmailBackend, QStringLiteral("smtp")).ok());
            QVERIFY(c.set(ConfigKey::EmailHost, QStringLiteral("127.0.0.1")).ok());
            QVERIFY(c.set(ConfigKey::EmailTimeout, 15).ok());
        }

        // A 500 and a 404 of the corpus, and the subjects Django sent for them.
        QHash<QString, QString> djangoSubject;
        for (const QJsonValue &m :
             edtest::runScript({QStringLiteral("corpus"), edtest::corpusDir() + QStringLiteral("/emails")}).array())
            djangoSubject.insert(edtest::emailKey(m.toObject()), m.toObject().value(QStringLiteral("subject")).toString());
        QVERIFY(!djangoSubject.isEmpty());
        for (const QJsonObject &r : edtest::corpusRecords()) {
            const QString key = edtest::recordKey(r);
            if (!djangoSubject.contains(key))
                continue;
            auto id = ReportStore(*m_db).findByEventId(r.value(QStringLiteral("event_id")).toString());
            if (!id)
                continue; // dropped by the import's filters
            const int status = r.value(QStringLiteral("status_code")).toInt();
            if (!m_report500 && status == 500) {
                m_report500 = *id;
                m_subject500 = djangoSubject.value(key);
            }
            if (!m_report404 && status == 404) {
                m_report404 = *id;
                m_subject404 = djangoSubject.value(key);
            }
        }
        QVERIFY(m_report500 && m_report404);
        QVERIFY(m_subject500.contains(QStringLiteral("Internal Server Error")));
        QVERIFY(m_subject404.contains(QStringLiteral("Broken")));

        m_server = std::make_unique<SmtpServer>(newServerDir(), QStringList{});
        QVERIFY(m_server->port());

        auto winDb = Database::open(m_path);
        QVERIFY(winDb);
        testSide.reset();
        m_win = std::make_unique<MainWindow>(std::move(*winDb));
        m_win->resize(1400, 900);
        m_win->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_win.get()));
        setPort(m_server->port());
    }

    void cleanupTestCase()
    {
        m_win.reset();
        m_server.reset();
    }

    // The actions sit in the Report and Issue menus, the lists' context menus
    // and the toolbar, enabled only with a selection.
    void actionsArePlacedAndFollowTheSelection()
    {
        QAction *admins = m_win->action(QStringLiteral("actionEmailAdmins"));
        QAction *managers = m_win->action(QStringLiteral("actionEmailManagers"));
        QAction *issueAdmins = m_win->action(QStringLiteral("actionEmailIssueAdmins"));
        QAction *issueManagers = m_win->action(QStringLiteral("actionEmailIssueManagers"));
        QAction *log = m_win->action(QStringLiteral("actionSendLog"));
        QVERIFY(admins && managers && issueAdmins && issueManagers && log);
        QCOMPARE(admins->text().remove(u'&'), QStringLiteral("E-mail admins…"));
        QCOMPARE(managers->text().remove(u'&'), QStringLiteral("E-mail managers…"));
        QVERIFY(m_win->reportMenu()->actions().contains(admins));
        QVERIFY(m_win->reportMenu()->actions().contains(managers));
        QVERIFY(m_win->reportMenu()->actions().contains(log));
        QVERIFY(m_win->issueMenu()->actions().contains(issueAdmins));
        QVERIFY(m_win->issueMenu()->actions().contains(issueManagers));
        QVERIFY(m_win->reportList()->actions().contains(admins));
        QVERIFY(m_win->issueList()->actions().contains(issueAdmins));
        QVERIFY(m_win->actionToolBar()->actions().contains(admins));

        m_win->setShowAllReports(true);
        m_win->reportList()->clearSelection();
        m_win->reportList()->setCurrentIndex(QModelIndex());
        QVERIFY(!admins->isEnabled());
        QVERIFY(!managers->isEnabled());

        QVERIFY(selectReport(m_report500));
        QVERIFY(admins->isEnabled());
        QVERIFY(!managers->isEnabled()); // a 500: Django sends it to ADMINS only
        QVERIFY(selectReport(m_report404));
        QVERIFY(admins->isEnabled());
        QTRY_VERIFY(managers->isEnabled()); // whether it is a 404 is read on the job runner
        QVERIFY(selectReport(m_report500));
        QVERIFY(!managers->isEnabled()); // at once: the 404's answer is not this report's
        QTest::qWait(300);
        QVERIFY(!managers->isEnabled());

        // The issue's actions: its latest report decides about managers.
        int64_t issue500 = 0, issue404 = 0;
        {
            const edtest::TestSideDb testSide;
            ReportStore store(*m_db);
            issue500 = store.loadReport(m_report500)->row.issueId;
            issue404 = store.loadReport(m_report404)->row.issueId;
        }
        QVERIFY(selectIssue(issue500));
        QVERIFY(issueAdmins->isEnabled());
        QVERIFY(!issueManagers->isEnabled());
        QVERIFY(selectIssue(issue404));
        QVERIFY(issueAdmins->isEnabled());
        QTRY_VERIFY(issueManagers->isEnabled());
    }

    // Select a 500, "E-mail admins…", change the recipients, Send: the server
    // receives Django's message for that request, to exactly those recipients.
    void emailAdminsSendsDjangosMessage()
    {
        const int before = int(m_server->messages().size());
        QVERIFY(selectReport(m_report500));
        m_win->action(QStringLiteral("actionEmailAdmins"))->trigger();
        SendDialog *dlg = openedDialog();
        QVERIFY(dlg);
        QVERIFY(QTest::qWaitForWindowExposed(dlg));
        QVERIFY(!dlg->findChild<QPushButton *>(QStringLiteral("sendButton"))->isEnabled()); // composing on a job
        QTRY_VERIFY(dlg->isComposed());
        QVERIFY(dlg->testAttribute(Qt::WA_DeleteOnClose));
        auto *to = dlg->findChild<QLineEdit *>(QStringLiteral("sendTo"));
        auto *subject = dlg->findChild<QLineEdit *>(QStringLiteral("sendSubject"));
        QCOMPARE(to->text(), QStringLiteral("ops@example.com, ana@example.com")); // ADMINS, addresses only as Django sends
        QCOMPARE(subject->text(), m_subject500);

        typeInto(to, QStringLiteral("Dev Team <dev@example.com>, ops@example.com"));
        QTest::mouseClick(dlg->findChild<QPushButton *>(QStringLiteral("sendButton")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(statusOf(dlg).contains(QStringLiteral("The server answered: 250")), 30000);
        QVERIFY2(statusOf(dlg).contains(QStringLiteral("127.0.0.1:%1").arg(m_server->port())), qPrintable(statusOf(dlg)));

        QTRY_COMPARE_WITH_TIMEOUT(int(m_server->messages().size()), before + 1, 10000);
        const QString got = m_server->messages().last();
        const QJsonObject env = SmtpServer::envelope(got);
        QCOMPARE(env.value(QStringLiteral("mail_from")).toString(), QStringLiteral("errors@shop.example.com"));
        QCOMPARE(edtest::strings(env.value(QStringLiteral("rcpt_tos"))),
                 (QStringList{QStringLiteral("dev@example.com"), QStringLiteral("ops@example.com")}));
        const QJsonObject m = edtest::parseMessage(got + QStringLiteral(".eml"));
        QCOMPARE(m.value(QStringLiteral("subject")).toString(), m_subject500);
        QCOMPARE(edtest::strings(m.value(QStringLiteral("to"))),
                 (QStringList{QStringLiteral("dev@example.com"), QStringLiteral("ops@example.com")}));
        QVERIFY(edtest::partText(m, QStringLiteral("text/plain")).contains(QStringLiteral("Traceback (most recent call last):")));
        screenshot(dlg, QStringLiteral("send-dialog"));

        // Logged as sent, for this report.
        auto entries = edtest::onTestSide([&] { return SendLog(*m_db).list(5, m_report500); });
        QVERIFY(entries && !entries->empty());
        QCOMPARE(entries->front().outcome, SendOutcome::Sent);
        QCOMPARE(entries->front().recipients,
                 (QStringList{QStringLiteral("dev@example.com"), QStringLiteral("ops@example.com")}));
        dlg->close();
        QTRY_VERIFY(!openedDialog()); // deleted on close
    }

    // A 404 from its issue: "E-mail managers…" sends Django's broken-link message to MANAGERS.
    void emailManagersForA404Issue()
    {
        const int before = int(m_server->messages().size());
        const int64_t issue404 = edtest::onTestSide([&] { return ReportStore(*m_db).loadReport(m_report404)->row.issueId; });
        QVERIFY(selectIssue(issue404));
        QAction *managers = m_win->action(QStringLiteral("actionEmailIssueManagers"));
        QTRY_VERIFY(managers->isEnabled());
        managers->trigger();
        SendDialog *dlg = openedDialog();
        QVERIFY(dlg);
        QTRY_VERIFY(dlg->isComposed());
        QCOMPARE(dlg->findChild<QComboBox *>(QStringLiteral("sendAudience"))->currentData().toInt(), int(MailAudience::Managers));
        QCOMPARE(dlg->findChild<QLineEdit *>(QStringLiteral("sendTo"))->text(), QStringLiteral("manager@example.com"));
        QTest::mouseClick(dlg->findChild<QPushButton *>(QStringLiteral("sendButton")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(statusOf(dlg).contains(QStringLiteral("The server answered: 250")), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(int(m_server->messages().size()), before + 1, 10000);
        const QString got = m_server->messages().last();
        QCOMPARE(edtest::strings(SmtpServer::envelope(got).value(QStringLiteral("rcpt_tos"))),
                 QStringList{QStringLiteral("manager@example.com")});
        const QJsonObject m = edtest::parseMessage(got + QStringLiteral(".eml"));
        // The issue's latest report may be another request than m_report404; its subject is Django's form.
        QVERIFY2(m.value(QStringLiteral("subject")).toString().startsWith(QStringLiteral("[Shop] Broken ")),
                 qPrintable(m.value(QStringLiteral("subject")).toString()));
        dlg->close();
        QTRY_VERIFY(!openedDialog());

        // And from the report itself: exactly Django's subject for that request.
        QVERIFY(selectReport(m_report404));
        QTRY_VERIFY(m_win->action(QStringLiteral("actionEmailManagers"))->isEnabled()); // once it is known to be a 404
        m_win->action(QStringLiteral("actionEmailManagers"))->trigger();
        dlg = openedDialog();
        QVERIFY(dlg);
        QTRY_VERIFY(dlg->isComposed());
        QCOMPARE(dlg->findChild<QLineEdit *>(QStringLiteral("sendSubject"))->text(), m_subject404);
        dlg->close();
        QTRY_VERIFY(!openedDialog());
    }

    // Nobody listening: the dialog names host:port and offers Retry. (The port
    // refuses at once, so this cannot show the event loop kept running: that is
    // slowServerKeepsTheWindowLiveAndStopCancels.)
    void deadServerShowsAClearError()
    {
        const int port = edtest::unusedLoopbackPort();
        setPort(port);
        QVERIFY(selectReport(m_report500));
        m_win->action(QStringLiteral("actionEmailAdmins"))->trigger();
        SendDialog *dlg = openedDialog();
        QVERIFY(dlg);
        QTRY_VERIFY(dlg->isComposed());
        QTest::mouseClick(dlg->findChild<QPushButton *>(QStringLiteral("sendButton")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dlg->findChild<QPushButton *>(QStringLiteral("retryButton"))->isVisible(), 30000);
        const QString status = statusOf(dlg);
        QVERIFY2(status.contains(QStringLiteral("127.0.0.1:%1").arg(port)), qPrintable(status));
        // The window still answers: the menus and lists work.
        QVERIFY(m_win->isEnabled());
        QVERIFY(selectReport(m_report404));

        // The server is back: Retry sends the logged message.
        setPort(m_server->port());
        const int before = int(m_server->messages().size());
        QTest::mouseClick(dlg->findChild<QPushButton *>(QStringLiteral("retryButton")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(statusOf(dlg).contains(QStringLiteral("The server answered: 250")), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(int(m_server->messages().size()), before + 1, 10000);
        dlg->close();
        QTRY_VERIFY(!openedDialog());
    }

    // A server that accepts the connection and then says nothing: the send
    // waits on it in the background (the window's event loop keeps running all
    // the while), and Stop ends it at once, logged as cancelled. A refused
    // connection (deadServerShowsAClearError) fails too fast to show either.
    void slowServerKeepsTheWindowLiveAndStopCancels()
    {
        SmtpServer slow(newServerDir(), {QStringLiteral("--silent")});
        QVERIFY(slow.port());
        setPort(slow.port());
        QVERIFY(edtest::writeConfig(m_win->config(), ConfigKey::EmailTimeout, 60)); // longer than this test
        QVERIFY(selectReport(m_report500));
        m_win->action(QStringLiteral("actionEmailAdmins"))->trigger();
        SendDialog *dlg = openedDialog();
        QVERIFY(dlg);
        QTRY_VERIFY(dlg->isComposed());
        QPushButton *stop = nullptr;
        for (QPushButton *b : dlg->findChildren<QPushButton *>())
            if (b->text() == QStringLiteral("S&top"))
                stop = b;
        QVERIFY(stop);
        const int logged = int(edtest::onTestSide([&] { return SendLog(*m_db).list(1000); })->size());

        QElapsedTimer sinceTick;
        qint64 longestGap = 0;
        QTimer ticker;
        ticker.setInterval(10);
        connect(&ticker, &QTimer::timeout, this, [&] { longestGap = std::max(longestGap, sinceTick.restart()); });
        sinceTick.start();
        ticker.start();
        // The click is measured too: Send must return to the event loop at once.
        QTest::mouseClick(dlg->findChild<QPushButton *>(QStringLiteral("sendButton")), Qt::LeftButton);
        // The client is connected and waiting for the greeting...
        QVERIFY(QTest::qWaitFor([&] { return slow.accepted() > 0; }, 20000));
        // ...for a while, with the window's event loop running throughout.
        QTest::qWait(1500);
        QVERIFY2(longestGap < 500, qPrintable(QString::number(longestGap)));
        QVERIFY(stop->isVisible());
        QVERIFY2(statusOf(dlg).startsWith(QStringLiteral("Sending through")), qPrintable(statusOf(dlg)));
        QCOMPARE(int(edtest::onTestSide([&] { return SendLog(*m_db).list(1000); })->size()), logged); // nothing decided yet
        QVERIFY(selectReport(m_report404)); // the window answers meanwhile

        QElapsedTimer sinceStop;
        sinceStop.start();
        QTest::mouseClick(stop, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!stop->isVisible(), 10000);
        QVERIFY2(sinceStop.elapsed() < 5000, qPrintable(QString::number(sinceStop.elapsed())));
        ticker.stop();
        QVERIFY2(longestGap < 500, qPrintable(QString::number(longestGap)));
        QVERIFY2(statusOf(dlg).contains(QStringLiteral("cancel"), Qt::CaseInsensitive), qPrintable(statusOf(dlg)));
        auto entries = edtest::onTestSide([&] { return SendLog(*m_db).list(1000); });
        QCOMPARE(int(entries->size()), logged + 1);
        QCOMPARE(entries->front().outcome, SendOutcome::Cancelled); // newest first
        QVERIFY(slow.messages().isEmpty());
        dlg->close();
        QTRY_VERIFY(!openedDialog());
        setPort(m_server->port());
        QVERIFY(edtest::writeConfig(m_win->config(), ConfigKey::EmailTimeout, 30));
    }

    // Settings › E-mail server › Send test e-mail: the server's answer, and the
    // same message at the server; with a dead server, its error.
    void settingsSendTestEmail()
    {
        m_win->openSettings();
        auto *dlg = m_win->findChild<SettingsDialog *>();
        QVERIFY(dlg);
        QTRY_VERIFY(dlg->isReady()); // the settings come from a job
        dlg->showPage(SettingsDialog::Email);
        EmailPage *page = dlg->email();
        QVERIFY(page->testButton()->isVisible());
        QCOMPARE(page->findChild<QSpinBox *>(QStringLiteral("emailPort"))->value(), m_server->port());
        typeInto(page->testRecipients(), QStringLiteral("qa@example.com"));
        const int before = int(m_server->messages().size());
        QTest::mouseClick(page->testButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(page->testStatus().contains(QStringLiteral("The server answered: 250")), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(int(m_server->messages().size()), before + 1, 10000);
        const QString got = m_server->messages().last();
        QCOMPARE(edtest::strings(SmtpServer::envelope(got).value(QStringLiteral("rcpt_tos"))),
                 QStringList{QStringLiteral("qa@example.com")});
        QVERIFY(edtest::parseMessage(got + QStringLiteral(".eml"))
                    .value(QStringLiteral("subject"))
                    .toString()
                    .startsWith(QStringLiteral("[Shop] Test email from ErrorDeck")));
        if (qEnvironmentVariableIsSet("ERRORDECK_SCREENSHOT_DIR"))
            screenshot(dlg, QStringLiteral("settings-email"));

        // The port typed in the dialog is what the test uses (the dialog saves first).
        const int dead = edtest::unusedLoopbackPort();
        page->findChild<QSpinBox *>(QStringLiteral("emailPort"))->setValue(dead);
        QTest::mouseClick(page->testButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(page->testStatus().startsWith(QStringLiteral("Not sent")), 30000);
        QVERIFY2(page->testStatus().contains(QStringLiteral("127.0.0.1:%1").arg(dead)), qPrintable(page->testStatus()));
        QCOMPARE(m_win->config().integer(ConfigKey::EmailPort), dead);
        page->findChild<QSpinBox *>(QStringLiteral("emailPort"))->setValue(m_server->port());
        QSignalSpy applied(dlg, &SettingsDialog::applied);
        QVERIFY(dlg->apply());
        QVERIFY(applied.wait(10000) && applied.first().first().toBool());
        dlg->close();
    }

    // Report › Send Log…: the attempts so far; Resend sends the selected one again.
    void sendLogResends()
    {
        m_win->action(QStringLiteral("actionSendLog"))->trigger();
        auto *log = m_win->findChild<SendLogDialog *>();
        QVERIFY(log);
        QTRY_VERIFY(log->isLoaded()); // read on a job
        auto entries = edtest::onTestSide([&] { return SendLog(*m_db).list(100); });
        QVERIFY(entries);
        QCOMPARE(log->list()->topLevelItemCount(), int(entries->size()));
        // The first message sent from the report (newest first: the last of them).
        int64_t first = 0;
        for (const SendLogEntry &e : *entries)
            if (e.reportId == m_report500 && e.outcome == SendOutcome::Sent)
                first = e.id;
        QVERIFY(first);
        log->selectEntry(first);
        QVERIFY(log->resendButton()->isEnabled());
        QTRY_VERIFY(log->findChild<QPlainTextEdit *>(QStringLiteral("sendLogDetails"))
                        ->toPlainText()
                        .contains(QStringLiteral("Log #%1,").arg(first)));
        const int before = int(m_server->messages().size());
        QSignalSpy done(log, &SendLogDialog::resendFinished);
        QTest::mouseClick(log->resendButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 30000);
        QVERIFY2(done.at(0).at(0).toBool(), qPrintable(log->statusText()));
        QTRY_COMPARE_WITH_TIMEOUT(int(m_server->messages().size()), before + 1, 10000);
        const QString got = m_server->messages().last();
        QCOMPARE(edtest::strings(SmtpServer::envelope(got).value(QStringLiteral("rcpt_tos"))),
                 (QStringList{QStringLiteral("dev@example.com"), QStringLiteral("ops@example.com")}));
        QCOMPARE(edtest::parseMessage(got + QStringLiteral(".eml")).value(QStringLiteral("subject")).toString(), m_subject500);
        const qint64 againId = done.at(0).at(1).toLongLong();
        auto again = edtest::onTestSide([&] { return SendLog(*m_db).entry(againId); });
        QVERIFY(again);
        QCOMPARE(again->resendOf, first);
        QTRY_COMPARE(log->list()->topLevelItemCount(), int(entries->size()) + 1); // read again after the resend
        QCOMPARE(log->selectedEntry(), againId);
        log->close();
    }

    // A server that wants AUTH: the password typed in the settings is used for
    // the test, and it is never written to the database's files.
    void passwordNeverReachesTheDatabase()
    {
        const QString password = QStringLiteral("Ui-s3cret-%1").arg(QCoreApplication::applicationPid());
        SmtpServer authServer(newServerDir(), {QStringLiteral("--auth"), QStringLiteral("alice:") + password});
        QVERIFY(authServer.port());
        m_win->openSettings();
        auto *dlg = m_win->findChild<SettingsDialog *>();
        QVERIFY(dlg);
        QTRY_VERIFY(dlg->isReady());
        dlg->showPage(SettingsDialog::Email);
        EmailPage *page = dlg->email();
        page->findChild<QSpinBox *>(QStringLiteral("emailPort"))->setValue(authServer.port());
        typeInto(page->findChild<QLineEdit *>(QStringLiteral("emailUser")), QStringLiteral("alice"));
        typeInto(page->findChild<QLineEdit *>(QStringLiteral("emailPassword")), password);
        QSignalSpy tested(page, &EmailPage::testFinished);
        QTest::mouseClick(page->testButton(), Qt::LeftButton); // saves (a Write job), composes, sends
        QVERIFY(tested.wait(30000));
        QVERIFY(!page->isTestRunning());
        QVERIFY2(page->testStatus().contains(QStringLiteral("The server answered: 250")), qPrintable(page->testStatus()));
        QCOMPARE(SmtpServer::envelope(authServer.messages().value(0)).value(QStringLiteral("auth_login")).toString(),
                 QStringLiteral("alice"));
        QCOMPARE(m_win->config().string(ConfigKey::EmailHostUser), QStringLiteral("alice"));
        QTest::qWait(200); // the keychain job (if any) ends

        QVERIFY(edtest::onTestSide([&] { return connectionOf(*m_db).exec("PRAGMA wal_checkpoint(FULL)"); }).ok());
        int files = 0;
        for (QDirIterator it(m_dir.path(), QDir::Files, QDirIterator::Subdirectories); it.hasNext();) {
            const QString f = it.next();
            if (!f.contains(QStringLiteral(".sqlite3")))
                continue;
            ++files;
            QVERIFY2(!fileBytes(f).contains(password.toUtf8()), qPrintable(f));
        }
        QVERIFY(files >= 1);
        auto entries = edtest::onTestSide([&] { return SendLog(*m_db).list(100); });
        QVERIFY(entries);
        for (const SendLogEntry &e : *entries)
            QVERIFY(!e.transcript.contains(password));

        typeInto(page->findChild<QLineEdit *>(QStringLiteral("emailUser")), QString());
        page->findChild<QSpinBox *>(QStringLiteral("emailPort"))->setValue(m_server->port());
        QSignalSpy applied(dlg, &SettingsDialog::applied);
        QVERIFY(dlg->apply());
        QVERIFY(applied.wait(10000) && applied.first().first().toBool());
        dlg->close();
    }
};

QTEST_MAIN(TestUiSend)
#include "tst_ui_send.moc"
