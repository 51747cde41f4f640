#pragma once
// `errordeck-cli issues ACTION ID...`: resolve, ignore, merge, split, delete
// issues (store/IssueTriage.h); the list itself is in QueryCommands.cpp.
#include "CliContext.h"
#include "store/SearchQuery.h"

#include <QCommandLineParser>
#include <QString>

namespace ed::cli {

QString issueTriageUsage();
QString issueTriageActions();
void addIssueTriageOptions(QCommandLineParser &p);
// The action named by the first positional argument; `q`: --query, for `counts`.
int runIssueTriage(Context &ctx, const QCommandLineParser &p, Database &db, const SearchQuery &q);

} // namespace ed::cli
