// Sentry's wire formats (core/sentry, core/receive/BodyDecoder): the envelopes
// real SDKs sent (tests/data/sentry: sentry-sdk 1.9.10, @sentry/node 11.12),
// hand-made envelopes at the protocol's edges, the event as a v1 record, and
// every Content-Encoding an SDK may send, with the caps.
#include "TestSupport.h"

#include "receive/BodyDecoder.h"
#include "receive/SentryAuth.h"
#include "sentry/Envelope.h"
#include "sentry/SentryEvent.h"

#include <brotli/encode.h>
#include <zlib.h>
#include <zstd.h>

using namespace ed;
using namespace ed::sentry;
using ed::receive::BodyDecoder;

namespace {

QByteArray sample(const QString &name) { return edtest::readFile(QStringLiteral(ERRORDECK_TEST_DATA "/sentry/") + name); }

std::string_view view(const QByteArray &b) { return {b.constData(), size_t(b.size())}; }

// The v1 record of an event, as an object (Qt's parser, not the code under test's).
QJsonObject record(const QByteArray &event, int64_t site = 1)
{
    std::string json;
    auto r = eventToV1Record(view(event), site, {}, json);
    if (!r)
        qWarning() << r.error();
    return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

// The chain of a v1 record from the raised exception down to the root cause.
QList<QJsonObject> chain(const QJsonObject &rec)
{
    QList<QJsonObject> out;
    QJsonValue e = rec.value(QLatin1String("exception"));
    while (e.isObject()) {
        out << e.toObject();
        e = e.toObject().value(QLatin1String("cause"));
    }
    return out;
}

QByteArray zlibCompress(const QByteArray &in, int windowBits)
{
    z_stream z{};
    deflateInit2(&z, 6, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&z, uLong(in.size())) + 64), '\0');
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.constData()));
    z.avail_in = uInt(in.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.resize(qsizetype(z.total_out));
    deflateEnd(&z);
    return out;
}

QByteArray brotliCompress(const QByteArray &in)
{
    size_t size = BrotliEncoderMaxCompressedSize(size_t(in.size()));
    QByteArray out(qsizetype(size), '\0');
    BrotliEncoderCompress(5, 22, BROTLI_MODE_GENERIC, size_t(in.size()), reinterpret_cast<const uint8_t *>(in.constData()), &size,
                          reinterpret_cast<uint8_t *>(out.data()));
    out.resize(qsizetype(size));
    return out;
}

QByteArray zstdCompress(const QByteArray &in)
{
    QByteArray out(qsizetype(ZSTD_compressBound(size_t(in.size()))), '\0');
    out.resize(qsizetype(ZSTD_compress(out.data(), size_t(out.size()), in.constData(), size_t(in.size()), 3)));
    return out;
}

// Decodes in pieces of `piece` bytes, as a socket delivers them.
BodyDecoder::Status decode(const QByteArray &encoded, const char *encoding, std::string &out, size_t max = 1u << 20,
                           int piece = 7)
{
    BodyDecoder d(encoding, max);
    for (qsizetype at = 0; at < encoded.size() && d.status() == BodyDecoder::Status::Ok; at += piece)
        d.feed(view(encoded.mid(at, piece)));
    d.finish();
    out = d.output();
    return d.status();
}

} // namespace

class TestSentryFormats : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void envelopeWithLengths()
    {
        const QByteArray body = sample(QStringLiteral("python-1.9.10-envelope-event-attachment.envelope"));
        const EnvelopeResult r = parseEnvelope(view(body));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.envelope.eventId, std::string("9a1821bbe3bf46649c3c5c93b8359bbf"));
        QCOMPARE(r.envelope.items.size(), size_t(2));
        QCOMPARE(r.envelope.items[0].type, std::string("event"));
        QCOMPARE(r.envelope.items[0].payload.size(), size_t(4597));
        QCOMPARE(r.envelope.items[1].type, std::string("attachment"));
        QCOMPARE(r.envelope.items[1].filename, std::string("note.txt"));
        QCOMPARE(std::string(r.envelope.items[1].payload), std::string("hello attachment\n"));
    }
    void envelopeWithoutLengthsOrFinalNewline()
    {
        // @sentry/node leaves out `length` on JSON items and the last newline.
        const QByteArray body = sample(QStringLiteral("node-11.12.0-envelope-chained-error.envelope"));
        QVERIFY(!body.endsWith('\n'));
        const EnvelopeResult r = parseEnvelope(view(body));
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.envelope.items.size(), size_t(1));
        QVERIFY(r.envelope.items[0].payload.substr(0, 13) == "{\"exception\":");
        QVERIFY(r.envelope.items[0].payload.back() == '}');
        const EnvelopeResult session = parseEnvelope(view(sample(QStringLiteral("node-11.12.0-session.envelope"))));
        QVERIFY(session.ok());
        QCOMPARE(session.envelope.items.at(0).type, std::string("session"));
    }
    void envelopeEdges()
    {
        // An unknown type is kept as a type; a payload with a length may hold newlines.
        const EnvelopeResult a = parseEnvelope(
            "{}\n{\"type\":\"future_thing\",\"length\":3}\na\nb\n{\"type\":\"event\"}\n{\"x\":1}");
        QVERIFY2(a.ok(), qPrintable(a.error));
        QCOMPARE(a.envelope.items.size(), size_t(2));
        QCOMPARE(std::string(a.envelope.items[0].payload), std::string("a\nb"));
        QCOMPARE(std::string(a.envelope.items[1].payload), std::string("{\"x\":1}"));
        // A length past the end, a header that is not JSON, no type: errors naming the item.
        EnvelopeResult b = parseEnvelope("{}\n{\"type\":\"event\",\"length\":99}\n{}");
        QVERIFY(!b.ok());
        QVERIFY2(b.error.contains(QLatin1String("item 1 (event)")), qPrintable(b.error));
        b = parseEnvelope("{}\n{\"type\":\"event\"}\n{}\nnot json\n");
        QVERIFY(b.error.contains(QLatin1String("item 2: header")));
        b = parseEnvelope("{}\n{\"length\":2}\n{}\n");
        QVERIFY(b.error.contains(QLatin1String("no \"type\"")));
        b = parseEnvelope("");
        QVERIFY(b.error.contains(QLatin1String("line 1")));
        // An event over its cap makes the envelope too large; other items over theirs are dropped.
        EnvelopeLimits small;
        small.maxEventBytes = 10;
        small.maxOtherBytes = 10;
        b = parseEnvelope("{}\n{\"type\":\"session\"}\n{\"status\":\"ok\",\"x\":1}\n", small);
        QVERIFY(b.ok() && !b.tooLarge && b.envelope.items[0].oversized);
        b = parseEnvelope("{}\n{\"type\":\"event\"}\n{\"level\":\"error\"}\n", small);
        QVERIFY(b.ok() && b.tooLarge);
        small.maxItems = 1;
        b = parseEnvelope("{}\n{\"type\":\"a\"}\n1\n{\"type\":\"b\"}\n2\n", small);
        QVERIFY(b.error.contains(QLatin1String("more than 1 items")));
    }

    void pythonStoreEventAsRecord()
    {
        const QJsonObject rec = record(sample(QStringLiteral("python-1.9.10-django-wsgi-store-event.json")), 3);
        QCOMPARE(rec.value(QLatin1String("event_id")).toString(), QStringLiteral("a439e9ddd9034467a0ff986bd3e768dd"));
        QCOMPARE(rec.value(QLatin1String("timestamp")).toString(), QStringLiteral("2026-12-01T19:16:06.855689Z"));
        QCOMPARE(rec.value(QLatin1String("level")).toString(), QStringLiteral("ERROR"));
        QCOMPARE(rec.value(QLatin1String("site")).toString(), QStringLiteral("3"));
        // Django's integration: what django.request logs for the same 500.
        QCOMPARE(rec.value(QLatin1String("logger")).toString(), QStringLiteral("django.request"));
        QCOMPARE(rec.value(QLatin1String("message")).toString(), QStringLiteral("Internal Server Error: /shop/checkout/6/"));
        QCOMPARE(rec.value(QLatin1String("status_code")).toInt(), 500);
        const QList<QJsonObject> c = chain(rec);
        QCOMPARE(c.size(), 1);
        QCOMPARE(c[0].value(QLatin1String("type")).toString(), QStringLiteral("ZeroDivisionError"));
        QCOMPARE(c[0].value(QLatin1String("module")).toString(), QStringLiteral("builtins"));
        const QJsonArray frames = c[0].value(QLatin1String("frames")).toArray();
        QCOMPARE(frames.size(), 4);
        // The SDK marks Django's frames in-app; ErrorDeck does not.
        QCOMPARE(frames[0].toObject().value(QLatin1String("filename")).toString(),
                 QStringLiteral("/usr/lib/python3/dist-packages/django/core/handlers/exception.py"));
        QCOMPARE(frames[0].toObject().value(QLatin1String("in_app")).toBool(), false);
        const QJsonObject last = frames[3].toObject();
        QCOMPARE(last.value(QLatin1String("in_app")).toBool(), true);
        QCOMPARE(last.value(QLatin1String("function")).toString(), QStringLiteral("checkout"));
        QCOMPARE(last.value(QLatin1String("module")).toString(), QStringLiteral("__main__"));
        QCOMPARE(last.value(QLatin1String("lineno")).toInt(), 28);
        QCOMPARE(last.value(QLatin1String("pre_context_lineno")).toInt(), 23);
        QCOMPARE(last.value(QLatin1String("context_line")).toString(),
                 QStringLiteral("    return HttpResponse(str(1 / (cart[\"qty\"] - 1)))"));
        QCOMPARE(last.value(QLatin1String("post_context")).toArray().size(), 5);
        const QJsonObject vars = last.value(QLatin1String("vars")).toObject();
        QCOMPARE(vars.value(QLatin1String("password")).toString(), QStringLiteral("'hunter2'"));
        QCOMPARE(vars.value(QLatin1String("cart")).toString(), QStringLiteral("{\"sku\":\"'A-1'\",\"qty\":\"1\"}"));
        // The request in v1's shape.
        const QJsonObject req = rec.value(QLatin1String("request")).toObject();
        QCOMPARE(req.value(QLatin1String("method")).toString(), QStringLiteral("POST"));
        QCOMPARE(req.value(QLatin1String("host")).toString(), QStringLiteral("127.0.0.1"));
        QCOMPARE(req.value(QLatin1String("path")).toString(), QStringLiteral("/shop/checkout/6/"));
        QCOMPARE(req.value(QLatin1String("full_path")).toString(), QStringLiteral("/shop/checkout/6/?qty=1"));
        QCOMPARE(req.value(QLatin1String("url")).toString(), QStringLiteral("http://127.0.0.1/shop/checkout/6/?qty=1"));
        QCOMPARE(req.value(QLatin1String("remote_addr")).toString(), QStringLiteral("10.1.2.3"));
        QCOMPARE(req.value(QLatin1String("GET")).toObject().value(QLatin1String("qty")).toArray(),
                 QJsonArray{QStringLiteral("1")});
        QCOMPARE(req.value(QLatin1String("POST")).toObject().value(QLatin1String("password")).toString(),
                 QStringLiteral("hunter2"));
        QCOMPARE(req.value(QLatin1String("COOKIES")).toObject().value(QLatin1String("sessionid")).toString(),
                 QStringLiteral("abc"));
        const QJsonObject meta = req.value(QLatin1String("META")).toObject();
        QCOMPARE(meta.value(QLatin1String("HTTP_AUTHORIZATION")).toString(), QStringLiteral("Bearer abc.def"));
        QCOMPARE(meta.value(QLatin1String("CONTENT_TYPE")).toString(), QStringLiteral("application/x-www-form-urlencoded"));
        QCOMPARE(meta.value(QLatin1String("SERVER_PORT")).toString(), QStringLiteral("80"));
        // What v1 has no field for, in extra.
        const QJsonObject extra = rec.value(QLatin1String("extra")).toObject();
        QCOMPARE(extra.value(QLatin1String("release")).toString(), QStringLiteral("shop@2.3.4"));
        QCOMPARE(extra.value(QLatin1String("environment")).toString(), QStringLiteral("staging"));
        QCOMPARE(extra.value(QLatin1String("server_name")).toString(), QStringLiteral("vm"));
        QCOMPARE(rec.value(QLatin1String("environment")).toObject().value(QLatin1String("hostname")).toString(),
                 QStringLiteral("vm"));
    }
    void pythonChainOldestFirst()
    {
        // Sentry lists the root cause first; v1 nests the raised one outermost.
        const QList<QJsonObject> c = chain(record(sample(QStringLiteral("python-1.9.10-django-chained-500-event.json"))));
        QCOMPARE(c.size(), 2);
        QCOMPARE(c[0].value(QLatin1String("type")).toString(), QStringLiteral("RuntimeError"));
        QCOMPARE(c[0].value(QLatin1String("frames")).toArray().size(), 3);
        QCOMPARE(c[1].value(QLatin1String("type")).toString(), QStringLiteral("ValueError"));
        QCOMPARE(c[1].value(QLatin1String("value")).toString(), QStringLiteral("invalid literal for int() with base 10: 'x17'"));
    }
    void nodeChainByExceptionIds()
    {
        // @sentry/node 11: exception_id and parent_id; the Error raised, its cause a TypeError.
        const QByteArray body = sample(QStringLiteral("node-11.12.0-envelope-chained-error.envelope"));
        const EnvelopeResult env = parseEnvelope(view(body));
        QVERIFY(env.ok());
        const QByteArray event = QByteArray::fromStdString(std::string(env.envelope.items[0].payload));
        const QJsonObject rec = record(event);
        const QList<QJsonObject> c = chain(rec);
        QCOMPARE(c.size(), 2);
        QCOMPARE(c[0].value(QLatin1String("type")).toString(), QStringLiteral("Error"));
        QCOMPARE(c[0].value(QLatin1String("value")).toString(), QStringLiteral("no such order 7"));
        QCOMPARE(c[0].value(QLatin1String("cause_explicit")).toBool(), true);
        QCOMPARE(c[1].value(QLatin1String("type")).toString(), QStringLiteral("TypeError"));
        const QJsonArray frames = c[0].value(QLatin1String("frames")).toArray();
        QCOMPARE(frames.first().toObject().value(QLatin1String("in_app")).toBool(), false); // node:internal
        QCOMPARE(frames.last().toObject().value(QLatin1String("in_app")).toBool(), true);
        QCOMPARE(frames.last().toObject().value(QLatin1String("function")).toString(), QStringLiteral("loadOrder"));
        // Where the ids and the list order disagree, the ids decide.
        const QList<QJsonObject> byIds = chain(record(
            R"({"exception":{"values":[{"type":"Raised","mechanism":{"exception_id":0}},)"
            R"({"type":"Cause","mechanism":{"exception_id":1,"parent_id":0,"source":"cause"}}]}})"));
        QCOMPARE(byIds.size(), 2);
        QCOMPARE(byIds[0].value(QLatin1String("type")).toString(), QStringLiteral("Raised"));
        QCOMPARE(byIds[1].value(QLatin1String("type")).toString(), QStringLiteral("Cause"));
        // The breadcrumbs, tags, user and contexts are kept in extra.
        const QJsonObject extra = rec.value(QLatin1String("extra")).toObject();
        const QJsonArray crumbs = extra.value(QLatin1String("breadcrumbs")).toArray();
        QCOMPARE(crumbs.size(), 1);
        QCOMPARE(crumbs[0].toObject().value(QLatin1String("message")).toString(), QStringLiteral("user logged in"));
        QVERIFY(extra.value(QLatin1String("contexts")).toObject().contains(QLatin1String("runtime")));
        QCOMPARE(extra.value(QLatin1String("release")).toString(), QStringLiteral("web@1.2.3"));
    }
    void loggerMessageEvent()
    {
        const QJsonObject rec = record(sample(QStringLiteral("python-1.9.10-django-logger-error-event.json")));
        QCOMPARE(rec.value(QLatin1String("logger")).toString(), QStringLiteral("shop.payments"));
        QCOMPARE(rec.value(QLatin1String("message")).toString(), QStringLiteral("payment failed for order 17"));
        QCOMPARE(rec.value(QLatin1String("level")).toString(), QStringLiteral("ERROR"));
        QVERIFY(!rec.contains(QLatin1String("exception")));
        QVERIFY(!rec.contains(QLatin1String("status_code")));
        QCOMPARE(rec.value(QLatin1String("extra")).toObject().value(QLatin1String("breadcrumbs")).toArray().size(), 3);
        QCOMPARE(formatLogMessage("%s of %d%%", {"a", "3"}), std::string("a of 3%"));
        QCOMPARE(formatLogMessage("%s and %s", {"a"}), std::string("%s and %s")); // params that do not fit
    }
    void badEvents()
    {
        std::string json;
        QVERIFY(!eventToV1Record("not json", 1, {}, json));
        QVERIFY(!eventToV1Record("[1,2]", 1, {}, json));
        // Types the SDK should not send are ignored, never trusted.
        auto r = eventToV1Record(R"({"exception":{"values":[{"type":5,"stacktrace":{"frames":"x"}}]},"request":[],"level":7})", 1,
                                 {}, json);
        QVERIFY(r);
        const QJsonObject rec = QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
        QCOMPARE(rec.value(QLatin1String("level")).toString(), QStringLiteral("ERROR"));
        QVERIFY(!rec.value(QLatin1String("timestamp")).toString().isEmpty());
        // A cycle of exception ids ends the chain instead of looping.
        r = eventToV1Record(
            R"({"exception":{"values":[{"type":"A","mechanism":{"exception_id":0,"parent_id":1}},{"type":"B","mechanism":{"exception_id":1,"parent_id":0}}]}})",
            1, {}, json);
        QVERIFY(r);
    }

    void authAndDsn()
    {
        QCOMPARE(receive::keyFromAuthHeader("Sentry sentry_key=abc, sentry_version=7, sentry_client=x/1"), std::string("abc"));
        QCOMPARE(receive::keyFromAuthHeader("Sentry sentry_version=7,sentry_key=def"), std::string("def"));
        QCOMPARE(receive::keyFromAuthHeader("Bearer x"), std::string());
        const receive::DsnParts d = receive::parseDsn("http://k3y:secret@127.0.0.1:8765/sub/42");
        QVERIFY(d.ok);
        QCOMPARE(d.key, std::string("k3y"));
        QCOMPARE(d.project, int64_t(42));
        QVERIFY(!receive::parseDsn("http://127.0.0.1/1").ok);
        QVERIFY(!receive::parseDsn("http://k@h/x1").ok);
        QCOMPARE(receive::makeDsn("k", "::1", 80, 2), std::string("http://k@[::1]:80/2"));
    }

    void encodings()
    {
        const QByteArray body = sample(QStringLiteral("python-1.9.10-store-event.json"));
        std::string out;
        QCOMPARE(decode(edtest::gzip(body), "gzip", out), BodyDecoder::Status::Ok);
        QCOMPARE(QByteArray::fromStdString(out), body);
        QCOMPARE(decode(zlibCompress(body, 15), "deflate", out), BodyDecoder::Status::Ok);
        QCOMPARE(QByteArray::fromStdString(out), body);
        QCOMPARE(decode(zlibCompress(body, -15), "deflate", out), BodyDecoder::Status::Ok); // raw deflate
        QCOMPARE(QByteArray::fromStdString(out), body);
        QCOMPARE(decode(brotliCompress(body), "br", out), BodyDecoder::Status::Ok);
        QCOMPARE(QByteArray::fromStdString(out), body);
        QCOMPARE(decode(zstdCompress(body), "zstd", out), BodyDecoder::Status::Ok);
        QCOMPARE(QByteArray::fromStdString(out), body);
        QCOMPARE(decode(body, "", out), BodyDecoder::Status::Ok);
        QCOMPARE(decode(body, "compress", out), BodyDecoder::Status::Unsupported);
        // Cut short, or not what it says it is.
        QCOMPARE(decode(edtest::gzip(body).left(100), "gzip", out), BodyDecoder::Status::Corrupt);
        QCOMPARE(decode(zstdCompress(body).left(50), "zstd", out), BodyDecoder::Status::Corrupt);
        QCOMPARE(decode(body, "br", out), BodyDecoder::Status::Corrupt);
        QCOMPARE(decode(body, "gzip", out), BodyDecoder::Status::Corrupt);
    }
    void bombsStopAtTheCap()
    {
        // 64 MiB of zeros compresses to a few KiB in every encoding: the decoder
        // stops at its cap, never holding more.
        const QByteArray zeros(64 << 20, '\0');
        const size_t cap = 1u << 20;
        std::string out;
        for (const auto &[encoded, name] :
             {std::pair{edtest::gzip(zeros), "gzip"}, std::pair{zlibCompress(zeros, -15), "deflate"},
              std::pair{brotliCompress(zeros), "br"}, std::pair{zstdCompress(zeros), "zstd"}}) {
            QVERIFY(encoded.size() < (1 << 20));
            QCOMPARE(decode(encoded, name, out, cap, 4096), BodyDecoder::Status::TooLarge);
            QVERIFY2(out.size() <= cap, name);
        }
        QCOMPARE(decode(QByteArray(int(cap) + 1, 'x'), "identity", out, cap, 4096), BodyDecoder::Status::TooLarge);
    }
};

QTEST_GUILESS_MAIN(TestSentryFormats)
#include "tst_sentry_formats.moc"
