// The Settings dialog through its widgets: values go to Config (one source of
// truth with `errordeck-cli config`), Config's validation shows inline, the
// 404 tester decides as Django would, and rules show what they hide.
#include "jobs/ConfigCache.h"
#include "jobs/JobRunner.h"
#include "store/Config.h"
#include "store/RuleStore.h"
#include "store/sqlite/Sqlite.h"
#include "settings/EmailPage.h"
#include "settings/NotFoundPage.h"
#include "settings/RecipientsPage.h"
#include "settings/RulesPage.h"
#include "settings/SettingsDialog.h"
#include "filters/FilterRules.h"
#include "KeychainPasswords.h"
#include "TestKeyring.h"
#include "UiSupport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QJsonArray>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>
#include <optional>

using namespace ed;

class TestUiSettings : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;

    QString cli(const QStringList &args)
    {
        QProcess p;
        p.start(QStringLiteral(ERRORDECK_CLI), args + QStringList{QStringLiteral("--db"), m_path});
        p.waitForFinished(30000);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        if (p.exitCode() != 0 || !err.isEmpty())
            qWarning("errordeck-cli %s: %s", qPrintable(args.join(QLatin1Char(' '))), qPrintable(err));
        return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    }
    // Opens nothing on this thread: the dialog's settings come from a job.
    static bool ready(SettingsDialog &dlg)
    {
        return QTest::qWaitFor([&dlg] { return dlg.isReady(); }, 10000);
    }
    // apply() and the Write job's answer: whether the values were taken and written.
    static bool applyAndWait(SettingsDialog &dlg)
    {
        QSignalSpy applied(&dlg, &SettingsDialog::applied);
        if (!dlg.apply())
            return false;
        return (applied.count() > 0 || applied.wait(10000)) && applied.first().first().toBool();
    }
    static void setCell(QTableWidget *t, int row, int col, const QString &text)
    {
        if (t->rowCount() <= row)
            t->setRowCount(row + 1);
        t->setItem(row, col, new QTableWidgetItem(text));
    }

private Q_SLOTS:
    void initTestCase()
    {
        edtest::isolate();
        m_path = edtest::corpusDatabase(m_dir);
    }

    void recipientsValidatedAndShared()
    {
        ConfigCache config(JobRunner::forDatabase(m_path));
        SettingsDialog dlg(m_path, config);
        dlg.show();
        QVERIFY(!dlg.buttons()->button(QDialogButtonBox::Ok)->isEnabled()); // until the settings are read
        QVERIFY(ready(dlg));
        QVERIFY(dlg.buttons()->button(QDialogButtonBox::Ok)->isEnabled());
        QTableWidget *admins = dlg.recipients()->admins();
        setCell(admins, 0, 0, QStringLiteral("Ops"));
        setCell(admins, 0, 1, QStringLiteral("not-an-address"));
        dlg.buttons()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(dlg.isVisible()); // refused: stays open with the reason
        QVERIFY(dlg.recipients()->errorText(ConfigKey::Admins).contains(QStringLiteral("not-an-address")));
        QVERIFY(!config.isSet(ConfigKey::Admins));

        setCell(admins, 0, 1, QStringLiteral("ops@shop.example.com"));
        setCell(dlg.recipients()->managers(), 0, 0, QStringLiteral("Web"));
        setCell(dlg.recipients()->managers(), 0, 1, QStringLiteral("web@shop.example.com"));
        dlg.recipients()
            ->findChild<QPlainTextEdit *>(QStringLiteral("internalIps"))
            ->setPlainText(QStringLiteral("10.0.0.5\n\n10.0.0.6\n"));
        dlg.buttons()->button(QDialogButtonBox::Ok)->click();
        QTRY_VERIFY(!dlg.isVisible()); // closed once the Write job answered
        QVERIFY(dlg.recipients()->errorText(ConfigKey::Admins).isEmpty());
        QCOMPARE(config.people(ConfigKey::Admins).size(), 1);
        QCOMPARE(config.stringList(ConfigKey::InternalIps),
                 (QStringList{QStringLiteral("10.0.0.5"), QStringLiteral("10.0.0.6")}));
        // The CLI reads the same rows.
        QVERIFY(cli({QStringLiteral("config"), QStringLiteral("get"), QStringLiteral("ADMINS")})
                    .contains(QStringLiteral("ops@shop.example.com")));
        QVERIFY(cli({QStringLiteral("config"), QStringLiteral("get"), QStringLiteral("INTERNAL_IPS")})
                    .contains(QStringLiteral("10.0.0.6")));

        // And what the CLI writes shows in a dialog opened afterwards.
        cli({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("EMAIL_HOST"), QStringLiteral("smtp.example.com")});
        SettingsDialog again(m_path, config);
        QVERIFY(ready(again)); // read again when the dialog opens
        QCOMPARE(config.string(ConfigKey::EmailHost), QStringLiteral("smtp.example.com"));
        QCOMPARE(again.email()->findChild<QLineEdit *>(QStringLiteral("emailHost"))->text(), QStringLiteral("smtp.example.com"));
        QCOMPARE(again.recipients()->managers()->item(0, 1)->text(), QStringLiteral("web@shop.example.com"));

        // A connection that was open during the CLI's write must see it too
        // (it did not while Database::open read the file's header with its own
        // descriptor: closing that drops the process's POSIX locks, SQLite's too).
        {
            const edtest::TestSideDb testSide;
            auto db = Database::open(m_path);
            Config direct(*db);
            cli({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("EMAIL_HOST"),
                 QStringLiteral("smtp2.example.com")});
            direct.reload();
            QCOMPARE(direct.string(ConfigKey::EmailHost), QStringLiteral("smtp2.example.com"));
        }
    }

    void emailServer()
    {
        ConfigCache config(JobRunner::forDatabase(m_path));
        SettingsDialog dlg(m_path, config);
        QVERIFY(ready(dlg));
        EmailPage *page = dlg.email();
        page->findChild<QLineEdit *>(QStringLiteral("emailHost"))->setText(QStringLiteral("mail.example.com"));
        auto *security = page->findChild<QComboBox *>(QStringLiteral("emailSecurity"));
        security->setCurrentIndex(EmailPage::StartTls);
        Q_EMIT security->activated(EmailPage::StartTls); // as a user's choice: the port follows
        QCOMPARE(page->findChild<QSpinBox *>(QStringLiteral("emailPort"))->value(), 587);
        page->findChild<QLineEdit *>(QStringLiteral("serverEmail"))->setText(QStringLiteral("Errors <errors@shop.example.com>"));
        page->findChild<QLineEdit *>(QStringLiteral("subjectPrefix"))->setText(QStringLiteral("[Shop] "));
        page->findChild<QCheckBox *>(QStringLiteral("includeHtml"))->setChecked(false);
        QVERIFY(applyAndWait(dlg));
        QCOMPARE(config.string(ConfigKey::EmailHost), QStringLiteral("mail.example.com"));
        QCOMPARE(config.integer(ConfigKey::EmailPort), 587);
        QVERIFY(config.flag(ConfigKey::EmailUseTls));
        QVERIFY(!config.flag(ConfigKey::EmailUseSsl));
        QCOMPARE(config.string(ConfigKey::EmailSubjectPrefix), QStringLiteral("[Shop] "));
        QVERIFY(!config.flag(ConfigKey::EmailIncludeHtml));
        // A bad SERVER_EMAIL is refused with Config's reason, under its field.
        page->findChild<QLineEdit *>(QStringLiteral("serverEmail"))->setText(QStringLiteral("nobody"));
        QVERIFY(!dlg.apply());
        QVERIFY(page->errorText(ConfigKey::ServerEmail).contains(QStringLiteral("nobody")));
        QCOMPARE(config.string(ConfigKey::ServerEmail), QStringLiteral("Errors <errors@shop.example.com>"));
        // The password never lands in the database.
        page->findChild<QLineEdit *>(QStringLiteral("emailUser"))->setText(QStringLiteral("mailer"));
        auto *pw = page->findChild<QLineEdit *>(QStringLiteral("emailPassword"));
        pw->setFocus();
        QTest::keyClicks(pw, QStringLiteral("hunter2-secret"));
        page->findChild<QLineEdit *>(QStringLiteral("serverEmail"))->setText(QStringLiteral("errors@shop.example.com"));
        QSignalSpy keychain(page, &EmailPage::keychainDone);
        QVERIFY(applyAndWait(dlg));
        // The write finished, one way or the other, and the page says which.
        QVERIFY(keychain.count() > 0 || keychain.wait(20000));
        const QString status = page->keychainStatus();
        const QString unavailable = QStringLiteral("The password could not be saved in the keychain: ");
        // Under with_secret_service.sh (as CTest runs this) a Secret Service is there: it must keep it.
        if (!edtest::keyring::home().isEmpty())
            QCOMPARE(status, QStringLiteral("The password is kept in the system keychain."));
        if (status == QStringLiteral("The password is kept in the system keychain.")) {
            // A keychain is running: a fresh page reads the same password back.
            SettingsDialog again(m_path, config);
            EmailPage *reread = again.email();
            QSignalSpy read(reread, &EmailPage::keychainDone); // the page reads the keychain once loaded
            QVERIFY(ready(again));
            QVERIFY(read.count() > 0 || read.wait(20000));
            QCOMPARE(reread->keychainStatus(), QStringLiteral("The password is kept in the system keychain."));
            QCOMPARE(reread->findChild<QLineEdit *>(QStringLiteral("emailPassword"))->text(), QStringLiteral("hunter2-secret"));
        } else {
            // No keychain here (no Secret Service on the session bus): the page
            // names the failure with the keychain's own reason.
            QVERIFY2(status.startsWith(unavailable) && status.size() > unavailable.size() + 3, qPrintable(status));
        }
        QFile f(m_path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(!f.readAll().contains("hunter2-secret"));
        QVERIFY(!QFile::exists(m_path + QStringLiteral("-wal")) ||
                !edtest::readFile(m_path + QStringLiteral("-wal")).contains("hunter2-secret"));

        // EMAIL_BACKEND, EMAIL_FILE_PATH and the CA file, as the CLI has them.
        auto *backend = page->findChild<QComboBox *>(QStringLiteral("emailBackend"));
        auto *folder = page->findChild<QLineEdit *>(QStringLiteral("emailFilePath"));
        auto *host = page->findChild<QLineEdit *>(QStringLiteral("emailHost"));
        QCOMPARE(backend->count(), 3);
        QCOMPARE(backend->currentData().toString(), QStringLiteral("smtp"));
        QVERIFY(host->isEnabled() && !folder->isEnabled());
        page->findChild<QLineEdit *>(QStringLiteral("emailCaFile"))->setText(QStringLiteral("/etc/ssl/shop-ca.pem"));
        backend->setCurrentIndex(backend->findData(QStringLiteral("file")));
        QVERIFY(!host->isEnabled() && folder->isEnabled());
        folder->setText(QStringLiteral("/var/mail/errordeck"));
        QVERIFY(applyAndWait(dlg));
        QCOMPARE(config.string(ConfigKey::EmailBackend), QStringLiteral("file"));
        QCOMPARE(config.string(ConfigKey::EmailFilePath), QStringLiteral("/var/mail/errordeck"));
        QCOMPARE(config.string(ConfigKey::EmailCaFile), QStringLiteral("/etc/ssl/shop-ca.pem"));
        // Django's dotted name, written by `errordeck-cli config set`, reads as its choice and stays as written.
        bool written = false;
        config.set(ConfigKey::EmailBackend, QStringLiteral("django.core.mail.backends.console.EmailBackend"), this,
                   [&](Result<void> r) { written = r.ok(); });
        QVERIFY(QTest::qWaitFor([&] { return written; }, 5000));
        SettingsDialog dotted(m_path, config);
        QVERIFY(ready(dotted));
        auto *dottedBackend = dotted.email()->findChild<QComboBox *>(QStringLiteral("emailBackend"));
        QCOMPARE(dottedBackend->currentData().toString(), QStringLiteral("console"));
        QVERIFY(applyAndWait(dotted));
        QCOMPARE(config.string(ConfigKey::EmailBackend), QStringLiteral("django.core.mail.backends.console.EmailBackend"));
        config.write({{ConfigKey::EmailBackend, std::nullopt},
                      {ConfigKey::EmailFilePath, std::nullopt},
                      {ConfigKey::EmailCaFile, std::nullopt}});
    }

    // A hung Secret Service (SIGSTOP) while the e-mail page reads the password:
    // the page says it is reading, the window's event loop keeps running, the
    // fields stay usable, then the bound's message shows.
    void emailPasswordFromAKeychainThatDoesNotAnswer()
    {
        QVERIFY2(!edtest::keyring::home().isEmpty(), "run under tests/support/with_secret_service.sh (ctest does)");
        const int bound = KeychainPasswords::answerTimeoutMs();
        KeychainPasswords::setAnswerTimeoutMs(2000);
        const auto restore = qScopeGuard([bound] { KeychainPasswords::setAnswerTimeoutMs(bound); });
        ConfigCache config(JobRunner::forDatabase(m_path));
        edtest::keyring::StoppedSecretService stopped;
        QVERIFY(stopped.ok());
        int ticks = 0;
        QTimer tick;
        connect(&tick, &QTimer::timeout, this, [&ticks] { ++ticks; });
        tick.start(50);
        SettingsDialog dlg(m_path, config);
        EmailPage *page = dlg.email();
        QSignalSpy read(page, &EmailPage::keychainDone);
        QVERIFY(ready(dlg));
        QCOMPARE(page->keychainStatus(), QStringLiteral("Reading the password from the keychain…"));
        auto *host = page->findChild<QLineEdit *>(QStringLiteral("emailHost"));
        QVERIFY(host->isEnabled());
        QVERIFY(read.count() > 0 || read.wait(20000));
        QVERIFY2(ticks >= 10, qPrintable(QString::number(ticks)));
        QCOMPARE(page->keychainStatus(),
                 QStringLiteral("The keychain is not available: the system keychain did not answer within 2 s"));
    }

    void notFoundTester()
    {
        ConfigCache config(JobRunner::forDatabase(m_path));
        SettingsDialog dlg(m_path, config);
        QVERIFY(ready(dlg));
        NotFoundPage *page = dlg.notFound();
        page->findChild<QPlainTextEdit *>(QStringLiteral("ignorableUrls"))->setPlainText(QStringLiteral("^/wp-\n\\.php$"));
        page->setTestRequest(QStringLiteral("/wp-login.php"), QStringLiteral("https://shop.example.com/"),
                             QStringLiteral("shop.example.com"));
        QVERIFY2(page->verdict().startsWith(QStringLiteral("Hidden")), qPrintable(page->verdict()));
        QVERIFY(page->verdict().contains(QStringLiteral("^/wp-")));
        // A broken link from our own page: Django mails MANAGERS.
        page->setTestRequest(QStringLiteral("/products/missing/"), QStringLiteral("https://shop.example.com/catalog/"),
                             QStringLiteral("shop.example.com"));
        QVERIFY2(page->verdict().startsWith(QStringLiteral("Kept")), qPrintable(page->verdict()));
        // No referer: Django does not mail (not a broken link of ours).
        page->setTestRequest(QStringLiteral("/products/missing/"), QString(), QStringLiteral("shop.example.com"));
        QVERIFY2(page->verdict().startsWith(QStringLiteral("Hidden")), qPrintable(page->verdict()));
        // An invalid regex: the tester and Config both say so.
        page->findChild<QPlainTextEdit *>(QStringLiteral("ignorableUrls"))->setPlainText(QStringLiteral("(unclosed"));
        QVERIFY(page->verdict().contains(QStringLiteral("error")));
        QVERIFY(!dlg.apply());
        QVERIFY(!page->errorText(ConfigKey::IgnorableUrls).isEmpty());
        page->findChild<QPlainTextEdit *>(QStringLiteral("ignorableUrls"))->setPlainText(QStringLiteral("^/wp-"));
        QVERIFY(applyAndWait(dlg));
        QCOMPARE(config.stringList(ConfigKey::IgnorableUrls), QStringList{QStringLiteral("^/wp-")});
    }

    void rulesShowWhatTheyHide()
    {
        std::optional<edtest::TestSideDb> testSide(std::in_place);
        auto db = Database::open(m_path);
        FilterRule r;
        r.name = QStringLiteral("quiet-warnings");
        r.action = RuleAction::Hide;
        r.belowLevel = 40;
        QVERIFY(RuleStore(*db).add(r).ok());
        // Mark stored reports as that rule would (what `rules apply` does).
        QVERIFY(connectionOf(*db).exec("UPDATE reports SET hidden_by = 'rule: quiet-warnings' WHERE level < 40").ok());
        const int64_t hidden = edtest::scalar(*db, "SELECT count(*) FROM reports WHERE hidden_by = 'rule: quiet-warnings'");
        QVERIFY(hidden > 0);
        testSide.reset(); // from here on, only the dialog's jobs touch the database
        ConfigCache config(JobRunner::forDatabase(m_path));
        SettingsDialog dlg(m_path, config);
        RulesPage *page = dlg.rules();
        QSignalSpy counts(page, &RulesPage::countsLoaded);
        QVERIFY(ready(dlg));
        QVERIFY(counts.count() > 0 || counts.wait(10000));
        QTableWidget *rules = page->rules();
        QTRY_VERIFY(rules->isEnabled()); // the rules' own job answered too
        int row = -1;
        for (int i = 0; i < rules->rowCount(); ++i)
            if (rules->item(i, 1)->text() == QStringLiteral("quiet-warnings"))
                row = i;
        QVERIFY(row >= 0);
        QCOMPARE(rules->item(row, 4)->text(), QString::number(hidden));
        QTableWidget *byReason = page->hidden();
        bool found = false;
        for (int i = 0; i < byReason->rowCount(); ++i)
            found |= byReason->item(i, 0)->text() == QStringLiteral("rule: quiet-warnings") &&
                     byReason->item(i, 1)->data(Qt::DisplayRole).toLongLong() == hidden;
        QVERIFY(found);
        // Switching it off goes to the store (a Write job), and the table shows what the store holds.
        QSignalSpy reloaded(page, &RulesPage::rulesLoaded);
        rules->item(row, 0)->setCheckState(Qt::Unchecked);
        QVERIFY(reloaded.wait(10000));
        {
            const edtest::TestSideDb testSide;
            auto list = RuleStore(*db).list();
            QVERIFY(!list->front().enabled);
        }
        QCOMPARE(rules->item(row, 0)->checkState(), Qt::Unchecked);
    }
};

QTEST_MAIN(TestUiSettings)
#include "tst_ui_settings.moc"
