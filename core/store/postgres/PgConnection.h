#pragma once
// The PostgreSQL side of store/sqlite/Sqlite.h's Connection and Statement,
// over libpq. Store code never sees these classes: it speaks to Connection and
// Statement, which hand over to them when the connection is a server's.
#include "base/Result.h"

#include <QString>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;
typedef struct pg_cancel PGcancel;

namespace ed {

// Statement::errorCode() and Connection::lastErrorCode() speak SQLite's primary
// result codes for both engines (store code compares them with SQLITE_DONE,
// SQLITE_CONSTRAINT): what the PostgreSQL backend reports in their terms.
namespace pgcode {
constexpr int Ok = 0, Error = 1, Busy = 5, Interrupt = 9, IoErr = 10, Constraint = 19, Row = 100, Done = 101;
}

// Asked for the password when the server wants one and libpq found none
// (PGPASSWORD, PGPASSFILE); given the URL without any password in it.
using PasswordProvider = std::function<std::optional<QString>(const QString &redactedUrl)>;

// The URL with any password in it (user:password@, password=, sslpassword=) replaced by ***.
QString redactPgUrl(const QString &url);
// The URL with its passwords taken out (user:secret@ becomes user@; the
// password= and sslpassword= parameters go).
QString pgUrlWithoutPasswords(const QString &url);

struct PgPrepared {
    std::string name; // the server-side name, s1, s2, ...
    int parameters = 0;
    std::vector<unsigned> parameterTypes; // OIDs, as the server inferred them
};

struct PgFailure {
    int code = pgcode::Ok; // in SQLite's terms (pgcode)
    ErrorKind kind = ErrorKind::Failed;
    QString message;
};

class PgConnection {
public:
    // Connects (no schema work): an Error naming host:port/db, never the password.
    static Result<std::unique_ptr<PgConnection>> connect(const QString &url, const PasswordProvider &password);
    ~PgConnection();
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;

    // One or more statements without parameters (the simple query protocol).
    Result<void> exec(std::string_view sql);
    // `sql`, written with ? and ?NNN, prepared on the server on its first use
    // on this connection and cached by its text.
    Result<const PgPrepared *> prepared(std::string_view sql);
    // Runs a prepared statement: its result (tuples or command), or nullptr
    // with lastFailure() set. The caller PQclear()s it.
    PGresult *run(const PgPrepared &p, const std::vector<const char *> &values, const std::vector<int> &lengths,
                  const std::vector<int> &formats);

    // For the change feed's own connection, after LISTEN: the socket to wait
    // on (PQsocket), and what arrived on it: reads what the server sent
    // (PQconsumeInput), without blocking, and gives the payloads of the
    // notifications on `channel`, and a message when the connection is gone
    // (the payloads that came before still count).
    struct Notifications {
        std::vector<std::string> payloads;
        std::optional<QString> lost;
    };
    int socket() const;
    Notifications takeNotifications(std::string_view channel);

    void interrupt(); // PQcancel: safe from any thread
    int changes() const { return m_changes; }
    const PgFailure &lastFailure() const { return m_last; }
    const QString &redactedUrl() const { return m_url; }
    const QString &where() const { return m_where; } // host:port/db, for messages

private:
    PgConnection() = default;
    // Records (and returns) the failure of `res` (nullptr: of the connection).
    const PgFailure &fail(const PGresult *res);
    PGconn *m_conn = nullptr;
    std::mutex m_cancelMutex; // interrupt() against the destructor
    PGcancel *m_cancel = nullptr;
    std::unordered_map<std::string, PgPrepared> m_prepared;
    int m_changes = 0;
    PgFailure m_last;
    QString m_url, m_where;
};

// One statement's binds, result and row cursor.
class PgStatement {
public:
    PgStatement(PgConnection &conn, std::string_view sql);
    ~PgStatement();
    PgStatement(const PgStatement &) = delete;
    PgStatement &operator=(const PgStatement &) = delete;

    bool valid() const { return m_prepared != nullptr; }
    void bindText(int i, std::string_view text);
    void bindBlob(int i, std::string_view blob);
    void bindNull(int i);

    bool step(); // runs the statement on the first call, then walks its rows
    bool exec(); // runs it to the end; the binds stay
    void reset(); // the result and the binds go
    bool done() const { return m_code == pgcode::Done; }

    bool isNull(int col) const;
    int64_t int64(int col) const;
    double real(int col) const;
    std::string_view text(int col) const; // bytea columns decoded, as blob()
    std::string_view blob(int col) const;

    int errorCode() const { return m_code; }
    const PgFailure &failure() const { return m_failure; }

private:
    bool execute();
    void clearResult();
    void bindValue(int i, std::string_view bytes, bool binary);
    PgConnection &m_conn;
    const PgPrepared *m_prepared = nullptr;
    std::vector<std::optional<std::string>> m_values;
    std::vector<int> m_binary;
    PGresult *m_result = nullptr;
    int m_row = -1, m_rows = 0, m_code = pgcode::Ok;
    bool m_running = false; // a result is being walked
    PgFailure m_failure;
    mutable std::vector<std::optional<std::string>> m_decoded; // bytea of the current row, by column
};

} // namespace ed
