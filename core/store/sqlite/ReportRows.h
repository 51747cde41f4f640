#pragma once
// A new report's row (issue 17): on SQLite one INSERT per report, as the file
// takes it; on PostgreSQL, where each statement is a round trip and a
// statement's own cost is most of a small row's, many reports a statement.
// ReportWriter binds a report once, through reportColumns(), into either.
#include "base/Hash.h"
#include "store/sqlite/Sqlite.h"

#include <array>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace ed {

// The values of one row kept for a later statement: the same binding calls as
// Statement's (bind, bindBlob, bindNull, bindTextOrNull), copied.
class RowValues {
public:
    explicit RowValues(int columns) : m_values(size_t(columns)) { }
    RowValues &bind(int i, int64_t v);
    RowValues &bind(int i, int v) { return bind(i, int64_t(v)); }
    RowValues &bind(int i, std::string_view text);
    RowValues &bind(int i, const QString &text);
    RowValues &bindBlob(int i, std::string_view blob);
    RowValues &bindNull(int i);
    RowValues &bindTextOrNull(int i, std::string_view text);
    // Into `st`'s parameters from firstParameter on.
    void bindInto(Statement &st, int firstParameter) const;

private:
    struct Value {
        enum class Kind : unsigned char { Null, Integer, Text, Blob } kind = Kind::Null;
        int64_t integer = 0;
        std::string bytes;
    };
    Value &at(int i) { return m_values[size_t(i - 1)]; }
    std::vector<Value> m_values;
};

// PostgreSQL's reports and their full-text rows, many a statement. The ids
// are taken from the reports' identity sequence ahead, a statement's worth at
// a time, so that store() can answer with a report's id before its row is
// sent. Rows wait here until a statement is full, or flush(): before anything
// reads reports in the batch, and before its commit. Valid within one
// transaction holding the writers' turn: clear() at its end drops the rows
// and the ids not used (an id is never reused: a gap, as after a rollback).
// The columns of reports after id, in the order both engines' inserts bind
// them (ReportWriter's bindReportColumns): SQLite's one-row insert and
// ReportRowBatch's many-row one are made from this one list.
extern const char *const kReportColumnNames;

class ReportRowBatch {
public:
    // Parameters of one report: its id, the 21 columns of reports after id
    // (kReportColumnNames), then the full-text row's exception and frames
    // (its message and path are the report's).
    static constexpr int kReportColumns = 22;
    static constexpr int kColumns = kReportColumns + 2;
    static constexpr std::array<int, 3> kRowsPerStatement{64, 8, 1};

    explicit ReportRowBatch(Connection &c);
    QString prepareError() const; // empty when every statement was prepared

    Result<int64_t> nextId();
    // Queues a row whose parameter 1 is an id from nextId(); sends a full statement.
    Result<void> add(RowValues row, const Hash128 &dedupKey);
    // Whether a report with this dedup key is stored or queued: the answer
    // for kRowsPerStatement.front() keys in one round trip, the key and the
    // ones expect() says come next (answers kept until clear()).
    Result<bool> stored(const Hash128 &dedupKey);
    // The dedup keys of the records about to be stored, in their order: hints
    // for stored(), which asks the server about many at once (records that
    // never reach it, rejected on the way, are passed over).
    void expect(const std::vector<Hash128> &dedupKeys);
    Result<void> flush();
    void clear();

private:
    Result<void> send(size_t rows, size_t first);
    Statement m_takeIds, m_lookUp;
    std::array<Statement, kRowsPerStatement.size()> m_insert;
    std::vector<int64_t> m_ids; // taken ahead, the next one last
    std::vector<RowValues> m_rows;
    std::unordered_set<Hash128, Hash128Hasher> m_keys; // of m_rows
    std::unordered_map<Hash128, bool, Hash128Hasher> m_known; // stored or not, as asked in this transaction
    std::deque<Hash128> m_expected;
};

} // namespace ed
