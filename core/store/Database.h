#pragma once
// The ErrorDeck database file: opening it safely, its schema and migrations.
#include "base/Result.h"

#include <QString>
#include <functional>
#include <memory>
#include <optional>

namespace ed {

class Connection; // store/sqlite/Sqlite.h: only store code reaches the connection

class Database {
public:
    // The schema this build writes into a file; every earlier version migrates forward.
    static int currentSchemaVersion();
    // The same for a PostgreSQL database: its versions are numbered on their
    // own (store/postgres/PgSchemaDdl.h), as a change may concern one engine only.
    static int currentServerSchemaVersion();
    // 'EDK1' in PRAGMA application_id marks a file as ErrorDeck's.
    static constexpr int kApplicationId = 0x45444b31;

    // Opens or creates an ErrorDeck database. Refuses, with a message naming the
    // file, anything that is not one: another file type, another SQLite
    // database, a newer schema, a corrupt file. Migrates an older schema inside
    // one transaction, after a copy of the file is kept beside it.
    static Result<Database> open(const QString &path, bool readOnly = false);

    struct OpenOptions {
        bool readOnly = false;
        // PostgreSQL only: asked for the password when the server wants one and
        // libpq found none (PGPASSWORD, PGPASSFILE); given the URL without any
        // password. The CLI and the app answer from the keychain.
        std::function<std::optional<QString>(const QString &redactedUrl)> password;
    };
    // A file as above, or a PostgreSQL database named by a postgresql:// (or
    // postgres://) URL, libpq's (sslmode=verify-full&sslrootcert=FILE checks
    // the server, docs/postgresql.md): connects, then creates or migrates its
    // schema under an advisory lock (two clients never migrate at once) and
    // refuses a newer schema. path() is then the URL without its password,
    // and so are the messages.
    static Result<Database> open(const QString &location, const OpenOptions &options);
    // Whether `location` is a PostgreSQL URL rather than a file.
    static bool isServerUrl(const QString &location);

    // The process's answer when a server wants a password that libpq did not
    // find (PGPASSWORD, PGPASSFILE, the URL): asked by every open of a
    // PostgreSQL URL whose OpenOptions::password is empty, so that the
    // connections a process opens by location (ConnectionPool, WatchWorker,
    // AlertService, MailboxPoller, ReceiveWriter) all reach the server. The
    // CLI's and the app's main() register one that reads the keychain (the app
    // also asks in a dialog). Called on the opening thread, any thread; an
    // empty function removes it. Never stores the password anywhere.
    using ServerPasswordProvider = std::function<std::optional<QString>(const QString &redactedUrl)>;
    static void setServerPasswordProvider(ServerPasswordProvider provider);
    // The one registered (a copy), or an empty function: for a server
    // connection opened without a Database (the change feed's LISTEN).
    static ServerPasswordProvider serverPasswordProvider();
    // For tests of migrations: a new database at an older schema version (a
    // file, or an empty PostgreSQL database named by its URL).
    static Result<Database> createAtVersion(const QString &location, int version);

    // Moves everything committed from the WAL into the main file (a TRUNCATE
    // checkpoint) and closes the connection: the file a user sees, or copies,
    // is then whole on its own. An Error when another connection's reading
    // kept the checkpoint from finishing; the connection is closed anyway.
    Result<void> close();

    Database(); // closed: open() and createAtVersion() give open ones
    Database(Database &&other) noexcept;
    Database &operator=(Database &&other) noexcept;
    ~Database();

    const QString &path() const; // a PostgreSQL URL without its password: for showing
    // What open() was given, to open more connections to the same database (a
    // PostgreSQL URL may hold a password here: never show or store it).
    const QString &location() const { return m_location; }
    bool isServer() const; // a PostgreSQL database, not a file
    bool isOpen() const;

    // Stops the query running on this database from another thread (it fails
    // with ErrorKind::Interrupted).
    void interrupt();
    // While another process holds the write lock, `keepWaiting(tries)` is asked
    // before each retry: true waits on, false gives up (the call fails Busy).
    // It replaces the busy timeout of open(); give a function, not an empty one.
    void setBusyWait(std::function<bool(int tries)> keepWaiting);
    // Fresh planner statistics after an import that stored `reportsAdded`
    // reports. SQLite: always (analysis_limit bounds it to milliseconds).
    // PostgreSQL: when the reports grew by a tenth or more (autovacuum's own
    // threshold, applied now rather than within its next minute); a smaller
    // import into a large store leaves it to autovacuum, as a full ANALYZE of
    // a million reports costs the server seconds on every mailbox poll.
    Result<void> refreshQueryStatistics(int64_t reportsAdded);

    // The version of the SQL engine's library, for the About box ("3.40.1").
    static QString engineVersion();

    // The default database: errordeck.sqlite3 in the platform's app-data folder
    // (ERRORDECK_DB and --db are read by chooseDatabaseLocation, DatabaseLocation.h).
    static QString defaultPath();

private:
    friend Connection &connectionOf(Database &db);
    static Result<Database> openServer(const QString &url, const OpenOptions &options,
                                       int createAtVersion = 0); // postgres/PgDatabase.cpp
    Result<void> configure(bool readOnly);
    Result<void> migrate(int from, int to);
    std::unique_ptr<Connection> m_conn;
    QString m_location;
    std::unique_ptr<std::function<bool(int)>> m_busyWait; // stable address for SQLite's callback
};

} // namespace ed
