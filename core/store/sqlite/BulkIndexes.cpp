#include "store/sqlite/BulkIndexes.h"

#include "store/sqlite/Schema.h"
#include "store/sqlite/Sqlite.h"

#include <algorithm>

namespace ed {

namespace {

// "IN ('a', 'b', ...)" of the deferrable names (fixed identifiers, no input).
std::string nameList()
{
    std::string in = "(";
    for (const std::string &n : deferrableIndexNames())
        in += (in.size() > 1 ? ", '" : "'") + n + "'";
    return in + ")";
}

Result<std::vector<DeferredIndex>> indexesIn(Connection &c)
{
    Statement st = c.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND name IN " + nameList() +
                             " ORDER BY name");
    std::vector<DeferredIndex> out;
    while (st.step())
        out.push_back({std::string(st.text(0)), std::string(st.text(1))});
    if (!st.done())
        return st.failure();
    return out;
}

// "CREATE INDEX x ..." as "CREATE INDEX IF NOT EXISTS x ...": another
// connection may have built it meanwhile.
std::string ifNotExists(const std::string &sql)
{
    constexpr std::string_view head = "CREATE INDEX ";
    if (sql.compare(0, head.size(), head) != 0)
        return sql;
    return std::string(head) + "IF NOT EXISTS " + sql.substr(head.size());
}

} // namespace

const std::vector<std::string> &deferrableIndexNames()
{
    // Not reports_time, reports_visible_time, reports_fts_cover: queries name
    // them (SearchSql.h's timeIndex(), the full-text cover); nor the unique
    // dedup_key index the writer's own look-ups need.
    static const std::vector<std::string> names = {"reports_level",       "reports_logger", "reports_status", "reports_site",
                                                   "reports_path",        "reports_type",   "reports_issue",  "reports_message",
                                                   "reports_path_prefix", "reports_origin"};
    return names;
}

Result<std::vector<DeferredIndex>> dropDeferrableIndexes(Connection &c)
{
    auto indexes = indexesIn(c);
    if (!indexes)
        return indexes;
    for (const DeferredIndex &ix : *indexes)
        if (auto r = c.exec("DROP INDEX " + ix.name); !r)
            return r.failure();
    return indexes;
}

Result<void> restoreDeferredIndexes(Connection &c, const std::vector<DeferredIndex> &indexes)
{
    if (indexes.empty())
        return {};
    Transaction tx(c);
    if (!tx.active())
        return c.failure();
    for (const DeferredIndex &ix : indexes)
        if (auto r = c.exec(ifNotExists(ix.sql)); !r)
            return r;
    return tx.commit();
}

Result<void> restoreMissingIndexes(Connection &c)
{
    auto present = indexesIn(c);
    if (!present)
        return present.failure();
    if (present->size() == deferrableIndexNames().size())
        return {};
    // Their SQL as this build's schema writes it: the migrations run in memory.
    Connection reference;
    if (auto r = reference.open(QStringLiteral(":memory:"), true); !r)
        return r;
    for (std::string_view step : schemaMigrations())
        if (auto r = reference.exec(step); !r)
            return r;
    auto wanted = indexesIn(reference);
    if (!wanted)
        return wanted.failure();
    std::vector<DeferredIndex> missing;
    for (const DeferredIndex &ix : *wanted)
        if (std::none_of(present->begin(), present->end(), [&](const DeferredIndex &p) { return p.name == ix.name; }))
            missing.push_back(ix);
    return restoreDeferredIndexes(c, missing);
}

} // namespace ed
