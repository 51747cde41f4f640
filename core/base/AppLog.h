#pragma once
// ErrorDeck's own log (not the reports it imports): a rotating file in the
// app-data folder, written through spdlog. Never log a report's content:
// it may hold what the scrubber has not yet seen.
#include <QString>

namespace ed::applog {

// `program` names the file (errordeck.log, errordeck-cli.log). Verbose adds
// debug messages and mirrors warnings to stderr.
void init(const QString &program, bool verbose);
QString logFilePath(const QString &program);

void info(const QString &message);
void warn(const QString &message);
void error(const QString &message);
void debug(const QString &message);

} // namespace ed::applog
