#include "CliContext.h"

#include "AppLog.h"

#include <QCoreApplication>
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
        {QStringLiteral("backup"), {cmdBackup, "a consistent copy of the database in one file, while imports run"}},
    };
    return table;
}

void usage(QTextStream &o)
{
    o << "Usage: errordeck-cli COMMAND [options]   (errordeck-cli COMMAND --help for more)\n\nCommands:\n";
    for (const auto &[name, e] : commands())
        o << "  " << name.leftJustified(10) << e.summary << '\n';
    o << "\nEvery command takes --db PATH (default: $ERRORDECK_DB or the app-data folder) and --verbose.\n";
    o.flush();
}

} // namespace

int run(const QStringList &args)
{
    Context ctx;
    if (args.size() < 2 || args[1] == QLatin1String("--help") || args[1] == QLatin1String("-h")
        || args[1] == QLatin1String("help")) {
        usage(ctx.out());
        return args.size() < 2 ? Fatal : Ok;
    }
    if (args[1] == QLatin1String("--version")) {
        ctx.out() << "errordeck-cli " << ERRORDECK_VERSION << Qt::endl;
        return Ok;
    }
    const auto it = commands().find(args[1]);
    if (it == commands().end()) {
        ctx.err() << "errordeck-cli: unknown command '" << args[1] << "'\n";
        usage(ctx.err());
        return Fatal;
    }
    ctx.verbose = args.contains(QStringLiteral("--verbose"));
    applog::init(QStringLiteral("errordeck-cli"), ctx.verbose);
    // The sub-parser sees "errordeck-cli COMMAND" as its program name.
    QStringList sub = args.mid(2);
    sub.prepend(args[0] + QLatin1Char(' ') + args[1]);
    return it->second.run(ctx, sub);
}

} // namespace ed::cli
