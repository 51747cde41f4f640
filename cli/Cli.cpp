#include "CliContext.h"

#include "base/AppLog.h"

#include <QCoreApplication>
#include <algorithm>
#include <map>

namespace ed::cli {
namespace {

struct Entry {
    Command run;
    const char *summary;
};

const std::map<QString, Entry> &commands()
{
    static const std::map<QString, Entry> table = {
        {QStringLiteral("import"), {cmdImport, "import report files, e-mails and folders"}},
        {QStringLiteral("watch"), {cmdWatch, "watch folders and import files and e-mails as they arrive"}},
        {QStringLiteral("list"), {cmdList, "list stored reports (--query, --limit, --all, --json)"}},
        {QStringLiteral("show"), {cmdShow, "show one report (--json, --raw)"}},
        {QStringLiteral("issues"), {cmdIssues, "list issues (grouped reports)"}},
        {QStringLiteral("stats"), {cmdStats, "totals by level, logger and status"}},
        {QStringLiteral("config"), {cmdConfig, "per-database settings by Django's names (list, get, set, unset)"}},
        {QStringLiteral("rules"), {cmdRules, "drop, hide, 404 and scrubbing rules (list, add, remove, test, apply, export)"}},
        {QStringLiteral("send"), {cmdSend, "e-mail a report to ADMINS (or --managers, --to ADDR) as Django would have"}},
        {QStringLiteral("resend"), {cmdResend, "send a logged message again (new Message-ID and Date)"}},
        {QStringLiteral("test-email"), {cmdTestEmail, "send a test message through the EMAIL_* settings"}},
        {QStringLiteral("sendlog"), {cmdSendLog, "every attempt to e-mail a report (--json)"}},
        {QStringLiteral("serve"), {cmdServe, "receive reports from Sentry SDKs (prints each site's DSN)"}},
        {QStringLiteral("sites"), {cmdSites, "the sites that send with a Sentry SDK (list, add, dsn, rotate-key)"}},
        {QStringLiteral("alerts"),
         {cmdAlerts, "alert rules and digests (list, add, remove, test, dry-run, digest, run, outbox)"}},
        {QStringLiteral("backup"), {cmdBackup, "a consistent copy of the database in one file, while imports run"}},
        {QStringLiteral("copy-store"),
         {cmdCopyStore, "copy a whole database into another: SQLite into PostgreSQL and back (resumable, verified)"}},
        {QStringLiteral("db-password"),
         {cmdDbPassword, "keep a PostgreSQL server's password in the system keychain (read from stdin)"}},
    };
    return table;
}

void usage(QTextStream &o)
{
    qsizetype width = 0;
    for (const auto &[name, e] : commands())
        width = std::max(width, name.size());
    o << "Usage: errordeck-cli [--db PATH] [--verbose] COMMAND [options] [arguments]\n"
         "       errordeck-cli COMMAND --help      (a command's options)\n"
         "       errordeck-cli --version\n\nCommands:\n";
    for (const auto &[name, e] : commands())
        o << "  " << name.leftJustified(width + 2) << e.summary << '\n';
    o << "\nGlobal options, before or after the command:\n"
         "  --db PATH   the database: a file (a path or file:PATH) or postgresql://USER@HOST:PORT/DB\n"
         "              (default: $ERRORDECK_DB or the app-data folder)\n"
         "  --verbose   more detail in the log, mirrored to stderr\n";
    o.flush();
}

bool isHelp(const QString &a) { return a == QLatin1String("--help") || a == QLatin1String("-h"); }

} // namespace

int run(const QStringList &args)
{
    Context ctx;
    // Global options come before the command, as with git or docker
    // (errordeck-cli --db X list). They are handed on to the command's own
    // parser, which checks them like the ones after the command.
    QStringList global;
    qsizetype i = 1;
    for (; i < args.size() && args[i].startsWith(QLatin1Char('-')); ++i) {
        const QString &a = args[i];
        if (isHelp(a)) {
            usage(ctx.out());
            return Ok;
        }
        if (a == QLatin1String("--version")) {
            ctx.out() << "errordeck-cli " << ERRORDECK_VERSION << Qt::endl;
            return Ok;
        }
        if (a == QLatin1String("--verbose") || a.startsWith(QLatin1String("--db="))) {
            global << a;
        } else if (a == QLatin1String("--db") && i + 1 < args.size()) {
            global << a << args[i + 1];
            ++i;
        } else {
            ctx.err() << "errordeck-cli: "
                      << (a == QLatin1String("--db") ? QStringLiteral("--db needs a database file or URL")
                                                     : QStringLiteral("unknown option '%1' before the command").arg(a))
                      << " (see errordeck-cli --help)" << Qt::endl;
            return Fatal;
        }
    }
    if (i >= args.size()) {
        usage(ctx.out());
        return Fatal;
    }
    QString name = args[i];
    QStringList rest = args.mid(i + 1);
    if (name == QLatin1String("help")) { // errordeck-cli help [COMMAND]
        if (rest.isEmpty()) {
            usage(ctx.out());
            return Ok;
        }
        if (!commands().count(rest.first())) {
            ctx.err() << "errordeck-cli help: unknown command '" << rest.first() << "'\n";
            usage(ctx.err());
            return Fatal;
        }
        name = rest.first();
        rest = {QStringLiteral("--help")};
    }
    const auto it = commands().find(name);
    if (it == commands().end()) {
        ctx.err() << "errordeck-cli: unknown command '" << name << "'\n";
        usage(ctx.err());
        return Fatal;
    }
    ctx.command = name;
    const qsizetype endOfOptions = rest.indexOf(QStringLiteral("--"));
    ctx.verbose = global.contains(QStringLiteral("--verbose")) ||
                  rest.mid(0, endOfOptions < 0 ? rest.size() : endOfOptions).contains(QStringLiteral("--verbose"));
    applog::init(QStringLiteral("errordeck-cli"), ctx.verbose);
    // The sub-parser sees "errordeck-cli COMMAND" as its program name.
    QStringList sub = global + rest;
    sub.prepend(QStringLiteral("errordeck-cli ") + name);
    return it->second.run(ctx, sub);
}

} // namespace ed::cli
