// IMAP IDLE (core/imap/ImapIdle.h) against a real Dovecot
// (tests/support/ImapSupport.h): errordeck-cli watch with a poll interval of
// 10 minutes stores a message APPENDed while it runs, so only IDLE can have
// woken it; a Dovecot whose CAPABILITY leaves IDLE out is polled instead; the
// IDLE connection refuses an untrusted certificate, names a missing folder,
// and reports a change of the folder; a dropped IDLE connection is said,
// with the wait before it is made again.
#include "ImapSupport.h"
#include "TestSupport.h"

#include "imap/ImapIdle.h"
#include "imap/MailboxPoller.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <csignal>

using namespace edtest;
using namespace ed;

namespace {

// A loaded 2-core machine: generous, never a speed bound. A 10-minute poll
// interval is ten times this: a message stored within it was not polled for.
constexpr int kTimeoutMs = 60000;

int64_t reportsIn(const QString &path)
{
    auto db = Database::open(path);
    return db ? scalar(*db, "SELECT count(*) FROM reports") : -1;
}

QByteArray idleMail(int n) { return imapErrorMail(QStringLiteral("Idle test"), n); }

// errordeck-cli watch of INBOX on `server`, polling every `interval` seconds.
struct Watch {
    QProcess proc;
    QString out, err;

    Watch(const DovecotServer &server, const QString &dbPath, const QString &interval)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ERRORDECK_IMAP_PASSWORD"), QString::fromLatin1(DovecotServer::kPassword));
        proc.setProcessEnvironment(env);
        proc.start(QStringLiteral(ERRORDECK_CLI),
                   {QStringLiteral("watch"), QStringLiteral("--db"), dbPath, QStringLiteral("--imap-ca-file"), server.caFile(),
                    QStringLiteral("--imap-interval"), interval, server.url(QStringLiteral("INBOX"))});
    }
    ~Watch()
    {
        if (proc.state() != QProcess::NotRunning) {
            proc.kill();
            proc.waitForFinished(kTimeoutMs);
        }
    }
    const QString &read()
    {
        out += QString::fromUtf8(proc.readAllStandardOutput());
        err += QString::fromUtf8(proc.readAllStandardError());
        return out;
    }
    bool stop()
    {
        ::kill(pid_t(proc.processId()), SIGTERM);
        const bool ended = proc.waitForFinished(kTimeoutMs);
        read();
        return ended && proc.exitCode() == 0;
    }
};

} // namespace

class TestImapIdle : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void idleFetchesAMessageAsItArrives()
    {
        DovecotServer server;
        QVERIFY2(server.ok(), qPrintable(server.error()));
        QTemporaryDir dir;
        const QString dbPath = dir.filePath(QStringLiteral("db.sqlite3"));
        Watch watch(server, dbPath, QStringLiteral("600"));
        QVERIFY(watch.proc.waitForStarted());
        // The first poll (an empty folder) and the IDLE connection in place.
        QTRY_VERIFY2_WITH_TIMEOUT(watch.read().contains(QStringLiteral("waiting with IDLE")), qPrintable(watch.out + watch.err),
                                  kTimeoutMs);
        QVERIFY(server.append(QStringLiteral("INBOX"), idleMail(1)));
        QTRY_VERIFY_WITH_TIMEOUT(reportsIn(dbPath) == 1, kTimeoutMs);
        // Again on the same IDLE connection (IDLE, DONE, IDLE).
        QVERIFY(server.append(QStringLiteral("INBOX"), idleMail(2)));
        QTRY_VERIFY_WITH_TIMEOUT(reportsIn(dbPath) == 2, kTimeoutMs);
        // Stopped at once although IDLE waits up to 29 minutes.
        QVERIFY2(watch.stop(), qPrintable(watch.out + watch.err));
        QVERIFY2(watch.out.contains(QStringLiteral("1 messages, 1 stored")), qPrintable(watch.out));
        QCOMPARE(reportsIn(dbPath), int64_t(2));
    }

    void serverWithoutIdleIsPolled()
    {
        DovecotServer server(DovecotServer::Options{false});
        QVERIFY2(server.ok(), qPrintable(server.error()));
        QTemporaryDir dir;
        const QString dbPath = dir.filePath(QStringLiteral("db.sqlite3"));
        Watch watch(server, dbPath, QStringLiteral("0.3"));
        QVERIFY(watch.proc.waitForStarted());
        const QString says = QStringLiteral("IMAP server 127.0.0.1:%1 offers no IDLE: polling every 0.3 s")
                                 .arg(server.imapsPort());
        QTRY_VERIFY2_WITH_TIMEOUT(watch.read().contains(says), qPrintable(watch.out + watch.err), kTimeoutMs);
        QVERIFY(server.append(QStringLiteral("INBOX"), idleMail(1)));
        QTRY_VERIFY_WITH_TIMEOUT(reportsIn(dbPath) == 1, kTimeoutMs);
        QVERIFY2(watch.stop(), qPrintable(watch.out + watch.err));
        QVERIFY2(!watch.out.contains(QStringLiteral("waiting with IDLE")), qPrintable(watch.out));
        QVERIFY2(!watch.err.contains(QStringLiteral("IDLE")), qPrintable(watch.err)); // no IDLE tried again
    }

    void idleConnectionChecksAndReports()
    {
        DovecotServer server;
        QVERIFY2(server.ok(), qPrintable(server.error()));
        const QString where = QStringLiteral("127.0.0.1:%1").arg(server.imapsPort());
        MailboxSettings s = mailboxSettings(server, server.url(QStringLiteral("INBOX")));

        ImapOptions untrusted = s.imap;
        untrusted.caFile.clear();
        auto refused = ImapIdle(untrusted).open();
        QVERIFY(!refused);
        QVERIFY2(refused.error().contains(
                     QStringLiteral("IMAP server %1: TLS refused, its certificate could not be verified").arg(where)),
                 qPrintable(refused.error()));

        ImapOptions nope = s.imap;
        nope.url.folder = QStringLiteral("Nope");
        auto missing = ImapIdle(nope).open();
        QVERIFY(!missing);
        QCOMPARE(missing.errorKind(), ErrorKind::NotFound);
        QVERIFY2(missing.error().startsWith(QStringLiteral("IMAP server %1: no folder 'Nope' for user 'errors'").arg(where)),
                 qPrintable(missing.error()));

        ImapIdle idle(s.imap);
        auto offered = idle.open();
        QVERIFY2(offered, qPrintable(offered ? QString() : offered.error()));
        QVERIFY(*offered);
        // Nothing new: the wait ends without a change.
        auto quiet = idle.waitForChange(300);
        QVERIFY2(quiet, qPrintable(quiet ? QString() : quiet.error()));
        QVERIFY(!*quiet);
        // A message appended while the folder is open is a change, told in the next IDLE.
        QVERIFY(server.append(QStringLiteral("INBOX"), idleMail(1)));
        auto changed = idle.waitForChange(kTimeoutMs);
        QVERIFY2(changed, qPrintable(changed ? QString() : changed.error()));
        QVERIFY(*changed);

        QVERIFY(isFolderChange("* 3 EXISTS"));
        QVERIFY(isFolderChange("* 1 expunge"));
        QVERIFY(!isFolderChange("* OK Still here"));
        QVERIFY(!isFolderChange("* 3 FETCH (FLAGS (\\Seen))"));
    }

    void droppedIdleConnectionIsSaidAndRetried()
    {
        auto server = std::make_unique<DovecotServer>();
        QVERIFY2(server->ok(), qPrintable(server->error()));
        QTemporaryDir dir;
        const QString dbPath = dir.filePath(QStringLiteral("db.sqlite3"));
        QVERIFY(Database::open(dbPath));
        const int intervalMs = 600'000;
        MailboxPoller poller(dbPath, {mailboxSettings(*server, server->url(QStringLiteral("INBOX")))}, intervalMs);
        QSignalSpy idle(&poller, &MailboxPoller::idleChanged);
        poller.start();
        QTRY_VERIFY_WITH_TIMEOUT(!idle.isEmpty(), kTimeoutMs);
        QCOMPARE(idle[0][1].toBool(), true);
        server->stop(); // Dovecot ends its connections
        QTRY_VERIFY_WITH_TIMEOUT(idle.size() >= 2, kTimeoutMs);
        QCOMPARE(idle[1][1].toBool(), false);
        const QString why = idle[1][2].toString();
        QVERIFY2(why.contains(QStringLiteral("IMAP server 127.0.0.1:%1").arg(server->imapsPort())), qPrintable(why));
        QCOMPARE(idle[1][3].toInt(), MailboxPoller::backoffMs(intervalMs, 1));
        QVERIFY(poller.stop(kTimeoutMs)); // in the backoff's wait: at once
    }
};

QTEST_GUILESS_MAIN(TestImapIdle)
#include "tst_imap_idle.moc"
