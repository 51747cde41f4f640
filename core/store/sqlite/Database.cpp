#include "store/Database.h"

#include "base/FileAccess.h"
#include "store/sqlite/BulkIndexes.h"
#include "store/sqlite/Schema.h"
#include "store/sqlite/Sqlite.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QThread>
#include <optional>
#include <sqlite3.h>

namespace ed {

namespace {

// SQLite's busy timeout covers most waits for another process, but a few
// answers come at once (the first switch of a new file to WAL, a lock asked
// for while another connection recovers the WAL): those are tried again.
constexpr int kBusyRetryMs = 10000;

template <typename F> auto retryWhileBusy(Connection &conn, F attempt)
{
    QDeadlineTimer deadline(kBusyRetryMs);
    for (;;) {
        auto r = attempt();
        const int code = conn.lastErrorCode();
        if (bool(r) || (code != SQLITE_BUSY && code != SQLITE_LOCKED) || deadline.hasExpired())
            return r;
        QThread::msleep(20);
    }
}

struct Header {
    int64_t version = 0;
};

// What the file says it is, read in one statement so that one snapshot answers
// (another process may be creating it between two reads); an error unless it is
// ErrorDeck's (or new and empty) at a schema this build reads.
Result<Header> readHeader(const QString &path, Connection &conn)
{
    Statement st = conn.prepare("SELECT (SELECT application_id FROM pragma_application_id),"
                                " (SELECT user_version FROM pragma_user_version),"
                                " (SELECT count(*) FROM sqlite_schema)");
    if (!st.valid() || !st.step()) {
        if (conn.lastErrorCode() == SQLITE_NOTADB)
            return Error{QStringLiteral("%1 is not an ErrorDeck database (not an SQLite file); it was left untouched").arg(path)};
        return Error{QStringLiteral("%1 cannot be read: %2").arg(path, st.valid() ? st.error() : st.prepareError())};
    }
    const int64_t appId = st.int64(0), version = st.int64(1), tables = st.int64(2);
    if (appId != Database::kApplicationId && tables > 0)
        return Error{QStringLiteral("%1 is an SQLite database, but not an ErrorDeck database; it was left untouched").arg(path)};
    if (version > Database::currentSchemaVersion())
        return Error{
            QStringLiteral("%1 was written by a newer ErrorDeck (schema %2; this version reads up to %3); it was left untouched")
                .arg(path)
                .arg(version)
                .arg(Database::currentSchemaVersion())};
    return Header{version};
}

} // namespace

Connection &connectionOf(Database &db) { return *db.m_conn; }

Database::Database() : m_conn(std::make_unique<Connection>()) { }
Database::Database(Database &&other) noexcept = default;
Database &Database::operator=(Database &&other) noexcept = default;
Database::~Database() = default;

const QString &Database::path() const { return m_conn->path(); }
bool Database::isServer() const { return m_conn && m_conn->engine() == Engine::Postgres; }
bool Database::isOpen() const { return m_conn && m_conn->isOpen(); }
void Database::interrupt() { m_conn->interrupt(); }

void Database::setBusyWait(std::function<bool(int tries)> keepWaiting)
{
    m_busyWait = std::make_unique<std::function<bool(int)>>(std::move(keepWaiting));
    if (m_conn->engine() != Engine::Sqlite)
        return; // PostgreSQL waits for its row locks itself
    sqlite3_busy_handler(
        m_conn->handle(),
        [](void *wait, int tries) -> int { return (*static_cast<std::function<bool(int)> *>(wait))(tries) ? 1 : 0; },
        m_busyWait.get());
}

Result<void> Database::refreshQueryStatistics(int64_t reportsAdded)
{
    if (m_conn->engine() == Engine::Postgres) {
        // reltuples: the planner's own row estimate, -1 before the first ANALYZE.
        Statement st = m_conn->prepare("SELECT reltuples::bigint FROM pg_class WHERE oid = 'reports'::regclass");
        if (!st.step())
            return st.failure();
        const int64_t estimated = st.int64(0);
        if (estimated > 0 && reportsAdded * 10 < estimated)
            return {};
        return m_conn->exec("ANALYZE");
    }
    // analysis_limit keeps ANALYZE to milliseconds on big files.
    return m_conn->exec("PRAGMA analysis_limit=1000; ANALYZE;");
}

int Database::currentSchemaVersion() { return int(schemaMigrations().size()); }

QString Database::engineVersion() { return QString::fromLatin1(sqlite3_libversion()); }

QString Database::defaultPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return dir + QStringLiteral("/errordeck.sqlite3");
}

Result<Database> Database::open(const QString &location, const OpenOptions &options)
{
    if (isServerUrl(location))
        return openServer(location, options);
    return open(location, options.readOnly);
}

Result<Database> Database::open(const QString &path, bool readOnly)
{
    if (isServerUrl(path))
        return openServer(path, OpenOptions{readOnly, {}});
    // Only stat() the file here, never open it: closing any descriptor of a file
    // drops every POSIX lock this process holds on it, SQLite's included, so
    // reading the header ourselves would break the other connections of the app.
    const QFileInfo info(path);
    if (info.isDir())
        return Error{QStringLiteral("%1 is a folder, not a database file").arg(path)};
    if (!info.exists() && !readOnly) {
        // Made here, empty and 0600 (folders 0700), for SQLite to fill: its -wal and
        // -shm files take the database's mode. A new file has no locks to lose.
        if (auto r = createPrivateFile(path); !r)
            return r.failure();
    }
    Database db;
    db.m_location = path;
    if (auto r = db.m_conn->open(path, !readOnly, readOnly); !r)
        return r.failure();

    auto header = retryWhileBusy(*db.m_conn, [&] { return readHeader(path, *db.m_conn); });
    if (!header)
        return header.failure();
    const auto version = header->version;
    if (auto r = retryWhileBusy(*db.m_conn, [&] { return db.configure(readOnly); }); !r)
        return Error{QStringLiteral("%1: %2").arg(path, r.error())};
    if (version < currentSchemaVersion()) {
        if (readOnly)
            return Error{QStringLiteral("%1 has an older schema (%2) and was opened read-only").arg(path).arg(version)};
        if (version > 0) {
            // Keep the old file: a migration is atomic, but a user may still want to go back.
            // VACUUM INTO fills an empty file: made 0600 first, like the database.
            const QString backup = QStringLiteral("%1.schema%2.bak").arg(path).arg(version);
            QFile::remove(backup);
            if (auto r = createPrivateFile(backup); !r)
                return Error{QStringLiteral("%1: cannot keep a copy before migrating: %2").arg(path, r.error())};
            Statement st = db.m_conn->prepare("VACUUM INTO ?");
            st.bind(1, backup);
            if (!st.exec())
                return Error{QStringLiteral("%1: cannot keep a copy before migrating: %2").arg(path, st.error())};
        }
        // Another process may be creating or migrating the same file this moment:
        // the version is read again under the write lock, and only what is still
        // missing is done (the first one does it all; the others find it done).
        std::optional<Transaction> tx; // BEGIN IMMEDIATE: the write lock before the read
        const auto begun = retryWhileBusy(*db.m_conn, [&]() -> Result<void> {
            tx.emplace(*db.m_conn);
            return tx->active() ? Result<void>() : Result<void>(db.m_conn->failure());
        });
        if (!begun)
            return Error{QStringLiteral("%1: cannot start the migration: %2").arg(path, begun.error())};
        auto now = readHeader(path, *db.m_conn);
        if (!now)
            return now.failure();
        if (now->version < currentSchemaVersion()) {
            if (auto r = db.migrate(int(now->version), currentSchemaVersion()); !r)
                return Error{QStringLiteral("%1: migration failed, nothing was changed: %2").arg(path, r.error())};
        }
        if (auto r = tx->commit(); !r)
            return Error{QStringLiteral("%1: migration failed, nothing was changed: %2").arg(path, r.error())};
    }
    if (!readOnly) {
        // An import that deferred indexes (ReportWriter::deferIndexes) and died
        // before building them: built now. Not fatal when it fails (another
        // process holding the write lock too long): queries only run slower,
        // and the next open tries again.
        (void)restoreMissingIndexes(*db.m_conn);
    }
    return db;
}

Result<Database> Database::createAtVersion(const QString &path, int version)
{
    if (isServerUrl(path))
        return openServer(path, OpenOptions{}, version);
    Database db;
    db.m_location = path;
    if (auto r = db.m_conn->open(path, true); !r)
        return r.failure();
    if (auto r = db.configure(false); !r)
        return r.failure();
    Transaction tx(*db.m_conn);
    if (!tx.active())
        return db.m_conn->failure();
    if (auto r = db.migrate(0, version); !r)
        return r.failure();
    if (auto r = tx.commit(); !r)
        return r.failure();
    return db;
}

Result<void> Database::close()
{
    if (!m_conn || !m_conn->isOpen())
        return {};
    if (m_conn->engine() == Engine::Postgres) {
        m_conn->close(); // the server keeps its own files whole
        return {};
    }
    Result<void> result;
    Statement st = m_conn->prepare("PRAGMA wal_checkpoint(TRUNCATE)");
    // Columns: busy, frames in the WAL, frames checkpointed. A read-only
    // connection cannot checkpoint; it has nothing of its own in the WAL either.
    if (st.step() && st.int64(0) != 0)
        result = Error{QStringLiteral("%1: another connection is reading; the WAL was not checkpointed").arg(path())};
    else if (st.errorCode() != SQLITE_ROW && st.errorCode() != SQLITE_DONE && st.errorCode() != SQLITE_READONLY)
        result = Error{QStringLiteral("%1: checkpoint failed: %2").arg(path(), st.error())};
    st = Statement();
    m_conn->close();
    return result;
}

Result<void> Database::configure(bool readOnly)
{
    // No mmap: mapped pages count in the resident size, which must stay bounded
    // however large the database grows; SQLite's own cache is capped at 64 MB.
    const char *pragmas = readOnly ? "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;"
                                   : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;"
                                     "PRAGMA cache_size=-65536; PRAGMA foreign_keys=ON;";
    return m_conn->exec(pragmas);
}

Result<void> Database::migrate(int from, int to)
{
    const auto &steps = schemaMigrations();
    for (int v = from; v < to; ++v) {
        if (auto r = m_conn->exec(steps[size_t(v)]); !r)
            return Error{QStringLiteral("schema %1 to %2: %3").arg(v).arg(v + 1).arg(r.error())};
    }
    if (auto r = m_conn->exec("PRAGMA application_id=" + std::to_string(kApplicationId)); !r)
        return r;
    return m_conn->exec("PRAGMA user_version=" + std::to_string(to));
}

} // namespace ed
