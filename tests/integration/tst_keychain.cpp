// The keychain paths against a real Secret Service (issue 17: "the password
// comes from the keychain, PGPASSFILE or the environment, never a plain
// settings file"). CTest runs this under tests/support/with_secret_service.sh:
// gnome-keyring-daemon on a private D-Bus, HOME and XDG folders of its own.
//  - errordeck-cli db-password URL keeps a PostgreSQL password (stdin); `--db URL`
//    then logs in with it (no PGPASSWORD, no pgpass file); --forget removes it and
//    the next login fails saying no password was given.
//  - the SMTP password kept as the e-mail settings page keeps it: errordeck-cli
//    test-email logs in to aiosmtpd with it; the same for an IMAP mailbox's and
//    errordeck-cli import against Dovecot.
// Each password is then in no output, no database, no file under HOME other
// than the encrypted keyring, which holds an item under the account's key
// (TestKeyring.h reads the file's bytes).
#include "ImapSupport.h"
#include "KeychainPasswords.h"
#include "PgSupport.h"
#include "SecretScanner.h"
#include "SmtpSupport.h"
#include "TestKeyring.h"
#include "CliProcess.h"
#include "TestSupport.h"
#include "store/Config.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTimer>

using namespace edtest;
using namespace ed;

namespace {

using Run = CliOutput;

constexpr int kTimeoutMs = 60000;

// As the settings pages keep a password (EmailPage, MailboxesPage): storeLater, waited for.
Result<void> keep(const QString &user, const QString &host, const QString &password, KeychainPasswords::Account account)
{
    QObject context;
    QEventLoop loop;
    std::optional<Result<void>> done;
    KeychainPasswords::storeLater(
        user, host, password, &context,
        [&](Result<void> r) {
            done = std::move(r);
            loop.quit();
        },
        account);
    QTimer::singleShot(kTimeoutMs, &loop, &QEventLoop::quit);
    if (!done)
        loop.exec();
    if (!done)
        return Error{QStringLiteral("the keychain did not answer")};
    return *done;
}

} // namespace

class TestKeychain : public QObject {
    Q_OBJECT
    std::unique_ptr<PgCluster> m_pg;
    QString m_home; // with_secret_service.sh's HOME: the keyring and everything the CLI writes

    // The CLI's environment: this test's HOME, no password from libpq's own
    // sources (PGPASSWORD, a pgpass file) nor from ErrorDeck's variables.
    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.remove(QStringLiteral("PGPASSWORD"));
        e.remove(QStringLiteral("ERRORDECK_DB"));
        e.remove(QStringLiteral("ERRORDECK_EMAIL_PASSWORD"));
        e.remove(QStringLiteral("ERRORDECK_IMAP_PASSWORD"));
        e.insert(QStringLiteral("PGPASSFILE"), m_home + QStringLiteral("/no-pgpass"));
        return e;
    }

    Run cli(const QStringList &args, const QByteArray &stdinText = {}) const { return runCliProcess(args, env(), stdinText); }

    // `password` is in no file under HOME, the keyring's own included (its secrets are encrypted).
    void verifyNowhereOnDisk(const QString &password)
    {
        QVERIFY(keyring::filesUnder(m_home) >= 2); // at least the keyring and the CLI's log
        const QStringList found = keyring::filesContaining(m_home, password);
        QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
    }

    // The login keyring holds (or not) an item whose user attribute is `key`.
    void verifyKeyringHolds(const QString &key, bool held)
    {
        const auto file = keyring::readKeyringFile(keyring::loginKeyringFile());
        QVERIFY2(file, qPrintable(keyring::loginKeyringFile()));
        QVERIFY(file->aes);
        QVERIFY2(file->userHashes.contains(keyring::md5Hex(key)) == held,
                 qPrintable(key + QStringLiteral(": ") + file->userHashes.join(u' ')));
        if (held)
            QVERIFY(file->encryptedBytes > 0);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_home = keyring::home();
        QVERIFY2(!m_home.isEmpty(), "run under tests/support/with_secret_service.sh (as CTest does): this test writes to the "
                                    "keychain, which must be a private one");
        QCOMPARE(qEnvironmentVariable("HOME"), m_home);
        m_pg = std::make_unique<PgCluster>();
        QVERIFY2(m_pg->ok(), qPrintable(m_pg->error()));
    }

    void cleanupTestCase() { m_pg.reset(); }

    void postgresPasswordFromTheKeychain()
    {
        const QString db = m_pg->createDatabase();
        const QString url = m_pg->url(db);
        const QString key = QStringLiteral("postgresql:edtest@127.0.0.1:%1").arg(m_pg->port());
        const QString where = QStringLiteral("127.0.0.1:%1/%2").arg(m_pg->port()).arg(db);
        const QByteArray password(PgCluster::kPassword);
        QTemporaryDir dir;
        const QList<QByteArray> lines = readFile(corpus(QStringLiteral("records.jsonl"))).split('\n');
        QVERIFY(lines.size() > 3);
        const QString records = dir.filePath(QStringLiteral("three.jsonl"));
        writeFile(records, lines.mid(0, 3).join('\n') + '\n');
        QList<Run> runs;

        // No password anywhere yet: refused, and said so.
        runs << cli({QStringLiteral("--db"), url, QStringLiteral("list")});
        QCOMPARE(runs.last().code, 1);
        QVERIFY2(runs.last().err.contains("asks for a password"), runs.last().err.constData());

        runs << cli({QStringLiteral("db-password"), url}, password + '\n');
        QVERIFY2(runs.last().code == 0, runs.last().err.constData());
        QCOMPARE(runs.last().out, "kept the password of " + key.toUtf8() + " in the system keychain\n");
        verifyKeyringHolds(key, true);
        if (QTest::currentTestFailed())
            return;

        // Every command of --db URL logs in with it.
        runs << cli({QStringLiteral("--db"), url, QStringLiteral("import"), records});
        QVERIFY2(runs.last().code == 0, runs.last().err.constData());
        runs << cli({QStringLiteral("--db"), url, QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY2(runs.last().code == 0, runs.last().err.constData());
        QCOMPARE(QJsonDocument::fromJson(runs.last().out).array().size(), 3);
        QCOMPARE(m_pg->value(db, QStringLiteral("SELECT count(*) FROM reports")).value(), QStringLiteral("3"));

        // Forgotten: out of the keyring, and the next login has no password again.
        runs << cli({QStringLiteral("db-password"), QStringLiteral("--forget"), url});
        QVERIFY2(runs.last().code == 0, runs.last().err.constData());
        QCOMPARE(runs.last().out, "forgot the password of " + key.toUtf8() + " in the system keychain\n");
        verifyKeyringHolds(key, false);
        if (QTest::currentTestFailed())
            return;
        runs << cli({QStringLiteral("--db"), url, QStringLiteral("list")});
        QCOMPARE(runs.last().code, 1);
        QVERIFY2(runs.last().err.contains("asks for a password") && runs.last().err.contains(where.toUtf8()),
                 runs.last().err.constData());
        QVERIFY(runs.last().out.isEmpty());

        for (const Run &r : runs)
            QVERIFY2(!r.out.contains(password) && !r.err.contains(password), (r.out + r.err).constData());
        int values = 0;
        QStringList inDatabase;
        QVERIFY(m_pg->eachValue(db, [&](const QString &at, std::string_view value) {
            ++values;
            if (value.find(PgCluster::kPassword) != std::string_view::npos)
                inDatabase << at;
        }));
        QVERIFY(values > 0);
        QVERIFY2(inDatabase.isEmpty(), qPrintable(inDatabase.join(u' ')));
        verifyNowhereOnDisk(QString::fromLatin1(password));
    }

    void smtpPasswordFromTheKeychain()
    {
        const QString user = QStringLiteral("alice"), password = QStringLiteral("smtp-kc-Pw4e");
        QTemporaryDir dir;
        SmtpServer server(dir.filePath(QStringLiteral("smtp")), {QStringLiteral("--auth"), user + u':' + password});
        QVERIFY(server.port());
        const QString dbPath = dir.filePath(QStringLiteral("mail.sqlite3"));
        {
            auto db = Database::open(dbPath);
            if (!db)
                QFAIL(qPrintable(db.error()));
            Config c(*db);
            QVERIFY(c.set(ConfigKey::EmailBackend, QStringLiteral("smtp")).ok());
            QVERIFY(c.set(ConfigKey::EmailHost, QStringLiteral("127.0.0.1")).ok());
            QVERIFY(c.set(ConfigKey::EmailPort, server.port()).ok());
            QVERIFY(c.set(ConfigKey::EmailHostUser, user).ok());
        }
        const QStringList testEmail{QStringLiteral("--db"), dbPath, QStringLiteral("test-email"), QStringLiteral("--to"),
                                    QStringLiteral("dev@example.com")};
        QList<Run> runs;
        runs << cli(testEmail); // nothing kept yet
        QCOMPARE(runs.last().code, 1);
        QVERIFY2(runs.last().err.contains("No password for alice"), runs.last().err.constData());

        const QString key = QStringLiteral("smtp:alice@127.0.0.1");
        QVERIFY(keep(user, QStringLiteral("127.0.0.1"), password, KeychainPasswords::Account::Smtp));
        verifyKeyringHolds(key, true);
        if (QTest::currentTestFailed())
            return;
        const auto read = KeychainPasswords().smtpPassword(user, QStringLiteral("127.0.0.1")); // as the mailer asks
        if (!read)
            QFAIL(qPrintable(read.error()));
        QCOMPARE(*read, password);

        runs << cli(testEmail);
        QVERIFY2(runs.last().code == 0, (runs.last().out + runs.last().err).constData());
        QCOMPARE(server.messages().size(), 1);
        QCOMPARE(SmtpServer::envelope(server.messages().first()).value(QStringLiteral("auth_login")).toString(), user);

        for (const Run &r : runs)
            QVERIFY2(!r.out.contains(password.toUtf8()) && !r.err.contains(password.toUtf8()), (r.out + r.err).constData());
        const SecretScanner::Report scan = SecretScanner({password}).scan(dbPath); // the send log's transcript too
        QVERIFY(scan.files > 0);
        QVERIFY2(scan.found.isEmpty(), qPrintable(scan.found.join(u'\n')));
        verifyNowhereOnDisk(password);
    }

    void imapPasswordFromTheKeychain()
    {
        DovecotServer server;
        QVERIFY2(server.ok(), qPrintable(server.error()));
        QVERIFY(server.append(QStringLiteral("INBOX"), imapErrorMail(QStringLiteral("Keychain"), 1)));
        QTemporaryDir dir;
        const QString dbPath = dir.filePath(QStringLiteral("imap.sqlite3"));
        const QString mailbox = server.url(QStringLiteral("INBOX"));
        const QStringList import{QStringLiteral("import"),         QStringLiteral("--db"), dbPath,
                                 QStringLiteral("--imap-ca-file"), server.caFile(),        mailbox};
        const QByteArray password(DovecotServer::kPassword);
        QList<Run> runs;
        runs << cli(import); // nothing kept yet
        QCOMPARE(runs.last().code, 1);
        QVERIFY2(runs.last().err.contains("no password: set ERRORDECK_IMAP_PASSWORD or keep it in the keychain"),
                 runs.last().err.constData());

        QVERIFY(keep(QString::fromLatin1(DovecotServer::kUser), QStringLiteral("127.0.0.1"), QString::fromLatin1(password),
                     KeychainPasswords::Account::Imap));
        verifyKeyringHolds(QStringLiteral("imap:errors@127.0.0.1"), true);
        if (QTest::currentTestFailed())
            return;

        runs << cli(import);
        QVERIFY2(runs.last().code == 0, (runs.last().out + runs.last().err).constData());
        QVERIFY2(runs.last().out.contains((mailbox + QStringLiteral(": 1 messages, 1 stored")).toUtf8()),
                 runs.last().out.constData());

        for (const Run &r : runs)
            QVERIFY2(!r.out.contains(password) && !r.err.contains(password), (r.out + r.err).constData());
        const SecretScanner::Report scan = SecretScanner({QString::fromLatin1(password)}).scan(dbPath);
        QVERIFY2(scan.found.isEmpty(), qPrintable(scan.found.join(u'\n')));
        verifyNowhereOnDisk(QString::fromLatin1(password));
    }
};

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
