// IMAP against a real Dovecot (tests/support/ImapSupport.h), the two things
// tst_imap does not cover: folders whose names are not ASCII (sent in
// modified UTF-7, RFC 3501 §5.1.3, which Dovecot requires and libcurl does
// not do), and a connection that drops while a message is being fetched (a
// TLS proxy of the test, imap_cutting_proxy.py, cuts it after a few bytes of
// one message's answer).
#include "ImapSupport.h"
#include "TestSupport.h"

#include "imap/MailboxConfig.h"
#include "imap/MailboxImporter.h"
#include "imap/MailboxPoller.h"
#include "import/ImportFilters.h"
#include "store/MailboxStore.h"

#include <QTemporaryDir>

using namespace edtest;
using namespace ed;

namespace {

constexpr int kTimeoutMs = 60000; // a loaded 2-core machine: generous, never a speed bound

} // namespace

class TestImapFaults : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The wire names are written out here (not made by the code under test):
    // Größe is "Gr&APYA3w-e" (ö U+00F6, ß U+00DF), エラー is "&MKgw6TD8-".
    void foldersNamedOutsideAscii()
    {
        DovecotServer server;
        QVERIFY2(server.ok(), qPrintable(server.error()));
        const QString german = QStringLiteral("Fehlerberichte/Gr&APYA3w-e"), japanese = QStringLiteral("&MKgw6TD8-");
        QVERIFY(server.create(german));
        QVERIFY(server.create(japanese));
        for (int i = 1; i <= 2; ++i)
            QVERIFY(server.append(german, imapErrorMail(QStringLiteral("Fault test"), i)));
        QTemporaryDir dir;
        auto db = Database::open(dir.filePath(QStringLiteral("db.sqlite3")));
        QVERIFY(db);

        // As the settings hold it: the URL with the name in UTF-8, percent-encoded (RFC 5092).
        const QJsonObject saved{{QStringLiteral("url"), server.url(QStringLiteral("Fehlerberichte/Gr%C3%B6%C3%9Fe"))},
                                {QStringLiteral("after"), QStringLiteral("move")},
                                {QStringLiteral("move_to"), QStringLiteral("エラー")}};
        auto entry = MailboxEntry::fromJson(saved);
        QVERIFY2(entry, qPrintable(entry ? QString() : entry.error()));
        QCOMPARE(entry->url.folder, QStringLiteral("Fehlerberichte/Größe"));
        MailboxSettings s = entry->settings({}, {}, QString::fromLatin1(DovecotServer::kPassword));
        s.imap.caFile = server.caFile();
        const MailboxSummary first = importMailbox(*db, s);
        QVERIFY2(first.serverError.isEmpty() && first.import.problems.empty(), qPrintable(mailboxProblems(first)));
        QCOMPARE(first.import.stored, int64_t(2));
        // Moved to エラー after the import.
        QCOMPARE(server.search(german)->size(), size_t(0));
        QCOMPARE(server.search(japanese)->size(), size_t(2));
        // The position is kept under the Unicode URL: the next run fetches nothing.
        QVERIFY(server.append(german, imapErrorMail(QStringLiteral("Fault test"), 3)));
        const MailboxSummary second = importMailbox(*db, s);
        QVERIFY2(second.serverError.isEmpty(), qPrintable(mailboxProblems(second)));
        QCOMPARE(second.fetched, int64_t(1));
        QCOMPARE(second.import.stored, int64_t(1));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports"), int64_t(3));
        // The folder reads in messages as the user named it, not in its wire form.
        auto missing = importMailbox(*db, mailboxSettings(server, server.url(QStringLiteral("Fehlerberichte/K%C3%A4se"))));
        QVERIFY2(missing.serverError.contains(QStringLiteral("no folder 'Fehlerberichte/Käse'")),
                 qPrintable(missing.serverError));
    }

    // The connection drops while message UID 3 of 5 is being fetched: the poll
    // fails naming the server and the UID, UIDs 1 and 2 are stored, and the
    // next poll (after the backoff) stores 3 to 5 and nothing twice.
    void droppedMidFetch()
    {
        DovecotServer server;
        QVERIFY2(server.ok(), qPrintable(server.error()));
        for (int i = 1; i <= 5; ++i)
            QVERIFY(server.append(QStringLiteral("INBOX"), imapErrorMail(QStringLiteral("Fault test"), i, 40)));
        CuttingImapProxy proxy(server, 3, 200);
        QVERIFY(proxy.port() > 0);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("db.sqlite3"));
        {
            auto db = Database::open(path);
            QVERIFY(db);
        }
        MailboxSettings s = mailboxSettings(server, proxy.url(QStringLiteral("INBOX")));
        // IDLE on (the default): its wake-ups must not cut the backoff short.
        const QString name = s.imap.url.toString();
        MailboxPoller poller(path, {s}, 200);
        std::vector<MailboxSummary> polled;
        std::vector<int> retries;
        connect(&poller, &MailboxPoller::polled, this, [&](const QString &, const MailboxSummary &summary, int retryInMs) {
            polled.push_back(summary);
            retries.push_back(retryInMs);
        });
        poller.start();

        QTRY_VERIFY_WITH_TIMEOUT(polled.size() >= 1, kTimeoutMs);
        const MailboxSummary failed = polled[0];
        QVERIFY(proxy.hasCut());
        QVERIFY2(failed.serverError.contains(QStringLiteral("IMAP server 127.0.0.1:%1").arg(proxy.port())) &&
                     failed.serverError.contains(QStringLiteral("dropped")) &&
                     failed.serverError.contains(QStringLiteral("message UID 3")),
                 qPrintable(failed.serverError));
        QCOMPARE(failed.fetched, int64_t(2));
        QCOMPARE(failed.import.stored, int64_t(2));
        QCOMPARE(failed.lastUid, quint32(2));
        QCOMPARE(retries[0], 400); // backed off: twice the interval
        {
            auto db = Database::open(path);
            QVERIFY(db);
            QCOMPARE(scalar(*db, "SELECT count(*) FROM reports"), int64_t(2));
            auto pos = MailboxStore(*db).find(name);
            QVERIFY(pos && *pos);
            QCOMPARE((*pos)->lastUid, uint32_t(2));
        }

        // The proxy cuts once: the retry goes through.
        QTRY_VERIFY_WITH_TIMEOUT(polled.size() >= 2, kTimeoutMs);
        const MailboxSummary recovered = polled[1];
        QVERIFY2(recovered.serverError.isEmpty(), qPrintable(mailboxProblems(recovered)));
        QCOMPARE(recovered.fetched, int64_t(3)); // UIDs 3 to 5 only
        QCOMPARE(recovered.import.stored, int64_t(3));
        QCOMPARE(recovered.import.duplicates, int64_t(0));
        QCOMPARE(recovered.lastUid, quint32(5));
        QTRY_VERIFY_WITH_TIMEOUT(polled.size() >= 3, kTimeoutMs);
        QCOMPARE(polled[2].fetched, int64_t(0));
        QVERIFY(poller.stop(kTimeoutMs));
        auto db = Database::open(path);
        QVERIFY(db);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports"), int64_t(5));
        QCOMPARE(scalar(*db, "SELECT count(DISTINCT event_id) FROM reports"), int64_t(5));
    }
};

QTEST_GUILESS_MAIN(TestImapFaults)
#include "tst_imap_faults.moc"
