// errordeck-cli sites: the sites that send with a Sentry SDK, their keys and DSNs.
#include "CliContext.h"
#include "ServeAddress.h"

#include "receive/SentryAuth.h"
#include "store/SiteStore.h"

namespace ed::cli {

int cmdSites(Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("The sites that send reports with a Sentry SDK (see errordeck-cli serve).\n"
                                               "  sites list               number, name, DSN and what their SDKs counted\n"
                                               "  sites add NAME           a new site with the next number and a fresh key\n"
                                               "  sites dsn NAME           the DSN to give the site's sentry_sdk.init(dsn=...)\n"
                                               "  sites rotate-key NAME    a fresh key: SDKs still sending the old one get 403"));
    addCommonOptions(p);
    p.addOption({QStringLiteral("listen"), QStringLiteral("The address serve listens on, for the DSN (default 127.0.0.1:8765)."),
                 QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:8765")});
    p.addPositionalArgument(QStringLiteral("action"), QStringLiteral("list, add, dsn or rotate-key"),
                            QStringLiteral("ACTION [NAME]"));
    if (int rc = parseCommon(p, args, ctx); rc >= 0)
        return rc;
    const QStringList pos = p.positionalArguments();
    const QString action = pos.value(0, QStringLiteral("list"));
    ServeAddress address;
    if (QString why; !parseServeAddress(p.value(QStringLiteral("listen")), address, why)) {
        ctx.err() << "errordeck-cli sites: --listen: " << why << Qt::endl;
        return Fatal;
    }
    auto dsn = [&](const Site &s) {
        return QString::fromStdString(
            receive::makeDsn(s.publicKey.toStdString(), address.host.toStdString(), address.port, s.number));
    };
    const bool needsName = action != QLatin1String("list");
    if (action != QLatin1String("list") && action != QLatin1String("add") && action != QLatin1String("dsn") &&
        action != QLatin1String("rotate-key")) {
        ctx.err() << "errordeck-cli sites: unknown action \"" << action << "\" (list, add, dsn, rotate-key)" << Qt::endl;
        return Fatal;
    }
    if (needsName && pos.size() != 2) {
        ctx.err() << "errordeck-cli sites " << action << ": name one site" << Qt::endl;
        return Fatal;
    }
    Database *db = ctx.db();
    if (!db)
        return Fatal;
    SiteStore store(*db);
    if (action == QLatin1String("list")) {
        auto sites = store.list();
        if (!sites) {
            ctx.err() << "errordeck-cli sites: " << sites.error() << Qt::endl;
            return Fatal;
        }
        QList<QStringList> rows;
        for (const Site &s : *sites) {
            QStringList counted;
            if (auto c = store.counts(s.number); c)
                for (const SiteCount &n : *c)
                    counted << (n.kind == QLatin1String("dropped")
                                    ? QStringLiteral("the SDK dropped %1 events: %2").arg(n.count).arg(n.reason)
                                    : QStringLiteral("%1 sessions %2").arg(n.count).arg(n.reason));
            rows << QStringList{QString::number(s.number), s.name, dsn(s), counted.join(QStringLiteral("; "))};
        }
        if (rows.isEmpty())
            ctx.out() << "no sites yet: errordeck-cli sites add NAME" << Qt::endl;
        else
            ctx.printTable({QStringLiteral("NUMBER"), QStringLiteral("NAME"), QStringLiteral("DSN"), QStringLiteral("COUNTED")},
                           rows);
        return Ok;
    }
    const QString name = pos.at(1);
    auto site = action == QLatin1String("add")          ? store.add(name)
                : action == QLatin1String("rotate-key") ? store.rotateKey(name)
                                                        : store.byName(name);
    if (!site) {
        ctx.err() << "errordeck-cli sites " << action << ": " << site.error() << Qt::endl;
        return Fatal;
    }
    ctx.out() << dsn(*site) << Qt::endl;
    return Ok;
}

} // namespace ed::cli
