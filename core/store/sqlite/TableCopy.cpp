#include "store/sqlite/TableCopy.h"

#include "store/StoreCopy.h"
#include "store/sqlite/Sqlite.h"

#include <QString>
#include <algorithm>

namespace ed {

namespace {

using Kind = CatalogColumn::Kind;

// Rows per INSERT: one round trip to a server for many rows, and well under
// both engines' limit of parameters per statement (SQLite 32,766, PostgreSQL 65,535).
constexpr size_t kRowsPerInsert = 100;

// Both engines take "name" as an identifier; rowid (FTS5's key) is no column to quote.
std::string quoted(const std::string &name) { return name == "rowid" ? name : '"' + name + '"'; }

QString tableName(const std::string &name) { return QString::fromStdString(name); }

CopyCell readCell(const Statement &st, int col, Kind kind)
{
    CopyCell c;
    if (st.isNull(col))
        return c;
    c.null = false;
    if (kind == Kind::Integer)
        c.number = st.int64(col);
    else
        c.bytes = std::string(kind == Kind::Blob ? st.blob(col) : st.text(col));
    return c;
}

void bindCell(Statement &st, int i, const CopyCell &c, Kind kind)
{
    if (c.null)
        st.bindNull(i);
    else if (kind == Kind::Integer)
        st.bind(i, c.number);
    else if (kind == Kind::Blob)
        st.bindBlob(i, c.bytes); // the bytes as they are: a zstd body is never recompressed
    else
        st.bind(i, std::string_view(c.bytes));
}

} // namespace

Result<TableCopy> TableCopy::match(const CatalogTable &source, const CatalogTable &destination)
{
    TableCopy t;
    t.m_name = source.name;
    t.m_rollup = source.rollup;
    const auto differs = [&](const QString &why) {
        return Error{QStringLiteral("the table %1 differs between the two databases (%2): are they at one schema version?")
                         .arg(tableName(source.name), why)};
    };
    if (source.columns.size() != destination.columns.size())
        return differs(QStringLiteral("%1 columns against %2").arg(source.columns.size()).arg(destination.columns.size()));
    for (const CatalogColumn &s : source.columns) {
        const auto d = std::find_if(destination.columns.begin(), destination.columns.end(),
                                    [&](const CatalogColumn &c) { return c.sameAs == s.sameAs; });
        if (d == destination.columns.end())
            return differs(QStringLiteral("no column %1 in the destination").arg(QString::fromStdString(s.sameAs)));
        // The rollups' "none" keys are typed differently (X'' against -1 and ''): rebuilt, never copied.
        if (d->kind != s.kind && !source.rollup)
            return differs(QStringLiteral("the column %1 has another type").arg(QString::fromStdString(s.sameAs)));
        t.m_sourceNames.push_back(s.name);
        t.m_destinationNames.push_back(d->name);
        t.m_kinds.push_back(d->kind);
    }
    t.m_key = source.key;
    return t;
}

bool TableCopy::integerKey() const { return m_key.size() == 1 && m_kinds[m_key[0]] == Kind::Integer; }

std::string TableCopy::columnList(bool source) const
{
    std::string out;
    for (const std::string &n : source ? m_sourceNames : m_destinationNames)
        out += (out.empty() ? "" : ", ") + quoted(n);
    return out;
}

std::string TableCopy::keyList(bool source, const char *direction) const
{
    std::string out;
    for (size_t k : m_key)
        out += (out.empty() ? "" : ", ") + quoted((source ? m_sourceNames : m_destinationNames)[k]) + direction;
    return out;
}

std::string TableCopy::withoutMarker(bool source) const
{
    // The marker is the destination's own row of config, never the source's.
    if (m_name != "config")
        return {};
    return " AND " + quoted((source ? m_sourceNames : m_destinationNames)[m_key[0]]) + " <> '" + kCopyMarker + "'";
}

Result<int64_t> TableCopy::sourceRows(Connection &source) const
{
    return source.scalar("SELECT count(*) FROM " + quoted(m_name) + " WHERE 1 = 1" + withoutMarker(true));
}

Result<int64_t> TableCopy::destinationRows(Connection &destination) const
{
    return destination.scalar("SELECT count(*) FROM " + quoted(m_name) + " WHERE 1 = 1" + withoutMarker(false));
}

Result<std::optional<CopyRow>> TableCopy::lastKey(Connection &destination) const
{
    std::string keys;
    for (size_t k : m_key)
        keys += (keys.empty() ? "" : ", ") + quoted(m_destinationNames[k]);
    Statement st = destination.prepare("SELECT " + keys + " FROM " + quoted(m_name) + " WHERE 1 = 1" + withoutMarker(false) +
                                       " ORDER BY " + keyList(false, " DESC") + " LIMIT 1");
    if (!st.step())
        return st.done() ? Result<std::optional<CopyRow>>(std::optional<CopyRow>()) : st.failure();
    CopyRow key;
    for (size_t i = 0; i < m_key.size(); ++i)
        key.push_back(readCell(st, int(i), m_kinds[m_key[i]]));
    return std::optional<CopyRow>(std::move(key));
}

CopyRow TableCopy::keyOf(const CopyRow &row) const
{
    CopyRow key;
    for (size_t k : m_key)
        key.push_back(row[k]);
    return key;
}

Result<std::vector<CopyRow>> TableCopy::read(Connection &source, const std::optional<CopyRow> &after, int limit) const
{
    // Keyset paging: (k1, k2) > (?, ?) in key order. Text keys compare as bytes
    // on both engines (SQLite's BINARY, PostgreSQL's COLLATE "C"), blobs too.
    std::string where = " WHERE 1 = 1" + withoutMarker(true);
    if (after) {
        std::string keys, marks;
        for (size_t k : m_key) {
            keys += (keys.empty() ? "" : ", ") + quoted(m_sourceNames[k]);
            marks += marks.empty() ? "?" : ", ?";
        }
        where += m_key.size() == 1 ? " AND " + keys + " > ?" : " AND (" + keys + ") > (" + marks + ")";
    }
    Statement st = source.prepare("SELECT " + columnList(true) + " FROM " + quoted(m_name) + where + " ORDER BY " +
                                  keyList(true, "") + " LIMIT ?");
    int i = 1;
    if (after)
        for (size_t k = 0; k < m_key.size(); ++k)
            bindCell(st, i++, (*after)[k], m_kinds[m_key[k]]);
    st.bind(i, int64_t(limit));
    std::vector<CopyRow> rows;
    while (st.step()) {
        CopyRow row;
        row.reserve(m_kinds.size());
        for (size_t c = 0; c < m_kinds.size(); ++c)
            row.push_back(readCell(st, int(c), m_kinds[c]));
        rows.push_back(std::move(row));
    }
    if (!st.done())
        return Error{QStringLiteral("reading %1: %2").arg(tableName(m_name), st.error()), st.failure().kind};
    return rows;
}

Result<void> TableCopy::write(Connection &destination, const std::vector<CopyRow> &rows) const
{
    const auto insertOf = [&](size_t n) {
        std::string one = "(";
        for (size_t c = 0; c < m_kinds.size(); ++c)
            one += c ? ", ?" : "?";
        one += ')';
        std::string sql = "INSERT INTO " + quoted(m_name) + " (" + columnList(false) + ") VALUES ";
        for (size_t r = 0; r < n; ++r)
            sql += (r ? ", " : "") + one;
        return destination.prepare(sql);
    };
    Statement full;
    for (size_t start = 0; start < rows.size(); start += kRowsPerInsert) {
        const size_t n = std::min(kRowsPerInsert, rows.size() - start);
        Statement part;
        if (n == kRowsPerInsert && !full.valid())
            full = insertOf(n);
        Statement &st = n == kRowsPerInsert ? full : (part = insertOf(n));
        int i = 1;
        for (size_t r = start; r < start + n; ++r)
            for (size_t c = 0; c < m_kinds.size(); ++c)
                bindCell(st, i++, rows[r][c], m_kinds[c]);
        if (!st.exec())
            return Error{QStringLiteral("writing %1: %2").arg(tableName(m_name), st.error()), st.failure().kind};
        st.reset();
    }
    return {};
}

Result<TableCopy::Figures> TableCopy::figures(Connection &c, bool isSource) const
{
    Figures f;
    const auto &names = isSource ? m_sourceNames : m_destinationNames;
    std::string sql;
    if (m_rollup)
        sql = "SELECT count(*), coalesce(sum(visible), 0), coalesce(sum(hidden), 0) FROM " + quoted(m_name);
    else if (integerKey())
        sql = "SELECT count(*), coalesce(max(" + quoted(names[m_key[0]]) + "), 0), coalesce(sum(" + quoted(names[m_key[0]]) +
              "), 0) FROM " + quoted(m_name) + " WHERE 1 = 1" + withoutMarker(isSource);
    else
        sql = "SELECT count(*) FROM " + quoted(m_name) + " WHERE 1 = 1" + withoutMarker(isSource);
    Statement st = c.prepare(sql);
    if (!st.step())
        return Error{QStringLiteral("counting %1: %2").arg(tableName(m_name), st.error()), st.failure().kind};
    f.rows = st.int64(0);
    if (m_rollup || integerKey())
        f.checks = std::make_pair(st.int64(1), st.int64(2));
    return f;
}

} // namespace ed
