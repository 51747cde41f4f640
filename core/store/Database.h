#pragma once
// The ErrorDeck database file: opening it safely, its schema and migrations.
#include "base/Result.h"
#include "store/Sqlite.h"

#include <QString>

namespace ed {

class Database {
public:
    // The schema this build writes; every earlier version migrates forward.
    static int currentSchemaVersion();
    // 'EDK1' in PRAGMA application_id marks a file as ErrorDeck's.
    static constexpr int kApplicationId = 0x45444b31;

    // Opens or creates an ErrorDeck database. Refuses, with a message naming the
    // file, anything that is not one: another file type, another SQLite
    // database, a newer schema, a corrupt file. Migrates an older schema inside
    // one transaction, after a copy of the file is kept beside it.
    static Result<Database> open(const QString &path, bool readOnly = false);
    // For tests of migrations: a new database at an older schema version.
    static Result<Database> createAtVersion(const QString &path, int version);

    // Moves everything committed from the WAL into the main file (a TRUNCATE
    // checkpoint) and closes the connection: the file a user sees, or copies,
    // is then whole on its own. An Error when another connection's reading
    // kept the checkpoint from finishing; the connection is closed anyway.
    Result<void> close();

    Connection &conn() { return m_conn; }
    const QString &path() const { return m_conn.path(); }

    // The default database: errordeck.sqlite3 in the platform's app-data folder
    // (ERRORDECK_DB and --db are read by chooseDatabaseFile, DatabaseLocation.h).
    static QString defaultPath();
    // The SQLite library's version, for the About box.
    static QString sqliteVersion();

private:
    Result<void> configure(bool readOnly);
    Result<void> migrate(int from, int to);
    Connection m_conn;
};

} // namespace ed
