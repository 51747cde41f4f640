#include "store/postgres/PgSchema.h"

#include "store/Database.h"
#include "store/postgres/PgSchemaDdl.h"
#include "store/sqlite/Sqlite.h"

namespace ed {

Result<void> createPgSchema(Connection &conn, int version)
{
    if (version != kPgSchemaDdlVersion)
        return Error{QStringLiteral("this version creates PostgreSQL schema %1 only, not %2")
                         .arg(kPgSchemaDdlVersion)
                         .arg(version)};
    // Plain CREATEs (PgSchemaDdl.h): run twice, the first one fails, which the
    // migration's advisory lock must never let happen.
    return conn.exec(pgSchemaDdl());
}

} // namespace ed
