// Django's error e-mails read from an IMAP mailbox (core/imap) against a real
// Dovecot started by the test (tests/support/ImapSupport.h): the corpus
// appended with IMAP APPEND stores the same reports as the files; later runs
// fetch only new UIDs; a recreated folder (new UIDVALIDITY) is read again
// without storing anything twice; the after-import actions; a wrong password,
// an untrusted certificate, a refused connection, a missing folder and a
// message that does not parse each fail with a message naming the server or
// the UID; errordeck-cli import and watch.
#include "ImapSupport.h"
#include "SecretScanner.h"
#include "SmtpSupport.h"
#include "TestSupport.h"
#include "store/sqlite/Sqlite.h"

#include "imap/ImapUrl.h"
#include "imap/MailboxImporter.h"
#include "imap/MailboxPoller.h"
#include "import/ImportFilters.h"
#include "store/MailboxStore.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <csignal>

using namespace edtest;
using namespace ed;

namespace {

// A loaded 2-core machine: generous, never a speed bound. QTRY waits twice this on a
// failure, within QtTest's 300 s per test function.
constexpr int kTimeoutMs = 60000;

// What identifies each stored report and what the import made of it, one line each, sorted.
QStringList reportLines(Database &db)
{
    Statement st = connectionOf(db).prepare(
        "SELECT coalesce(r.event_id, ''), r.message, r.level, coalesce(r.exception_type, ''), coalesce(r.path, ''),"
        " coalesce(r.status_code, 0), coalesce(r.hidden_by, ''), hex(i.fingerprint)"
        " FROM reports r JOIN issues i ON i.id = r.issue_id ORDER BY 1");
    QStringList out;
    while (st.step()) {
        QStringList cols;
        for (int c = 0; c < 8; ++c)
            cols << st.qtext(c);
        out << cols.join(u'|');
    }
    return out;
}

// Reports in the database at `path`, through a connection of its own; -1 when it cannot be opened.
int64_t reportsIn(const QString &path)
{
    auto db = Database::open(path);
    return db ? scalar(*db, "SELECT count(*) FROM reports") : -1;
}

} // namespace

class TestImap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void urls()
    {
        auto u = ImapUrl::parse(QStringLiteral("imaps://ann%40example.com@mail.example.com/Django%20errors"));
        QVERIFY2(u, qPrintable(u ? QString() : u.error()));
        QCOMPARE(u->user, QStringLiteral("ann@example.com"));
        QCOMPARE(u->host, QStringLiteral("mail.example.com"));
        QCOMPARE(u->port, 993);
        QCOMPARE(u->folder, QStringLiteral("Django errors"));
        QCOMPARE(u->security, ImapUrl::Security::Tls);
        QCOMPARE(u->toString(), QStringLiteral("imaps://ann%40example.com@mail.example.com:993/Django%20errors"));
        auto s = ImapUrl::parse(QStringLiteral("IMAP://bob@10.0.0.1:1143/INBOX/Errors"));
        QVERIFY(s);
        QCOMPARE(s->security, ImapUrl::Security::StartTls);
        QCOMPARE(s->port, 1143);
        QCOMPARE(s->folder, QStringLiteral("INBOX/Errors"));
        auto defaultPort = ImapUrl::parse(QStringLiteral("imap://bob@host/INBOX"));
        QCOMPARE(defaultPort->port, 143);
        // A password in the URL is refused, and the message does not repeat it.
        auto pw = ImapUrl::parse(QStringLiteral("imaps://bob:hunter2@host/INBOX"));
        QVERIFY(!pw);
        QVERIFY2(pw.error().contains(QStringLiteral("password in the URL")), qPrintable(pw.error()));
        QVERIFY(!pw.error().contains(QStringLiteral("hunter2")));
        for (const char *bad : {"imaps://host/INBOX", "imaps://bob@host", "imaps://bob@host/", "pop3://bob@host/INBOX",
                                "imaps://bob@host:0/INBOX", "imaps://bob@host/IN;BOX", "imaps://bob@host/INBOX?x=1"})
            QVERIFY2(!ImapUrl::parse(QString::fromLatin1(bad)), bad);
    }

    void corpusFromImapIsTheCorpusFromFiles()
    {
        DovecotServer server;
        QVERIFY2(server.ok(), qPrintable(server.error()));
        const std::vector<QByteArray> messages = corpusMessages();
        QCOMPARE(messages.size(), size_t(69));
        for (const QByteArray &m : messages)
            QVERIFY(server.append(QStringLiteral("INBOX"), m));

        QTemporaryDir dir;
        auto fromFiles = Database::open(testDatabaseLocation(dir, QStringLiteral("files.sqlite3")));
        QVERIFY(fromFiles);
        const ImportSummary files = importFiltered(*fromFiles,
                                                   {corpus(QStringLiteral("eml")), corpus(QStringLiteral("reports.mbox"))});
        QCOMPARE(files.stored, int64_t(69));

        const QString imapPath = testDatabaseLocation(dir, QStringLiteral("imap.sqlite3"));
        auto db = Database::open(imapPath);
        QVERIFY(db);
        const MailboxSummary s = importMailbox(*db, mailboxSettings(server, server.url(QStringLiteral("INBOX"))));
        QVERIFY2(s.serverError.isEmpty() && s.import.problems.empty(), qPrintable(mailboxProblems(s)));
        QCOMPARE(s.fetched, int64_t(69));
        QCOMPARE(s.import.stored, int64_t(69));
        QCOMPARE(s.import.rejected, int64_t(0));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports"), int64_t(69));
        // The same reports, hidden by the same rules, in the same issues.
        const QStringList want = reportLines(*fromFiles), got = reportLines(*db);
        QCOMPARE(got.size(), want.size());
        for (qsizetype i = 0; i < want.size(); ++i)
            QCOMPARE(got[i], want[i]);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM issues"), scalar(*fromFiles, "SELECT count(*) FROM issues"));
        // Where the mailbox stands: the last UID the server gave (69 messages appended to a new folder).
        const auto uids = server.search(QStringLiteral("INBOX"));
        QVERIFY(uids);
        auto pos = MailboxStore(*db).find(server.url(QStringLiteral("INBOX")));
        QVERIFY(pos && *pos);
        QCOMPARE((*pos)->lastUid, uint32_t(uids->back()));
        // Left as it was: what was unread (nothing: APPEND marks \Seen) stays so; nothing moved.
        QCOMPARE(server.search(QStringLiteral("INBOX"))->size(), size_t(69));

        // A second run fetches nothing; a new message is fetched alone.
        const MailboxSummary again = importMailbox(*db, mailboxSettings(server, server.url(QStringLiteral("INBOX"))));
        QVERIFY2(again.serverError.isEmpty(), qPrintable(again.serverError));
        QCOMPARE(again.fetched, int64_t(0));
        QVERIFY(server.append(QStringLiteral("INBOX"), imapErrorMail(QStringLiteral("Imap test"), 1)));
        const MailboxSummary third = importMailbox(*db, mailboxSettings(server, server.url(QStringLiteral("INBOX"))));
        QCOMPARE(third.fetched, int64_t(1));
        QCOMPARE(third.import.stored, int64_t(1));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports"), int64_t(70));

        // The corpus's request secrets went through the same scrubbing: none on disk.
        db = Result<Database>(Error{});
        const SecretScanner::Report scan = SecretScanner(corpusSecrets()).scan(imapPath);
        QVERIFY2(scan.found.isEmpty(), qPrintable(scan.found.join(u'\n')));
        QVERIFY(scan.values > 0);
        // Nor the IMAP password.
        const SecretScanner::Report pw = SecretScanner({QString::fromLatin1(DovecotServer::kPassword)}).scan(imapPath);
        QVERIFY2(pw.found.isEmpty(), qPrintable(pw.found.join(u'\n')));
    }

    void changedUidValidityReadsAgainAndStoresNothingTwice()
    {
        DovecotServer server;
        QVERIFY2(server.ok(), qPrintable(server.error()));
        const QString folder = QStringLiteral("Django");
        QVERIFY(server.create(folder));
        for (int i = 1; i <= 3; ++i)
            QVERIFY(server.append(folder, imapErrorMail(QStringLiteral("Imap test"), i)));
        QTemporaryDir dir;
        auto db = Database::open(testDatabaseLocation(dir, QStringLiteral("db.sqlite3")));
        QVERIFY(db);
        const MailboxSummary first = importMailbox(*db, mailboxSettings(server, server.url(folder)));
        QCOMPARE(first.import.stored, int64_t(3));
        QVERIFY(!first.uidValidityChanged);

        // The folder deleted and made again: new UIDVALIDITY, UIDs from 1 again.
        QVERIFY(server.remove(folder));
        QVERIFY(server.create(folder));
        for (int i = 1; i <= 4; ++i)
            QVERIFY(server.append(folder, imapErrorMail(QStringLiteral("Imap test"), i)));
        const MailboxSummary second = importMailbox(*db, mailboxSettings(server, server.url(folder)));
        QVERIFY2(second.serverError.isEmpty(), qPrintable(second.serverError));
        QVERIFY(second.uidValidityChanged);
        QVERIFY(second.uidValidity != first.uidValidity);
        QCOMPARE(second.fetched, int64_t(4));
        QCOMPARE(second.import.duplicates, int64_t(3));
        QCOMPARE(second.import.stored, int64_t(1));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports"), int64_t(4));
        auto pos = MailboxStore(*db).find(server.url(folder));
        QCOMPARE((*pos)->uidValidity, second.uidValidity);
        QCOMPARE((*pos)->lastUid, uint32_t(4));
    }

    void afterImportActions()
    {
        DovecotServer server;
        QVERIFY2(server.ok(), qPrintable(server.error()));
        QTemporaryDir dir;
        auto db = Database::open(testDatabaseLocation(dir, QStringLiteral("db.sqlite3")));
        QVERIFY(db);
        for (const char *f : {"Leave", "Read", "Move", "Done"})
            QVERIFY(server.create(QString::fromLatin1(f)));
        int n = 0;
        for (const char *f : {"Leave", "Read", "Move"}) {
            for (int i = 0; i < 2; ++i)
                QVERIFY(server.append(QString::fromLatin1(f), imapErrorMail(QStringLiteral("Imap test"), ++n)));
            QVERIFY(server.markAllUnread(QString::fromLatin1(f)));
        }

        // Leave: fetching set \Seen (libcurl fetches BODY[]); it is taken back.
        MailboxSettings leave = mailboxSettings(server, server.url(QStringLiteral("Leave")));
        QCOMPARE(importMailbox(*db, leave).import.stored, int64_t(2));
        QCOMPARE(server.search(QStringLiteral("Leave"), "UNSEEN")->size(), size_t(2));

        MailboxSettings read = mailboxSettings(server, server.url(QStringLiteral("Read")));
        read.after = AfterImport::MarkRead;
        QCOMPARE(importMailbox(*db, read).import.stored, int64_t(2));
        QCOMPARE(server.search(QStringLiteral("Read"), "UNSEEN")->size(), size_t(0));
        QCOMPARE(server.search(QStringLiteral("Read"))->size(), size_t(2));

        MailboxSettings move = mailboxSettings(server, server.url(QStringLiteral("Move")));
        move.after = AfterImport::Move;
        move.moveToFolder = QStringLiteral("Done");
        const MailboxSummary moved = importMailbox(*db, move);
        QVERIFY2(moved.import.problems.empty(), qPrintable(mailboxProblems(moved)));
        QCOMPARE(moved.import.stored, int64_t(2));
        QCOMPARE(server.search(QStringLiteral("Move"))->size(), size_t(0));
        QCOMPARE(server.search(QStringLiteral("Done"))->size(), size_t(2));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports"), int64_t(6));
        // A message left alone by the sender filter is neither imported nor moved.
        QVERIFY(server.append(
            QStringLiteral("Move"),
            "From: someone@else.example\r\nSubject: [Shop] ERROR: not ours\r\nMessage-ID: <other@x>\r\n\r\nhi\r\n"));
        move.onlyFromServerEmail = QStringLiteral("Shop errors <errors@shop.example.com>");
        const MailboxSummary filtered = importMailbox(*db, move);
        QCOMPARE(filtered.fetched, int64_t(1));
        QCOMPARE(filtered.filteredOut, int64_t(1));
        QCOMPARE(filtered.import.stored, int64_t(0));
        QCOMPARE(server.search(QStringLiteral("Move"))->size(), size_t(1));
    }

    void badMessageIsNamedAndTheRestImported()
    {
        DovecotServer server;
        QVERIFY2(server.ok(), qPrintable(server.error()));
        QVERIFY(server.append(QStringLiteral("INBOX"), imapErrorMail(QStringLiteral("Imap test"), 1)));
        QVERIFY(server.append(QStringLiteral("INBOX"), "X-Nothing: here\r\n\r\nno subject, sender, date or id\r\n"));
        QVERIFY(server.append(QStringLiteral("INBOX"), imapErrorMail(QStringLiteral("Imap test"), 2)));
        QTemporaryDir dir;
        auto db = Database::open(testDatabaseLocation(dir, QStringLiteral("db.sqlite3")));
        QVERIFY(db);
        const MailboxSummary s = importMailbox(*db, mailboxSettings(server, server.url(QStringLiteral("INBOX"))));
        QVERIFY2(s.serverError.isEmpty(), qPrintable(s.serverError));
        QCOMPARE(s.import.stored, int64_t(2));
        QCOMPARE(s.import.rejected, int64_t(1));
        QCOMPARE(s.import.problems.size(), size_t(1));
        QCOMPARE(s.import.problems[0].file,
                 server.url(QStringLiteral("INBOX")).replace(QStringLiteral("/INBOX"), QStringLiteral("/INBOX")));
        QVERIFY2(s.import.problems[0].reason.startsWith(QStringLiteral("message UID 2: not an e-mail message")),
                 qPrintable(s.import.problems[0].reason));
        // Passed over for good: the next run does not fetch it again.
        QCOMPARE(importMailbox(*db, mailboxSettings(server, server.url(QStringLiteral("INBOX")))).fetched, int64_t(0));
    }

    void failuresNameTheServer()
    {
        DovecotServer server;
        QVERIFY2(server.ok(), qPrintable(server.error()));
        QVERIFY(server.append(QStringLiteral("INBOX"), imapErrorMail(QStringLiteral("Imap test"), 1)));
        QTemporaryDir dir;
        auto db = Database::open(testDatabaseLocation(dir, QStringLiteral("db.sqlite3")));
        QVERIFY(db);
        const QString where = QStringLiteral("127.0.0.1:%1").arg(server.imapsPort());

        MailboxSettings wrong = mailboxSettings(server, server.url(QStringLiteral("INBOX")));
        wrong.imap.password = QStringLiteral("not-the-password");
        const MailboxSummary denied = importMailbox(*db, wrong);
        QVERIFY2(denied.serverError.contains(QStringLiteral("IMAP server %1 refused the login of user 'errors'").arg(where)),
                 qPrintable(denied.serverError));
        QVERIFY(!denied.serverError.contains(QStringLiteral("not-the-password")));

        MailboxSettings untrusted = mailboxSettings(server, server.url(QStringLiteral("INBOX")));
        untrusted.imap.caFile.clear();
        const MailboxSummary tls = importMailbox(*db, untrusted);
        QVERIFY2(tls.serverError.contains(
                     QStringLiteral("IMAP server %1: TLS refused, its certificate could not be verified").arg(where)),
                 qPrintable(tls.serverError));

        const MailboxSummary missing = importMailbox(*db, mailboxSettings(server, server.url(QStringLiteral("Nope"))));
        QVERIFY2(missing.serverError.startsWith(QStringLiteral("IMAP server %1: no folder 'Nope' for user 'errors'").arg(where)),
                 qPrintable(missing.serverError));

        MailboxSettings refused = mailboxSettings(server, server.url(QStringLiteral("INBOX")));
        refused.imap.url.port = unusedLoopbackPort();
        const MailboxSummary off = importMailbox(*db, refused);
        QVERIFY2(
            off.serverError.contains(QStringLiteral("IMAP server 127.0.0.1:%1: could not connect").arg(refused.imap.url.port)),
            qPrintable(off.serverError));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports"), int64_t(0));

        // STARTTLS on imap:// works with the same certificate.
        const MailboxSummary startTls = importMailbox(*db, mailboxSettings(server, server.url(QStringLiteral("INBOX"), true)));
        QVERIFY2(startTls.serverError.isEmpty(), qPrintable(startTls.serverError));
        QCOMPARE(startTls.import.stored, int64_t(1));
    }

    void pollerStoresNewMessagesOnceAndBacksOff()
    {
        QCOMPARE(MailboxPoller::backoffMs(1000, 0), 1000);
        QCOMPARE(MailboxPoller::backoffMs(1000, 1), 2000);
        QCOMPARE(MailboxPoller::backoffMs(1000, 3), 8000);
        QCOMPARE(MailboxPoller::backoffMs(1000, 40), MailboxPoller::kMaxBackoffMs);

        DovecotServer server;
        QVERIFY2(server.ok(), qPrintable(server.error()));
        QTemporaryDir dir;
        const QString dbPath = testDatabaseLocation(dir, QStringLiteral("db.sqlite3"));
        QVERIFY(Database::open(dbPath));
        // IDLE on (the default) beside polls every 100 ms: while the IDLE
        // connection opens the still empty INBOX, Dovecot may answer a poll's
        // STATUS with UIDVALIDITY 0, which must not fail the poll (it did, about
        // one run in eight, before ImapSession::status took it as "nothing yet").
        MailboxSettings polled = mailboxSettings(server, server.url(QStringLiteral("INBOX")));
        polled.useIdle = true;
        MailboxPoller poller(dbPath, {polled}, 100);
        int64_t fetched = 0, stored = 0, duplicates = 0;
        QStringList errors;
        connect(&poller, &MailboxPoller::polled, this, [&](const QString &, const MailboxSummary &s, int) {
            fetched += s.fetched;
            stored += s.import.stored;
            duplicates += s.import.duplicates;
            if (!s.serverError.isEmpty())
                errors << s.serverError;
        });
        QSignalSpy polls(&poller, &MailboxPoller::polled);
        poller.start();
        QVERIFY(polls.wait(kTimeoutMs));
        for (int i = 1; i <= 5; ++i) {
            QVERIFY(server.append(QStringLiteral("INBOX"), imapErrorMail(QStringLiteral("Imap test"), i)));
            if (i == 3)
                QVERIFY(polls.wait(kTimeoutMs)); // some arrive between polls
        }
        QTRY_VERIFY_WITH_TIMEOUT(stored == 5, kTimeoutMs);
        // More polls after the last message: nothing fetched again.
        const qsizetype seen = polls.size();
        QTRY_VERIFY_WITH_TIMEOUT(polls.size() >= seen + 3, kTimeoutMs);
        QVERIFY(poller.stop(kTimeoutMs));
        QCOMPARE(fetched, int64_t(5));
        QCOMPARE(duplicates, int64_t(0));
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
        QCOMPARE(reportsIn(dbPath), int64_t(5));
    }

    void cliImportAndWatch()
    {
        DovecotServer server;
        QVERIFY2(server.ok(), qPrintable(server.error()));
        QVERIFY(server.append(QStringLiteral("INBOX"), imapErrorMail(QStringLiteral("Imap test"), 1)));
        QTemporaryDir dir;
        const QString dbPath = testDatabaseLocation(dir, QStringLiteral("db.sqlite3"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ERRORDECK_IMAP_PASSWORD"), QString::fromLatin1(DovecotServer::kPassword));
        const QStringList common{QStringLiteral("--db"), dbPath, QStringLiteral("--imap-ca-file"), server.caFile()};

        QProcess imp;
        imp.setProcessEnvironment(env);
        imp.start(QStringLiteral(ERRORDECK_CLI),
                  QStringList{QStringLiteral("import")} + common + QStringList{server.url(QStringLiteral("INBOX"))});
        QVERIFY(imp.waitForFinished(kTimeoutMs));
        const QString out = QString::fromUtf8(imp.readAllStandardOutput()), err = QString::fromUtf8(imp.readAllStandardError());
        QVERIFY2(imp.exitCode() == 0, qPrintable(out + err));
        QVERIFY2(out.contains(QStringLiteral("%1: 1 messages, 1 stored, 0 skipped as duplicates, 0 rejected")
                                  .arg(server.url(QStringLiteral("INBOX")))),
                 qPrintable(out));

        // Without a password it says where to put one; a wrong one fails with the server's name.
        QProcessEnvironment noPw = env;
        noPw.insert(QStringLiteral("ERRORDECK_IMAP_PASSWORD"), QStringLiteral("wrong"));
        QProcess bad;
        bad.setProcessEnvironment(noPw);
        bad.start(QStringLiteral(ERRORDECK_CLI),
                  QStringList{QStringLiteral("import")} + common + QStringList{server.url(QStringLiteral("INBOX"))});
        QVERIFY(bad.waitForFinished(kTimeoutMs));
        QCOMPARE(bad.exitCode(), 1);
        QVERIFY(QString::fromUtf8(bad.readAllStandardError()).contains(QStringLiteral("refused the login of user 'errors'")));

        // watch: messages appended while it polls are stored once.
        QProcess watch;
        watch.setProcessEnvironment(env);
        watch.start(QStringLiteral(ERRORDECK_CLI),
                    QStringList{QStringLiteral("watch"), QStringLiteral("--imap-interval"), QStringLiteral("0.2"),
                                QStringLiteral("--after-import"), QStringLiteral("mark-read")} +
                        common + QStringList{server.url(QStringLiteral("INBOX"))});
        QVERIFY(watch.waitForStarted());
        for (int i = 2; i <= 4; ++i)
            QVERIFY(server.append(QStringLiteral("INBOX"), imapErrorMail(QStringLiteral("Imap test"), i)));
        QString watchOut;
        QTRY_VERIFY_WITH_TIMEOUT((watchOut += QString::fromUtf8(watch.readAllStandardOutput()), reportsIn(dbPath) == 4),
                                 kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(server.search(QStringLiteral("INBOX"), "UNSEEN")->empty(), kTimeoutMs);
        ::kill(pid_t(watch.processId()), SIGTERM);
        QVERIFY(watch.waitForFinished(kTimeoutMs));
        watchOut += QString::fromUtf8(watch.readAllStandardOutput());
        QVERIFY2(watch.exitCode() == 0, qPrintable(watchOut + QString::fromUtf8(watch.readAllStandardError())));
        QVERIFY2(!watchOut.contains(QRegularExpression(QStringLiteral("[1-9]\\d* skipped as duplicates"))), qPrintable(watchOut));
        QCOMPARE(reportsIn(dbPath), int64_t(4));
        // The password is in no database file.
        const SecretScanner::Report pw = SecretScanner({QString::fromLatin1(DovecotServer::kPassword)}).scan(dbPath);
        QVERIFY2(pw.found.isEmpty(), qPrintable(pw.found.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestImap)
#include "tst_imap.moc"
