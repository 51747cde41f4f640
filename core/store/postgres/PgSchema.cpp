#include "store/postgres/PgSchema.h"

#include "store/postgres/PgSchemaDdl.h"
#include "store/sqlite/Sqlite.h"

#include <QString>

namespace ed {

Result<void> createPgSchema(Connection &conn, int version)
{
    if (version < kPgBaseSchemaVersion || version > pgSchemaVersion())
        return Error{QStringLiteral("this version creates PostgreSQL schema %1 to %2, not %3")
                         .arg(kPgBaseSchemaVersion)
                         .arg(pgSchemaVersion())
                         .arg(version)};
    // Plain CREATEs (PgSchemaDdl.h): run twice, the first one fails, which the
    // migration's advisory lock must never let happen.
    if (auto r = conn.exec(pgSchemaDdl()); !r)
        return Error{QStringLiteral("schema %1: %2").arg(kPgBaseSchemaVersion).arg(r.error()), r.errorKind()};
    return migratePgSchema(conn, kPgBaseSchemaVersion, version);
}

Result<void> migratePgSchema(Connection &conn, int from, int to)
{
    const auto &steps = pgSchemaMigrations();
    if (from < kPgBaseSchemaVersion || to > pgSchemaVersion())
        return Error{QStringLiteral("PostgreSQL schema %1 has no migration to %2").arg(from).arg(to)};
    for (int v = from; v < to; ++v) {
        if (auto r = conn.exec(steps[size_t(v - kPgBaseSchemaVersion)]); !r)
            return Error{QStringLiteral("schema %1 to %2: %3").arg(v).arg(v + 1).arg(r.error()), r.errorKind()};
    }
    return {};
}

} // namespace ed
