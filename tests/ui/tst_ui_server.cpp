// The app on a PostgreSQL server (issue 17): File › Open Server Database…
// with host, port, database, user and verify-full TLS; the password asked in
// the app's dialog once (the provider answers every later connection of the
// window from the session), the issue list the same as on an SQLite file of
// the same reports; the window title, About and Open Recent show the URL
// without a password; backup is disabled for a server. With "remember" ticked
// the password goes to the keychain (CTest runs this under
// tests/support/with_secret_service.sh, a real Secret Service), where the
// provider of a new start finds it without asking.
#include "KeychainPasswords.h"
#include "PgSupport.h"
#include "TestKeyring.h"
#include "UiSupport.h"
#include "dialogs/AboutDialog.h"
#include "dialogs/ServerDatabaseDialog.h"
#include "dialogs/ServerPasswordDialog.h"
#include "models/IssueListModel.h"
#include "views/IssueListView.h"
#include "window/MainWindow.h"
#include "window/RecentDatabases.h"
#include "window/ServerPasswords.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QProcess>
#include <QSignalSpy>
#include <QTimer>
#include <optional>
#include <utility>

using namespace ed;

class TestUiServer : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<edtest::PgCluster> m_pg;
    QString m_fileDb;
    int m_asked = 0; // password dialogs shown

    static QStringList titles(MainWindow *w)
    {
        IssueListModel *m = w->issueList()->issueModel();
        if (!edtest::waitUntilLoaded(m, 1, 30000))
            return {QStringLiteral("(not loaded)")};
        QStringList out;
        for (int r = 0; r < m->rowCount(); ++r)
            out << (m->issue(r) ? m->issue(r)->title : QString());
        return out;
    }

    // Answers the next password dialog with `password` (cancels it when empty),
    // as a user would type it, ticking "remember" when asked to. The timer
    // that waits for the dialog (delete it when no dialog is expected).
    QPointer<QTimer> answerPasswordDialog(const QString &password, bool remember = false)
    {
        auto *poll = new QTimer(this);
        poll->setInterval(20);
        connect(poll, &QTimer::timeout, this, [this, poll, password, remember] {
            auto *dlg = qobject_cast<ServerPasswordDialog *>(QApplication::activeModalWidget());
            if (!dlg)
                return;
            poll->deleteLater();
            poll->stop();
            ++m_asked;
            if (password.isEmpty()) {
                dlg->reject();
                return;
            }
            dlg->findChild<QLineEdit *>(QStringLiteral("serverPassword"))->setText(password);
            dlg->findChild<QCheckBox *>(QStringLiteral("rememberServerPassword"))->setChecked(remember);
            dlg->accept();
        });
        poll->start();
        return poll;
    }

    // File › Open Server Database… from `w`, the fields filled; the window
    // that took its place (null when none did).
    MainWindow *openServer(MainWindow *w, const ServerDatabaseDialog::Fields &fields)
    {
        w->findChild<QAction *>(QStringLiteral("actionOpenServerDatabase"))->trigger();
        auto *dlg = w->findChild<ServerDatabaseDialog *>();
        if (!dlg)
            return nullptr;
        dlg->setFields(fields);
        QSignalSpy opened(w, &MainWindow::databaseOpened);
        dlg->accept();
        if (opened.isEmpty()) // openDatabase() opens before it returns
            return nullptr;
        return opened.first().at(0).value<MainWindow *>();
    }

    // errordeck-cli --db URL ARGS with this test's environment (no PGPASSWORD, the
    // test's keyring): its exit code and stderr.
    static std::pair<int, QString> cliOn(const QString &url, const QStringList &args)
    {
        QProcess cli;
        cli.start(QStringLiteral(ERRORDECK_CLI), QStringList{QStringLiteral("--db"), url} + args);
        cli.closeWriteChannel();
        if (!cli.waitForFinished(60000)) {
            cli.kill();
            cli.waitForFinished();
            return {-1, QStringLiteral("did not end")};
        }
        return {cli.exitStatus() == QProcess::NormalExit ? cli.exitCode() : -1, QString::fromUtf8(cli.readAllStandardError())};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!edtest::keyring::home().isEmpty(),
                 "run under tests/support/with_secret_service.sh (as CTest does): a case keeps a password in the keychain");
        edtest::isolate();
        recent::clear();
        // No password from the environment: the app's provider is what answers.
        qunsetenv("PGPASSWORD");
        qputenv("PGPASSFILE", m_dir.filePath(QStringLiteral("no-pgpass")).toUtf8());
        serverpasswords::install();
        m_pg = std::make_unique<edtest::PgCluster>();
        QVERIFY2(m_pg->ok(), qPrintable(m_pg->error()));
        m_fileDb = edtest::corpusDatabase(m_dir);
    }

    void cleanupTestCase()
    {
        Database::setServerPasswordProvider({});
        recent::clear();
        m_pg.reset();
    }

    void openThroughTheDialogWithItsPassword()
    {
        const QString db = m_pg->createDatabase();
        // The corpus into the server, through the CLI (the same import as m_fileDb's).
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PGPASSWORD"), QString::fromLatin1(edtest::PgCluster::kPassword));
        env.insert(QStringLiteral("HOME"), m_dir.path());
        cli.setProcessEnvironment(env);
        cli.start(QStringLiteral(ERRORDECK_CLI), {QStringLiteral("--db"), m_pg->url(db), QStringLiteral("import"),
                                                  edtest::corpus(QStringLiteral("records.jsonl"))});
        QVERIFY(cli.waitForFinished(120000));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());

        auto file = edtest::shownMainWindow(m_fileDb);
        QVERIFY(file);
        const QStringList onFile = titles(file.get());
        QVERIFY(onFile.size() > 1);
        QVERIFY(file->findChild<QAction *>(QStringLiteral("actionBackUp"))->isEnabled());

        m_asked = 0;
        answerPasswordDialog(QString::fromLatin1(edtest::PgCluster::kPassword));
        const ServerDatabaseDialog::Fields fields{QStringLiteral("localhost"),
                                                  db,
                                                  QString::fromLatin1(edtest::PgCluster::kUser),
                                                  QStringLiteral("verify-full"),
                                                  m_pg->caFile(),
                                                  m_pg->port()};
        QPointer<MainWindow> server = openServer(file.get(), fields);
        QVERIFY(server);

        // The same issues as on the file; the readers' connections logged in
        // without asking again.
        QCOMPARE(titles(server), onFile);
        QCOMPARE(m_asked, 1);
        const QString url = ServerDatabaseDialog::urlFor(fields);
        QVERIFY2(server->windowTitle().contains(url), qPrintable(server->windowTitle()));
        QVERIFY(!server->windowTitle().contains(QLatin1String(edtest::PgCluster::kPassword)));
        QVERIFY(!server->findChild<QAction *>(QStringLiteral("actionBackUp"))->isEnabled());
        const AboutDialog about(nullptr, server->windowTitle());
        QVERIFY(
            !about.findChild<QLabel *>(QStringLiteral("database"))->text().contains(QLatin1String(edtest::PgCluster::kPassword)));
        // Open Recent keeps the URL, never a password.
        QVERIFY2(recent::databases().contains(url), qPrintable(recent::databases().join(QLatin1Char(' '))));
        for (const QString &entry : recent::databases())
            QVERIFY(!entry.contains(QLatin1String(edtest::PgCluster::kPassword)));
        delete server.data();
    }

    void refusedWithoutAPassword()
    {
        const QString db = m_pg->createDatabase();
        auto file = edtest::shownMainWindow(m_fileDb);
        QVERIFY(file);
        m_asked = 0;
        answerPasswordDialog(QString()); // Cancel
        const ServerDatabaseDialog::Fields fields{
            QStringLiteral("127.0.0.1"), db,        QString::fromLatin1(edtest::PgCluster::kUser),
            QStringLiteral("disable"),   QString(), m_pg->port()};
        QVERIFY(!openServer(file.get(), fields));
        QCOMPARE(m_asked, 1);
        // The window stays; the message names the server and what is missing.
        QMessageBox *box = nullptr;
        QVERIFY(QTest::qWaitFor([&] { return (box = file->findChild<QMessageBox *>(QStringLiteral("openDatabaseFailed"))); }));
        QVERIFY2(box->informativeText().contains(QStringLiteral("asks for a password")) &&
                     box->informativeText().contains(QStringLiteral("127.0.0.1:%1/%2").arg(m_pg->port()).arg(db)),
                 qPrintable(box->informativeText()));
        box->close();
    }

    // "Remember in the system keychain" ticked: the password is in the keychain
    // (the keyring file holds the account's item), and a new start's provider,
    // with nothing in its session's memory, opens the server without asking.
    void rememberedPasswordFromTheKeychain()
    {
        const QString db = m_pg->createDatabase();
        const QString key = QStringLiteral("postgresql:edtest@127.0.0.1:%1").arg(m_pg->port());
        const ServerDatabaseDialog::Fields fields{
            QStringLiteral("127.0.0.1"), db,        QString::fromLatin1(edtest::PgCluster::kUser),
            QStringLiteral("disable"),   QString(), m_pg->port()};
        const QString url = ServerDatabaseDialog::urlFor(fields);
        auto file = edtest::shownMainWindow(m_fileDb);
        QVERIFY(file);
        m_asked = 0;
        answerPasswordDialog(QString::fromLatin1(edtest::PgCluster::kPassword), true);
        QPointer<MainWindow> server = openServer(file.get(), fields);
        QVERIFY(server);
        QCOMPARE(m_asked, 1);
        // The keychain keeps it once its job has run (storeLater).
        const auto held = [&] {
            const auto f = edtest::keyring::readKeyringFile(edtest::keyring::loginKeyringFile());
            return f && f->aes && f->userHashes.contains(edtest::keyring::md5Hex(key));
        };
        QVERIFY2(QTest::qWaitFor(held, 20000), qPrintable(key));
        delete server.data();
        // errordeck-cli finds what the app remembered (no PGPASSWORD, no ~/.pgpass: only the keychain).
        const auto [cliRc, cliErr] = cliOn(url, {QStringLiteral("stats")});
        QVERIFY2(cliRc == 0, qPrintable(cliErr));

        // A new start: the session's memory empty, the provider installed again.
        serverpasswords::forget(url);
        serverpasswords::install();
        m_asked = 0;
        QPointer<QTimer> unexpected = answerPasswordDialog(QString()); // a dialog would be cancelled, and counted
        server = openServer(file.get(), fields);
        delete unexpected.data();
        QCOMPARE(m_asked, 0);
        QVERIFY(server);
        QVERIFY2(server->windowTitle().contains(url), qPrintable(server->windowTitle()));
        delete server.data();
        // Nowhere else under HOME (settings, Open Recent, logs): the keyring's secrets are encrypted.
        const QStringList found = edtest::keyring::filesContaining(edtest::keyring::home(),
                                                                   QString::fromLatin1(edtest::PgCluster::kPassword));
        QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));

        // Forgotten again, for the other cases of this account.
        serverpasswords::forget(url);
        QVERIFY(KeychainPasswords().storeServerPassword(url, QString()).ok());
        QVERIFY(!held());
    }

    // A URL with no port: the app's "remember" (storeServerPasswordLater) keeps
    // it under the default port's key, the one errordeck-cli db-password and
    // every Database::open's keychain lookup use (ServerAccount, one code path).
    void rememberedWithoutAPortIsTheCliAccount()
    {
        qunsetenv("PGPORT");
        const QString url = QStringLiteral("postgresql://%1@127.0.0.1/somedb?sslmode=disable")
                                .arg(QString::fromLatin1(edtest::PgCluster::kUser));
        const QString key = QStringLiteral("postgresql:edtest@127.0.0.1:5432"); // written out: libpq's default port
        const auto held = [&] {
            const auto f = edtest::keyring::readKeyringFile(edtest::keyring::loginKeyringFile());
            return f && f->userHashes.contains(edtest::keyring::md5Hex(key));
        };
        QVERIFY(!held());
        QObject context;
        std::optional<Result<void>> stored;
        KeychainPasswords::storeServerPasswordLater(url, QStringLiteral("no-port-secret"), &context,
                                                    [&](Result<void> r) { stored = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(stored.has_value(), 20000);
        QVERIFY2(stored->ok(), qPrintable(stored->ok() ? QString() : stored->error()));
        QVERIFY2(QTest::qWaitFor(held, 20000), qPrintable(key));
        auto read = KeychainPasswords().serverPassword(url); // what Database::open's provider asks
        QVERIFY2(read.ok(), qPrintable(read ? QString() : read.error()));
        QCOMPARE(*read, QStringLiteral("no-port-secret"));
        const auto [rc, err] = cliOn(url, {QStringLiteral("db-password"), QStringLiteral("--forget")});
        QVERIFY2(rc == 0, qPrintable(err));
        QVERIFY(!held());
    }
};

QTEST_MAIN(TestUiServer)
#include "tst_ui_server.moc"
