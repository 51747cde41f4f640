#pragma once
// What every errordeck-cli command shares: the database, the filters, output.
#include "store/Database.h"
#include "base/Result.h"
#include "TerminalText.h"
#include "alert/AlertClock.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonDocument>
#include <QString>
#include <QStringList>
#include <QTextStream>
#include <memory>

namespace ed::cli {

// Exit statuses of the CLI.
// BadSearch: a --query that does not parse (the same 2 as Partial: the input was refused).
enum Exit { Ok = 0, Fatal = 1, Partial = 2, BadSearch = 2 };

class Context {
public:
    Context();
    // Text for people, on stdout and stderr: control characters from reports
    // and file names are replaced (see TerminalText.h), our newlines pass.
    QTextStream &out() { return m_out; }
    QTextStream &err() { return m_err; }
    // Output that must stay byte for byte (show --raw, send --preview, rules
    // export): exact when stdout is a pipe or file, made safe on a terminal.
    QTextStream &exact();
    // stderr unfiltered, for our own terminal control (the \r progress line).
    QTextStream &rawErr() { return m_rawErr; }

    // The command being run ("list"), for messages: "errordeck-cli list: ...".
    QString command;
    // --db PATH, else ERRORDECK_DB, else the platform default.
    QString dbPath;
    bool verbose = false;

    // Opens the database once; prints the error and returns null on failure.
    Database *db();

    // JSON, always exact (its strings are escaped, nothing is replaced).
    void printJson(const QJsonDocument &doc);
    // Prints rows as aligned columns under a header; each cell on one line.
    void printTable(const QStringList &header, const QList<QStringList> &rows);

private:
    // Declared in this order: the streams flush into the devices, which must outlive them.
    QFile m_stdout, m_stderr;
    TerminalSafeDevice m_safeStdout, m_safeStderr;
    QTextStream m_out, m_err, m_rawOut, m_rawErr;
    std::unique_ptr<Database> m_db;
};

// Adds --db and --verbose (shared by all commands) to a parser.
void addCommonOptions(QCommandLineParser &p);
// Parses and applies the common options. Returns -1 to go on, else the exit
// status (0 after --help, Fatal after a usage error).
int parseCommon(QCommandLineParser &p, const QStringList &args, Context &ctx);
// "1 file", "3 files": a count and its noun in English's singular or plural.
inline QString counted(int64_t n, const char *one, const char *many)
{
    return QStringLiteral("%1 %2").arg(n).arg(QString::fromLatin1(n == 1 ? one : many));
}
// Reads a whole-number option (its value, or its default) in [min, max]; the
// same check and message for every command. False after printing the error.
bool numberOption(Context &ctx, const QCommandLineParser &p, const QString &name, int64_t min, int64_t max, int64_t &value);

using Command = int (*)(Context &ctx, const QStringList &args);

int cmdImport(Context &ctx, const QStringList &args);
int cmdWatch(Context &ctx, const QStringList &args); // cli/WatchCommand.cpp
int cmdList(Context &ctx, const QStringList &args);
int cmdShow(Context &ctx, const QStringList &args);
int cmdIssues(Context &ctx, const QStringList &args);
int cmdStats(Context &ctx, const QStringList &args);
int cmdConfig(Context &ctx, const QStringList &args);
int cmdRules(Context &ctx, const QStringList &args); // cli/RulesCommand.cpp
// cli/SendCommands.cpp: e-mailing reports
int cmdSend(Context &ctx, const QStringList &args);
int cmdResend(Context &ctx, const QStringList &args);
int cmdTestEmail(Context &ctx, const QStringList &args);
int cmdSendLog(Context &ctx, const QStringList &args);
int cmdBackup(Context &ctx, const QStringList &args); // cli/BackupCommand.cpp
int cmdCopyStore(Context &ctx, const QStringList &args); // cli/CopyStoreCommand.cpp
int cmdDbPassword(Context &ctx, const QStringList &args); // cli/DbPasswordCommand.cpp
// Database::setServerPasswordProvider for this process: a server's password
// from the system keychain (errordeck-cli db-password keeps it there).
void answerServerPasswordsFromKeychain();
int cmdServe(Context &ctx, const QStringList &args); // cli/ServeCommand.cpp: the Sentry endpoint
int cmdSites(Context &ctx, const QStringList &args); // cli/SitesCommand.cpp
int cmdAlerts(Context &ctx, const QStringList &args); // cli/AlertsCommand.cpp
// The console e-mail backend's output: stdout, as Django's.
void printConsoleMail(const QByteArray &bytes);

// The entry point of errordeck-cli: args[0] is the program, args[1] the command.
int run(const QStringList &args);

} // namespace ed::cli
