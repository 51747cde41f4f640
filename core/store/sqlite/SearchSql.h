#pragma once
// A parsed search (store/SearchQuery.h) as SQLite SQL over `reports r`:
// private to core/store.
#include "store/SearchQuery.h"

#include <QString>
#include <QVariant>
#include <functional>
#include <vector>

namespace ed {

struct SqlFilter {
    QString where; // "" or a condition over reports r (and issues i when joinsIssues)
    std::vector<QVariant> binds;
    bool joinsIssues = false;
    QString ftsMatch; // "" or an FTS5 MATCH expression

    // " FROM reports r [JOIN issues i] [WHERE ...]": the filter's binds follow in order.
    QString fromClause() const;
};

// An unknown field or a bad value is an error. `loggerShare`, when given,
// estimates the share of reports (0..1) under a logger prefix: SQLite here has
// no histogram (no STAT4), and a broad prefix must scan by time rather than
// collect and sort every match.
Result<SqlFilter> searchSql(const SearchQuery &query, const std::function<double(const QString &)> &loggerShare = {});

} // namespace ed
