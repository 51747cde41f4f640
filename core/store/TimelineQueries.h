#pragma once
// The timeline chart's numbers: reports of a search per time bucket and level.
//
// Bars are whole calendar units of the zone the chart shows (seconds, minutes,
// hours, days, weeks), so that a bar of a day runs from local midnight to local
// midnight and its label says what it holds; a day can then last 23 or 25 hours
// (daylight saving), so the bars are given by their edges, not by one width.
#include "base/Result.h"
#include "store/Database.h"
#include "store/SearchQuery.h"

#include <QTimeZone>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace ed {

// The width of one bar: `count` units.
struct TimelineStep {
    enum class Unit { Second, Minute, Hour, Day, Week };
    Unit unit = Unit::Second;
    int count = 1;

    // The nominal length (a day as 24 hours): for choosing, never for edges.
    int64_t nominalMs() const;
    bool operator==(const TimelineStep &o) const { return unit == o.unit && count == o.count; }
};

struct TimelineData {
    std::vector<int64_t> edges; // buckets + 1 times (ms): bar i is [edges[i], edges[i + 1])
    TimelineStep step;
    QTimeZone zone; // the zone whose calendar the edges follow
    int buckets = 0;
    std::map<int, std::vector<int64_t>> byLevel; // level -> count per bucket
    int64_t total = 0;

    int64_t start() const { return edges.empty() ? 0 : edges.front(); }
    int64_t end() const { return edges.empty() ? 0 : edges.back(); }
    std::pair<int64_t, int64_t> span(int i) const { return {edges[size_t(i)], edges[size_t(i) + 1]}; }
};

class TimelineQueries {
public:
    explicit TimelineQueries(Database &db) : m_db(db) { }

    // The search's reports in at most `maxBars` bars over its time range: the
    // search's since/until where it sets them, else from the first matching
    // report to the last (future-dated ones included; no empty bars before the
    // first). Bars follow `zone`'s calendar.
    Result<TimelineData> buckets(const SearchQuery &q, int maxBars, const QTimeZone &zone = QTimeZone::systemTimeZone());

    // The narrowest step whose bars cover [lo, hi) in at most `maxBars` bars.
    static TimelineStep stepFor(int64_t lo, int64_t hi, int maxBars, const QTimeZone &zone);
    // The bar edges of `step` covering [lo, hi) (hi > lo): the first at or
    // before lo on a boundary of the step in `zone`, the last at or after hi.
    static std::vector<int64_t> edgesFor(int64_t lo, int64_t hi, TimelineStep step, const QTimeZone &zone);

private:
    Database &m_db;
};

} // namespace ed
