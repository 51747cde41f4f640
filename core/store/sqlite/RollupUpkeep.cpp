#include "store/sqlite/RollupUpkeep.h"

#include "store/sqlite/Rollups.h"

namespace ed {

namespace {
// The same keys and conflict rule as the schema's triggers (Schema.cpp, schema 8):
// a missing status, logger or type is X'' (sqldialect::rollupNoStatus, rollupNoText).
// The key named and the counts qualified: PostgreSQL wants both. `rows` rows
// of values, ?8r+1..?8r+8 the row r: one statement, so one round trip to a
// server, for many keys. The keys of one flush are distinct (a map's), as
// PostgreSQL wants of one INSERT ... ON CONFLICT DO UPDATE.
std::string upsertSql(SqlDialect d, const char *table, const char *unit, int rows)
{
    const QString noStatus = sqldialect::rollupNoStatus(d), noText = sqldialect::rollupNoText(d);
    QString values;
    for (int r = 0; r < rows; ++r) {
        const int p = 8 * r;
        values += QStringLiteral("%1(?%2, ?%3, ?%4, coalesce(?%5, %9), coalesce(?%6, %10), coalesce(?%7, %10), ?%8, ?%11)")
                      .arg(r ? QStringLiteral(", ") : QString())
                      .arg(p + 1)
                      .arg(p + 2)
                      .arg(p + 3)
                      .arg(p + 4)
                      .arg(p + 5)
                      .arg(p + 6)
                      .arg(p + 7)
                      .arg(noStatus, noText)
                      .arg(p + 8);
    }
    return QStringLiteral("INSERT INTO %1(issue_id, %2, level, status_code, logger, exception_type, visible, hidden)"
                          " VALUES%3"
                          " ON CONFLICT(%2, issue_id, level, status_code, logger, exception_type) DO UPDATE SET"
                          " visible = %1.visible + excluded.visible, hidden = %1.hidden + excluded.hidden")
        .arg(QLatin1String(table), QLatin1String(unit), values)
        .toStdString();
}
} // namespace

RollupUpkeep::RollupUpkeep(Connection &c)
{
    for (size_t i = 0; i < kRowsPerStatement.size(); ++i) {
        m_hourSt[i] = c.prepare(upsertSql(dialectOf(c), "issue_hours", "hour", kRowsPerStatement[i]));
        m_daySt[i] = c.prepare(upsertSql(dialectOf(c), "issue_days", "day", kRowsPerStatement[i]));
    }
}

bool RollupUpkeep::valid() const
{
    for (size_t i = 0; i < kRowsPerStatement.size(); ++i)
        if (!m_hourSt[i].valid() || !m_daySt[i].valid())
            return false;
    return true;
}

QString RollupUpkeep::prepareError() const
{
    for (size_t i = 0; i < kRowsPerStatement.size(); ++i) {
        if (!m_hourSt[i].valid())
            return m_hourSt[i].prepareError();
        if (!m_daySt[i].valid())
            return m_daySt[i].prepareError();
    }
    return QString();
}

void RollupUpkeep::add(int64_t issueId, int64_t timestampMs, int level, bool hidden, std::optional<int> statusCode,
                       std::string_view logger, std::string_view exceptionType)
{
    Counts &n =
        m_hours[Key{issueId, floorDiv(timestampMs, kHourMs), level, statusCode, std::string(logger), std::string(exceptionType)}];
    (hidden ? n.hidden : n.visible) += 1;
}

Result<void> RollupUpkeep::upsert(std::array<Statement, 3> &sts, const Map &counts)
{
    auto it = counts.begin();
    size_t left = counts.size();
    // As many of the largest statement as fit, then the smaller ones for the rest.
    for (size_t s = 0; s < kRowsPerStatement.size(); ++s) {
        Statement &st = sts[s];
        const size_t rows = size_t(kRowsPerStatement[s]);
        for (; left >= rows; left -= rows) {
            for (int r = 0; r < int(rows); ++r, ++it) {
                const auto &[key, n] = *it;
                const int p = 8 * r;
                st.bind(p + 1, key.issueId).bind(p + 2, key.unit).bind(p + 3, key.level);
                if (key.status)
                    st.bind(p + 4, *key.status);
                else
                    st.bindNull(p + 4);
                st.bindTextOrNull(p + 5, std::string_view(key.logger)).bindTextOrNull(p + 6, std::string_view(key.type));
                st.bind(p + 7, n.visible).bind(p + 8, n.hidden);
            }
            if (!st.exec())
                return st.failure();
        }
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
