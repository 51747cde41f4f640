// Alerts in the desktop app (issue 16, part 2), offscreen, against a real SMTP
// server (tests/support/smtp_server.py, aiosmtpd): Settings › Alerts adds a rule
// through its dialog (the store holds it) and edits it (same rule, new rate
// limit); the dialog's dry run says what `alerts add --dry-run` says; and with
// a new-issue rule, importing a file in the app mails the new issue exactly
// once, a second import of the same issue mailing nothing. The dry run reads
// the clock the CLI reads (ERRORDECK_NOW); Send Test mails a rule's newest
// report at once, the server's answer on the page.
#include "SmtpSupport.h"
#include "UiSupport.h"

#include "send/SendLog.h"
#include "settings/AlertDialog.h"
#include "settings/AlertsPage.h"
#include "settings/SettingsDialog.h"
#include "store/AlertStore.h"
#include "store/Config.h"
#include "window/AlertController.h"
#include "window/MainWindow.h"

#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimeZone>
#include <QTimer>

using namespace ed;
using edtest::SmtpServer;

class TestUiAlerts : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<SmtpServer> m_server;
    std::unique_ptr<Database> m_check; // the test's own connection
    std::unique_ptr<MainWindow> m_win;
    int m_events = 0, m_files = 0;
    static constexpr int64_t kMarch2025 = 1740830400000; // 2025-03-01T12:00:00Z

    // A file of reports with these messages (one issue per message), `agoMs` before now.
    QString reportsFile(const QStringList &messages, int64_t agoMs)
    {
        const QString at = QDateTime::fromMSecsSinceEpoch(QDateTime::currentMSecsSinceEpoch() - agoMs, QTimeZone::utc())
                               .toString(Qt::ISODateWithMs);
        QByteArray data;
        for (const QString &m : messages)
            data += QStringLiteral("{\"event_id\":\"%1\",\"timestamp\":\"%2\",\"level\":\"ERROR\",\"logger\":\"shop\","
                                   "\"message\":\"%3\"}\n")
                        .arg(QStringLiteral("%1").arg(++m_events, 32, 10, QLatin1Char('0')), at, m)
                        .toUtf8();
        const QString file = m_dir.filePath(QStringLiteral("in%1.jsonl").arg(++m_files));
        edtest::writeFile(file, data);
        return file;
    }

    std::vector<AlertRule> storedRules()
    {
        auto rules = edtest::onTestSide([this] { return AlertStore(*m_check).rules(); });
        return rules ? *rules : std::vector<AlertRule>{};
    }
    std::vector<OutboxEntry> outbox()
    {
        auto box = edtest::onTestSide([this] { return AlertStore(*m_check).outbox(-1); });
        return box ? *box : std::vector<OutboxEntry>{};
    }
    int64_t pendingRows()
    {
        return edtest::onTestSide([this] { return edtest::scalar(*m_check, "SELECT count(*) FROM alert_pending"); });
    }

    SettingsDialog *openAlertsPage()
    {
        // The one closed before goes first (deleted on close, later).
        if (!QTest::qWaitFor([this] { return !m_win->findChild<SettingsDialog *>(); }, 10000))
            return nullptr;
        m_win->openSettings();
        auto *dlg = m_win->findChild<SettingsDialog *>();
        if (!dlg || !QTest::qWaitFor([dlg] { return dlg->isReady(); }, 10000))
            return nullptr;
        dlg->showPage(SettingsDialog::Alerts);
        return dlg;
    }

    // Runs `fill` on the modal AlertDialog the click opens, then clicks its OK (or, without `save`, Cancel).
    QString inAlertDialog(QPushButton *opener, const std::function<QString(AlertDialog *)> &fill, bool save = true)
    {
        QString problem = QStringLiteral("no alert dialog");
        QTimer::singleShot(0, this, [&] {
            auto *d = opener->window()->findChild<AlertDialog *>();
            if (!d)
                return;
            problem = fill(d);
            d->buttons()->button(save ? QDialogButtonBox::Ok : QDialogButtonBox::Cancel)->click();
            if (!QTest::qWaitFor([d] { return !d->isVisible(); }, 10000)) {
                problem += QStringLiteral(" / not saved: ") + d->errorLabel()->text();
                d->reject();
            }
        });
        opener->click();
        return problem;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        edtest::isolate();
        m_server = std::make_unique<SmtpServer>(m_dir.filePath(QStringLiteral("smtp")), QStringList{});
        QVERIFY(m_server->port());
        m_path = m_dir.filePath(QStringLiteral("alerts.sqlite3"));
        {
            const edtest::TestSideDb testSide; // the setup, before the window
            auto db = Database::open(m_path);
            QVERIFY(db);
            m_check = std::make_unique<Database>(std::move(*db));
            QVERIFY(edtest::applyCorpusSettings(*m_check));
            Config c(*m_check);
            QVERIFY(c.set(ConfigKey::EmailBackend, QStringLiteral("smtp")).ok());
            QVERIFY(c.set(ConfigKey::EmailHost, QStringLiteral("127.0.0.1")).ok());
            QVERIFY(c.set(ConfigKey::EmailPort, m_server->port()).ok());
            QVERIFY(c.set(ConfigKey::EmailTimeout, 10.0).ok());
            // Two days ago, before any rule: three issues, one of them twice.
            const ImportSummary s = edtest::importPlain(
                *m_check, {reportsFile({QStringLiteral("KeyError in cart"), QStringLiteral("KeyError in cart"),
                                        QStringLiteral("TypeError in search"), QStringLiteral("ValueError in profile")},
                                       2 * 86'400'000)});
            QCOMPARE(s.stored, int64_t(4));
            // Two more issues on 1 March 2025, long before the real clock's last 7 days.
            const ImportSummary old = edtest::importPlain(
                *m_check, {reportsFile({QStringLiteral("OSError in upload"), QStringLiteral("IndexError in feed")},
                                       QDateTime::currentMSecsSinceEpoch() - kMarch2025)});
            QCOMPARE(old.stored, int64_t(2));
        }
        m_win = edtest::shownMainWindow(m_path);
        QVERIFY(m_win);
        QVERIFY(m_win->alerts() && m_win->alerts()->isRunning());
    }

    void cleanupTestCase()
    {
        m_win.reset();
        edtest::onTestSide([this] {
            m_check.reset();
            return 0;
        });
        m_server.reset();
    }

    // Add Alert…: the dialog's dry run over the last 7 days, then OK: the store holds the rule.
    void pageAddsARuleWithItsDryRun()
    {
        SettingsDialog *dlg = openAlertsPage();
        QVERIFY(dlg);
        AlertsPage *page = dlg->alerts();
        QTRY_VERIFY_WITH_TIMEOUT(page->outboxLabel()->text().startsWith(QStringLiteral("Outbox: 0 queued")), 10000);
        QString dryRun;
        const QString problem = inAlertDialog(page->findChild<QPushButton *>(QStringLiteral("addAlert")), [&](AlertDialog *d) {
            QSignalSpy shown(d, &AlertDialog::dryRunShown);
            d->nameEdit()->setText(QStringLiteral("new issues"));
            d->kindBox()->setCurrentIndex(d->kindBox()->findData(int(AlertKind::NewIssue)));
            d->recipientsEdit()->setText(QStringLiteral("admins, web@example.com"));
            if (d->countBox()->isVisible() || d->levelBox()->isVisible())
                return QStringLiteral("spike or level fields shown for a new-issue rule");
            if (!shown.wait(20000))
                return QStringLiteral("no dry run came");
            dryRun = d->dryRunLabel()->text();
            return QString();
        });
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        // Three issues first seen two days ago; the second KeyError is no new issue.
        QCOMPARE(dryRun, QStringLiteral("This alert would have sent 3 mails in the last 7 days (4 reports in scope, 0 held "
                                        "back by the rate limit)."));

        const std::vector<AlertRule> rules = storedRules();
        QCOMPARE(rules.size(), size_t(1));
        QCOMPARE(rules[0].name, QStringLiteral("new issues"));
        QCOMPARE(rules[0].kind, AlertKind::NewIssue);
        QCOMPARE(rules[0].recipients, (QStringList{QStringLiteral("ADMINS"), QStringLiteral("web@example.com")}));
        QCOMPARE(rules[0].rateLimitMinutes, 60);
        QVERIFY(rules[0].enabled);
        QTRY_COMPARE_WITH_TIMEOUT(page->rules()->rowCount(), 1, 10000);
        QCOMPARE(page->rules()->item(0, AlertsPage::Name)->text(), QStringLiteral("new issues"));
        QCOMPARE(page->rules()->item(0, AlertsPage::FiresOn)->text(), QStringLiteral("new issue"));

        // Edit…: the same rule (its id) with the new rate limit.
        const int64_t id = rules[0].id;
        page->rules()->selectRow(0);
        const QString editProblem = inAlertDialog(
            page->findChild<QPushButton *>(QStringLiteral("editAlert")), [](AlertDialog *d) {
                if (d->nameEdit()->text() != QStringLiteral("new issues"))
                    return QStringLiteral("the dialog shows '%1'").arg(d->nameEdit()->text());
                d->rateLimitBox()->setValue(30);
                return QString();
            });
        QVERIFY2(editProblem.isEmpty(), qPrintable(editProblem));
        const std::vector<AlertRule> edited = storedRules();
        QCOMPARE(edited.size(), size_t(1));
        QCOMPARE(edited[0].id, id);
        QCOMPARE(edited[0].rateLimitMinutes, 30);
        QTRY_COMPARE_WITH_TIMEOUT(page->rules()->item(0, AlertsPage::RateLimit)->text(), QStringLiteral("1 per 30 min"), 10000);
        dlg->close();
    }

    // The dry run's "now" is the alert step's and the CLI's (ERRORDECK_NOW):
    // a day after the two reports of March 2025 it sees them, and only them.
    void dryRunReadsTheAlertClock()
    {
        qputenv("ERRORDECK_NOW", "2025-03-02T12:00:00Z");
        SettingsDialog *dlg = openAlertsPage();
        QVERIFY(dlg);
        QString dryRun;
        const QString problem = inAlertDialog(
            dlg->alerts()->findChild<QPushButton *>(QStringLiteral("addAlert")),
            [&](AlertDialog *d) {
                QSignalSpy shown(d, &AlertDialog::dryRunShown);
                d->nameEdit()->setText(QStringLiteral("clock"));
                d->kindBox()->setCurrentIndex(d->kindBox()->findData(int(AlertKind::NewIssue)));
                d->recipientsEdit()->setText(QStringLiteral("admins"));
                if (!shown.wait(20000))
                    return QStringLiteral("no dry run came");
                dryRun = d->dryRunLabel()->text();
                return QString();
            },
            false);
        qunsetenv("ERRORDECK_NOW");
        dlg->close(); // before the checks: a failure here leaves the next test its own dialog
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(dryRun, QStringLiteral("This alert would have sent 2 mails in the last 7 days (2 reports in scope, 0 held "
                                        "back by the rate limit)."));
        QCOMPARE(storedRules().size(), size_t(1)); // cancelled: not added
    }

    // An import in the app: its new issue is mailed once by the app's alert
    // step; another report of that issue imported later mails nothing.
    void importInTheAppMailsANewIssueOnce()
    {
        QCOMPARE(storedRules().size(), size_t(1)); // "new issues", from the test before
        QSignalSpy imported(m_win.get(), &MainWindow::importFinished);
        const int nudges = m_win->alerts()->nudges();
        QVERIFY(m_win->startImport({reportsFile({QStringLiteral("ZeroDivisionError in checkout")}, 60'000)}));
        QVERIFY(imported.wait(20000));
        QCOMPARE(m_win->alerts()->nudges(), nudges + 1); // the step runs now, not at its next interval
        QTRY_COMPARE_WITH_TIMEOUT(m_server->messages().size(), 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(outbox().size() == 1 && outbox().front().state == OutboxState::Sent, 10000);
        const QJsonObject mail = edtest::parseMessage(m_server->messages().at(0) + QStringLiteral(".eml"));
        QCOMPARE(mail.value(QStringLiteral("subject")).toString(),
                 QStringLiteral("[Shop] [new-issue] ERROR: ZeroDivisionError in checkout"));
        QCOMPARE(edtest::strings(SmtpServer::envelope(m_server->messages().at(0)).value(QStringLiteral("rcpt_tos"))),
                 (QStringList{QStringLiteral("ops@example.com"), QStringLiteral("ana@example.com"),
                              QStringLiteral("web@example.com")}));

        // The same issue again: once the step has looked at it (nothing
        // pending), nothing is queued or being sent, and the server has one mail.
        QVERIFY(m_win->startImport({reportsFile({QStringLiteral("ZeroDivisionError in checkout")}, 0)}));
        QVERIFY(imported.wait(20000));
        QTRY_COMPARE_WITH_TIMEOUT(pendingRows(), int64_t(0), 20000);
        const std::vector<OutboxEntry> box = outbox();
        QCOMPARE(box.size(), size_t(1));
        QCOMPARE(box.front().state, OutboxState::Sent);
        QCOMPARE(m_server->messages().size(), 1);
    }

    // Send Test: the selected rule's mail now, for its newest report in scope,
    // through the server; the page says what the server answered.
    void sendTestMailsTheSelectedRule()
    {
        const int before = m_server->messages().size();
        SettingsDialog *dlg = openAlertsPage();
        QVERIFY(dlg);
        AlertsPage *page = dlg->alerts();
        QTRY_COMPARE_WITH_TIMEOUT(page->rules()->rowCount(), 1, 10000);
        auto *test = page->findChild<QPushButton *>(QStringLiteral("testAlert"));
        QVERIFY(test);
        page->rules()->selectRow(0);
        QVERIFY(test->isEnabled());
        QSignalSpy finished(page, &AlertsPage::testFinished);
        test->click();
        QVERIFY(finished.wait(30000));
        QVERIFY2(finished[0][0].toBool(), qPrintable(finished[0][1].toString()));
        QVERIFY2(page->statusLabel()->text().startsWith(QStringLiteral("Test sent. The server answered: ")),
                 qPrintable(page->statusLabel()->text()));
        QCOMPARE(m_server->messages().size(), before + 1);
        const QJsonObject mail = edtest::parseMessage(m_server->messages().at(before) + QStringLiteral(".eml"));
        QCOMPARE(mail.value(QStringLiteral("subject")).toString(),
                 QStringLiteral("[Shop] [new-issue] ERROR: ZeroDivisionError in checkout"));
        const QString text = edtest::partText(mail, QStringLiteral("text/plain"));
        QVERIFY2(text.startsWith(QStringLiteral("ErrorDeck alert \"new issues\": new issue (a test), issue #")),
                 qPrintable(text));
        // Logged as the rule's; the outbox has nothing new.
        auto log = edtest::onTestSide([this] { return SendLog(*m_check).list(1); });
        QVERIFY(log && log->size() == 1);
        QCOMPARE(log->front().alertRule, QStringLiteral("new issues"));
        QCOMPARE(outbox().size(), size_t(1));
        dlg->close();
    }

    // Closing the window stops the step (no thread left to send).
    void closeStopsTheStep()
    {
        QVERIFY(m_win->alerts()->isRunning());
        m_win->close();
        QVERIFY(!m_win->alerts()->isRunning());
    }
};

QTEST_MAIN(TestUiAlerts)
#include "tst_ui_alerts.moc"
