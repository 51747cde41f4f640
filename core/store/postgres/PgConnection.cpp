#include "store/postgres/PgConnection.h"

#include "store/postgres/PgPlaceholders.h"
#include "store/sqlite/SqlDialect.h"

#include <QRegularExpression>
#include <QtGlobal>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <libpq-fe.h>

namespace ed {

namespace {

// pg_type's OIDs (catalog/pg_type_d.h is a server header, not in libpq-dev).
constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23;

PgFailure classify(std::string_view state, QString message)
{
    const auto starts = [&](std::string_view p) { return state.substr(0, p.size()) == p; };
    if (state == "23505") // unique_violation: the store may look the other row up
        return {pgcode::Constraint, ErrorKind::Conflict, std::move(message)};
    if (starts("23"))
        return {pgcode::Constraint, ErrorKind::Failed, std::move(message)};
    // lock_timeout (the write lock's bound, SqlDialect.h; no statement of the
    // store asks for NOWAIT, the other source of this state).
    if (state == "55P03")
        return {pgcode::Busy, ErrorKind::Busy, QStringLiteral("%1 (%2)").arg(sqldialect::writerWaitedTooLong(), message)};
    if (state == "40001" || state == "40P01") // serialization, deadlock
        return {pgcode::Busy, ErrorKind::Busy, std::move(message)};
    if (state == "57014") // query_canceled: interrupt()
        return {pgcode::Interrupt, ErrorKind::Interrupted, std::move(message)};
    if (starts("08") || starts("57P") || starts("53")) // connection, shutdown, out of disk or memory
        return {pgcode::IoErr, ErrorKind::Io, std::move(message)};
    if (starts("28") || state == "3D000") // authorization, no such database: the setting is wrong
        return {pgcode::Error, ErrorKind::InvalidInput, std::move(message)};
    return {pgcode::Error, ErrorKind::Failed, std::move(message)};
}

// Where a URL carries passwords (libpq's URI form): the userinfo's
// user:PASSWORD@ (group 1 what comes before the colon, group 2 the password;
// the scheme in any case, as libpq and Database::isServerUrl take it) and the
// password= and sslpassword= parameters (group 1 the separator, 2 the password).
const QRegularExpression &userinfoPassword()
{
    static const QRegularExpression re(QStringLiteral("^([a-z]+://[^:@/?]*):([^@/?]*)@"),
                                       QRegularExpression::CaseInsensitiveOption);
    return re;
}
const QRegularExpression &passwordParameter()
{
    static const QRegularExpression re(QStringLiteral("([?&])(?:ssl)?password=([^&]*)"));
    return re;
}

// The passwords a URL carries, to keep them out of the messages libpq writes
// about that URL.
QStringList passwordsIn(const QString &url)
{
    QStringList out;
    if (const auto m = userinfoPassword().match(url); m.hasMatch() && !m.captured(2).isEmpty())
        out << m.captured(2);
    for (auto it = passwordParameter().globalMatch(url); it.hasNext();) {
        const QString p = it.next().captured(2);
        if (!p.isEmpty())
            out << p;
    }
    return out;
}

QString scrubbed(QString message, const QStringList &secrets)
{
    for (const QString &s : secrets)
        message.replace(s, QStringLiteral("***"));
    return message;
}

QString libpqMessage(const PGconn *conn) { return QString::fromUtf8(PQerrorMessage(conn)).trimmed(); }

QString whereOf(const PGconn *conn)
{
    const QString host = QString::fromUtf8(PQhost(conn));
    return QStringLiteral("%1:%2/%3").arg(host, QString::fromUtf8(PQport(conn)), QString::fromUtf8(PQdb(conn)));
}

void dropNotice(void *, const char *) { } // NOTICEs ("already exists, skipping") are not errors

} // namespace

QString redactPgUrl(const QString &url)
{
    QString out = url;
    for (const QString &p : passwordsIn(url))
        out.replace(p, QStringLiteral("***"));
    return out;
}

QString pgUrlWithoutPasswords(const QString &url)
{
    QString out = url;
    out.replace(userinfoPassword(), QStringLiteral("\\1@"));
    out.replace(passwordParameter(), QStringLiteral("\\1"));
    // Each removal leaves its separator: `?&`, `&&` or one at the end.
    static const QRegularExpression separators(QStringLiteral("([?&])[?&]+"));
    out.replace(separators, QStringLiteral("\\1"));
    while (out.endsWith(QLatin1Char('&')) || out.endsWith(QLatin1Char('?')))
        out.chop(1);
    return out;
}

Result<std::unique_ptr<PgConnection>> PgConnection::connect(const QString &url, const PasswordProvider &password)
{
    std::unique_ptr<PgConnection> c(new PgConnection);
    c->m_url = redactPgUrl(url);
    QStringList secrets = passwordsIn(url);
    const QByteArray u = url.toUtf8();
    QByteArray given;
    // The URL is expanded in place of dbname; the later keywords win over it.
    const auto attempt = [&](bool withPassword) {
        std::vector<const char *> keys{"dbname", "client_encoding", "fallback_application_name"};
        std::vector<const char *> values{u.constData(), "UTF8", "errordeck"};
        if (withPassword) {
            keys.push_back("password");
            values.push_back(given.constData());
        }
        keys.push_back(nullptr);
        values.push_back(nullptr);
        return PQconnectdbParams(keys.data(), values.data(), 1);
    };
    PGconn *conn = attempt(false);
    if (conn && PQstatus(conn) == CONNECTION_BAD && PQconnectionNeedsPassword(conn) && password) {
        if (const auto pw = password(c->m_url); pw && !pw->isEmpty()) {
            given = pw->toUtf8();
            secrets << *pw;
            PQfinish(conn);
            conn = attempt(true);
            given.fill('\0');
        }
    }
    if (!conn)
        return Error{QStringLiteral("cannot connect to PostgreSQL (%1): out of memory").arg(c->m_url), ErrorKind::Io};
    if (PQstatus(conn) == CONNECTION_BAD) {
        const QString where = whereOf(conn), why = scrubbed(libpqMessage(conn), secrets);
        const bool needsPassword = PQconnectionNeedsPassword(conn);
        PQfinish(conn);
        if (needsPassword)
            return Error{QStringLiteral("PostgreSQL at %1 asks for a password and none was given (PGPASSWORD, PGPASSFILE or "
                                        "the keychain): %2")
                             .arg(where, why),
                         ErrorKind::InvalidInput};
        // libpq gives no SQLSTATE for a failed start-up: the server's wording tells a wrong
        // setting (password, pg_hba.conf, no such database or role) from an unreachable server.
        static const QRegularExpression setting(
            QStringLiteral("authentication failed|no pg_hba.conf entry|does not exist|certificate|SSL"));
        return Error{QStringLiteral("cannot connect to PostgreSQL at %1: %2").arg(where, why),
                     setting.match(why).hasMatch() ? ErrorKind::InvalidInput : ErrorKind::Io};
    }
    PQsetNoticeProcessor(conn, dropNotice, nullptr);
    c->m_conn = conn;
    c->m_cancel = PQgetCancel(conn);
    c->m_where = whereOf(conn);
    return c;
}

PgConnection::~PgConnection()
{
    {
        std::lock_guard lock(m_cancelMutex);
        PQfreeCancel(m_cancel);
        m_cancel = nullptr;
    }
    PQfinish(m_conn);
}

const PgFailure &PgConnection::fail(const PGresult *res)
{
    if (PQstatus(m_conn) == CONNECTION_BAD) {
        m_last = {pgcode::IoErr, ErrorKind::Io,
                  QStringLiteral("lost the connection to PostgreSQL at %1: %2").arg(m_where, libpqMessage(m_conn))};
        return m_last;
    }
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    // The primary message only: DETAIL may quote the row's values.
    QString message = primary ? QString::fromUtf8(primary) : libpqMessage(m_conn);
    m_last = classify(state ? std::string_view(state) : std::string_view(), std::move(message));
    if (m_last.kind == ErrorKind::InvalidInput || m_last.kind == ErrorKind::Io) // a setting or the server: say which
        m_last.message = QStringLiteral("PostgreSQL at %1: %2").arg(m_where, m_last.message);
    return m_last;
}

Result<void> PgConnection::exec(std::string_view sql)
{
    const std::string text(sql);
    PGresult *r = PQexec(m_conn, text.c_str());
    const ExecStatusType status = PQresultStatus(r);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
        PQclear(r);
        m_last = {};
        return {};
    }
    const PgFailure &f = fail(r);
    PQclear(r);
    return Error{f.message, f.kind};
}

int PgConnection::socket() const { return PQsocket(m_conn); }

PgConnection::Notifications PgConnection::takeNotifications(std::string_view channel)
{
    Notifications out;
    const bool read = PQconsumeInput(m_conn) != 0;
    while (PGnotify *n = PQnotifies(m_conn)) {
        if (channel == n->relname)
            out.payloads.emplace_back(n->extra);
        PQfreemem(n);
    }
    // A server shutting down says so (57P01) and closes the connection.
    if (!read || PQstatus(m_conn) == CONNECTION_BAD)
        out.lost = QStringLiteral("lost the connection to PostgreSQL at %1: %2").arg(m_where, libpqMessage(m_conn));
    return out;
}

Result<const PgPrepared *> PgConnection::prepared(std::string_view sql)
{
    std::string key(sql);
    if (auto it = m_prepared.find(key); it != m_prepared.end())
        return &it->second;
    const PgSql translated = translatePlaceholders(sql);
    PgPrepared p;
    p.name = "ed" + std::to_string(m_prepared.size() + 1);
    // No parameter types: the server infers them from where each $N stands.
    PGresult *r = PQprepare(m_conn, p.name.c_str(), translated.text.c_str(), 0, nullptr);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        const PgFailure &f = fail(r);
        PQclear(r);
        return Error{f.message, f.kind};
    }
    PQclear(r);
    r = PQdescribePrepared(m_conn, p.name.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        const PgFailure &f = fail(r);
        PQclear(r);
        return Error{f.message, f.kind};
    }
    p.parameters = PQnparams(r);
    bool narrow = false;
    for (int i = 0; i < p.parameters; ++i) {
        p.parameterTypes.push_back(PQparamtype(r, i));
        narrow = narrow || p.parameterTypes.back() == kInt4Oid || p.parameterTypes.back() == kInt2Oid;
    }
    PQclear(r);
    // The store binds 64-bit integers. A parameter whose type the server took
    // from a small literal (`CASE WHEN ?2 < 0 ...`: integer) would refuse a
    // time in ms ("out of range for type integer"), so such a statement is
    // prepared again with those parameters bigint. Where bigint does not fit
    // (a function taking integer only) the first preparation stays.
    if (narrow) {
        std::vector<Oid> wide(p.parameterTypes.begin(), p.parameterTypes.end());
        for (Oid &t : wide)
            t = t == kInt4Oid || t == kInt2Oid ? kInt8Oid : t;
        const std::string wideName = p.name + "w";
        // A failed PREPARE would abort an open transaction: a savepoint keeps it.
        const bool inTransaction = PQtransactionStatus(m_conn) == PQTRANS_INTRANS;
        if (inTransaction)
            PQclear(PQexec(m_conn, "SAVEPOINT errordeck_widen"));
        PGresult *w = PQprepare(m_conn, wideName.c_str(), translated.text.c_str(), int(wide.size()), wide.data());
        const bool widened = PQresultStatus(w) == PGRES_COMMAND_OK;
        PQclear(w);
        if (inTransaction)
            PQclear(PQexec(m_conn, widened ? "RELEASE SAVEPOINT errordeck_widen"
                                           : "ROLLBACK TO SAVEPOINT errordeck_widen; RELEASE SAVEPOINT errordeck_widen"));
        if (widened) {
            p.name = wideName;
            p.parameterTypes.assign(wide.begin(), wide.end());
        }
    }
    return &m_prepared.emplace(std::move(key), std::move(p)).first->second;
}

PGresult *PgConnection::run(const PgPrepared &p, const std::vector<const char *> &values, const std::vector<int> &lengths,
                            const std::vector<int> &formats)
{
    PGresult *r = PQexecPrepared(m_conn, p.name.c_str(), p.parameters, values.data(), lengths.data(), formats.data(), 0);
    const ExecStatusType status = PQresultStatus(r);
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
        // changes() as SQLite counts them: rows written by the last INSERT, UPDATE or DELETE.
        const std::string_view command = PQcmdStatus(r);
        for (std::string_view verb : {"INSERT", "UPDATE", "DELETE", "MERGE"}) {
            if (command.substr(0, verb.size()) == verb)
                m_changes = std::atoi(PQcmdTuples(r));
        }
        m_last = {};
        return r;
    }
    fail(r);
    PQclear(r);
    return nullptr;
}

void PgConnection::interrupt()
{
    std::lock_guard lock(m_cancelMutex);
    char why[256];
    if (m_cancel)
        (void)PQcancel(m_cancel, why, int(sizeof why));
}

PgStatement::PgStatement(PgConnection &conn, std::string_view sql) : m_conn(conn)
{
    auto p = conn.prepared(sql);
    if (!p) {
        m_failure = conn.lastFailure();
        m_code = m_failure.code;
        return;
    }
    m_prepared = *p;
    m_values.resize(size_t(m_prepared->parameters));
    m_binary.resize(size_t(m_prepared->parameters));
}

PgStatement::~PgStatement() { clearResult(); }

void PgStatement::clearResult()
{
    PQclear(m_result);
    m_result = nullptr;
    m_running = false;
    m_row = -1;
    m_rows = 0;
}

void PgStatement::bindValue(int i, std::string_view bytes, bool binary)
{
    // Out of range is ignored, as SQLite's bind does (it returns SQLITE_RANGE, which no caller reads).
    if (!m_prepared || i < 1 || i > m_prepared->parameters)
        return;
    m_values[size_t(i - 1)] = std::string(bytes);
    m_binary[size_t(i - 1)] = binary ? 1 : 0;
}

void PgStatement::bindText(int i, std::string_view text)
{
    // Into a bytea parameter the bytes go as they are (text format would read backslashes as escapes).
    const bool bytea = m_prepared && i >= 1 && i <= m_prepared->parameters &&
                       m_prepared->parameterTypes[size_t(i - 1)] == kByteaOid;
    bindValue(i, text, bytea);
}

void PgStatement::bindBlob(int i, std::string_view blob) { bindValue(i, blob, true); }

void PgStatement::bindNull(int i)
{
    if (m_prepared && i >= 1 && i <= m_prepared->parameters)
        m_values[size_t(i - 1)].reset();
}

bool PgStatement::execute()
{
    clearResult();
    const size_t n = m_values.size();
    std::vector<const char *> values(n);
    std::vector<int> lengths(n);
    for (size_t i = 0; i < n; ++i) {
        values[i] = m_values[i] ? m_values[i]->c_str() : nullptr;
        lengths[i] = m_values[i] ? int(m_values[i]->size()) : 0;
    }
    m_result = m_conn.run(*m_prepared, values, lengths, m_binary);
    if (!m_result) {
        m_failure = m_conn.lastFailure();
        m_code = m_failure.code;
        return false;
    }
    m_rows = PQntuples(m_result);
    m_running = true;
    m_decoded.assign(size_t(PQnfields(m_result)), std::nullopt);
    return true;
}

bool PgStatement::step()
{
    if (!m_prepared)
        return false;
    // A step after the end runs the statement again, as SQLite's does.
    if (!m_running && !execute())
        return false;
    for (auto &d : m_decoded)
        d.reset();
    if (++m_row < m_rows) {
        m_code = pgcode::Row;
        return true;
    }
    clearResult();
    m_code = pgcode::Done;
    return false;
}

bool PgStatement::exec()
{
    if (!m_prepared)
        return false;
    const bool ok = execute();
    clearResult();
    if (ok)
        m_code = pgcode::Done;
    return ok;
}

void PgStatement::reset()
{
    clearResult();
    for (auto &v : m_values)
        v.reset();
    std::fill(m_binary.begin(), m_binary.end(), 0);
    m_code = pgcode::Ok;
}

bool PgStatement::isNull(int col) const
{
    return !m_running || m_row < 0 || m_row >= m_rows || col < 0 || col >= PQnfields(m_result) ||
           PQgetisnull(m_result, m_row, col);
}

std::string_view PgStatement::blob(int col) const
{
    if (isNull(col))
        return {};
    const char *v = PQgetvalue(m_result, m_row, col);
    if (PQftype(m_result, col) != kByteaOid)
        return std::string_view(v, size_t(PQgetlength(m_result, m_row, col)));
    auto &decoded = m_decoded[size_t(col)];
    if (!decoded) {
        size_t length = 0;
        unsigned char *bytes = PQunescapeBytea(reinterpret_cast<const unsigned char *>(v), &length);
        decoded = bytes ? std::string(reinterpret_cast<const char *>(bytes), length) : std::string();
        PQfreemem(bytes);
    }
    return *decoded;
}

std::string_view PgStatement::text(int col) const { return blob(col); }

double PgStatement::real(int col) const
{
    if (isNull(col))
        return 0.0;
    if (PQftype(m_result, col) == kBoolOid)
        return PQgetvalue(m_result, m_row, col)[0] == 't' ? 1.0 : 0.0;
    return std::strtod(PQgetvalue(m_result, m_row, col), nullptr); // NaN, Infinity as PostgreSQL writes them
}

int64_t PgStatement::int64(int col) const
{
    if (isNull(col))
        return 0;
    if (PQftype(m_result, col) == kBoolOid)
        return PQgetvalue(m_result, m_row, col)[0] == 't' ? 1 : 0;
    const std::string_view v = blob(col);
    int64_t n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec == std::errc() && end == v.data() + v.size())
        return n;
    // A real (or numeric) read as an integer: truncated and clamped, as SQLite does.
    const double d = real(col);
    if (std::isnan(d))
        return 0;
    if (d >= 9223372036854775807.0)
        return std::numeric_limits<int64_t>::max();
    if (d <= -9223372036854775808.0)
        return std::numeric_limits<int64_t>::min();
    return int64_t(d);
}

} // namespace ed
