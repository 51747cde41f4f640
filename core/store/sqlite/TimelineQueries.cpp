#include "store/TimelineQueries.h"

#include "store/sqlite/Rollups.h"
#include "store/sqlite/Rows.h"
#include "store/sqlite/SearchSql.h"
#include "store/sqlite/Sqlite.h"

#include "store/ReportStore.h"

#include <QDateTime>

namespace ed {

int64_t TimelineQueries::bucketFor(int64_t spanMs, int maxBars)
{
    static const int64_t steps[] = {1'000,         5'000,          10'000,     30'000,         60'000,
                                    300'000,       900'000,        1'800'000,  3'600'000,      3 * 3'600'000,
                                    6 * 3'600'000, 12 * 3'600'000, 86'400'000, 7 * 86'400'000, 30 * 86'400'000LL};
    for (int64_t s : steps)
        if (spanMs / s < maxBars)
            return s;
    return (spanMs / maxBars / 86'400'000 + 1) * 86'400'000;
}

namespace {

// The first and last time of the search's reports; nullopt when none match.
Result<std::optional<std::pair<int64_t, int64_t>>> timeRange(Connection &c, const SearchQuery &q, const SqlFilter &f)
{
    using Range = std::optional<std::pair<int64_t, int64_t>>;
    auto minMax = [&](const QString &from, const std::vector<QVariant> &binds) -> Result<Range> {
        Statement st = c.prepare((QStringLiteral("SELECT min(r.timestamp), max(r.timestamp)") + from).toStdString());
        if (!st.valid())
            return st.failure();
        bindVariants(st, binds);
        if (!st.step())
            return st.failure();
        if (st.isNull(0))
            return Range();
        return Range(std::pair(st.int64(0), st.int64(1)));
    };
    const auto rows = rollupRows(q);
    if (!rows)
        return minMax(f.fromClause(), f.binds);
    // The first and last day (or hour) with reports from the rollups, then the
    // reports of just that day for the exact time.
    Statement st = c.prepare(QStringLiteral("SELECT min(t), max(t) FROM (%1) WHERE n > 0").arg(rows->sql).toStdString());
    if (!st.valid())
        return st.failure();
    bindVariants(st, rows->binds);
    if (!st.step())
        return st.failure();
    if (st.isNull(0))
        return Range();
    const int64_t first = st.int64(0), last = st.int64(1);
    auto within = [&](int64_t from) -> Result<Range> {
        SearchQuery day = q;
        day.since = std::max(q.since.value_or(from), from);
        day.until = std::min(q.until.value_or(from + kDayMs), from + kDayMs);
        auto df = searchSql(day);
        if (!df)
            return df.failure();
        return minMax(df->fromClause(), df->binds);
    };
    auto lo = within(first);
    auto hi = within(last);
    if (!lo || !hi)
        return (!lo ? lo : hi).failure();
    if (!*lo || !*hi)
        return Error{QStringLiteral("the per-issue counts disagree with the reports (run `errordeck-cli check`)")};
    return Range(std::pair((*lo)->first, (*hi)->second));
}

} // namespace

Result<TimelineData> TimelineQueries::buckets(const SearchQuery &q, int maxBars)
{
    auto f = searchSql(q);
    if (!f)
        return f.failure();
    TimelineData d;
    int64_t lo = q.since.value_or(0), hi = q.until.value_or(0);
    if (!q.since || !q.until) {
        auto range = timeRange(connectionOf(m_db), q, *f);
        if (!range)
            return range.failure();
        if (!*range)
            return d; // nothing matches
        if (!q.since)
            lo = (*range)->first;
        if (!q.until)
            hi = q.since ? QDateTime::currentMSecsSinceEpoch() : (*range)->second + 1;
    }
    d.bucket = bucketFor(std::max<int64_t>(hi - lo, 1), maxBars);
    d.start = lo / d.bucket * d.bucket;
    d.buckets = int((hi - 1 - d.start) / d.bucket) + 1;
    // A few bars at least, ending with the last report, so one burst does not fill the chart.
    constexpr int kMinBars = 12;
    if (d.buckets < kMinBars && !q.since) {
        d.start -= int64_t(kMinBars - d.buckets) * d.bucket;
        d.buckets = kMinBars;
    }
    // Bars of whole hours or days count from the rollups when the search allows.
    std::optional<RollupRows> rows;
    if (d.bucket % kHourMs == 0 && d.start % kHourMs == 0)
        rows = rollupRows(q, d.bucket % kDayMs == 0 && d.start % kDayMs == 0 ? kDayMs : kHourMs);
    const QString sql =
        rows ? QStringLiteral("SELECT (t - ?) / ?, level, sum(n) FROM (%1) GROUP BY 1, 2 HAVING sum(n) > 0").arg(rows->sql)
             : QStringLiteral("SELECT (r.timestamp - ?) / ?, r.level, count(*)%1 GROUP BY 1, 2").arg(f->fromClause());
    Statement st = connectionOf(m_db).prepare(sql.toStdString());
    if (!st.valid())
        return st.failure();
    st.bind(1, d.start).bind(2, d.bucket);
    bindVariants(st, rows ? rows->binds : f->binds, 3);
    while (st.step()) {
        const int64_t k = st.int64(0);
        if (k < 0 || k >= d.buckets)
            continue;
        auto &counts = d.byLevel[int(st.int64(1))];
        counts.resize(size_t(d.buckets), 0);
        counts[size_t(k)] += st.int64(2);
        d.total += st.int64(2);
    }
    if (!st.done())
        return st.failure();
    return d;
}

} // namespace ed
