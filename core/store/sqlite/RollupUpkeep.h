#pragma once
// The insert half of the upkeep of issue_hours and issue_days (Rollups.h):
// ReportWriter counts the reports of its batch here and adds them at commit,
// one upsert per key (issue, hour, level, status code, logger, exception type)
// and per the same key by day. A trigger doing the same upserts for every
// report cost about 45 µs a report, 40% of a whole import's time; a batch of
// 5,000 reports of a few hundred issues needs a few hundred upserts. Deletes
// and updates of reports are rarer and come from many places (rules, delete,
// rewrite): triggers keep those.
#include "base/Result.h"
#include "store/sqlite/Sqlite.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ed {

class RollupUpkeep {
public:
    explicit RollupUpkeep(Connection &c);
    bool valid() const;
    QString prepareError() const;

    // One stored report, with the columns as stored (empty text stored as NULL);
    // kept until flush() or clear().
    void add(int64_t issueId, int64_t timestampMs, int level, bool hidden, std::optional<int> statusCode, std::string_view logger,
             std::string_view exceptionType);
    // Adds the batch's counts to the tables, in the writer's transaction.
    Result<void> flush();
    void clear() { m_hours.clear(); }

private:
    struct Key {
        int64_t issueId = 0, unit = 0; // unit: hours (or days) since the epoch
        int level = 0;
        std::optional<int> status;
        std::string logger, type; // empty: none (the schema's X'')
        bool operator==(const Key &o) const
        {
            return issueId == o.issueId && unit == o.unit && level == o.level && status == o.status && logger == o.logger &&
                   type == o.type;
        }
    };
    struct KeyHash {
        size_t operator()(const Key &k) const noexcept
        {
            // An issue's reports mostly share the logger and type: the numbers spread the keys.
            return std::hash<int64_t>()(k.issueId * 1'000'003 + k.unit * 31 + k.level * 7 + k.status.value_or(-1)) ^
                   (std::hash<std::string>()(k.logger) * 3) ^ std::hash<std::string>()(k.type);
        }
    };
    struct Counts {
        int64_t visible = 0, hidden = 0;
    };
    using Map = std::unordered_map<Key, Counts, KeyHash>;
    // Rows of values per upsert statement: a flush of K keys takes K / 64 of
    // the first, then up to 7 of the second and 7 of the last (issue 17: on a
    // server one statement per key was a round trip per key).
    static constexpr std::array<int, 3> kRowsPerStatement{64, 8, 1};
    static Result<void> upsert(std::array<Statement, 3> &sts, const Map &counts);

    std::array<Statement, 3> m_hourSt, m_daySt;
    Map m_hours;
};

} // namespace ed
