#include "Database.h"

#include "Schema.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <algorithm>
#include <sqlite3.h>

namespace ed {

int Database::currentSchemaVersion() { return int(schemaMigrations().size()); }

QString Database::defaultPath()
{
    const QByteArray env = qgetenv("ERRORDECK_DB");
    if (!env.isEmpty())
        return QString::fromLocal8Bit(env);
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return dir + QStringLiteral("/errordeck.sqlite3");
}

Result<Database> Database::open(const QString &path, bool readOnly)
{
    // Only stat() the file here, never open it: closing any descriptor of a file
    // drops every POSIX lock this process holds on it, SQLite's included, so
    // reading the header ourselves would break the other connections of the app.
    const QFileInfo info(path);
    if (info.isDir())
        return Error{QStringLiteral("%1 is a folder, not a database file").arg(path)};
    if (!info.exists() && !readOnly) {
        const QString dir = info.absolutePath();
        if (!QDir().mkpath(dir))
            return Error{QStringLiteral("cannot create the folder %1").arg(dir)};
    }
    Database db;
    if (auto r = db.m_conn.open(path, !readOnly, readOnly); !r)
        return Error{r.error()};

    // The id, the version and the table count from one snapshot of the file:
    // another process may be creating the schema this very moment (read one
    // by one, a new file could look like another application's database).
    if (auto r = db.m_conn.exec("BEGIN"); !r)
        return Error{QStringLiteral("%1 cannot be read: %2").arg(path, r.error())};
    auto appId = db.m_conn.scalar("PRAGMA application_id");
    if (!appId) {
        if (db.m_conn.lastErrorCode() == SQLITE_NOTADB)
            return Error{QStringLiteral("%1 is not an ErrorDeck database (not an SQLite file); it was left untouched").arg(path)};
        return Error{QStringLiteral("%1 cannot be read: %2").arg(path, appId.error())};
    }
    auto version = db.m_conn.scalar("PRAGMA user_version");
    auto tables = db.m_conn.scalar("SELECT count(*) FROM sqlite_schema");
    (void)db.m_conn.exec("COMMIT"); // nothing was written; ends the read
    if (!version || !tables)
        return Error{QStringLiteral("%1 cannot be read: %2").arg(path, (!version ? version : tables).error())};
    if (*appId != kApplicationId && *tables > 0)
        return Error{QStringLiteral("%1 is an SQLite database, but not an ErrorDeck database; it was left untouched").arg(path)};
    if (*version > currentSchemaVersion())
        return Error{QStringLiteral("%1 was written by a newer ErrorDeck (schema %2; this version reads up to %3); it was left untouched")
                         .arg(path).arg(*version).arg(currentSchemaVersion())};
    if (auto r = db.configure(readOnly); !r)
        return Error{QStringLiteral("%1: %2").arg(path, r.error())};
    if (*version < currentSchemaVersion()) {
        if (readOnly)
            return Error{QStringLiteral("%1 has an older schema (%2) and was opened read-only").arg(path).arg(*version)};
        if (*version > 0) {
            // Keep the old file: a migration is atomic, but a user may still want to go back.
            const QString backup = QStringLiteral("%1.schema%2.bak").arg(path).arg(*version);
            QFile::remove(backup);
            Statement st = db.m_conn.prepare("VACUUM INTO ?");
            st.bind(1, backup);
            if (!st.exec())
                return Error{QStringLiteral("%1: cannot keep a copy before migrating: %2").arg(path, st.error())};
        }
        if (auto r = db.migrate(int(*version), currentSchemaVersion()); !r)
            return Error{QStringLiteral("%1: migration failed, nothing was changed: %2").arg(path, r.error())};
    }
    return db;
}

Result<Database> Database::createAtVersion(const QString &path, int version)
{
    Database db;
    if (auto r = db.m_conn.open(path, true); !r)
        return Error{r.error()};
    if (auto r = db.configure(false); !r)
        return Error{r.error()};
    if (auto r = db.migrate(0, version); !r)
        return Error{r.error()};
    return db;
}

Result<void> Database::configure(bool readOnly)
{
    // No mmap: mapped pages count in the resident size, which must stay bounded
    // however large the database grows; SQLite's own cache is capped at 64 MB.
    const char *pragmas = readOnly ? "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;"
                                   : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;"
                                     "PRAGMA cache_size=-65536; PRAGMA foreign_keys=ON;";
    return m_conn.exec(pragmas);
}

Result<void> Database::migrate(int from, int to)
{
    const auto &steps = schemaMigrations();
    Transaction tx(m_conn);
    if (!tx.active())
        return Error{m_conn.lastError()};
    // Another process may have migrated the file between our look at its
    // version and this write lock (two imports creating one database at
    // once): go on from what the file holds now.
    auto now = m_conn.scalar("PRAGMA user_version");
    if (!now)
        return Error{now.error()};
    if (*now > to)
        return Error{QStringLiteral("schema %1 was written meanwhile by a newer ErrorDeck (this version reads up to %2)").arg(*now).arg(to)};
    if (*now == to)
        return {};
    from = std::max(from, int(*now));
    for (int v = from; v < to; ++v) {
        if (auto r = m_conn.exec(steps[size_t(v)]); !r)
            return Error{QStringLiteral("schema %1 to %2: %3").arg(v).arg(v + 1).arg(r.error())};
    }
    if (auto r = m_conn.exec("PRAGMA application_id=" + std::to_string(kApplicationId)); !r)
        return r;
    if (auto r = m_conn.exec("PRAGMA user_version=" + std::to_string(to)); !r)
        return r;
    return tx.commit();
}

} // namespace ed
