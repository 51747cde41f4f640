// errordeck-cli serve: a Sentry endpoint SDKs send to, storing like watch does.
#include "CliContext.h"
#include "ServeAddress.h"

#include "KeychainPasswords.h"
#include "alert/AlertService.h"
#include "base/AppLog.h"
#include "receive/ReceiveWriter.h"
#include "receive/Receiver.h"
#include "store/SiteStore.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSocketNotifier>
#include <csignal>
#include <mutex>
#include <sys/socket.h>
#include <unistd.h>

namespace ed::cli {
namespace {

// Ctrl+C and SIGTERM end the event loop through a socket (a handler may only write()).
int g_stopPipe[2] = {-1, -1};

void onStop(int)
{
    const char c = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_stopPipe[0], &c, 1);
}

// Events waiting at most; past it the receiver answers 429 (the flood guard).
constexpr size_t kMaxQueued = 20000;

} // namespace

int cmdServe(Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Receive reports from Sentry SDKs (sentry_sdk, @sentry/node, @sentry/browser): point a site's DSN here and "
        "its errors are scrubbed, filtered, grouped and stored like every import. Prints the DSN of each site, then a "
        "line per stored event; runs until Ctrl+C or SIGTERM. Listens on loopback unless told otherwise: the DSN's key "
        "is the only secret, so listen elsewhere only on a network you trust."));
    addCommonOptions(p);
    p.addOption({QStringLiteral("listen"), QStringLiteral("The address and port (default 127.0.0.1:8765; port 0: any free one)."),
                 QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:8765")});
    if (int rc = parseCommon(p, args, ctx); rc >= 0)
        return rc;
    ServeAddress address;
    if (QString why; !parseServeAddress(p.value(QStringLiteral("listen")), address, why)) {
        ctx.err() << "errordeck-cli serve: --listen: " << why << Qt::endl;
        return Fatal;
    }
    Database *db = ctx.db();
    if (!db)
        return Fatal;
    SiteStore sites(*db);
    auto list = sites.list();
    if (list && list->empty()) {
        // A first serve just works: one site to point an SDK at.
        if (auto added = sites.add(QStringLiteral("default")); added)
            list = sites.list();
        ctx.err() << "no sites yet: added the site \"default\" (errordeck-cli sites add NAME adds more)" << Qt::endl;
    }
    if (!list) {
        ctx.err() << "errordeck-cli serve: " << list.error() << Qt::endl;
        return Fatal;
    }
    if (!QCoreApplication::instance()) {
        ctx.err() << "errordeck-cli serve: needs the application's event loop" << Qt::endl;
        return Fatal;
    }

    std::mutex outMutex;
    // Alerts (errordeck-cli alerts): evaluated and sent on a thread of their
    // own after each stored batch and every few seconds; the writer never waits for mail.
    const KeychainPasswords keychain;
    AlertService alerts(db->location(), alertClock(), &keychain, 5000);
    alerts.setConsole(printConsoleMail);
    alerts.setReporter([&](const QString &line) {
        std::lock_guard lock(outMutex);
        ctx.err() << oneLine(line) << Qt::endl;
    });
    receive::ReceiveWriter writer(db->location(), kMaxQueued);
    int64_t storedCount = 0;
    writer.setStoredHandler([&](const std::vector<receive::StoredEvent> &batch) {
        alerts.nudge();
        std::lock_guard lock(outMutex);
        const QString at = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
        for (const receive::StoredEvent &e : batch) {
            if (!e.rejected.isEmpty())
                ctx.out() << at << "  site " << e.site << ": rejected: " << oneLine(e.rejected) << '\n';
            else if (e.duplicate)
                ctx.out() << at << "  site " << e.site << ": duplicate, already stored\n";
            else if (e.dropped)
                ctx.out() << at << "  site " << e.site << ": dropped by a rule\n";
            else {
                ++storedCount;
                ctx.out() << at << "  site " << e.site << ": stored report " << e.reportId << " in issue " << e.issueId
                          << (e.newIssue ? " (new)" : "") << (e.hidden ? " (hidden by a rule)" : "") << '\n';
            }
        }
        ctx.out().flush();
    });
    writer.setErrorHandler([&](const QString &message) {
        std::lock_guard lock(outMutex);
        ctx.err() << "errordeck-cli serve: " << message << Qt::endl;
    });
    if (auto started = writer.start(); !started) {
        ctx.err() << "errordeck-cli serve: " << started.error() << Qt::endl;
        return Fatal;
    }
    alerts.start();
    receive::Receiver receiver(writer);
    receiver.setSites(*list);
    if (auto listening = receiver.start(address.host, address.port); !listening) {
        ctx.err() << "errordeck-cli serve: " << listening.error() << Qt::endl;
        writer.stop();
        return Fatal;
    }
    {
        std::lock_guard lock(outMutex);
        for (const Site &s : *list)
            ctx.out() << "DSN " << receiver.dsnFor(s) << '\n';
        ctx.out().flush();
        if (!receiver.loopback())
            ctx.err() << "warning: listening on " << address.host
                      << ", not loopback: anyone who can reach it and knows a DSN can store reports" << Qt::endl;
        ctx.err() << "receiving on " << receiver.host() << ":" << receiver.port() << " into " << db->path() << " (Ctrl+C to stop)"
                  << Qt::endl;
    }
    applog::info(QStringLiteral("serve on %1:%2 into %3").arg(receiver.host()).arg(receiver.port()).arg(db->path()));

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_stopPipe) != 0) {
        ctx.err() << "errordeck-cli serve: cannot set up signal handling" << Qt::endl;
        return Fatal;
    }
    QSocketNotifier stopNotifier(g_stopPipe[1], QSocketNotifier::Read);
    QObject::connect(&stopNotifier, &QSocketNotifier::activated, qApp, [&stopNotifier] {
        char c;
        [[maybe_unused]] const ssize_t n = ::read(g_stopPipe[1], &c, 1);
        stopNotifier.setEnabled(false);
        QCoreApplication::quit();
    });
    struct sigaction sa = {};
    sa.sa_handler = onStop;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    struct sigaction oldInt = {}, oldTerm = {};
    sigaction(SIGINT, &sa, &oldInt);
    sigaction(SIGTERM, &sa, &oldTerm);
    QCoreApplication::exec();

    // In this order: no new requests, the ones in flight answered, then what
    // waits in the queue stored and committed.
    receiver.stop();
    writer.stop();
    alerts.stop(); // after the writer: what it committed last is looked at once more next time
    sigaction(SIGINT, &oldInt, nullptr);
    sigaction(SIGTERM, &oldTerm, nullptr);
    ::close(g_stopPipe[0]);
    ::close(g_stopPipe[1]);
    g_stopPipe[0] = g_stopPipe[1] = -1;
    std::lock_guard lock(outMutex);
    ctx.err() << "stopped; " << storedCount << " reports stored" << Qt::endl;
    applog::info(QStringLiteral("serve stopped"));
    return Ok;
}

} // namespace ed::cli
