#include "store/sqlite/RollupUpkeep.h"

#include "store/sqlite/Rollups.h"

namespace ed {

namespace {
// The same conflict rule as the schema's triggers (Schema.cpp, schema 7).
constexpr const char
    *kHourUpsert = "INSERT INTO issue_hours(issue_id, hour, level, visible, hidden) VALUES(?,?,?,?,?)"
                   " ON CONFLICT DO UPDATE SET visible = visible + excluded.visible, hidden = hidden + excluded.hidden";
constexpr const char
    *kDayUpsert = "INSERT INTO issue_days(issue_id, day, level, visible, hidden) VALUES(?,?,?,?,?)"
                  " ON CONFLICT DO UPDATE SET visible = visible + excluded.visible, hidden = hidden + excluded.hidden";
} // namespace

RollupUpkeep::RollupUpkeep(Connection &c) : m_hourSt(c.prepare(kHourUpsert)), m_daySt(c.prepare(kDayUpsert)) { }

void RollupUpkeep::add(int64_t issueId, int64_t timestampMs, int level, bool hidden)
{
    Counts &n = m_hours[Key{issueId, floorDiv(timestampMs, kHourMs), level}];
    (hidden ? n.hidden : n.visible) += 1;
}

Result<void> RollupUpkeep::upsert(Statement &st, const Map &counts)
{
    for (const auto &[key, n] : counts) {
        st.bind(1, key.issueId).bind(2, key.unit).bind(3, key.level).bind(4, n.visible).bind(5, n.hidden);
        if (!st.exec())
            return st.failure();
    }
    return {};
}

Result<void> RollupUpkeep::flush()
{
    // Days from the hours: an hour lies in one day (both count from the epoch).
    Map days;
    for (const auto &[key, n] : m_hours) {
        Counts &d = days[Key{key.issueId, floorDiv(key.unit * kHourMs, kDayMs), key.level}];
        d.visible += n.visible;
        d.hidden += n.hidden;
    }
    if (auto r = upsert(m_hourSt, m_hours); !r)
        return r;
    if (auto r = upsert(m_daySt, days); !r)
        return r;
    m_hours.clear();
    return {};
}

} // namespace ed
