#pragma once
// A thin RAII layer over SQLite's C API: a connection and prepared statements.
#include "base/Result.h"

#include <QString>
#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace ed {

class Database;

class Statement {
public:
    Statement() = default;
    Statement(sqlite3 *db, std::string_view sql);
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool valid() const { return m_stmt != nullptr; }
    const QString &prepareError() const { return m_error; }

    // Parameters are 1-based as in SQLite.
    Statement &bind(int i, int64_t v);
    Statement &bind(int i, int v) { return bind(i, int64_t(v)); }
    Statement &bind(int i, long long v) { return bind(i, int64_t(v)); }
    Statement &bind(int i, double v);
    Statement &bind(int i, std::string_view text); // bound as TEXT, copied
    Statement &bind(int i, const QString &text);
    Statement &bindBlob(int i, std::string_view blob); // copied
    Statement &bindNull(int i);
    // NULL for an empty text, else the text: the schema keeps absent values NULL.
    Statement &bindTextOrNull(int i, std::string_view text);
    Statement &bindTextOrNull(int i, const QString &text);

    // True while a row is available; false at the end or on error (see error()).
    bool step();
    // Runs to completion; false on error.
    bool exec();
    // Steps to the one row a lookup by key wants: an Error of kind NotFound
    // saying `missing` when there is none, the failure (of prepare or step)
    // otherwise.
    Result<void> stepToRow(const QString &missing);
    void reset();

    bool isNull(int col) const;
    int64_t int64(int col) const;
    double real(int col) const;
    std::string_view text(int col) const;
    QString qtext(int col) const;
    std::string_view blob(int col) const;

    int errorCode() const { return m_rc; }
    // Whether the last step() ran to the end of the rows (not stopped by an error).
    bool done() const;
    QString error() const;
    // The last failure (of prepare or step) as an Error with its kind.
    Error failure() const;

private:
    sqlite3_stmt *m_stmt = nullptr;
    sqlite3 *m_db = nullptr;
    int m_rc = 0;
    QString m_error;
};

class Connection {
public:
    Connection() = default;
    ~Connection();
    Connection(Connection &&other) noexcept;
    Connection &operator=(Connection &&other) noexcept;
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    // Opens (creating when `create`) the file; no schema work here.
    Result<void> open(const QString &path, bool create, bool readOnly = false);
    void close();
    bool isOpen() const { return m_db != nullptr; }
    sqlite3 *handle() const { return m_db; }

    Result<void> exec(std::string_view sql);
    Statement prepare(std::string_view sql) const { return Statement(m_db, sql); }
    // A single integer from a query (PRAGMA user_version, COUNT(*), ...).
    Result<int64_t> scalar(std::string_view sql);
    int64_t lastInsertId() const;
    int changes() const;
    QString lastError() const;
    int lastErrorCode() const; // the primary result code of the last call
    Error failure() const; // the last call's error, with its kind
    const QString &path() const { return m_path; }

    // Stops a long-running query from another thread (sqlite3_interrupt).
    void interrupt();

private:
    sqlite3 *m_db = nullptr;
    QString m_path;
};

// The connection of an open Database: for store code only (store/sqlite/ is
// private to core/store; tests may use it to look at the file).
Connection &connectionOf(Database &db);

// The ErrorKind of an SQLite result code (primary or extended).
ErrorKind sqliteErrorKind(int rc);

// A transaction that rolls back unless committed.
class Transaction {
public:
    explicit Transaction(Connection &c, bool immediate = true);
    ~Transaction();
    Result<void> commit();
    bool active() const { return m_active; }

private:
    Connection &m_conn;
    bool m_active = false;
};

} // namespace ed
