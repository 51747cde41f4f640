#include "store/TimelineQueries.h"

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

Result<TimelineData> TimelineQueries::buckets(const SearchQuery &q, int maxBars)
{
    auto f = searchSql(q);
    if (!f)
        return f.failure();
    TimelineData d;
    int64_t lo = q.since.value_or(0), hi = q.until.value_or(0);
    if (!q.since || !q.until) {
        Statement st = connectionOf(m_db).prepare(
            (QStringLiteral("SELECT min(r.timestamp), max(r.timestamp)") + f->fromClause()).toStdString());
        if (!st.valid())
            return st.failure();
        bindVariants(st, f->binds);
        if (!st.step())
            return st.failure();
        if (st.isNull(0))
            return d; // nothing matches
        if (!q.since)
            lo = st.int64(0);
        if (!q.until)
            hi = q.since ? QDateTime::currentMSecsSinceEpoch() : st.int64(1) + 1;
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
    const QString sql = QStringLiteral("SELECT (r.timestamp - ?) / ?, r.level, count(*)%1 GROUP BY 1, 2").arg(f->fromClause());
    Statement st = connectionOf(m_db).prepare(sql.toStdString());
    if (!st.valid())
        return st.failure();
    st.bind(1, d.start).bind(2, d.bucket);
    bindVariants(st, f->binds, 3);
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
