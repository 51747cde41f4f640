// The receiver under load. A flood of connections (core/receive/ConnectionQueue.h):
// with its one thread held by a client that never finishes its request and its
// queue full, every further connection is answered 429 with Retry-After and
// X-Sentry-Rate-Limits at once, the queue never holds more than its bound,
// and the connections that were queued are still served once the thread is free.
// Concurrent requests: each HTTP thread prepares (scrubs) with its own copy of
// the filters (ReceiveWriter::offer), and every event is stored, none of their
// secrets with them.
#include "SecretScanner.h"
#include "TestSupport.h"

#include "receive/ReceiveWriter.h"
#include "receive/Receiver.h"
#include "store/SiteStore.h"

#include <QDeadlineTimer>
#include <QThread>

#include <atomic>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

using namespace edtest;
using namespace ed;

namespace {

constexpr size_t kQueued = 4, kOverflow = 8;

// A connected socket to 127.0.0.1:port with a 20 s receive timeout, or -1.
int connectTo(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{20, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(uint16_t(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool sendAll(int fd, const QByteArray &data)
{
    for (qsizetype at = 0; at < data.size();) {
        const ssize_t n = ::send(fd, data.constData() + at, size_t(data.size() - at), MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        at += n;
    }
    return true;
}

// The answer's head and Content-Length of body (empty after the timeout).
QByteArray answerOf(int fd)
{
    QByteArray out;
    char buf[4096];
    for (;;) {
        const qsizetype head = out.indexOf("\r\n\r\n");
        if (head >= 0) {
            const QByteArray lower = out.left(head).toLower();
            const qsizetype cl = lower.indexOf("content-length:");
            const qsizetype len = cl < 0 ? 0 : lower.mid(cl + 15, lower.indexOf('\r', cl) - cl - 15).trimmed().toLongLong();
            if (out.size() >= head + 4 + len)
                break;
        }
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        out.append(buf, qsizetype(n));
    }
    return out;
}

int statusOf(const QByteArray &answer) { return answer.startsWith("HTTP/1.1 ") ? answer.mid(9, 3).toInt() : 0; }

QByteArray headerOf(const QByteArray &answer, const QByteArray &name)
{
    for (const QByteArray &line : answer.left(answer.indexOf("\r\n\r\n")).split('\n'))
        if (line.toLower().startsWith(name.toLower() + ':'))
            return line.mid(name.size() + 1).trimmed();
    return {};
}

// The test's sockets, closed however it ends (a failed check returns early).
struct Sockets {
    std::vector<int> fds;
    int add(int fd)
    {
        fds.push_back(fd);
        return fd;
    }
    ~Sockets()
    {
        for (int fd : fds)
            if (fd >= 0)
                ::close(fd);
    }
};

bool waitFor(const std::function<bool()> &done)
{
    QDeadlineTimer deadline(20000);
    while (!done() && !deadline.hasExpired())
        QThread::msleep(2);
    return done();
}

} // namespace

class TestReceiverFlood : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void floodOfConnections()
    {
        QTemporaryDir dir;
        const QString dbPath = edtest::testDatabaseLocation(dir, QStringLiteral("flood.sqlite3"));
        Site site;
        {
            auto db = Database::open(dbPath);
            QVERIFY(db);
            auto s = SiteStore(*db).add(QStringLiteral("shop"));
            QVERIFY(s);
            site = *s;
            QVERIFY(db->close());
        }
        receive::ReceiveWriter writer(dbPath, 1000, 1);
        QVERIFY(writer.start());
        receive::ReceiverLimits limits;
        limits.threads = 1;
        limits.readTimeoutSeconds = 60; // the holder keeps its thread for the whole test
        limits.maxQueuedConnections = kQueued;
        limits.maxOverflowConnections = kOverflow;
        receive::Receiver receiver(writer, limits);
        receiver.setSites({site});
        QVERIFY(receiver.start(QStringLiteral("127.0.0.1"), 0));
        const int port = receiver.port();
        const receive::ReceiverStats &stats = receiver.stats();

        const QByteArray event = readFile(QStringLiteral(ERRORDECK_TEST_DATA "/sentry/python-1.9.10-store-event.json"));
        QVERIFY(!event.isEmpty());
        const QByteArray request = "POST /api/" + QByteArray::number(site.number) +
                                   "/store/?sentry_key=" + site.publicKey.toLatin1() +
                                   " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + QByteArray::number(event.size()) +
                                   "\r\nConnection: close\r\n\r\n" + event;

        Sockets sockets; // declared after the receiver: closed before it stops
        // The one thread, held by a request whose head never ends.
        const int holder = sockets.add(connectTo(port));
        QVERIFY(holder >= 0);
        QVERIFY(sendAll(holder, "POST /api/1/store/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
        QVERIFY(waitFor([&] { return stats.busyThreads == 1; }));
        // The queue filled: these wait for the thread.
        std::vector<int> queued;
        for (size_t i = 0; i < kQueued; ++i) {
            queued.push_back(sockets.add(connectTo(port)));
            QVERIFY(queued.back() >= 0 && sendAll(queued.back(), request));
        }
        QVERIFY(waitFor([&] { return stats.queuedConnections == int64_t(kQueued); }));

        // The flood: many more connections at once, far more than the overflow
        // thread's queue holds; every one is told to come back in a second.
        constexpr int kFlood = 200;
        std::vector<int> flood;
        for (int i = 0; i < kFlood; ++i) {
            flood.push_back(sockets.add(connectTo(port)));
            QVERIFY(flood.back() >= 0 && sendAll(flood.back(), request));
        }
        int throttled = 0;
        for (int fd : flood) {
            const QByteArray answer = answerOf(fd);
            QVERIFY2(statusOf(answer) == 429, answer.constData());
            QCOMPARE(headerOf(answer, "Retry-After"), QByteArray("1"));
            QVERIFY(!headerOf(answer, "X-Sentry-Rate-Limits").isEmpty());
            ++throttled;
        }
        QCOMPARE(throttled, kFlood);
        QCOMPARE(stats.overflowedConnections.load(), int64_t(kFlood));
        // Memory bounded: never more connections waiting than the bound.
        QCOMPARE(stats.peakQueuedConnections.load(), int64_t(kQueued));
        QCOMPARE(stats.busyThreads.load(), int64_t(1));

        // The thread freed: the queued requests are served and stored.
        ::shutdown(holder, SHUT_RDWR);
        for (int fd : queued) {
            const QByteArray answer = answerOf(fd);
            QVERIFY2(statusOf(answer) == 200, answer.constData());
        }
        receiver.stop();
        writer.stop();
        auto db = Database::open(dbPath);
        QVERIFY(db);
        // The four were one event sent four times: one report (the rest duplicates of its event_id).
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports"), int64_t(1));
        QCOMPARE(stats.events.load(), int64_t(kQueued));
    }

    void concurrentRequestsScrubbedAndStored()
    {
        QTemporaryDir dir;
        const QString dbPath = edtest::testDatabaseLocation(dir, QStringLiteral("many.sqlite3"));
        Site site;
        {
            auto db = Database::open(dbPath);
            QVERIFY(db);
            auto s = SiteStore(*db).add(QStringLiteral("shop"));
            QVERIFY(s);
            site = *s;
            QVERIFY(db->close());
        }
        receive::ReceiveWriter writer(dbPath, 10000, 4);
        std::atomic<int> stored{0};
        writer.setStoredHandler([&](const std::vector<receive::StoredEvent> &b) {
            for (const receive::StoredEvent &e : b)
                stored += e.reportId > 0 ? 1 : 0;
        });
        QVERIFY(writer.start());
        receive::ReceiverLimits limits;
        limits.threads = 4;
        receive::Receiver receiver(writer, limits);
        receiver.setSites({site});
        QVERIFY(receiver.start(QStringLiteral("127.0.0.1"), 0));

        // One event per request, each with its own id and its own secrets.
        const QJsonObject base = QJsonDocument::fromJson(
                                     readFile(QStringLiteral(ERRORDECK_TEST_DATA "/sentry/python-1.9.10-store-event.json")))
                                     .object();
        QVERIFY(!base.isEmpty());
        constexpr int kClients = 8, kEach = 25;
        QStringList secrets;
        std::vector<QByteArray> requests;
        for (int i = 0; i < kClients * kEach; ++i) {
            QJsonObject e = base;
            e[QLatin1String("event_id")] = QStringLiteral("%1").arg(i, 32, 16, QLatin1Char('0'));
            const QString password = QStringLiteral("pw-many-%1-x9").arg(i);
            const QString token = QStringLiteral("tok-many-%1-y8").arg(i);
            secrets << password << token;
            e[QLatin1String("extra")] = QJsonObject{{QStringLiteral("password"), password}};
            e[QLatin1String("request")] = QJsonObject{
                {QStringLiteral("method"), QStringLiteral("GET")},
                {QStringLiteral("url"), QStringLiteral("http://shop.example.com/x")},
                {QStringLiteral("headers"), QJsonObject{{QStringLiteral("Authorization"), QStringLiteral("Bearer ") + token}}}};
            const QByteArray body = QJsonDocument(e).toJson(QJsonDocument::Compact);
            requests.push_back("POST /api/" + QByteArray::number(site.number) +
                               "/store/?sentry_key=" + site.publicKey.toLatin1() +
                               " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + QByteArray::number(body.size()) +
                               "\r\nConnection: close\r\n\r\n" + body);
        }
        std::atomic<int> ok{0};
        std::vector<std::thread> clients;
        for (int c = 0; c < kClients; ++c)
            clients.emplace_back([&, c] {
                for (int i = c * kEach; i < (c + 1) * kEach; ++i) {
                    const int fd = connectTo(receiver.port());
                    if (fd < 0)
                        continue;
                    if (sendAll(fd, requests[size_t(i)]) && statusOf(answerOf(fd)) == 200)
                        ++ok;
                    ::close(fd);
                }
            });
        for (std::thread &t : clients)
            t.join();
        QCOMPARE(ok.load(), kClients * kEach);
        receiver.stop();
        writer.stop();
        QCOMPARE(stored.load(), kClients * kEach);
        {
            auto db = Database::open(dbPath);
            QVERIFY(db);
            QCOMPARE(scalar(*db, "SELECT count(*) FROM reports"), int64_t(kClients * kEach));
            QVERIFY(db->close());
        }
        const SecretScanner::Report rep = SecretScanner(secrets).scan(dbPath);
        QVERIFY(rep.values > 0);
        QVERIFY2(rep.found.isEmpty(), qPrintable(rep.found.mid(0, 5).join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestReceiverFlood)
#include "tst_receiver_flood.moc"
