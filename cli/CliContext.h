#pragma once
// What every errordeck-cli command shares: the database, the filters, output.
#include "Database.h"
#include "Result.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QString>
#include <QStringList>
#include <QTextStream>
#include <memory>

namespace ed::cli {

// Exit statuses of the CLI.
enum Exit { Ok = 0, Fatal = 1, Partial = 2 };

class Context {
public:
    Context();
    QTextStream &out() { return m_out; }
    QTextStream &err() { return m_err; }

    // --db PATH, else ERRORDECK_DB, else the platform default.
    QString dbPath;
    bool verbose = false;

    // Opens the database once; prints the error and returns null on failure.
    Database *db();

    void printJson(const QJsonDocument &doc);
    // Prints rows as aligned columns under a header.
    void printTable(const QStringList &header, const QList<QStringList> &rows);

private:
    QTextStream m_out;
    QTextStream m_err;
    std::unique_ptr<Database> m_db;
};

// Adds --db and --verbose (shared by all commands) to a parser.
void addCommonOptions(QCommandLineParser &p);
// Parses and applies the common options. Returns -1 to go on, else the exit
// status (0 after --help, Fatal after a usage error).
int parseCommon(QCommandLineParser &p, const QStringList &args, Context &ctx);

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

// The entry point of errordeck-cli: args[0] is the program, args[1] the command.
int run(const QStringList &args);

} // namespace ed::cli
