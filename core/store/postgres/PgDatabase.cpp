// Database::open for a PostgreSQL URL: the connection, the schema version
// table (in place of SQLite's PRAGMA user_version) and the migration under an
// advisory lock.
#include "store/Database.h"

#include "store/postgres/PgSchema.h"
#include "store/postgres/PgSchemaDdl.h"
#include "store/sqlite/Sqlite.h"

#include <mutex>

namespace ed {

namespace {

// pg_advisory_xact_lock's key for creating and migrating the schema: 'EDK1',
// as the application_id of an SQLite file. Held until the migration's commit.
constexpr const char *kTakeMigrationLock = "SELECT pg_advisory_xact_lock(1162103601)";

struct PgHeader {
    bool ours = false; // the version table is there
    int64_t tables = 0; // in the current schema (search_path's first)
    int64_t version = 0;
};

Result<PgHeader> readHeader(Connection &c, const QString &where)
{
    PgHeader h;
    Statement st = c.prepare("SELECT to_regclass('errordeck_schema') IS NOT NULL,"
                             " (SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema())");
    if (!st.step())
        return Error{QStringLiteral("%1 cannot be read: %2").arg(where, st.error()), st.failure().kind};
    h.ours = st.int64(0) != 0;
    h.tables = st.int64(1);
    if (h.ours) {
        auto v = c.scalar("SELECT coalesce(max(version), 0) FROM errordeck_schema");
        if (!v)
            return Error{QStringLiteral("%1 cannot be read: %2").arg(where, v.error()), v.errorKind()};
        h.version = *v;
    }
    return h;
}

Error newerSchema(const QString &where, int64_t version)
{
    return Error{
        QStringLiteral("%1 was written by a newer ErrorDeck (schema %2; this version reads up to %3); it was left untouched")
            .arg(where)
            .arg(version)
            .arg(Database::currentServerSchemaVersion())};
}

std::mutex g_providerMutex;
Database::ServerPasswordProvider g_provider; // guarded by g_providerMutex

} // namespace

void Database::setServerPasswordProvider(ServerPasswordProvider provider)
{
    std::lock_guard lock(g_providerMutex);
    g_provider = std::move(provider);
}

Database::ServerPasswordProvider Database::serverPasswordProvider()
{
    std::lock_guard lock(g_providerMutex); // a copy: it may be replaced meanwhile on another thread
    return g_provider;
}

int Database::currentServerSchemaVersion() { return pgSchemaVersion(); }

bool Database::isServerUrl(const QString &location)
{
    return location.startsWith(QLatin1String("postgresql://"), Qt::CaseInsensitive) ||
           location.startsWith(QLatin1String("postgres://"), Qt::CaseInsensitive);
}

Result<Database> Database::openServer(const QString &url, const OpenOptions &options, int createAtVersion)
{
    Database db;
    db.m_location = url;
    Connection &c = *db.m_conn;
    // The caller's provider first; else the process's.
    if (auto r = c.openServer(url, options.password ? options.password : serverPasswordProvider()); !r)
        return r.failure();
    const QString where = c.path(); // without the password
    const int current = createAtVersion ? createAtVersion : currentServerSchemaVersion();
    auto header = readHeader(c, where);
    if (!header)
        return header.failure();
    if (!header->ours && header->tables > 0)
        return Error{QStringLiteral("%1 is a PostgreSQL database, but not an ErrorDeck database (it has tables of its own); it "
                                    "was left untouched")
                         .arg(where)};
    if (header->version > currentServerSchemaVersion())
        return newerSchema(where, header->version);
    if (createAtVersion && header->version > 0)
        return Error{QStringLiteral("%1 has a schema already (%2)").arg(where).arg(header->version)};
    if (header->version == current)
        return db;
    if (options.readOnly)
        return Error{QStringLiteral("%1 has an older schema (%2) and was opened read-only").arg(where).arg(header->version)};

    // Another client may be creating or migrating the schema this moment: the
    // lock makes them take turns, and the version is read again under it (the
    // first does it all; the others find it done). No copy is kept first, as
    // SQLite's file gets: a server's backups are the DBA's (pg_dump); the
    // transaction makes a failed step change nothing.
    Transaction tx(c);
    if (!tx.active())
        return Error{QStringLiteral("%1: cannot start the migration: %2").arg(where, c.lastError()), c.failure().kind};
    const auto failed = [&](const QString &why, ErrorKind kind = ErrorKind::Failed) {
        return Error{QStringLiteral("%1: migration failed, nothing was changed: %2").arg(where, why), kind};
    };
    if (auto r = c.exec(kTakeMigrationLock); !r)
        return failed(r.error(), r.errorKind());
    if (auto r = c.exec("CREATE TABLE IF NOT EXISTS errordeck_schema ("
                        " version integer NOT NULL, migrated_at timestamptz NOT NULL DEFAULT now())");
        !r)
        return failed(r.error(), r.errorKind());
    auto now = readHeader(c, where);
    if (!now)
        return now.failure();
    if (now->version > currentServerSchemaVersion())
        return newerSchema(where, now->version);
    if (now->version > 0 && now->version < kPgBaseSchemaVersion)
        return failed(QStringLiteral("schema %1 has no migration to %2 on PostgreSQL").arg(now->version).arg(current));
    if (now->version == 0) {
        if (auto r = createPgSchema(c, current); !r)
            return failed(r.error(), r.errorKind());
    } else if (now->version < current) {
        if (auto r = migratePgSchema(c, int(now->version), current); !r)
            return failed(r.error(), r.errorKind());
    }
    // A row for each version reached, with its time: the database's history.
    Statement mark = c.prepare("INSERT INTO errordeck_schema (version) SELECT v FROM generate_series(CAST(? AS integer), CAST(? AS integer)) AS v");
    mark.bind(1, now->version == 0 ? int64_t(current) : now->version + 1);
    mark.bind(2, int64_t(current));
    if (!mark.exec())
        return failed(mark.error(), mark.failure().kind);
    if (auto r = tx.commit(); !r)
        return failed(r.error(), r.errorKind());
    return db;
}

} // namespace ed
