#pragma once
// How ReportStore::listReports plans a page of reports at 1,000,000 of them
// (issue 13), beyond the SQL of the search (SearchSql.h): private to core/store.
// SQLite here has no statistics (no ANALYZE, no STAT4), so where its choice of
// plan depends on how many reports match, these weigh it first.
#include "base/Result.h"
#include "store/SearchQuery.h"
#include "store/sqlite/SearchSql.h"
#include "store/sqlite/Sqlite.h"

#include <QStringList>
#include <optional>
#include <vector>

namespace ed {

// The share (0..1) of reports whose issue meets `issueWhere` (SQL over issues
// i, SqlFilter::issueWhere), from the issue counters.
double issueShare(Connection &c, const QString &issueWhere);

// The indexed terms `word` is a prefix of (SearchHints::prefixTerms), from a
// vocabulary view of the full-text index in the connection's temp schema.
std::optional<QStringList> prefixTerms(Connection &c, const QString &word);

// Whether the search has a path: term (not negated).
bool hasPathPrefix(const SearchQuery &q);

// Whether the search's path prefix is shared by many reports (a capped count on
// its index): then walking the reports by time meets the newest matches soon,
// where the path's index would gather and sort them all.
Result<bool> pathIsBroad(Connection &c, const SqlFilter &f);

// Adds a condition before the others: the full-text one stays last
// (SqlFilter::boundFtsRowids).
void prependCondition(SqlFilter &f, const QString &cond, const std::vector<QVariant> &binds);

// The newest rows under a word: SQLite would gather every match (a common word
// is in a third of the reports) and sort them. The newest reports hold the
// answer when the word is common: `bounded` is the search limited to the
// newest window of reports in its time range (by time, and by id for the
// full-text index to seek to), walked newest first. The window's reports come
// before every other in this order, so a full page from it is the page of the
// whole search; so is any page when `wholeRange` (the window held every
// report in range). nullopt: no report in range at all.
struct NewestWindow {
    SqlFilter bounded;
    bool wholeRange = false;
};
Result<std::optional<NewestWindow>> newestWindow(Connection &c, const SearchQuery &q, const SqlFilter &f,
                                                 const QString &afterCond, const std::vector<QVariant> &afterBinds);

} // namespace ed
