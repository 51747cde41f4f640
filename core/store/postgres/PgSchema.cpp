#include "store/postgres/PgSchema.h"

#include "store/Database.h"
#include "store/sqlite/Sqlite.h"

namespace ed {

Result<void> createPgSchema(Connection &conn, int version)
{
    if (version != Database::currentSchemaVersion())
        return Error{QStringLiteral("this version creates PostgreSQL schema %1 only, not %2")
                         .arg(Database::currentSchemaVersion())
                         .arg(version)};
    // The settings, as SQLite's config table (store/sqlite/Schema.cpp): a name and its JSON value.
    // No IF NOT EXISTS: run twice, it fails, which the migration's lock must never let happen.
    return conn.exec("CREATE TABLE config (name text PRIMARY KEY, value text NOT NULL)");
}

} // namespace ed
