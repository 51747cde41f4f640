#include "store/sqlite/ReportRows.h"

#include <QStringList>

#include <algorithm>

namespace ed {

RowValues &RowValues::bind(int i, int64_t v)
{
    at(i) = Value{Value::Kind::Integer, v, {}};
    return *this;
}

RowValues &RowValues::bind(int i, std::string_view text)
{
    at(i) = Value{Value::Kind::Text, 0, std::string(text)};
    return *this;
}

RowValues &RowValues::bind(int i, const QString &text) { return bind(i, std::string_view(text.toStdString())); }

RowValues &RowValues::bindBlob(int i, std::string_view blob)
{
    at(i) = Value{Value::Kind::Blob, 0, std::string(blob)};
    return *this;
}

RowValues &RowValues::bindNull(int i)
{
    at(i) = Value{};
    return *this;
}

RowValues &RowValues::bindTextOrNull(int i, std::string_view text) { return text.empty() ? bindNull(i) : bind(i, text); }

void RowValues::bindInto(Statement &st, int firstParameter) const
{
    int p = firstParameter;
    for (const Value &v : m_values) {
        switch (v.kind) {
        case Value::Kind::Null: st.bindNull(p); break;
        case Value::Kind::Integer: st.bind(p, v.integer); break;
        case Value::Kind::Text: st.bind(p, std::string_view(v.bytes)); break;
        case Value::Kind::Blob: st.bindBlob(p, std::string_view(v.bytes)); break;
        }
        ++p;
    }
}

const char *const kReportColumnNames =
    "dedup_key, event_id, timestamp, level, logger, message, status_code, site, method, path, exception_type,"
    " exception_value, remote_addr, issue_id, hidden_by, frame_count, source, body, raw, undecided, origin_issue";

namespace {

// Parameter k of the row's kColumns: the report's columns are 1..22, id first.
constexpr int kMessage = 7, kPath = 11, kFtsException = 23, kFtsFrames = 24;

// WITH r AS (INSERT INTO reports(...) VALUES (?1..?22), ...) INSERT INTO
// reports_fts(...) VALUES (?1, ?7, ?23, ?11, ?24), ...: the rows and their
// full-text rows in one statement (the foreign key is checked at its end).
std::string insertSql(int rows)
{
    QStringList reports, fts;
    for (int r = 0; r < rows; ++r) {
        const int base = r * ReportRowBatch::kColumns;
        QStringList params;
        for (int k = 1; k <= ReportRowBatch::kReportColumns; ++k)
            params << QStringLiteral("?%1").arg(base + k);
        reports << QLatin1Char('(') + params.join(u',') + QLatin1Char(')');
        fts << QStringLiteral("(?%1,?%2,?%3,?%4,?%5)")
                   .arg(base + 1)
                   .arg(base + kMessage)
                   .arg(base + kFtsException)
                   .arg(base + kPath)
                   .arg(base + kFtsFrames);
    }
    return QStringLiteral("WITH r AS (INSERT INTO reports(id, %1) VALUES %2)"
                          " INSERT INTO reports_fts(report_id, message, exception, path, frames) VALUES %3")
        .arg(QLatin1String(kReportColumnNames), reports.join(u','), fts.join(u','))
        .toStdString();
}

} // namespace

ReportRowBatch::ReportRowBatch(Connection &c)
{
    // One round trip for a statement's worth of ids: taken under the writers'
    // turn, so they follow every committed report's (the alert step reads id ranges).
    m_takeIds = c.prepare("SELECT nextval(pg_get_serial_sequence('reports', 'id')) FROM generate_series(1, " +
                          std::to_string(kRowsPerStatement.front()) + ")");
    for (size_t i = 0; i < kRowsPerStatement.size(); ++i)
        m_insert[i] = c.prepare(insertSql(kRowsPerStatement[i]));
    QStringList keys;
    for (int k = 1; k <= kRowsPerStatement.front(); ++k)
        keys << QStringLiteral("?%1").arg(k);
    m_lookUp = c.prepare(
        QStringLiteral("SELECT dedup_key FROM reports WHERE dedup_key IN (%1)").arg(keys.join(u',')).toStdString());
}

void ReportRowBatch::expect(const std::vector<Hash128> &dedupKeys) { m_expected.assign(dedupKeys.begin(), dedupKeys.end()); }

namespace {
std::string_view bytesOf(const Hash128 &h) { return {reinterpret_cast<const char *>(h.data()), h.size()}; }
Hash128 hashOf(std::string_view blob)
{
    Hash128 h{};
    std::copy_n(blob.data(), std::min(blob.size(), h.size()), h.begin());
    return h;
}
} // namespace

Result<bool> ReportRowBatch::stored(const Hash128 &key)
{
    if (m_keys.count(key))
        return true;
    if (auto it = m_known.find(key); it != m_known.end())
        return it->second;
    // This key, then the expected ones after it not asked yet; the statement's
    // other places repeat this key.
    const size_t places = size_t(kRowsPerStatement.front());
    std::vector<Hash128> asked{key};
    auto at = std::find(m_expected.begin(), m_expected.end(), key);
    if (at != m_expected.end()) {
        m_expected.erase(m_expected.begin(), at + 1);
        while (!m_expected.empty() && asked.size() < places) {
            if (!m_known.count(m_expected.front()) && !m_keys.count(m_expected.front()))
                asked.push_back(m_expected.front());
            m_expected.pop_front();
        }
    }
    m_lookUp.reset();
    for (size_t k = 0; k < places; ++k)
        m_lookUp.bindBlob(int(k) + 1, bytesOf(k < asked.size() ? asked[k] : key));
    for (const Hash128 &a : asked)
        m_known[a] = false;
    while (m_lookUp.step())
        m_known[hashOf(m_lookUp.blob(0))] = true;
    if (!m_lookUp.done()) {
        const Error e = m_lookUp.failure();
        m_lookUp.reset();
        for (const Hash128 &a : asked)
            m_known.erase(a);
        return e;
    }
    m_lookUp.reset();
    return m_known[key];
}

QString ReportRowBatch::prepareError() const
{
    if (!m_takeIds.valid())
        return m_takeIds.prepareError();
    if (!m_lookUp.valid())
        return m_lookUp.prepareError();
    for (const Statement &st : m_insert)
        if (!st.valid())
            return st.prepareError();
    return {};
}

Result<int64_t> ReportRowBatch::nextId()
{
    if (m_ids.empty()) {
        m_takeIds.reset();
        while (m_takeIds.step())
            m_ids.push_back(m_takeIds.int64(0));
        if (!m_takeIds.done())
            return m_takeIds.failure();
        m_takeIds.reset();
        std::sort(m_ids.begin(), m_ids.end(), std::greater<>()); // the smallest last: taken first
        if (m_ids.empty())
            return Error{QStringLiteral("the reports' id sequence gave no id")};
    }
    const int64_t id = m_ids.back();
    m_ids.pop_back();
    return id;
}

Result<void> ReportRowBatch::add(RowValues row, const Hash128 &dedupKey)
{
    m_rows.push_back(std::move(row));
    m_keys.insert(dedupKey);
    if (m_rows.size() < size_t(kRowsPerStatement.front()))
        return {};
    return flush();
}

Result<void> ReportRowBatch::send(size_t rows, size_t first)
{
    const auto which = size_t(std::find(kRowsPerStatement.begin(), kRowsPerStatement.end(), int(rows)) -
                              kRowsPerStatement.begin());
    Statement &st = m_insert[which];
    for (size_t r = 0; r < rows; ++r)
        m_rows[first + r].bindInto(st, int(r) * kColumns + 1);
    if (!st.exec())
        return st.failure();
    return {};
}

Result<void> ReportRowBatch::flush()
{
    size_t done = 0;
    for (const int n : kRowsPerStatement)
        while (m_rows.size() - done >= size_t(n)) {
            if (auto r = send(size_t(n), done); !r)
                return r;
            done += size_t(n);
        }
    for (const Hash128 &key : m_keys)
        m_known[key] = true; // in the table now
    m_rows.clear();
    m_keys.clear();
    return {};
}

void ReportRowBatch::clear()
{
    m_rows.clear();
    m_keys.clear();
    m_ids.clear();
    m_known.clear(); // another writer may store any of them once this transaction ends
}

} // namespace ed
