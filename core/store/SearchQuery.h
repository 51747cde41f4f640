#pragma once
// The search language of the search bar and `errordeck-cli list --query`,
// after Sentry's: free text (full-text search) plus fields:
//   level:error  level:>=warning  status:500  status:5xx  status:>=400
//   logger:django.request (the logger and its children)  path:/api/*
//   type:KeyError  is:unresolved|resolved|ignored|regression|hidden
//   site:shop.example.com  issue:42  after:2026-11-01  before:2026-11-20T12:00
// A leading '-' or '!' negates a term; "quoted text" keeps spaces together.
#include "base/Result.h"

#include <QString>
#include <QStringList>
#include <QVariant>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace ed {

struct SqlFilter {
    QString where;             // "" or a condition over reports r (and issues i when joinsIssues)
    std::vector<QVariant> binds;
    bool joinsIssues = false;
    QString ftsMatch;          // "" or an FTS5 MATCH expression

    // " FROM reports r [JOIN issues i] [WHERE ...]": the filter's binds follow in order.
    QString fromClause() const;
};

struct SearchQuery {
    QString text; // what the user typed

    // Narrowing that is not in the text: the UI's time range and selected issue.
    std::optional<int64_t> since, until; // ms, inclusive / exclusive
    std::optional<int64_t> issueId;
    bool includeHidden = false;

    // Translates to SQL over `reports r`; an unknown field or a bad value is an error.
    // `loggerShare`, when given, estimates the share of reports (0..1) under a
    // logger prefix: SQLite here has no histogram (no STAT4), and a broad prefix
    // must scan by time rather than collect and sort every match.
    Result<SqlFilter> toSql(const std::function<double(const QString &)> &loggerShare = {}) const;

    // Whether the text parses (the error toSql would give), without SQL: for the UI.
    Result<void> check() const;

    // Field names, for completion in the search bar.
    static QStringList fieldNames();
};

} // namespace ed
