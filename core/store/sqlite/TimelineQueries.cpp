#include "store/TimelineQueries.h"

#include "store/sqlite/Rollups.h"
#include "store/sqlite/Rows.h"
#include "store/sqlite/SearchSql.h"
#include "store/sqlite/Sqlite.h"

#include "store/ReportStore.h"

#include <QDateTime>
#include <algorithm>

namespace ed {

namespace {

constexpr int64_t kSecondMs = 1'000, kMinuteMs = 60'000, kWeekMs = 7 * kDayMs;

QTimeZone orUtc(const QTimeZone &zone) { return zone.isValid() ? zone : QTimeZone::utc(); }

// The zone's offset from UTC at `ms`, in ms.
int64_t offsetMs(const QTimeZone &zone, int64_t ms)
{
    return int64_t(zone.offsetFromUtc(QDateTime::fromMSecsSinceEpoch(ms, zone))) * 1000;
}

int64_t gcd(int64_t a, int64_t b) { return b == 0 ? a : gcd(b, a % b); }

} // namespace

int64_t TimelineStep::nominalMs() const
{
    switch (unit) {
    case Unit::Second: return count * kSecondMs;
    case Unit::Minute: return count * kMinuteMs;
    case Unit::Hour: return count * kHourMs;
    case Unit::Day: return count * kDayMs;
    case Unit::Week: return count * kWeekMs;
    }
    return kSecondMs;
}

std::vector<int64_t> TimelineQueries::edgesFor(int64_t lo, int64_t hi, TimelineStep step, const QTimeZone &z)
{
    const QTimeZone zone = orUtc(z);
    std::vector<int64_t> edges;
    if (step.unit == TimelineStep::Unit::Day || step.unit == TimelineStep::Unit::Week) {
        // Local midnights, found through the calendar (a day is not always 24 hours).
        QDate d = QDateTime::fromMSecsSinceEpoch(lo, zone).date();
        int days = step.count;
        if (step.unit == TimelineStep::Unit::Week) {
            d = d.addDays(1 - d.dayOfWeek()); // the Monday of lo's week
            // Bars of several weeks start on a fixed grid (weeks since Monday 1970-01-05).
            const int64_t week = floorDiv(d.toJulianDay() - QDate(1970, 1, 5).toJulianDay(), 7);
            d = d.addDays(-7 * (week - floorDiv(week, step.count) * step.count));
            days = 7 * step.count;
        }
        int64_t edge = QDateTime(d, QTime(0, 0), zone).toMSecsSinceEpoch();
        edges.push_back(edge);
        while (edge < hi) {
            d = d.addDays(days);
            const int64_t next = QDateTime(d, QTime(0, 0), zone).toMSecsSinceEpoch();
            edge = next > edge ? next : edge + step.nominalMs(); // never stalls, whatever the zone says
            edges.push_back(edge);
        }
        return edges;
    }
    // Seconds to hours: a fixed width, aligned to the zone's clock where lo is
    // (so 15-minute bars start at :00, :15... in a zone at +05:45 too).
    const int64_t width = step.nominalMs();
    const int64_t off = offsetMs(zone, lo);
    int64_t edge = floorDiv(lo + off, width) * width - off;
    if (edge > lo)
        edge -= width;
    edges.push_back(edge);
    while (edge < hi) {
        edge += width;
        edges.push_back(edge);
    }
    return edges;
}

TimelineStep TimelineQueries::stepFor(int64_t lo, int64_t hi, int maxBars, const QTimeZone &zone)
{
    using U = TimelineStep::Unit;
    static const TimelineStep steps[] = {{U::Second, 1}, {U::Second, 5},  {U::Second, 10}, {U::Second, 30}, {U::Minute, 1},
                                         {U::Minute, 5}, {U::Minute, 10}, {U::Minute, 15}, {U::Minute, 30}, {U::Hour, 1},
                                         {U::Hour, 2},   {U::Hour, 3},    {U::Hour, 6},    {U::Hour, 12},   {U::Day, 1},
                                         {U::Week, 1},   {U::Week, 2},    {U::Week, 4}};
    const int64_t span = std::max<int64_t>(hi - lo, 1);
    maxBars = std::max(maxBars, 1);
    auto fits = [&](TimelineStep s) {
        // Cheap first: far too many bars by the nominal width.
        if (span / s.nominalMs() > maxBars)
            return false;
        return edgesFor(lo, hi, s, zone).size() - 1 <= size_t(maxBars);
    };
    for (const TimelineStep &s : steps)
        if (fits(s))
            return s;
    TimelineStep weeks{U::Week, int(span / kWeekMs / maxBars) + 1};
    while (!fits(weeks))
        ++weeks.count;
    return weeks;
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
    const SqlDialect d = dialectOf(c);
    const auto rows = rollupRows(q, d);
    if (!rows)
        return minMax(f.aggregateFromClause(), f.binds);
    // The first and last day (or hour) with reports from the rollups, then the
    // reports of just that day for the exact time.
    Statement st = c.prepare(QStringLiteral("SELECT min(t), max(t) FROM (%1) AS u WHERE n > 0").arg(rows->sql).toStdString());
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
        auto df = searchSql(day, d);
        if (!df)
            return df.failure();
        return minMax(df->aggregateFromClause(), df->binds);
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

Result<TimelineData> TimelineQueries::buckets(const SearchQuery &q, int maxBars, const QTimeZone &z)
{
    const SqlDialect dialect = dialectOf(connectionOf(m_db));
    auto f = searchSql(q, dialect);
    if (!f)
        return f.failure();
    TimelineData d;
    d.zone = orUtc(z);
    int64_t lo = q.since.value_or(0), hi = q.until.value_or(0);
    if (!q.since || !q.until) {
        auto range = timeRange(connectionOf(m_db), q, *f);
        if (!range)
            return range.failure();
        if (!*range)
            return d; // nothing matches
        if (!q.since)
            lo = (*range)->first;
        // An open end reaches the last report, even one dated in the future
        // (a clock ahead), and "the last 24 hours" reaches now at least.
        if (!q.until)
            hi = std::max<int64_t>((*range)->second + 1, q.since ? QDateTime::currentMSecsSinceEpoch() : int64_t(0));
    }
    hi = std::max(hi, lo + 1);
    d.step = stepFor(lo, hi, maxBars, d.zone);
    d.edges = edgesFor(lo, hi, d.step, d.zone);
    d.buckets = int(d.edges.size()) - 1;

    // Counted in units of the largest width that divides every bar (an hour
    // for days of a zone with daylight saving, 15 minutes at +05:45), then
    // summed into the bars; the rollups answer when that unit is whole hours.
    const int64_t origin = d.edges.front();
    int64_t unit = 0;
    for (int64_t e : d.edges)
        unit = gcd(unit, e - origin);
    // Bounded by time only where the search is: without a range of its own,
    // the bars hold every report it finds already (they run from its first
    // to its last), and a bound on time steers SQLite's planner to the time
    // index over a narrower one (path:/api/* at 1,000,000 reports: 2.4 s on
    // reports_visible_time, 15 ms on reports_path_prefix).
    SearchQuery within = q;
    if (q.since)
        within.since = std::max(*q.since, origin);
    if (q.until)
        within.until = std::min(*q.until, d.end());
    std::optional<RollupRows> rows;
    if (unit % kHourMs == 0 && origin % kHourMs == 0)
        rows = rollupRows(within, dialect, unit % kDayMs == 0 && origin % kDayMs == 0 ? kDayMs : kHourMs);
    auto wf = searchSql(within, dialect);
    if (!wf)
        return wf.failure();
    const QString sql =
        rows ? QStringLiteral("SELECT (t - ?) / ?, level, sum(n) FROM (%1) AS u GROUP BY 1, 2 HAVING sum(n) > 0").arg(rows->sql)
             : QStringLiteral("SELECT (r.timestamp - ?) / ?, r.level, count(*)%1 GROUP BY 1, 2").arg(wf->aggregateFromClause());
    Statement st = connectionOf(m_db).prepare(sql.toStdString());
    if (!st.valid())
        return st.failure();
    st.bind(1, origin).bind(2, unit);
    bindVariants(st, rows ? rows->binds : wf->binds, 3);
    while (st.step()) {
        const int64_t t = origin + st.int64(0) * unit;
        const auto next = std::upper_bound(d.edges.begin(), d.edges.end(), t);
        if (next == d.edges.begin() || next == d.edges.end())
            continue; // outside the bars (cannot happen: `within` is their range)
        const size_t k = size_t(next - d.edges.begin() - 1);
        auto &counts = d.byLevel[int(st.int64(1))];
        counts.resize(size_t(d.buckets), 0);
        counts[k] += st.int64(2);
        d.total += st.int64(2);
    }
    if (!st.done())
        return st.failure();
    return d;
}

} // namespace ed
