#pragma once
// A parsed search (store/SearchQuery.h) as SQL over `reports r`, in the
// engine's dialect where the two differ (SqlDialect.h): private to core/store.
#include "store/SearchQuery.h"
#include "store/sqlite/SqlDialect.h"

#include <QString>
#include <QVariant>
#include <functional>
#include <optional>
#include <vector>

namespace ed {

struct SqlFilter {
    QString where; // "" or a condition over reports r (and issues i when joinsIssues)
    std::vector<QVariant> binds;
    bool joinsIssues = false;
    // The conditions over issues i alone (is:unresolved, is:regression), "" when
    // none: the caller can weigh them (issueShare) and set reportsFirst.
    QString issueWhere;
    // The join walks the reports and looks up each one's issue (CROSS JOIN fixes
    // SQLite's order), instead of gathering the reports of each matching issue and
    // sorting them all: right when the matching issues hold most reports (the
    // newest 100 of is:unresolved stop after about 100 rows), wrong when few do.
    bool reportsFirst = false;
    QString ftsMatch; // "" or an FTS5 MATCH expression (SQLite), a tsquery (PostgreSQL)
    bool visibleOnly = true; // hidden reports left out (r.hidden_by IS NULL is in `where`)
    QString indexedBy; // "" or the index of reports r the caller makes SQLite walk
    SqlDialect dialect = SqlDialect::Sqlite; // what `where` is written in

    // " FROM reports r [INDEXED BY x] [JOIN issues i] [WHERE ...]": the filter's binds follow in order.
    QString fromClause() const;
    // The same for a count, an issue list or a chart, which read only the
    // reports' issue, time, level and hidden flag: under a word, through the
    // index of those by id (reports_fts_cover), one small entry per match
    // instead of each match's row with its compressed body.
    QString aggregateFromClause() const;
    // The time index SQLite can walk newest first under this filter.
    QString timeIndex() const { return visibleOnly ? QStringLiteral("reports_visible_time") : QStringLiteral("reports_time"); }
    // Narrows the full-text condition to rowids >= minRowid (a bound FTS5 seeks
    // to instead of gathering every match); nothing when there is no word.
    void boundFtsRowids(int64_t minRowid);
};

// What a search needs beyond its text, from the database. Each is optional.
struct SearchHints {
    // The share of reports (0..1) under a logger prefix: SQLite here has no
    // histogram (no STAT4), and a broad prefix must scan by time rather than
    // collect and sort every match.
    std::function<double(const QString &)> loggerShare;
    // The indexed terms a word (ASCII letters and digits, lower case) is a
    // prefix of, or nullopt when there are too many. A word then matches as
    // those whole terms (the same reports): FTS5 reads whole terms lazily and
    // seeks in them, where a prefix query gathers every match first.
    std::function<std::optional<QStringList>(const QString &)> prefixTerms;
};

// An unknown field or a bad value is an error.
Result<SqlFilter> searchSql(const SearchQuery &query, SqlDialect dialect, const SearchHints &hints = {});

} // namespace ed
