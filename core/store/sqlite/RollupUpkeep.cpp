#include "store/sqlite/RollupUpkeep.h"

#include "store/sqlite/Rollups.h"

namespace ed {

namespace {
// The same keys and conflict rule as the schema's triggers (Schema.cpp, schema 8):
// a missing status, logger or type is X''.
constexpr const char
    *kHourUpsert = "INSERT INTO issue_hours(issue_id, hour, level, status_code, logger, exception_type, visible, hidden)"
                   " VALUES(?1, ?2, ?3, coalesce(?4, X''), coalesce(?5, X''), coalesce(?6, X''), ?7, ?8)"
                   " ON CONFLICT DO UPDATE SET visible = visible + excluded.visible, hidden = hidden + excluded.hidden";
constexpr const char
    *kDayUpsert = "INSERT INTO issue_days(issue_id, day, level, status_code, logger, exception_type, visible, hidden)"
                  " VALUES(?1, ?2, ?3, coalesce(?4, X''), coalesce(?5, X''), coalesce(?6, X''), ?7, ?8)"
                  " ON CONFLICT DO UPDATE SET visible = visible + excluded.visible, hidden = hidden + excluded.hidden";
} // namespace

RollupUpkeep::RollupUpkeep(Connection &c) : m_hourSt(c.prepare(kHourUpsert)), m_daySt(c.prepare(kDayUpsert)) { }

void RollupUpkeep::add(int64_t issueId, int64_t timestampMs, int level, bool hidden, std::optional<int> statusCode,
                       std::string_view logger, std::string_view exceptionType)
{
    Counts &n =
        m_hours[Key{issueId, floorDiv(timestampMs, kHourMs), level, statusCode, std::string(logger), std::string(exceptionType)}];
    (hidden ? n.hidden : n.visible) += 1;
}

Result<void> RollupUpkeep::upsert(Statement &st, const Map &counts)
{
    for (const auto &[key, n] : counts) {
        st.bind(1, key.issueId).bind(2, key.unit).bind(3, key.level);
        if (key.status)
            st.bind(4, *key.status);
        else
            st.bindNull(4);
        st.bindTextOrNull(5, std::string_view(key.logger)).bindTextOrNull(6, std::string_view(key.type));
        st.bind(7, n.visible).bind(8, n.hidden);
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
        Key day = key;
        day.unit = floorDiv(key.unit * kHourMs, kDayMs);
        Counts &d = days[day];
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
