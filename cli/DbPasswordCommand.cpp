// errordeck-cli db-password: a PostgreSQL server's password into the system
// keychain, where every errordeck-cli and app process on this machine finds
// it (never a settings file, never the database).
#include "CliContext.h"

#include "KeychainPasswords.h"
#include "base/AppLog.h"
#include "store/DatabaseLocation.h"

#include <cstdio>
#include <string>
#include <termios.h>
#include <unistd.h>

namespace ed::cli {
namespace {

// One line of stdin, without echo on a terminal (a pipe, as in
// `pass show db | errordeck-cli db-password`, is read as it is).
QString readPasswordLine(Context &ctx, bool &ok)
{
    const bool tty = isatty(STDIN_FILENO);
    termios saved{};
    if (tty && tcgetattr(STDIN_FILENO, &saved) == 0) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        ctx.err() << "Password: " << Qt::flush;
    }
    std::string line;
    ok = false;
    for (int ch; (ch = std::getchar()) != EOF;) {
        if (ch == '\n') {
            ok = true;
            break;
        }
        line.push_back(char(ch));
    }
    ok = ok || !line.empty();
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        ctx.err() << Qt::endl;
    }
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    QString out = QString::fromStdString(line);
    std::fill(line.begin(), line.end(), '\0');
    return out;
}

} // namespace

void answerServerPasswordsFromKeychain()
{
    Database::setServerPasswordProvider([](const QString &redactedUrl) -> std::optional<QString> {
        auto pw = KeychainPasswords(5000).serverPassword(redactedUrl);
        if (!pw) {
            applog::info(QStringLiteral("no keychain password for %1: %2").arg(redactedUrl, pw.error()));
            return std::nullopt;
        }
        return *pw;
    });
}

int cmdDbPassword(Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Keeps the password of the PostgreSQL server of --db (or URL) in the system keychain, read from\n"
                       "stdin (one line; not echoed on a terminal), under postgresql:USER@HOST:PORT. Every errordeck-cli\n"
                       "and the app then log in with it when libpq finds none (PGPASSWORD, ~/.pgpass). --forget removes it."));
    addCommonOptions(p);
    p.addOption({QStringLiteral("forget"), QStringLiteral("Remove the kept password instead.")});
    p.addPositionalArgument(QStringLiteral("url"), QStringLiteral("The server's postgresql:// URL (default: --db)."),
                            QStringLiteral("[URL]"));
    if (int rc = parseCommon(p, args, ctx); rc >= 0)
        return rc;
    const QStringList pos = p.positionalArguments();
    if (pos.size() > 1) {
        ctx.err() << "errordeck-cli db-password: give at most one URL" << Qt::endl;
        return Fatal;
    }
    auto where = pos.isEmpty() ? chooseDatabaseLocation(ctx.dbPath) : databaseLocationFrom(pos[0], QStringLiteral("URL"));
    if (!where) {
        ctx.err() << "errordeck-cli db-password: " << where.error() << Qt::endl;
        return Fatal;
    }
    const auto account = serverAccountOf(*where);
    if (!account) {
        ctx.err() << "errordeck-cli db-password: " << oneLine(*where)
                  << " is a database file: only a PostgreSQL server (postgresql://USER@HOST:PORT/DB) has a password" << Qt::endl;
        return Fatal;
    }
    QString password;
    if (!p.isSet(QStringLiteral("forget"))) {
        bool ok = false;
        password = readPasswordLine(ctx, ok);
        if (!ok || password.isEmpty()) {
            ctx.err() << "errordeck-cli db-password: no password on stdin (--forget removes a kept one)" << Qt::endl;
            return Fatal;
        }
    }
    if (auto r = KeychainPasswords().storeServerPassword(*where, password); !r) {
        ctx.err() << "errordeck-cli db-password: " << oneLine(r.error()) << Qt::endl;
        return Fatal;
    }
    ctx.out() << (password.isEmpty() ? "forgot the password of " : "kept the password of ") << account->key()
              << " in the system keychain" << Qt::endl;
    return Ok;
}

} // namespace ed::cli
