// The Sentry endpoint (core/receive, errordeck-cli serve) with real clients:
// a real Django site reporting through Debian's sentry_sdk (DjangoIntegration)
// to `errordeck-cli serve`, beside ErrorDeck's own handler; the wire captures
// of tests/data/sentry replayed byte for byte; and hand-made bad requests.
#include "ServeFixture.h"
#include "SecretScanner.h"
#include "TestSupport.h"

#include "receive/ReceiveWriter.h"
#include "receive/Receiver.h"
#include "store/ReportStore.h"
#include "store/SiteStore.h"
#include "store/sqlite/Sqlite.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QThread>

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace edtest;
using namespace ed;

namespace {

constexpr int kTimeoutMs = 120000; // a loaded 2-core machine

QByteArray sample(const QString &name) { return readFile(QStringLiteral(ERRORDECK_TEST_DATA "/sentry/") + name); }

// One request over a fresh connection; the whole answer, until the server closes.
QByteArray exchange(int port, const QByteArray &request)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(uint16_t(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0) {
        ::close(fd);
        return {};
    }
    for (qsizetype at = 0; at < request.size();) {
        const ssize_t n = ::send(fd, request.constData() + at, size_t(request.size() - at), MSG_NOSIGNAL);
        if (n <= 0)
            break; // the server may answer (413) and close before the body is all sent
        at += n;
    }
    // Until a final answer (not "100 Continue") and its Content-Length of body are in:
    // httplib answers nothing to a client that half-closed its side.
    QByteArray out;
    char buf[8192];
    for (;;) {
        qsizetype head = 0;
        while ((head = out.indexOf("\r\n\r\n", head)) >= 0 && out.mid(out.lastIndexOf("HTTP/1.1 ", head), 12).endsWith("100"))
            head += 4;
        if (head >= 0) {
            const qsizetype start = out.lastIndexOf("HTTP/1.1 ", head);
            const QByteArray headers = out.mid(start, head - start).toLower();
            const qsizetype cl = headers.indexOf("content-length:");
            const qsizetype len = cl < 0 ? 0 : headers.mid(cl + 15, headers.indexOf('\r', cl) - cl - 15).trimmed().toLongLong();
            if (out.size() >= head + 4 + len)
                break;
        }
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        out.append(buf, qsizetype(n));
    }
    ::close(fd);
    return out;
}

// The final status (after any "100 Continue").
int statusOf(const QByteArray &response)
{
    const qsizetype at = response.lastIndexOf("HTTP/1.1 ");
    return at < 0 ? 0 : response.mid(at + 9, 3).toInt();
}
QByteArray headerOf(const QByteArray &response, const QByteArray &name)
{
    const QByteArray last = response.mid(response.lastIndexOf("HTTP/1.1 "));
    for (const QByteArray &line : last.left(last.indexOf("\r\n\r\n")).split('\n'))
        if (line.toLower().startsWith(name.toLower() + ':'))
            return line.mid(name.size() + 1).trimmed();
    return {};
}
QByteArray bodyOf(const QByteArray &response)
{
    const QByteArray last = response.mid(response.lastIndexOf("HTTP/1.1 "));
    return last.mid(last.indexOf("\r\n\r\n") + 4);
}

// A capture with its key (the SDK was given "publickey") replaced by the site's, in the head only.
QByteArray withKey(QByteArray raw, const QString &key)
{
    const qsizetype head = raw.indexOf("\r\n\r\n");
    QByteArray h = raw.left(head);
    h.replace("publickey", key.toLatin1());
    return h + raw.mid(head);
}

QByteArray post(const QString &path, const QByteArray &body, const QList<QByteArray> &headers)
{
    QByteArray r = "POST " + path.toLatin1() +
                   " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    for (const QByteArray &h : headers)
        r += h + "\r\n";
    return r + "\r\n" + body;
}

// A database with one site, a writer and a receiver on a free loopback port.
struct Server {
    QTemporaryDir dir;
    QString dbPath = edtest::testDatabaseLocation(dir, QStringLiteral("r.sqlite3"));
    Site site;
    std::unique_ptr<receive::ReceiveWriter> writer;
    std::unique_ptr<receive::Receiver> receiver;
    std::atomic<int> stored{0};

    explicit Server(size_t maxQueued = 1000)
    {
        auto db = Database::open(dbPath);
        QVERIFY(db);
        auto s = SiteStore(*db).add(QStringLiteral("shop"));
        QVERIFY(s);
        site = *s;
        QVERIFY((*db).close());
        writer = std::make_unique<receive::ReceiveWriter>(dbPath, maxQueued);
        writer->setStoredHandler([this](const std::vector<receive::StoredEvent> &b) { stored += int(b.size()); });
        QVERIFY(writer->start());
        receiver = std::make_unique<receive::Receiver>(*writer);
        receiver->setSites({site});
        QVERIFY(receiver->start(QStringLiteral("127.0.0.1"), 0));
    }
    QByteArray key() const { return site.publicKey.toLatin1(); }
    void finish() // everything queued stored and committed
    {
        receiver->stop();
        writer->stop();
    }
};

} // namespace

class TestSentryReceiver : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void djangoSiteThroughServe()
    {
        QTemporaryDir dir;
        const QString dbPath = edtest::testDatabaseLocation(dir, QStringLiteral("serve.sqlite3"));
        const QString reports = dir.filePath(QStringLiteral("handler.jsonl"));
        QProcess serve;
        const edtest::ServeStarted started = edtest::startServe(serve, dbPath, kTimeoutMs);
        QVERIFY2(started.error.isEmpty(), qPrintable(started.error));
        const QString dsn = started.dsn;
        QVERIFY2(dsn.endsWith(QLatin1String("/1")), qPrintable(dsn));
        QDeadlineTimer deadline(kTimeoutMs);

        QProcess site;
        const QString mails = dir.filePath(QStringLiteral("mail"));
        QVERIFY(QDir().mkpath(mails));
        site.start(kPython, {QStringLiteral(ERRORDECK_TESTS_DIR "/integration/sentry/sentry_site.py"), dsn, reports, mails});
        QVERIFY(site.waitForFinished(kTimeoutMs));
        QVERIFY2(site.exitCode() == 0, site.readAllStandardError().constData());
        const QByteArray siteOut = site.readAllStandardOutput();
        QVERIFY2(siteOut.contains("/shop/order/7/?ref=mail 500") && siteOut.contains("flushed"), siteOut.constData());

        // The two chained 500s, the checkout's 500 and the logger.error: four stored.
        QByteArray served;
        while (served.count("stored report") < 4 && !deadline.hasExpired()) {
            serve.waitForReadyRead(1000);
            served += serve.readAllStandardOutput();
        }
        QCOMPARE(served.count("stored report"), 4);
        ::kill(pid_t(serve.processId()), SIGTERM);
        QVERIFY(serve.waitForFinished(kTimeoutMs));
        QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve.exitCode(), 0);

        // ErrorDeck's own handler saw the same failures, and Django mailed ADMINS
        // its own report of each 500 (the file backend's messages): imported,
        // they join the SDK's issues.
        QStringList mailFiles;
        for (const QString &f : QDir(mails).entryList(QDir::Files))
            mailFiles << QDir(mails).filePath(f);
        QVERIFY2(!mailFiles.isEmpty(), "Django mailed no report");
        QProcess import;
        import.start(QStringLiteral(ERRORDECK_CLI),
                     QStringList{QStringLiteral("import"), QStringLiteral("--quiet"), QStringLiteral("--db"), dbPath, reports} +
                         mailFiles);
        QVERIFY(import.waitForFinished(kTimeoutMs));
        QVERIFY2(import.exitCode() == 0, import.readAllStandardError().constData());

        auto db = Database::open(dbPath);
        QVERIFY(db);
        Connection &c = connectionOf(*db);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports WHERE source LIKE 'sentry%'"), int64_t(4));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports WHERE site = '1'"), int64_t(4));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM issues WHERE title = 'RuntimeError: order service broke'"), int64_t(1));
        // Two chained 500s, each from the SDK, the handler and Django's e-mail.
        QCOMPARE(scalar(*db, "SELECT count FROM issues WHERE title = 'RuntimeError: order service broke'"), int64_t(6));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports WHERE exception_type = 'RuntimeError' AND source LIKE '%/mail/%'"),
                 int64_t(2));
        QCOMPARE(scalar(*db, "SELECT count(DISTINCT issue_id) FROM reports WHERE exception_type = 'ZeroDivisionError'"),
                 int64_t(1));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports WHERE exception_type = 'ZeroDivisionError'"), int64_t(3));
        QCOMPARE(scalar(*db, "SELECT count(DISTINCT issue_id) FROM reports WHERE message = 'payment failed for order 17'"),
                 int64_t(1));

        // The chained 500 through WSGIHandler, as stored.
        ReportStore store(*db);
        const int64_t chainedId = scalar(
            *db,
            "SELECT id FROM reports WHERE source LIKE 'sentry%' AND exception_type = 'RuntimeError' AND path = '/shop/order/7/'");
        QVERIFY(chainedId > 0);
        auto chained = store.loadReport(chainedId);
        QVERIFY(chained);
        const Report &r = chained->report;
        QCOMPARE(r.exceptions.size(), size_t(2));
        QCOMPARE(r.exceptions[0].type, QStringLiteral("RuntimeError"));
        QCOMPARE(r.exceptions[1].type, QStringLiteral("ValueError"));
        QCOMPARE(r.exceptions[1].value, QStringLiteral("invalid literal for int() with base 10: 'x7'"));
        const Frame &top = r.exceptions[0].frames.back();
        QCOMPARE(top.function, QStringLiteral("view_chain"));
        QVERIFY(top.inApp);
        QVERIFY(top.filename.endsWith(QLatin1String("tests/integration/sentry/sentry_site.py")));
        QCOMPARE(top.contextLine.value_or(QString()).trimmed(),
                 QStringLiteral("raise RuntimeError(\"order service broke\") from exc"));
        QCOMPARE(entryText(top.vars, u"oid"), QStringLiteral("7"));
        QVERIFY(!r.exceptions[0].frames.front().inApp); // Django's handler frame: not the site's code
        QCOMPARE(r.exceptions[1].frames.back().function, QStringLiteral("parse_order"));
        QVERIFY(r.request);
        QCOMPARE(r.request->method, QStringLiteral("GET"));
        QCOMPARE(r.request->host, QStringLiteral("shop.example.com"));
        QCOMPARE(r.request->fullPath, QStringLiteral("/shop/order/7/?ref=mail"));
        QCOMPARE(r.request->remoteAddr, QStringLiteral("10.1.2.3"));
        QCOMPARE(r.site, QStringLiteral("1"));
        QCOMPARE(entryText(r.extra, u"release"), QStringLiteral("shop@2.3.4"));

        // The checkout: POST data, headers, cookies and the breadcrumb of its warning.
        const int64_t checkoutId = scalar(*db, "SELECT id FROM reports WHERE source LIKE 'sentry%' AND path = '/shop/checkout/'");
        auto checkout = store.loadReport(checkoutId);
        QVERIFY(checkout);
        QCOMPARE(checkout->report.request->method, QStringLiteral("POST"));
        QCOMPARE(entryText(checkout->report.request->post, u"user"), QStringLiteral("ana"));
        QCOMPARE(entryText(checkout->report.request->meta, u"HTTP_USER_AGENT"), QStringLiteral("proof/1.0"));
        const QJsonArray crumbs =
            checkout->record.value(QLatin1String("extra")).toObject().value(QLatin1String("breadcrumbs")).toArray();
        bool warned = false;
        for (const QJsonValue &b : crumbs)
            warned = warned ||
                     b.toObject().value(QLatin1String("message")).toString() == QLatin1String("checkout started for ana");
        QVERIFY2(warned, QJsonDocument(crumbs).toJson().constData());

        // Sessions are counted for the site, not stored as reports.
        auto counts = SiteStore(*db).counts(1);
        QVERIFY(counts);
        int64_t sessions = 0;
        for (const SiteCount &sc : *counts)
            sessions += sc.kind == QLatin1String("session") ? sc.count : 0;
        QVERIFY2(sessions > 0, serve.readAllStandardError().constData());
        Q_UNUSED(c);
        QVERIFY(db->close());

        // Nothing secret of the site reached the disk.
        const SecretScanner::Report rep = SecretScanner({QStringLiteral("hunter2-sentry-pw-5c1d"),
                                                         QStringLiteral("sk_live_local_9f8e7d6c5b4a"),
                                                         QStringLiteral("tok-sentry-3a2b1c0d"),
                                                         QStringLiteral("sess-sentry-77aa88bb")})
                                              .scan(dbPath);
        QVERIFY(rep.values > 0);
        QVERIFY2(rep.found.isEmpty(), qPrintable(rep.found.join(u'\n')));
    }

    void replaysOfCaptures()
    {
        Server s;
        // sentry-sdk 1.9.10: /store/, gzip, X-Sentry-Auth.
        QByteArray res = exchange(s.receiver->port(),
                                  withKey(sample(QStringLiteral("python-1.9.10-store-event.http.raw")), s.site.publicKey));
        QCOMPARE(statusOf(res), 200);
        QVERIFY2(bodyOf(res).contains("\"id\":\""), res.constData());
        // Its envelope with an attachment (Content-Length, lengths on items).
        res = exchange(s.receiver->port(),
                       withKey(sample(QStringLiteral("python-1.9.10-envelope-event-attachment.http.raw")), s.site.publicKey));
        QCOMPARE(statusOf(res), 200);
        QVERIFY(bodyOf(res).contains("9a1821bbe3bf46649c3c5c93b8359bbf"));
        // @sentry/node 11.12: chunked, no Content-Type, ?sentry_key=, no lengths, no final newline.
        // The capture kept the header but not the chunk framing (its body is the bare
        // envelope): framed again here, one chunk per line as node writes them.
        const QByteArray node = sample(QStringLiteral("node-11.12.0-envelope-event-attachment.http.raw"));
        QVERIFY(node.contains("Transfer-Encoding: chunked") && !node.toLower().contains("content-type"));
        const qsizetype head = node.indexOf("\r\n\r\n") + 4;
        QByteArray chunked = node.left(head);
        for (const QByteArray &line : node.mid(head).split('\n'))
            if (!line.isEmpty())
                chunked += QByteArray::number(line.size() + 1, 16) + "\r\n" + line + "\n\r\n";
        chunked += "0\r\n\r\n";
        res = exchange(s.receiver->port(), withKey(chunked, s.site.publicKey));
        QCOMPARE(statusOf(res), 200);
        QVERIFY2(bodyOf(res).contains("cea4e0ea327c4d9c94ce000601adcc81"), res.constData());
        QCOMPARE(headerOf(res, "Access-Control-Allow-Origin"), QByteArray("*"));
        // Envelopes of the captures without their own request: a session, as text/plain.
        res = exchange(s.receiver->port(),
                       post(QStringLiteral("/api/%1/envelope/?sentry_key=%2").arg(s.site.number).arg(s.site.publicKey),
                            sample(QStringLiteral("node-11.12.0-session.envelope")), {"Content-Type: text/plain;charset=UTF-8"}));
        QCOMPARE(statusOf(res), 200);
        // The key in the envelope header's dsn alone.
        QByteArray withDsn = sample(QStringLiteral("python-1.9.10-envelope-transaction.envelope"));
        withDsn.replace(0, 1, "{\"dsn\":\"http://" + s.key() + "@127.0.0.1/" + QByteArray::number(s.site.number) + "\",");
        res = exchange(s.receiver->port(), post(QStringLiteral("/api/%1/envelope/").arg(s.site.number), withDsn, {}));
        QCOMPARE(statusOf(res), 200);
        s.finish();

        auto db = Database::open(s.dbPath);
        QVERIFY(db);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports"), int64_t(3)); // the transaction and the session are not reports
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports WHERE event_id = 'cea4e0ea327c4d9c94ce000601adcc81'"), int64_t(1));
        auto node2 = ReportStore(*db).loadReport(
            scalar(*db, "SELECT id FROM reports WHERE event_id = 'cea4e0ea327c4d9c94ce000601adcc81'"));
        QVERIFY(node2);
        const QJsonArray att =
            node2->record.value(QLatin1String("extra")).toObject().value(QLatin1String("attachments")).toArray();
        QCOMPARE(att.size(), 1);
        QCOMPARE(att[0].toObject().value(QLatin1String("filename")).toString(), QStringLiteral("note.txt"));
        QCOMPARE(att[0].toObject().value(QLatin1String("text")).toString(),
                 QStringLiteral("hello attachment\n")); // its length is 17
        QCOMPARE(scalar(*db, "SELECT sum(count) FROM site_counts WHERE kind = 'session'"), int64_t(1));
        // The capture's POST password, Authorization header and cookies: scrubbed before storing.
        QVERIFY(db->close());
        const SecretScanner::Report rep = SecretScanner({QStringLiteral("hunter2"), QStringLiteral("Bearer abc.def")})
                                              .scan(s.dbPath);
        QVERIFY2(rep.found.isEmpty(), qPrintable(rep.found.join(u'\n')));
    }

    void badRequests()
    {
        Server s;
        const int port = s.receiver->port();
        const QString store = QStringLiteral("/api/%1/store/?sentry_key=%2").arg(s.site.number).arg(s.site.publicKey);
        const QByteArray event = sample(QStringLiteral("python-1.9.10-store-event.json"));
        // 400: not JSON, a broken envelope, a corrupt gzip; X-Sentry-Error says why.
        QByteArray res = exchange(port, post(store, "{not json", {}));
        QCOMPARE(statusOf(res), 400);
        QVERIFY2(headerOf(res, "X-Sentry-Error").contains("not JSON"), res.constData());
        res = exchange(port, post(QStringLiteral("/api/%1/envelope/?sentry_key=%2").arg(s.site.number).arg(s.site.publicKey),
                                  "{}\n{\"type\":\"event\",\"length\":500}\n{}", {}));
        QCOMPARE(statusOf(res), 400);
        QVERIFY(headerOf(res, "X-Sentry-Error").contains("item 1 (event)"));
        res = exchange(port, post(store, gzip(event).left(200), {"Content-Encoding: gzip"}));
        QCOMPARE(statusOf(res), 400);
        // 403: a wrong key, no key, an unknown site; naming the DSN expected.
        res = exchange(port, post(QStringLiteral("/api/%1/store/?sentry_key=0123456789abcdef0123456789abcdef").arg(s.site.number),
                                  event, {}));
        QCOMPARE(statusOf(res), 403);
        QVERIFY2(bodyOf(res).contains(s.receiver->dsnFor(s.site).toLatin1()), res.constData());
        res = exchange(port, post(QStringLiteral("/api/%1/store/").arg(s.site.number), event, {}));
        QCOMPARE(statusOf(res), 403);
        QVERIFY(bodyOf(res).contains("no sentry_key"));
        res = exchange(port, post(QStringLiteral("/api/99/store/?sentry_key=%1").arg(s.site.publicKey), event, {}));
        QCOMPARE(statusOf(res), 403);
        // 413: a Content-Length over the cap (before reading), a bomb over the decompressed cap, an event over 1 MiB.
        QByteArray big = "POST " + store.toLatin1() + " HTTP/1.1\r\nHost: x\r\nContent-Length: 30000000\r\n\r\n{}";
        res = exchange(port, big);
        QCOMPARE(statusOf(res), 413);
        res = exchange(port, post(store, gzip(QByteArray(120 << 20, ' ')), {"Content-Encoding: gzip"}));
        QCOMPARE(statusOf(res), 413);
        QVERIFY(headerOf(res, "X-Sentry-Error").contains("100 MiB"));
        QByteArray huge = "{\"message\":\"" + QByteArray(2 << 20, 'a') + "\"}";
        res = exchange(port, post(store, huge, {}));
        QCOMPARE(statusOf(res), 413);
        // 415: an encoding no SDK sends.
        res = exchange(port, post(store, event, {"Content-Encoding: compress"}));
        QCOMPARE(statusOf(res), 415);
        // CORS preflight of a browser SDK.
        res = exchange(port, "OPTIONS /api/1/envelope/ HTTP/1.1\r\nHost: x\r\nOrigin: http://shop.example.com\r\n"
                             "Access-Control-Request-Method: POST\r\n\r\n");
        QCOMPARE(statusOf(res), 200);
        QVERIFY(headerOf(res, "Access-Control-Allow-Methods").contains("POST"));
        QVERIFY(headerOf(res, "Access-Control-Allow-Headers").toLower().contains("x-sentry-auth"));
        // Expect: 100-continue, then the body.
        res = exchange(port, post(store, event, {"Expect: 100-continue"}));
        QVERIFY2(res.startsWith("HTTP/1.1 100 Continue") && res.contains("HTTP/1.1 200"), res.constData());
        s.finish();
        auto db = Database::open(s.dbPath);
        QVERIFY(db);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports"), int64_t(1)); // only the last one
    }

    void sitesCommand()
    {
        QTemporaryDir dir;
        const QString db = edtest::testDatabaseLocation(dir, QStringLiteral("sites.sqlite3"));
        auto cli = [&](const QStringList &args, int expectedExit = 0) {
            QProcess p;
            p.start(QStringLiteral(ERRORDECK_CLI),
                    QStringList{QStringLiteral("sites")} + args + QStringList{QStringLiteral("--db"), db});
            p.waitForFinished(kTimeoutMs);
            const QByteArray out = p.readAllStandardOutput() + p.readAllStandardError();
            if (p.exitCode() != expectedExit)
                qWarning() << args << p.exitCode() << out;
            return p.exitCode() == expectedExit ? QString::fromUtf8(out).trimmed() : QString();
        };
        const QRegularExpression dsnShape(QStringLiteral("^http://[0-9a-f]{32}@127\\.0\\.0\\.1:8765/(\\d+)$"));
        const QString shop = cli({QStringLiteral("add"), QStringLiteral("shop")});
        QVERIFY2(dsnShape.match(shop).hasMatch(), qPrintable(shop));
        QCOMPARE(dsnShape.match(shop).captured(1), QStringLiteral("1"));
        const QString blog = cli({QStringLiteral("add"), QStringLiteral("blog")});
        QCOMPARE(dsnShape.match(blog).captured(1), QStringLiteral("2"));
        QVERIFY(blog != shop);
        QVERIFY(cli({QStringLiteral("add"), QStringLiteral("shop")}, 1).contains(QLatin1String("exists already")));
        QCOMPARE(cli({QStringLiteral("dsn"), QStringLiteral("shop")}), shop);
        QCOMPARE(cli({QStringLiteral("dsn"), QStringLiteral("shop"), QStringLiteral("--listen"), QStringLiteral("[::1]:9000")}),
                 QString(shop).replace(QLatin1String("127.0.0.1:8765"), QLatin1String("[::1]:9000")));
        const QString rotated = cli({QStringLiteral("rotate-key"), QStringLiteral("shop")});
        QVERIFY(dsnShape.match(rotated).hasMatch());
        QVERIFY(rotated != shop);
        QCOMPARE(cli({QStringLiteral("dsn"), QStringLiteral("shop")}), rotated);
        QVERIFY(cli({QStringLiteral("dsn"), QStringLiteral("nope")}, 1).contains(QLatin1String("no site called \"nope\"")));
        const QString list = cli({QStringLiteral("list")});
        QVERIFY2(list.contains(rotated) && list.contains(blog) && !list.contains(shop), qPrintable(list));
    }

    void floodGuard()
    {
        // No room in the queue: the SDK is told to wait, and by how long.
        Server s(0);
        const QByteArray res = exchange(
            s.receiver->port(), post(QStringLiteral("/api/%1/store/?sentry_key=%2").arg(s.site.number).arg(s.site.publicKey),
                                     sample(QStringLiteral("python-1.9.10-store-event.json")), {}));
        QCOMPARE(statusOf(res), 429);
        QCOMPARE(headerOf(res, "Retry-After"), QByteArray("1"));
        QVERIFY(!headerOf(res, "X-Sentry-Rate-Limits").isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSentryReceiver)
#include "tst_sentry_receiver.moc"
