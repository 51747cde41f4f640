#include "receive/Receiver.h"

#include "receive/BodyDecoder.h"
#include "receive/ConnectionQueue.h"
#include "receive/SentryAuth.h"
#include "sentry/Envelope.h"
#include "sentry/SentryEvent.h"
#include "base/JsonWriter.h"

#include <httplib.h>
#include <simdjson.h>

#include <chrono>

#include <sys/socket.h>

namespace ed::receive {

namespace {

using Clock = std::chrono::steady_clock;

// An answer the SDK acts on: a status, and for 400 and 413 the reason in
// X-Sentry-Error (what the SDKs log), also as the body's "detail".
void answer(httplib::Response &res, int status, const QString &detail, bool closeConnection = false)
{
    res.status = status;
    std::string body;
    JsonWriter w(body);
    w.beginObject();
    w.key("detail");
    w.string(detail.toStdString());
    w.endObject();
    const QByteArray oneLine = detail.toUtf8().replace('\n', ' ').replace('\r', ' ');
    res.set_header("X-Sentry-Error", oneLine.toStdString());
    res.set_content(body, "application/json");
    if (closeConnection)
        res.set_header("Connection", "close"); // the body was left unread
}

// 429: the SDKs wait Retry-After (X-Sentry-Rate-Limits: every category, this
// key) before they send again, and drop what comes meanwhile.
void tooBusy(httplib::Response &res, const char *detail)
{
    res.status = 429;
    res.set_header("Retry-After", "1");
    res.set_header("X-Sentry-Rate-Limits", "1::organization");
    res.set_content(std::string(R"({"detail":")") + detail + "\"}", "application/json");
}

// A Content-Length over the cap (or too long to be a number) is refused
// before a byte of the body is read; one that is not digits, httplib rejects.
bool declaredOverCap(const httplib::Request &req, size_t cap)
{
    if (!req.has_header("Content-Length"))
        return false;
    const std::string len = req.get_header_value("Content-Length");
    if (len.size() > 15)
        return true;
    size_t n = 0;
    for (char c : len) {
        if (c < '0' || c > '9')
            return false;
        n = n * 10 + size_t(c - '0');
    }
    return n > cap;
}

} // namespace

struct Receiver::Impl {
    httplib::Server server;
    int listening = -1; // the server's socket
    std::mutex sitesMutex;
    std::vector<Site> sites;

    std::optional<Site> site(int64_t number)
    {
        std::lock_guard lock(sitesMutex);
        for (const Site &s : sites)
            if (s.number == number)
                return s;
        return std::nullopt;
    }
};

Receiver::Receiver(ReceiveWriter &writer, ReceiverLimits limits) : d(std::make_unique<Impl>()), m_writer(writer), m_limits(limits)
{
}

Receiver::~Receiver() { stop(); }

void Receiver::setSites(std::vector<Site> sites)
{
    std::lock_guard lock(d->sitesMutex);
    d->sites = std::move(sites);
}

bool Receiver::loopback() const
{
    return m_host == QLatin1String("localhost") || m_host.startsWith(QLatin1String("127.")) || m_host == QLatin1String("::1");
}

QString Receiver::dsnFor(const Site &site) const
{
    return QString::fromStdString(makeDsn(site.publicKey.toStdString(), m_host.toStdString(), m_port, site.number));
}

// The request handlers, with the receiver's state; one object per request.
struct Handlers {
    Receiver &r;
    const httplib::Request &req;
    httplib::Response &res;
    Site site;
    std::string body;

    // The site of /api/<n>/ and whether the key fits; answers 403 when not.
    bool authenticate(std::string_view key, bool maybeInBody)
    {
        if (key.empty() && maybeInBody)
            return true; // the envelope header's dsn is checked once it is read
        if (key == site.publicKey.toStdString())
            return true;
        forbid(key.empty() ? QStringLiteral("no sentry_key was sent") : QStringLiteral("the sentry_key is not this site's"));
        return false;
    }

    void forbid(const QString &why)
    {
        // The DSN in full only where nobody but this machine can ask: off
        // loopback, the key is the one secret and a 403 must not give it away.
        const QString dsn = r.loopback()
                                ? r.dsnFor(site)
                                : QString::fromStdString(makeDsn("<key>", r.m_host.toStdString(), r.m_port, site.number));
        answer(res, 403,
               QStringLiteral("%1 for site %2 (\"%3\"); this server expects the DSN %4")
                   .arg(why)
                   .arg(site.number)
                   .arg(site.name, dsn),
               true);
    }

    // Reads and decodes the body within every cap; false after answering.
    bool readBody(const httplib::ContentReader &reader)
    {
        const ReceiverLimits &lim = r.m_limits;
        if (declaredOverCap(req, lim.maxCompressedBytes)) {
            answer(res, 413, QStringLiteral("the body is over %1 MiB").arg(lim.maxCompressedBytes >> 20), true);
            return false;
        }
        // httplib would undo gzip and br itself, without a cap on the output and
        // without raw deflate or zstd: it is handed the body as sent, and the
        // decoder here does all of them with the caps.
        const std::string encoding = req.get_header_value("Content-Encoding");
        auto &headers = const_cast<httplib::Headers &>(req.headers);
        headers.erase("Content-Encoding");
        BodyDecoder decoder(encoding, lim.maxDecompressedBytes);
        if (decoder.status() == BodyDecoder::Status::Unsupported) {
            answer(res, 415, decoder.error(), true);
            return false;
        }
        size_t compressed = 0;
        bool overCompressed = false, late = false;
        const auto deadline = Clock::now() + std::chrono::seconds(lim.bodyDeadlineSeconds);
        const bool read = reader([&](const char *data, size_t len) {
            compressed += len;
            if (compressed > lim.maxCompressedBytes) {
                overCompressed = true;
                return false;
            }
            if (Clock::now() > deadline) {
                late = true;
                return false;
            }
            return decoder.feed(std::string_view(data, len));
        });
        if (overCompressed) {
            answer(res, 413, QStringLiteral("the body is over %1 MiB").arg(lim.maxCompressedBytes >> 20), true);
            return false;
        }
        if (late) {
            answer(res, 408, QStringLiteral("the body took longer than %1 s").arg(lim.bodyDeadlineSeconds), true);
            return false;
        }
        if (read)
            decoder.finish();
        switch (decoder.status()) {
        case BodyDecoder::Status::Ok: break;
        case BodyDecoder::Status::TooLarge: answer(res, 413, decoder.error(), true); return false;
        default: answer(res, 400, decoder.error(), true); return false;
        }
        if (!read) {
            answer(res, 400, QStringLiteral("the body could not be read (cut short, or a broken chunked encoding)"), true);
            return false;
        }
        body = std::move(decoder.output());
        return true;
    }

    // One event item (or a store body) to the writer; false after answering.
    bool offerEvent(std::string_view event, std::string_view attachments, std::string &eventId)
    {
        if (event.size() > r.m_limits.maxEventBytes) {
            answer(res, 413, QStringLiteral("the event is over %1 KiB").arg(r.m_limits.maxEventBytes >> 10));
            return false;
        }
        ReceivedEvent e;
        e.site = site.number;
        auto facts = sentry::eventToV1Record(event, site.number, attachments, e.record);
        if (!facts) {
            ++r.m_stats.rejected;
            answer(res, 400, facts.error());
            return false;
        }
        if (eventId.empty())
            eventId = facts->eventId;
        if (!r.m_writer.offer(std::move(e))) {
            ++r.m_stats.throttled;
            tooBusy(res, "the store is behind; try again in a second");
            return false;
        }
        ++r.m_stats.events;
        return true;
    }

    void ok(const std::string &eventId)
    {
        std::string out;
        JsonWriter w(out);
        w.beginObject();
        w.key("id");
        if (eventId.empty())
            w.null();
        else
            w.string(eventId);
        w.endObject();
        res.status = 200;
        res.set_content(out, "application/json");
    }

    void store()
    {
        std::string id;
        if (offerEvent(body, {}, id))
            ok(id);
    }

    void envelope(bool keyKnown)
    {
        sentry::EnvelopeLimits lim;
        lim.maxEventBytes = r.m_limits.maxEventBytes;
        const sentry::EnvelopeResult parsed = sentry::parseEnvelope(body, lim);
        if (!parsed.ok()) {
            ++r.m_stats.rejected;
            answer(res, 400, parsed.error);
            return;
        }
        if (!keyKnown) {
            const DsnParts dsn = parseDsn(parsed.envelope.dsn);
            if (!authenticate(dsn.ok ? dsn.key : std::string(), false))
                return;
        }
        if (parsed.tooLarge) {
            answer(res, 413, QStringLiteral("an event is over %1 KiB").arg(r.m_limits.maxEventBytes >> 10));
            return;
        }
        // Small text attachments go with the event of the envelope.
        std::string attachments;
        JsonWriter aw(attachments);
        aw.beginArray();
        bool any = false;
        for (const auto &item : parsed.envelope.items) {
            if (item.type != "attachment")
                continue;
            any = true;
            aw.beginObject();
            aw.key("filename");
            aw.string(item.filename);
            aw.key("content_type");
            aw.string(item.contentType);
            aw.key("size");
            aw.integer(int64_t(item.payload.size()));
            const bool text = item.contentType.rfind("text/", 0) == 0 || item.contentType == "application/json";
            if (text && !item.oversized && item.payload.size() <= r.m_limits.maxAttachmentTextBytes &&
                QString::fromUtf8(item.payload.data(), qsizetype(item.payload.size())).toUtf8().size() ==
                    qsizetype(item.payload.size())) {
                aw.key("text");
                aw.string(item.payload);
            }
            aw.endObject();
        }
        aw.endArray();
        if (!any)
            attachments.clear();
        std::string eventId = parsed.envelope.eventId;
        for (const auto &item : parsed.envelope.items) {
            if (item.type == "event") {
                if (!offerEvent(item.payload, attachments, eventId))
                    return;
            } else if (item.type == "session" || item.type == "sessions") {
                countSessions(item);
            } else if (item.type == "client_report") {
                countClientReport(item);
            }
            // transaction, span, profile, replay, check_in, ...: accepted, dropped.
        }
        ok(eventId);
    }

    void count(const QString &kind, const QString &reason, int64_t n)
    {
        // The reason comes from the network: a bounded label, never text to keep.
        if (n > 0)
            (void)r.m_writer.offerCount({site.number, kind, reason.left(100), n});
    }

    void countSessions(const sentry::EnvelopeItem &item)
    {
        simdjson::dom::parser parser;
        simdjson::dom::element e;
        if (parser.parse(item.payload.data(), item.payload.size(), true).get(e))
            return;
        if (item.type == "session") {
            std::string_view status = "ok";
            if (e["status"].get(status) != simdjson::SUCCESS)
                status = "ok";
            count(QStringLiteral("session"), QString::fromUtf8(status.data(), qsizetype(status.size())), 1);
            return;
        }
        simdjson::dom::array aggregates;
        if (e["aggregates"].get(aggregates))
            return;
        for (simdjson::dom::element a : aggregates)
            for (const char *status : {"exited", "errored", "abnormal", "crashed"}) {
                int64_t n = 0;
                if (!a[status].get(n))
                    count(QStringLiteral("session"), QString::fromLatin1(status), n);
            }
    }

    void countClientReport(const sentry::EnvelopeItem &item)
    {
        simdjson::dom::parser parser;
        simdjson::dom::element e;
        if (parser.parse(item.payload.data(), item.payload.size(), true).get(e))
            return;
        simdjson::dom::array discarded;
        if (e["discarded_events"].get(discarded))
            return;
        for (simdjson::dom::element x : discarded) {
            std::string_view reason, category;
            int64_t n = 0;
            if (x["reason"].get(reason) != simdjson::SUCCESS)
                reason = "unknown";
            if (x["category"].get(category) != simdjson::SUCCESS)
                category = "unknown";
            if (!x["quantity"].get(n))
                count(QStringLiteral("dropped"),
                      QString::fromUtf8(reason.data(), qsizetype(reason.size())) + QLatin1Char(':') +
                          QString::fromUtf8(category.data(), qsizetype(category.size())),
                      n);
        }
    }
};

Result<void> Receiver::start(const QString &host, int port)
{
    httplib::Server &s = d->server;
    const ReceiverLimits lim = m_limits;
    s.new_task_queue = [this, lim] {
        return new ConnectionQueue(lim.threads, lim.maxQueuedConnections, lim.maxOverflowConnections, m_stats);
    };
    // A connection over the queue's bound: told to wait, before its body is read.
    s.set_pre_routing_handler([this](const httplib::Request &, httplib::Response &res) {
        if (!ConnectionQueue::overflowing())
            return httplib::Server::HandlerResponse::Unhandled;
        ++m_stats.throttled;
        tooBusy(res, "the server has too many connections; try again in a second");
        res.set_header("Connection", "close"); // the body was left unread
        return httplib::Server::HandlerResponse::Handled;
    });
    s.set_read_timeout(lim.readTimeoutSeconds, 0);
    s.set_write_timeout(lim.writeTimeoutSeconds, 0);
    s.set_keep_alive_timeout(lim.readTimeoutSeconds);
    s.set_payload_max_length(lim.maxCompressedBytes);
    s.set_tcp_nodelay(true);
    // httplib's own options add SO_REUSEPORT, which would let a second serve
    // share the port unnoticed; the listening socket is kept to widen its backlog.
    s.set_socket_options([impl = d.get()](int sock) {
        const int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        impl->listening = sock;
    });
    s.set_expect_100_continue_handler([lim](const httplib::Request &req, httplib::Response &res) {
        if (declaredOverCap(req, lim.maxCompressedBytes)) {
            answer(res, 413, QStringLiteral("the body is over %1 MiB").arg(lim.maxCompressedBytes >> 20), true);
            return 413;
        }
        return 100;
    });
    // Browser SDKs post across origins: every answer allows it, and the preflight is answered.
    s.set_post_routing_handler([](const httplib::Request &, httplib::Response &res) {
        res.set_header("Access-Control-Allow-Origin", "*");
        res.set_header("Access-Control-Expose-Headers", "X-Sentry-Error, X-Sentry-Rate-Limits, Retry-After");
    });
    s.Options(R"(/api/(\d+)/(store|envelope)/?)", [](const httplib::Request &, httplib::Response &res) {
        res.status = 200;
        res.set_header("Access-Control-Allow-Methods", "POST, OPTIONS");
        res.set_header("Access-Control-Allow-Headers",
                       "Content-Type, Content-Encoding, X-Sentry-Auth, Authorization, sentry-trace, baggage");
        res.set_header("Access-Control-Max-Age", "3600");
    });
    s.Post(R"(/api/(\d+)/(store|envelope)/?)",
           [this](const httplib::Request &req, httplib::Response &res, const httplib::ContentReader &reader) {
               ++m_stats.requests;
               const std::string number = req.matches[1];
               const bool isEnvelope = req.matches[2] == "envelope";
               // The route's (\d+) is digits only; more than 18 is no site.
               auto site = number.size() <= 18 ? d->site(std::stoll(number)) : std::nullopt;
               if (!site) {
                   answer(res, 403,
                          QStringLiteral("no site number %1 here (errordeck-cli sites list shows them)")
                              .arg(QString::fromStdString(number)),
                          true);
                   return;
               }
               Handlers h{*this, req, res, *site, {}};
               std::string key = req.get_param_value("sentry_key");
               if (key.empty())
                   key = keyFromAuthHeader(req.get_header_value("X-Sentry-Auth"));
               if (key.empty())
                   key = keyFromAuthHeader(req.get_header_value("Authorization"));
               if (!h.authenticate(key, isEnvelope))
                   return;
               if (!h.readBody(reader))
                   return;
               if (isEnvelope)
                   h.envelope(!key.empty());
               else
                   h.store();
           });
    s.set_error_handler([](const httplib::Request &req, httplib::Response &res) {
        if (res.status == 404 && res.body.empty())
            answer(res, 404,
                   QStringLiteral("no such endpoint: %1 (SDKs post to /api/<n>/store/ or /api/<n>/envelope/)")
                       .arg(QString::fromStdString(req.path)));
    });
    const std::string h = host.toStdString();
    if (port == 0) {
        port = s.bind_to_any_port(h);
        if (port <= 0)
            return makeError(QStringLiteral("cannot listen on %1 (any port)").arg(host), ErrorKind::Io);
    } else if (!s.bind_to_port(h, port)) {
        return makeError(
            QStringLiteral("cannot listen on %1:%2: the address is in use or not this machine's").arg(host).arg(port),
            ErrorKind::Io);
    }
    // httplib listens with a backlog of 5: a burst of new connections (a
    // flood, or SDK clients reconnecting) past it waits out TCP's 1 s SYN
    // retry. Listening again on a listening socket only changes the backlog;
    // the queue and its 429s are what bound the work (receive/ConnectionQueue.h).
    if (d->listening >= 0)
        ::listen(d->listening, SOMAXCONN);
    m_host = host;
    m_port = port;
    m_thread = std::thread([this] { d->server.listen_after_bind(); });
    // stop() only stops a server that runs: wait for it to.
    while (!d->server.is_running())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return {};
}

void Receiver::stop()
{
    if (m_thread.joinable()) {
        d->server.stop();
        m_thread.join();
    }
}

} // namespace ed::receive
