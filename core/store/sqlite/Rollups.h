#pragma once
// The per-issue counts by hour and by day (issue_hours, issue_days: schema 7,
// keyed also by status code, logger and exception type since schema 8; kept
// by ReportWriter and by triggers on reports) as a source of counted rows for
// the chart, the issue list's counts and a search's report count: private to
// core/store.
//
// A search answers from them when it asks only about the level, the status
// code, the logger (and its children), the exception type, the issue (its id,
// status, regression), hidden or not, and time; anything else (a word, a path,
// a site, a message, an event id) needs the reports themselves. The
// time range is split: whole days from issue_days, the whole hours at its ends
// from issue_hours, the part-hours at its very ends from the reports, so the
// counts are exact for any range.
#include "store/SearchQuery.h"
#include "store/sqlite/SqlDialect.h"

#include <QString>
#include <QVariant>
#include <cstdint>
#include <optional>
#include <vector>

namespace ed {

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 86'400'000;

struct RollupRows {
    // SELECT yielding rows (t, issue_id, level, n): n reports of that issue and
    // level in [t, t + unit) where unit is a day, an hour or 1 ms; n may be 0.
    QString sql;
    std::vector<QVariant> binds;
};

// nullopt when the search needs the reports. `coarsest` is the longest unit
// the caller can take (kDayMs, or kHourMs for a chart with bars of hours); the
// rows then start at multiples of it or of a finer unit.
std::optional<RollupRows> rollupRows(const SearchQuery &q, SqlDialect dialect, int64_t coarsest = kDayMs);

// floor(a / b) for b > 0, as the schema's triggers compute hours and days.
constexpr int64_t floorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

} // namespace ed
