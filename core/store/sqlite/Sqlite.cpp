#include "store/sqlite/Sqlite.h"

#include "base/ThreadCheck.h"
#include "store/sqlite/SqlDialect.h"

#include <QtGlobal>
#include <charconv>
#include <sqlite3.h>
#include <utility>

namespace ed {

Statement::Statement(sqlite3 *db, std::string_view sql) : m_db(db)
{
    dbthread::checkNotUiThread(sql);
    m_rc = sqlite3_prepare_v3(db, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr);
    if (m_rc != SQLITE_OK) {
        m_error = QString::fromUtf8(sqlite3_errmsg(db));
        m_stmt = nullptr;
    }
}

Statement::Statement(PgConnection &pg, std::string_view sql)
{
    dbthread::checkNotUiThread(sql);
    auto st = std::make_unique<PgStatement>(pg, sql);
    if (st->valid()) {
        m_pg = std::move(st);
    } else {
        m_rc = st->errorCode();
        m_error = st->failure().message;
    }
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

Statement::Statement(Statement &&o) noexcept
    : m_stmt(std::exchange(o.m_stmt, nullptr)), m_db(o.m_db), m_pg(std::move(o.m_pg)), m_rc(o.m_rc), m_error(std::move(o.m_error))
{
}

Statement &Statement::operator=(Statement &&o) noexcept
{
    if (this != &o) {
        sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(o.m_stmt, nullptr);
        m_db = o.m_db;
        m_pg = std::move(o.m_pg);
        m_rc = o.m_rc;
        m_error = std::move(o.m_error);
    }
    return *this;
}

Statement &Statement::bind(int i, int64_t v)
{
    if (m_pg) {
        char digits[24];
        const auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
        m_pg->bindText(i, std::string_view(digits, size_t(end - digits)));
        return *this;
    }
    sqlite3_bind_int64(m_stmt, i, v);
    return *this;
}

Statement &Statement::bind(int i, double v)
{
    if (m_pg) {
        // The shortest text that reads back as the same double; inf, -inf and nan as float8 reads them.
        char digits[32];
        const auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
        m_pg->bindText(i, std::string_view(digits, size_t(end - digits)));
        return *this;
    }
    sqlite3_bind_double(m_stmt, i, v);
    return *this;
}

Statement &Statement::bind(int i, std::string_view text)
{
    if (m_pg) {
        m_pg->bindText(i, text);
        return *this;
    }
    sqlite3_bind_text64(m_stmt, i, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
}

Statement &Statement::bind(int i, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    return bind(i, std::string_view(utf8.constData(), size_t(utf8.size())));
}

Statement &Statement::bindBlob(int i, std::string_view blob)
{
    if (m_pg) {
        m_pg->bindBlob(i, blob);
        return *this;
    }
    sqlite3_bind_blob64(m_stmt, i, blob.data(), blob.size(), SQLITE_TRANSIENT);
    return *this;
}

Statement &Statement::bindNull(int i)
{
    if (m_pg) {
        m_pg->bindNull(i);
        return *this;
    }
    sqlite3_bind_null(m_stmt, i);
    return *this;
}

Statement &Statement::bindTextOrNull(int i, std::string_view text) { return text.empty() ? bindNull(i) : bind(i, text); }

Statement &Statement::bindTextOrNull(int i, const QString &text) { return text.isEmpty() ? bindNull(i) : bind(i, text); }

Result<void> Statement::stepToRow(const QString &missing)
{
    if (!valid())
        return failure();
    if (step())
        return {};
    if (done())
        return Error{missing, ErrorKind::NotFound};
    return failure();
}

bool Statement::done() const { return m_pg ? m_pg->done() : m_rc == SQLITE_DONE; }

int Statement::errorCode() const { return m_pg ? m_pg->errorCode() : m_rc; }

bool Statement::step()
{
    if (m_pg)
        return m_pg->step();
    if (!m_stmt)
        return false;
    m_rc = sqlite3_step(m_stmt);
    return m_rc == SQLITE_ROW;
}

bool Statement::exec()
{
    if (m_pg)
        return m_pg->exec();
    if (!m_stmt)
        return false;
    while ((m_rc = sqlite3_step(m_stmt)) == SQLITE_ROW) { }
    const bool ok = m_rc == SQLITE_DONE;
    if (!ok)
        m_error = QString::fromUtf8(sqlite3_errmsg(m_db));
    sqlite3_reset(m_stmt);
    return ok;
}

void Statement::reset()
{
    if (m_pg)
        m_pg->reset();
    if (m_stmt) {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
}

bool Statement::isNull(int col) const { return m_pg ? m_pg->isNull(col) : sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
int64_t Statement::int64(int col) const { return m_pg ? m_pg->int64(col) : sqlite3_column_int64(m_stmt, col); }
double Statement::real(int col) const { return m_pg ? m_pg->real(col) : sqlite3_column_double(m_stmt, col); }

std::string_view Statement::text(int col) const
{
    if (m_pg)
        return m_pg->text(col);
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col));
    return p ? std::string_view(p, size_t(sqlite3_column_bytes(m_stmt, col))) : std::string_view();
}

QString Statement::qtext(int col) const
{
    const std::string_view t = text(col);
    return QString::fromUtf8(t.data(), qsizetype(t.size()));
}

std::string_view Statement::blob(int col) const
{
    if (m_pg)
        return m_pg->blob(col);
    const auto *p = static_cast<const char *>(sqlite3_column_blob(m_stmt, col));
    return p ? std::string_view(p, size_t(sqlite3_column_bytes(m_stmt, col))) : std::string_view();
}

QString Statement::error() const
{
    if (m_pg)
        return m_pg->failure().message;
    if (!m_error.isEmpty())
        return m_error;
    return m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QString();
}

Connection::~Connection() { close(); }

Connection::Connection(Connection &&o) noexcept
    : m_db(std::exchange(o.m_db, nullptr)), m_pg(std::move(o.m_pg)), m_path(std::move(o.m_path))
{
}

Connection &Connection::operator=(Connection &&o) noexcept
{
    if (this != &o) {
        close();
        m_db = std::exchange(o.m_db, nullptr);
        m_pg = std::move(o.m_pg);
        m_path = std::move(o.m_path);
    }
    return *this;
}

Result<void> Connection::open(const QString &path, bool create, bool readOnly)
{
    close();
    int flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (create && !readOnly)
        flags |= SQLITE_OPEN_CREATE;
    flags |= SQLITE_OPEN_NOMUTEX;
    const QByteArray p = path.toUtf8();
    sqlite3 *db = nullptr;
    const int rc = sqlite3_open_v2(p.constData(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        QString msg = db ? QString::fromUtf8(sqlite3_errmsg(db)) : QString::fromUtf8(sqlite3_errstr(rc));
        sqlite3_close_v2(db);
        return Error{QStringLiteral("cannot open %1: %2").arg(path, msg), sqliteErrorKind(rc)};
    }
    m_db = db;
    m_path = path;
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, sqldialect::writeWaitMs());
    return {};
}

Result<void> Connection::openServer(const QString &url, const PasswordProvider &password)
{
    close();
    dbthread::checkNotUiThread("connect");
    auto pg = PgConnection::connect(url, password);
    if (!pg)
        return pg.failure();
    m_pg = std::move(*pg);
    m_path = m_pg->redactedUrl();
    return {};
}

Statement Connection::prepare(std::string_view sql) const { return m_pg ? Statement(*m_pg, sql) : Statement(m_db, sql); }

void Connection::close()
{
    m_pg.reset();
    if (m_db) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

Result<void> Connection::exec(std::string_view sql)
{
    dbthread::checkNotUiThread(sql);
    if (m_pg)
        return m_pg->exec(sql);
    char *err = nullptr;
    const std::string s(sql);
    if (const int rc = sqlite3_exec(m_db, s.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
        QString msg = QString::fromUtf8(err ? err : sqlite3_errmsg(m_db));
        sqlite3_free(err);
        // A writer's turn not had within the busy timeout: said as on PostgreSQL.
        if (sqliteErrorKind(rc) == ErrorKind::Busy && sql == sqldialect::beginWriting(SqlDialect::Sqlite))
            msg = QStringLiteral("%1 (%2)").arg(sqldialect::writerWaitedTooLong(), msg);
        return Error{msg, sqliteErrorKind(sqlite3_extended_errcode(m_db))};
    }
    return {};
}

Result<int64_t> Connection::scalar(std::string_view sql)
{
    Statement st = prepare(sql);
    if (!st.valid())
        return st.failure();
    if (!st.step()) {
        if (!st.done())
            return st.failure();
        return int64_t(0);
    }
    return st.int64(0);
}

ErrorKind sqliteErrorKind(int rc)
{
    // A taken key: the store may look the other row up (PostgreSQL's 23505 alike).
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return ErrorKind::Conflict;
    switch (rc & 0xff) {
    case SQLITE_INTERRUPT: return ErrorKind::Interrupted;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return ErrorKind::Busy;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return ErrorKind::Corrupt;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH: return ErrorKind::Io;
    case SQLITE_NOTFOUND: return ErrorKind::NotFound;
    default: return ErrorKind::Failed;
    }
}

Error Statement::failure() const
{
    if (m_pg)
        return Error{m_pg->failure().message, m_pg->failure().kind};
    if (!m_stmt)
        return Error{m_error, sqliteErrorKind(m_rc)};
    return Error{error(), sqliteErrorKind(m_rc)};
}

Error Connection::failure() const
{
    if (m_pg)
        return Error{m_pg->lastFailure().message, m_pg->lastFailure().kind};
    return Error{lastError(), sqliteErrorKind(m_db ? sqlite3_extended_errcode(m_db) : SQLITE_CANTOPEN)};
}

int64_t Connection::lastInsertId() const
{
    if (m_pg)
        qFatal("Connection::lastInsertId() on PostgreSQL, which has none: write INSERT ... RETURNING id");
    return sqlite3_last_insert_rowid(m_db);
}
int Connection::changes() const { return m_pg ? m_pg->changes() : sqlite3_changes(m_db); }
int Connection::lastErrorCode() const
{
    if (m_pg)
        return m_pg->lastFailure().code;
    return m_db ? (sqlite3_extended_errcode(m_db) & 0xff) : SQLITE_CANTOPEN;
}
QString Connection::lastError() const
{
    if (m_pg)
        return m_pg->lastFailure().message;
    return m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QString();
}
void Connection::interrupt()
{
    if (m_pg)
        m_pg->interrupt();
    if (m_db)
        sqlite3_interrupt(m_db);
}

Transaction::Transaction(Connection &c, bool immediate) : m_conn(c)
{
    m_begun = bool(m_conn.exec(immediate ? sqldialect::beginWriting(dialectOf(c)) : "BEGIN"));
    m_active = m_begun;
    // PostgreSQL: the writers' turn (SqlDialect.h), taken after BEGIN so that
    // it ends with the transaction. When it fails (a cancel, a lost server)
    // the transaction is not active; the ROLLBACK waits for the destructor, so
    // that the caller's c.failure() still says why.
    if (const std::string lock = immediate && m_begun ? sqldialect::takeWriteLock(dialectOf(c)) : std::string(); !lock.empty())
        m_active = bool(m_conn.exec(lock));
}

Transaction::~Transaction()
{
    if (m_begun)
        (void)m_conn.exec("ROLLBACK");
}

Result<void> Transaction::commit()
{
    if (!m_active)
        return Error{QStringLiteral("no transaction to commit")};
    auto r = m_conn.exec("COMMIT");
    if (r)
        m_active = m_begun = false;
    return r;
}

Result<void> Transaction::commit(StoreChangeKinds changes)
{
    if (!m_active)
        return Error{QStringLiteral("no transaction to commit")};
    if (auto r = announceChange(m_conn, changes); !r)
        return r; // rolled back by the destructor
    return commit();
}

} // namespace ed
