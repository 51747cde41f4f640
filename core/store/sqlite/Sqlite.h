#pragma once
// A thin RAII layer over the SQL engine: a connection and prepared statements,
// the same for SQLite (its C API, here) and PostgreSQL (libpq, in
// store/postgres/PgConnection.h), so that one store implementation serves
// both. SQL is written with SQLite's ? and ?NNN; errorCode() and
// lastErrorCode() speak SQLite's result codes for both engines. The SQLite
// calls stay direct (no virtual call on the import's path): a PostgreSQL
// connection or statement is a pointer beside them that takes over when set.
#include "base/Result.h"
#include "store/StoreChange.h"
#include "store/postgres/PgConnection.h"

#include <QString>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace ed {

class Database;

enum class Engine { Sqlite, Postgres };

class Statement {
public:
    Statement() = default;
    Statement(sqlite3 *db, std::string_view sql);
    Statement(PgConnection &pg, std::string_view sql);
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool valid() const { return m_stmt != nullptr || m_pg != nullptr; }
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

    int errorCode() const;
    // Whether the last step() ran to the end of the rows (not stopped by an error).
    bool done() const;
    QString error() const;
    // The last failure (of prepare or step) as an Error with its kind.
    Error failure() const;

private:
    sqlite3_stmt *m_stmt = nullptr;
    sqlite3 *m_db = nullptr;
    std::unique_ptr<PgStatement> m_pg; // set only when prepared on PostgreSQL
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
    // Connects to a PostgreSQL server (postgresql:// or postgres:// URL); no
    // schema work here. path() is then the URL without its password.
    Result<void> openServer(const QString &url, const PasswordProvider &password);
    void close();
    bool isOpen() const { return m_db != nullptr || m_pg != nullptr; }
    Engine engine() const { return m_pg ? Engine::Postgres : Engine::Sqlite; }
    sqlite3 *handle() const { return m_db; } // nullptr on PostgreSQL

    Result<void> exec(std::string_view sql);
    Statement prepare(std::string_view sql) const;
    // A single integer from a query (PRAGMA user_version, COUNT(*), ...).
    Result<int64_t> scalar(std::string_view sql);
    // SQLite only: PostgreSQL has none (write INSERT ... RETURNING id); there
    // it is a fatal programming error, not a wrong id.
    int64_t lastInsertId() const;
    int changes() const;
    QString lastError() const;
    int lastErrorCode() const; // the primary result code of the last call
    Error failure() const; // the last call's error, with its kind
    const QString &path() const { return m_path; }

    // Stops a long-running query from another thread (sqlite3_interrupt, PQcancel).
    void interrupt();

private:
    sqlite3 *m_db = nullptr;
    std::unique_ptr<PgConnection> m_pg;
    QString m_path;
};

// The connection of an open Database: for store code only (store/sqlite/ is
// private to core/store; tests may use it to look at the file).
Connection &connectionOf(Database &db);

// The ErrorKind of an SQLite result code (primary or extended).
ErrorKind sqliteErrorKind(int rc);

// A transaction that rolls back unless committed. `immediate`: one that
// writes, and waits for its turn among writers first (SQLite's write lock;
// on PostgreSQL sqldialect::takeWriteLock, the same for every client).
class Transaction {
public:
    explicit Transaction(Connection &c, bool immediate = true);
    ~Transaction();
    Result<void> commit();
    // Announces `changes` to the change feed (announceChange, SqlDialect.h) in
    // the transaction, then commits: the other apps hear of it only if it lands.
    Result<void> commit(StoreChangeKinds changes);
    bool active() const { return m_active; }

private:
    Connection &m_conn;
    bool m_begun = false; // BEGIN ran: ROLLBACK unless committed
    bool m_active = false; // and the write lock, when asked for, is held
};

} // namespace ed
