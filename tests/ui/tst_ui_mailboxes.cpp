// IMAP mailboxes in the desktop app, offscreen, against a real Dovecot
// (tests/support/ImapSupport.h): Settings › Mailboxes adds, edits and removes
// mailboxes (ERRORDECK_MAILBOXES, never a password) and tests a connection on
// a job, showing the server's refusal as it said it; the main window polls
// the mailboxes (window/MailboxController) and the lists grow while they are
// open; a mailbox whose connection drops mid-fetch shows the failure with the
// server and the UID, then recovers with nothing stored twice. Screenshots
// of the page at 1024x700 and 2560x1440 go to $ERRORDECK_SCREENSHOT_DIR.
#include "ImapSupport.h"
#include "KeychainPasswords.h"
#include "SmtpSupport.h"
#include "TestKeyring.h"
#include "UiSupport.h"
#include "imap/MailboxPoller.h"
#include "models/ReportListModel.h"
#include "store/Config.h"
#include "store/sqlite/Sqlite.h"
#include "send/PasswordSource.h"
#include "settings/MailboxDialog.h"
#include "settings/MailboxesPage.h"
#include "settings/SettingsDialog.h"
#include "views/ReportListView.h"
#include "views/SearchBar.h"
#include "window/MailboxController.h"
#include "window/AlertController.h"
#include "window/MainWindow.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QScopeGuard>
#include <QSpinBox>
#include <QTimer>
#include <QTreeWidget>

using namespace ed;
using namespace edtest;

namespace {

constexpr int kTimeoutMs = 60000; // a loaded 2-core machine: generous, never a speed bound

QByteArray errorMail(const QString &tag, int n, int padding = 0)
{
    QByteArray m = QStringLiteral(
                       "From: errors@shop.example.com\r\nTo: ops@example.com\r\nSubject: [Shop] ERROR: %1 %2\r\n"
                       "Message-ID: <ui-%1-%2@shop.example.com>\r\nDate: Sun, 22 Nov 2026 09:55:30 +0000\r\n"
                       "Content-Type: text/plain; charset=\"utf-8\"\r\n\r\nValueError: %1 %2\r\n\r\nTraceback: none\r\n")
                       .arg(tag)
                       .arg(n)
                       .toUtf8();
    for (int i = 0; i < padding; ++i)
        m += "request line " + QByteArray::number(i) + ": nothing of note here\r\n";
    return m;
}

} // namespace

class TestUiMailboxes : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<DovecotServer> m_server;

    static bool ready(SettingsDialog &dlg)
    {
        return QTest::qWaitFor([&dlg] { return dlg.isReady(); }, 10000);
    }
    static bool applyAndWait(SettingsDialog &dlg)
    {
        QSignalSpy applied(&dlg, &SettingsDialog::applied);
        dlg.apply();
        return (applied.size() > 0 || applied.wait(10000)) && applied.at(0).at(0).toBool();
    }
    static std::pair<bool, QString> testConnection(MailboxesPage *page)
    {
        QSignalSpy finished(page, &MailboxesPage::testFinished);
        page->testSelected();
        if (!finished.wait(kTimeoutMs))
            return {false, QStringLiteral("no answer")};
        return {finished.at(0).at(0).toBool(), finished.at(0).at(1).toString()};
    }
    QString storedSetting() const
    {
        auto db = onTestSide([&] { return Database::open(m_path); });
        if (!db)
            return {};
        const TestSideDb testSide;
        Statement st = connectionOf(*db).prepare("SELECT value FROM config WHERE name = 'ERRORDECK_MAILBOXES'");
        return st.step() ? st.qtext(0) : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        isolate();
        qunsetenv(kImapPasswordEnvVar);
        m_path = m_dir.filePath(QStringLiteral("mailboxes.sqlite3"));
        QVERIFY(onTestSide([&] { return Database::open(m_path); }).ok());
        m_server = std::make_unique<DovecotServer>();
        QVERIFY2(m_server->ok(), qPrintable(m_server->error()));
        QVERIFY(m_server->create(QStringLiteral("Fehlerberichte/Gr&APYA3w-e"))); // Größe, written out by hand
        for (int i = 1; i <= 2; ++i)
            QVERIFY(m_server->append(QStringLiteral("Fehlerberichte/Gr&APYA3w-e"), errorMail(QStringLiteral("page"), i)));
    }

    void cleanupTestCase() { m_server.reset(); }

    void addEditTestRemove()
    {
        ConfigCache config(JobRunner::forDatabase(m_path));
        SettingsDialog dlg(m_path, config);
        QVERIFY(ready(dlg));
        dlg.showPage(SettingsDialog::Mailboxes);
        MailboxesPage *page = dlg.mailboxes();
        QCOMPARE(page->list()->topLevelItemCount(), 0);
        QVERIFY(!page->testButton()->isEnabled());

        QPointer<MailboxDialog> add = page->openAddDialog();
        QVERIFY(add);
        add->host()->setText(QStringLiteral("127.0.0.1"));
        add->port()->setValue(m_server->imapsPort());
        add->user()->setText(QStringLiteral("errors"));
        QTest::keyClicks(add->passwordEdit(), QStringLiteral("not-the-password"));
        add->folder()->setText(QStringLiteral("Fehlerberichte/Größe"));
        add->onlyServerEmail()->setChecked(true);
        add->after()->setCurrentIndex(MailboxDialog::Move);
        add->caFile()->setText(m_server->caFile());
        add->accept(); // no folder to move to: refused, the dialog stays
        QVERIFY(add->isVisible());
        QCOMPARE(add->errorText(), QStringLiteral("Name the folder to move imported messages to."));
        add->moveTo()->setText(QStringLiteral("エラー"));
        add->accept();
        QTRY_VERIFY(!add);
        QCOMPARE(page->list()->topLevelItemCount(), 1);
        const QString shown = QStringLiteral("imaps://errors@127.0.0.1:%1/Fehlerberichte/Größe").arg(m_server->imapsPort());
        QCOMPARE(page->list()->topLevelItem(0)->text(MailboxesPage::MailboxColumn), shown);
        QCOMPARE(page->list()->topLevelItem(0)->text(MailboxesPage::AfterColumn), QStringLiteral("move to エラー"));

        // The server's refusal, word for word, off the UI thread (a UI-thread SQLite call would be fatal; this uses none).
        QVERIFY(page->testButton()->isEnabled());
        auto [refusedOk, refused] = testConnection(page);
        QVERIFY(!refusedOk);
        QCOMPARE(refused, QStringLiteral("IMAP server 127.0.0.1:%1 refused the login of user 'errors': NO [AUTHENTICATIONFAILED] "
                                         "Authentication failed.")
                              .arg(m_server->imapsPort()));
        QCOMPARE(page->testStatus(), refused);

        QPointer<MailboxDialog> edit = page->openEditDialog();
        QVERIFY(edit);
        QCOMPARE(edit->folder()->text(), QStringLiteral("Fehlerberichte/Größe"));
        QCOMPARE(edit->moveTo()->text(), QStringLiteral("エラー"));
        QVERIFY(edit->onlyServerEmail()->isChecked());
        QVERIFY(edit->useIdle()->isChecked()); // on by default
        edit->useIdle()->setChecked(false);
        QTest::keyClicks(edit->passwordEdit(), QString::fromLatin1(DovecotServer::kPassword));
        edit->after()->setCurrentIndex(MailboxDialog::MarkRead);
        edit->accept();
        QTRY_VERIFY(!edit);
        auto [okOk, connected] = testConnection(page);
        QVERIFY2(okOk, qPrintable(connected));
        QVERIFY2(connected.startsWith(QStringLiteral("Connected to 127.0.0.1:%1 as errors: folder 'Fehlerberichte/Größe' holds 2 "
                                                     "messages (UIDVALIDITY ")
                                          .arg(m_server->imapsPort())),
                 qPrintable(connected));

        // A second one, then Apply: the setting as written out here, without a password.
        MailboxEntry second;
        second.url = *ImapUrl::parse(QStringLiteral("imap://ops@mail.example.com/INBOX"));
        QVERIFY(page->addMailbox(second));
        QVERIFY(!page->addMailbox(second)); // listed already
        QSignalSpy keychain(page, &MailboxesPage::keychainDone);
        QVERIFY(applyAndWait(dlg));
        // The typed password went to the keychain under the IMAP key, one way or the other, and the page says which.
        QVERIFY(keychain.count() > 0 || keychain.wait(20000));
        const QString key = QStringLiteral("imap:errors@127.0.0.1");
        const QString kept = QStringLiteral("The password of %1 is kept in the system keychain.").arg(key);
        const QString unavailable = QStringLiteral("The password of %1 could not be saved in the keychain: ").arg(key);
        // Under with_secret_service.sh (as CTest runs this) a Secret Service is there: it must keep it.
        if (!edtest::keyring::home().isEmpty())
            QCOMPARE(page->keychainStatus(), kept);
        QVERIFY2(page->keychainStatus() == kept ||
                     (page->keychainStatus().startsWith(unavailable) && page->keychainStatus().size() > unavailable.size() + 3),
                 qPrintable(page->keychainStatus()));
        const QJsonArray expected{
            QJsonObject{{QStringLiteral("url"),
                         QStringLiteral("imaps://errors@127.0.0.1:%1/Fehlerberichte/Gr%C3%B6%C3%9Fe").arg(m_server->imapsPort())},
                        {QStringLiteral("ca_file"), m_server->caFile()},
                        {QStringLiteral("only_server_email"), true},
                        {QStringLiteral("only_subject_prefix"), false},
                        {QStringLiteral("after"), QStringLiteral("mark-read")},
                        {QStringLiteral("idle"), false}},
            QJsonObject{{QStringLiteral("url"), QStringLiteral("imap://ops@mail.example.com:143/INBOX")},
                        {QStringLiteral("ca_file"), QString()},
                        {QStringLiteral("only_server_email"), false},
                        {QStringLiteral("only_subject_prefix"), false},
                        {QStringLiteral("after"), QStringLiteral("leave")}}};
        QCOMPARE(config.value(ConfigKey::Mailboxes).toArray(), expected);
        const QString stored = storedSetting();
        QCOMPARE(QJsonDocument::fromJson(stored.toUtf8()).array(), expected);
        QVERIFY(!stored.contains(QString::fromLatin1(DovecotServer::kPassword)));
        QVERIFY(!stored.contains(QStringLiteral("not-the-password")));
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(DovecotServer::kPassword));

        // Opened again: the same two; Remove takes the selected one away.
        SettingsDialog again(m_path, config);
        QVERIFY(ready(again));
        MailboxesPage *reopened = again.mailboxes();
        QCOMPARE(reopened->list()->topLevelItemCount(), 2);
        reopened->list()->setCurrentItem(reopened->list()->topLevelItem(1));
        reopened->removeSelected();
        QCOMPARE(reopened->list()->topLevelItemCount(), 1);
        QVERIFY(applyAndWait(again));
        QCOMPARE(config.value(ConfigKey::Mailboxes).toArray(), QJsonArray{expected.at(0)});
    }

    // The window polls while open: reports arriving in a mailbox show in the
    // lists; the mailbox behind a proxy that drops the connection while UID 3 is
    // fetched shows that failure, then recovers with nothing stored twice.
    void windowPollsMailboxes()
    {
        QVERIFY(m_server->create(QStringLiteral("Cut")));
        for (int i = 1; i <= 5; ++i)
            QVERIFY(m_server->append(QStringLiteral("Cut"), errorMail(QStringLiteral("cut"), i, 40)));
        CuttingImapProxy proxy(*m_server, 3, 200);
        QVERIFY(proxy.port() > 0);
        qputenv(kImapPasswordEnvVar, DovecotServer::kPassword);

        auto db = onTestSide([&] { return Database::open(m_path); });
        QVERIFY(db.ok());
        // What the page test saved (with a sender filter) is not what this test polls.
        QVERIFY(onTestSide([&] { return Config(*db).set(ConfigKey::Mailboxes, QJsonArray()); }).ok());
        MainWindow win(std::move(*db));
        win.resize(1200, 700);
        win.show();
        QVERIFY(QTest::qWaitForWindowExposed(&win));
        win.searchBar()->setRange(SearchBar::AllTime);
        win.setShowAllReports(true);
        ReportListModel *reports = win.reportList()->reportModel();
        new QAbstractItemModelTester(reports, QAbstractItemModelTester::FailureReportingMode::QtTest, this);
        QVERIFY(waitUntilLoaded(reports));
        QCOMPARE(reports->rowCount(), 0);
        MailboxController *mailboxes = win.mailboxController();
        QVERIFY(!mailboxes->poller());
        mailboxes->setIntervalMs(300);
        QSignalSpy statuses(mailboxes, &MailboxController::statusChanged);
        const int nudges = win.alerts()->nudges();

        const QString good = m_server->url(QStringLiteral("Fehlerberichte/Gr%C3%B6%C3%9Fe"));
        const QString cut = proxy.url(QStringLiteral("Cut"));
        QJsonArray list;
        for (const QString &url : {good, cut})
            list.append(QJsonObject{{QStringLiteral("url"), url}, {QStringLiteral("ca_file"), m_server->caFile()}});
        QVERIFY(writeConfig(win.config(), ConfigKey::Mailboxes, list));
        QTRY_VERIFY(mailboxes->poller());
        QVERIFY(!mailboxes->statusLabel()->isHidden());

        // 2 in Größe, 5 in Cut: 7 reports, shown without any action.
        QTRY_VERIFY_WITH_TIMEOUT(firstRowsLoaded(reports) && reports->rowCount() == 7, kTimeoutMs);
        QVERIFY(win.alerts()->nudges() > nudges); // a poll that stored reports nudged the app's alert step
        const QString cutUrl = ImapUrl::parse(cut)->toString(), goodUrl = ImapUrl::parse(good)->toString();
        QString failure;
        bool recovered = false;
        for (const QList<QVariant> &s : std::as_const(statuses)) {
            if (s.at(0).toString() != cutUrl)
                continue;
            if (s.at(3).toBool() && failure.isEmpty())
                failure = s.at(2).toString();
            recovered = !failure.isEmpty() && !s.at(3).toBool();
        }
        QVERIFY2(failure.contains(QStringLiteral("IMAP server 127.0.0.1:%1: the connection dropped while fetching message UID 3")
                                      .arg(proxy.port())),
                 qPrintable(failure));
        QVERIFY2(failure.contains(QStringLiteral("2 reports stored before the failure.")) &&
                     failure.contains(QStringLiteral("Next poll at ")),
                 qPrintable(failure));
        QVERIFY(recovered);
        QCOMPARE(mailboxes->statuses().value(goodUrl).failing, false);
        QCOMPARE(scalar(*onTestSide([&] { return Database::open(m_path); }), "SELECT count(*) FROM reports"), int64_t(7));

        // A new message while the window is open: one more report, live.
        QVERIFY(m_server->append(QStringLiteral("Fehlerberichte/Gr&APYA3w-e"), errorMail(QStringLiteral("page"), 3)));
        QTRY_VERIFY_WITH_TIMEOUT(firstRowsLoaded(reports) && reports->rowCount() == 8, kTimeoutMs);

        // The Settings page shows each mailbox's status; a failing one in the status column.
        const QJsonArray failing{
            QJsonObject{{QStringLiteral("url"), good}, {QStringLiteral("ca_file"), m_server->caFile()}},
            QJsonObject{{QStringLiteral("url"), QStringLiteral("imaps://errors@127.0.0.1:%1/INBOX").arg(unusedLoopbackPort())}}};
        QVERIFY(writeConfig(win.config(), ConfigKey::Mailboxes, failing));
        QTRY_VERIFY_WITH_TIMEOUT(mailboxes->statusLabel()->text().contains(QStringLiteral("1 failing")), kTimeoutMs);
        QVERIFY2(mailboxes->statusLabel()->toolTip().contains(QStringLiteral("could not connect")),
                 qPrintable(mailboxes->statusLabel()->toolTip()));
        win.openSettings();
        auto *dlg = win.findChild<SettingsDialog *>();
        QVERIFY(dlg);
        QVERIFY(ready(*dlg));
        dlg->showPage(SettingsDialog::Mailboxes);
        QTreeWidget *rows = dlg->mailboxes()->list();
        QCOMPARE(rows->topLevelItemCount(), 2);
        QVERIFY2(rows->topLevelItem(1)->text(MailboxesPage::StatusColumn).startsWith(QStringLiteral("failing, next try at ")),
                 qPrintable(rows->topLevelItem(1)->text(MailboxesPage::StatusColumn)));
        QVERIFY(rows->topLevelItem(1)->toolTip(MailboxesPage::StatusColumn).contains(QStringLiteral("could not connect")));
        QVERIFY(!rows->topLevelItem(0)->text(MailboxesPage::StatusColumn).startsWith(QStringLiteral("failing")));

        const QString out = qEnvironmentVariable("ERRORDECK_SCREENSHOT_DIR", m_dir.filePath(QStringLiteral("shots")));
        QVERIFY(QDir().mkpath(out));
        rows->setCurrentItem(rows->topLevelItem(1));
        QVERIFY2(dlg->mailboxes()->statusDetail().contains(QStringLiteral("could not connect")) &&
                     dlg->mailboxes()->statusDetail().contains(QStringLiteral("Next poll at ")),
                 qPrintable(dlg->mailboxes()->statusDetail()));
        for (const QSize size : {QSize(1024, 700), QSize(2560, 1440)}) {
            dlg->resize(size);
            QApplication::processEvents();
            const QPixmap pm = dlg->grab();
            QVERIFY(pm.width() >= 1000);
            QVERIFY(
                pm.save(QDir(out).filePath(QStringLiteral("settings-mailboxes-%1x%2.png").arg(size.width()).arg(size.height()))));
        }
        dlg->close();
        qunsetenv(kImapPasswordEnvVar);
    }

    // Test connection with the password only in the keychain: read without
    // blocking the window. Answering, it logs in with the keychain's password;
    // stopped (SIGSTOP, a hung Secret Service), the page says it is reading,
    // the event loop keeps running, and the bound's message shows.
    void testWithAKeychainThatDoesNotAnswer()
    {
        QVERIFY2(!edtest::keyring::home().isEmpty(), "run under tests/support/with_secret_service.sh (ctest does)");
        qunsetenv(kImapPasswordEnvVar);
        const int bound = KeychainPasswords::answerTimeoutMs();
        KeychainPasswords::setAnswerTimeoutMs(2000);
        const auto restore = qScopeGuard([bound] { KeychainPasswords::setAnswerTimeoutMs(bound); });
        QObject context;
        std::optional<Result<void>> stored;
        KeychainPasswords::storeLater(
            QStringLiteral("errors"), QStringLiteral("127.0.0.1"), QString::fromLatin1(DovecotServer::kPassword), &context,
            [&](Result<void> r) { stored = std::move(r); }, KeychainPasswords::Account::Imap);
        QTRY_VERIFY_WITH_TIMEOUT(stored.has_value(), kTimeoutMs);
        QVERIFY2(stored->ok(), qPrintable(stored->ok() ? QString() : stored->error()));

        ConfigCache config(JobRunner::forDatabase(m_path));
        SettingsDialog dlg(m_path, config);
        QVERIFY(ready(dlg));
        dlg.showPage(SettingsDialog::Mailboxes);
        MailboxesPage *page = dlg.mailboxes();
        MailboxEntry entry;
        entry.url = *ImapUrl::parse(
            QStringLiteral("imaps://errors@127.0.0.1:%1/Fehlerberichte/Gr%C3%B6%C3%9Fe").arg(m_server->imapsPort()));
        entry.caFile = m_server->caFile();
        // Listed (no password typed on this page: the keychain's), selected.
        page->addMailbox(entry);
        for (int i = 0; i < page->list()->topLevelItemCount(); ++i)
            if (page->list()->topLevelItem(i)->toolTip(MailboxesPage::MailboxColumn) == entry.url.toString())
                page->list()->setCurrentItem(page->list()->topLevelItem(i));
        QVERIFY(page->testButton()->isEnabled());
        auto [ok, connected] = testConnection(page);
        QVERIFY2(ok && connected.startsWith(QStringLiteral("Connected to 127.0.0.1:%1 as errors:").arg(m_server->imapsPort())),
                 qPrintable(connected));

        edtest::keyring::StoppedSecretService stopped;
        QVERIFY(stopped.ok());
        int ticks = 0;
        QTimer tick;
        connect(&tick, &QTimer::timeout, this, [&ticks] { ++ticks; });
        tick.start(50);
        QSignalSpy finished(page, &MailboxesPage::testFinished);
        page->testSelected();
        QCOMPARE(page->testStatus(), QStringLiteral("Reading the password of imap:errors@127.0.0.1 from the keychain…"));
        QVERIFY(!page->testButton()->isEnabled());
        QVERIFY(finished.wait(kTimeoutMs));
        // A window blocked for the 2 s would have run the 50 ms timer once, not ~40 times.
        QVERIFY2(ticks >= 10, qPrintable(QString::number(ticks)));
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        const QString expected = QStringLiteral("%1: no password: type it in Edit…, or set ERRORDECK_IMAP_PASSWORD (the system "
                                                "keychain did not answer within 2 s)")
                                     .arg(entry.url.toString());
        QCOMPARE(finished.at(0).at(1).toString(), expected);
        QCOMPARE(page->testStatus(), expected);
        QVERIFY(page->testButton()->isEnabled());
    }
};

QTEST_MAIN(TestUiMailboxes)
#include "tst_ui_mailboxes.moc"
