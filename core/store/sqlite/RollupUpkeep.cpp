#include "store/sqlite/RollupUpkeep.h"

#include "store/sqlite/Rollups.h"

namespace ed {

namespace {
// The same keys and conflict rule as the schema's triggers (Schema.cpp, schema 8):
// a missing status, logger or type is X'' (sqldialect::rollupNoStatus, rollupNoText).
// The key named and the counts qualified: PostgreSQL wants both.
std::string upsertSql(SqlDialect d, const char *table, const char *unit)
{
    const QString noStatus = sqldialect::rollupNoStatus(d), noText = sqldialect::rollupNoText(d);
    return QStringLiteral("INSERT INTO %1(issue_id, %2, level, status_code, logger, exception_type, visible, hidden)"
                          " VALUES(?1, ?2, ?3, coalesce(?4, %3), coalesce(?5, %4), coalesce(?6, %4), ?7, ?8)"
                          " ON CONFLICT(%2, issue_id, level, status_code, logger, exception_type) DO UPDATE SET"
                          " visible = %1.visible + excluded.visible, hidden = %1.hidden + excluded.hidden")
        .arg(QLatin1String(table), QLatin1String(unit), noStatus, noText)
        .toStdString();
}
} // namespace

RollupUpkeep::RollupUpkeep(Connection &c)
    : m_hourSt(c.prepare(upsertSql(dialectOf(c), "issue_hours", "hour"))),
      m_daySt(c.prepare(upsertSql(dialectOf(c), "issue_days", "day")))
{
}

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
