#pragma once
// The timeline chart's numbers: reports of a search per time bucket and level.
#include "base/Result.h"
#include "store/Database.h"
#include "store/SearchQuery.h"

#include <cstdint>
#include <map>
#include <vector>

namespace ed {

struct TimelineData {
    int64_t start = 0; // ms of the first bucket
    int64_t bucket = 0; // ms per bar
    int buckets = 0;
    std::map<int, std::vector<int64_t>> byLevel; // level -> count per bucket
    int64_t total = 0;
};

class TimelineQueries {
public:
    explicit TimelineQueries(Database &db) : m_db(db) { }

    // The search's reports in at most `maxBars` buckets over its time range
    // (the range of the matching reports where the search leaves it open).
    Result<TimelineData> buckets(const SearchQuery &q, int maxBars);

    // Picks the bar width for a span so that it fits in at most `maxBars` bars.
    static int64_t bucketFor(int64_t spanMs, int maxBars);

private:
    Database &m_db;
};

} // namespace ed
