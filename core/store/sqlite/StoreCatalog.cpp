#include "store/sqlite/StoreCatalog.h"

#include "store/sqlite/Sqlite.h"

#include <QString>
#include <algorithm>
#include <array>

namespace ed {

namespace {

// Parents first: a destination with foreign keys (both engines check them)
// takes a report only after its issue, a full-text row after its report.
constexpr std::array<std::string_view, 10> kParentsFirst{"parts",        "issues",      "reports",     "reports_fts",
                                                         "sites",        "site_counts", "alert_rules", "alert_throttle",
                                                         "alert_outbox", "alert_folded"};

size_t orderOf(const std::string &table)
{
    const auto it = std::find(kParentsFirst.begin(), kParentsFirst.end(), table);
    return size_t(it - kParentsFirst.begin());
}

bool isRollup(const std::string &table) { return table == "issue_hours" || table == "issue_days"; }

Result<CatalogColumn::Kind> sqliteKind(const std::string &table, const std::string &column, const QString &declared)
{
    const QString t = declared.toUpper();
    if (t == QLatin1String("INTEGER"))
        return CatalogColumn::Kind::Integer;
    if (t == QLatin1String("TEXT") || t.isEmpty()) // FTS5's columns have no type: text
        return CatalogColumn::Kind::Text;
    if (t == QLatin1String("BLOB"))
        return CatalogColumn::Kind::Blob;
    return Error{QStringLiteral("%1.%2 has the type %3, which copy-store does not know")
                     .arg(QString::fromStdString(table), QString::fromStdString(column), declared)};
}

Result<CatalogColumn::Kind> pgKind(const std::string &table, const std::string &column, const QString &type)
{
    if (type == QLatin1String("bigint") || type == QLatin1String("integer") || type == QLatin1String("smallint"))
        return CatalogColumn::Kind::Integer;
    if (type == QLatin1String("text"))
        return CatalogColumn::Kind::Text;
    if (type == QLatin1String("bytea"))
        return CatalogColumn::Kind::Blob;
    return Error{QStringLiteral("%1.%2 has the type %3, which copy-store does not know")
                     .arg(QString::fromStdString(table), QString::fromStdString(column), type)};
}

Result<std::vector<std::string>> tableNames(Connection &c)
{
    // FTS5 keeps reports_fts in shadow tables (reports_fts_data, ...): the
    // virtual table is what is copied.
    Statement st = c.prepare(
        c.engine() == Engine::Postgres
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
              " AND table_type = 'BASE TABLE' AND table_name <> 'errordeck_schema'"
            : "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
              " AND name NOT LIKE 'reports\\_fts\\_%' ESCAPE '\\'");
    std::vector<std::string> out;
    while (st.step())
        out.emplace_back(st.text(0));
    if (!st.done())
        return st.failure();
    return out;
}

Result<void> readSqliteColumns(Connection &c, CatalogTable &t)
{
    if (t.name == "reports_fts") { // FTS5: the key is the rowid, which pragma_table_info leaves out
        t.columns.push_back({"rowid", "report_id", CatalogColumn::Kind::Integer, false});
        t.key = {0};
    }
    Statement st = c.prepare("SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid");
    st.bind(1, std::string_view(t.name));
    std::vector<std::pair<int64_t, size_t>> key; // (position in the key, column)
    while (st.step()) {
        const std::string name(st.text(0));
        auto kind = sqliteKind(t.name, name, st.qtext(1));
        if (!kind)
            return kind.failure();
        if (st.int64(2) > 0)
            key.emplace_back(st.int64(2), t.columns.size());
        t.columns.push_back({name, name, *kind, false});
    }
    if (!st.done())
        return st.failure();
    std::sort(key.begin(), key.end());
    for (const auto &k : key)
        t.key.push_back(k.second);
    return {};
}

Result<void> readPgColumns(Connection &c, CatalogTable &t)
{
    Statement st = c.prepare("SELECT column_name, data_type, is_identity FROM information_schema.columns"
                             " WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER'"
                             " ORDER BY ordinal_position");
    st.bind(1, std::string_view(t.name));
    while (st.step()) {
        const std::string name(st.text(0));
        auto kind = pgKind(t.name, name, st.qtext(1));
        if (!kind)
            return kind.failure();
        t.columns.push_back({name, name, *kind, st.text(2) == "YES"});
    }
    if (!st.done())
        return st.failure();
    Statement pk = c.prepare("SELECT a.attname FROM pg_catalog.pg_index i"
                             " JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                             " WHERE i.indrelid = to_regclass(?) AND i.indisprimary"
                             " ORDER BY array_position(i.indkey::int2[], a.attnum)");
    pk.bind(1, std::string_view(t.name));
    while (pk.step()) {
        const std::string_view name = pk.text(0);
        for (size_t i = 0; i < t.columns.size(); ++i)
            if (t.columns[i].name == name)
                t.key.push_back(i);
    }
    if (!pk.done())
        return pk.failure();
    return {};
}

} // namespace

Result<std::vector<CatalogTable>> readStoreCatalog(Connection &c)
{
    auto names = tableNames(c);
    if (!names)
        return names.failure();
    std::sort(names->begin(), names->end(), [](const std::string &a, const std::string &b) {
        return std::make_pair(orderOf(a), a) < std::make_pair(orderOf(b), b);
    });
    std::vector<CatalogTable> out;
    for (const std::string &name : *names) {
        CatalogTable t;
        t.name = name;
        t.rollup = isRollup(name);
        auto r = c.engine() == Engine::Postgres ? readPgColumns(c, t) : readSqliteColumns(c, t);
        if (!r)
            return Error{
                QStringLiteral("%1: cannot read the columns of %2: %3").arg(c.path(), QString::fromStdString(name), r.error()),
                r.errorKind()};
        if (t.key.empty())
            return Error{
                QStringLiteral("%1: the table %2 has no primary key to copy it by").arg(c.path(), QString::fromStdString(name))};
        out.push_back(std::move(t));
    }
    return out;
}

} // namespace ed
