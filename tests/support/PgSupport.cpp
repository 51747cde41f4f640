#include "PgSupport.h"

#include "SmtpSupport.h"
#include "TestSupport.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QThread>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace edtest {
namespace {

const QString kBin = QStringLiteral("/usr/lib/postgresql/15/bin");

struct RunAs {
    bool change = false;
    uid_t uid = 0;
    gid_t gid = 0;
};

// The child of `p` drops root for `who` (initdb and postgres refuse root) and,
// when `dieWithUs`, is killed if the test process dies first: no server
// outlives a crashed test.
void runAs(QProcess &p, RunAs who, bool dieWithUs)
{
    p.setChildProcessModifier([who, dieWithUs] {
        if (who.change && (::setgroups(0, nullptr) != 0 || ::setgid(who.gid) != 0 || ::setuid(who.uid) != 0))
            ::_exit(126);
        if (dieWithUs) // after setuid, which clears the parent-death signal
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    });
}

bool giveTo(const QString &path, RunAs who)
{
    return !who.change || ::chown(QFile::encodeName(path).constData(), who.uid, who.gid) == 0;
}

QString runTool(const QString &program, const QStringList &args, RunAs who)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    runAs(p, who, true);
    p.start(program, args);
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return QStringLiteral("%1 failed (exit %2): %3").arg(program).arg(p.exitCode()).arg(QString::fromLocal8Bit(p.readAll()));
    return QString();
}

} // namespace

PgCluster::PgCluster()
{
    if (!QFileInfo(kBin + QStringLiteral("/initdb")).isExecutable() ||
        !QFileInfo(kBin + QStringLiteral("/postgres")).isExecutable()) {
        m_error = QStringLiteral("PostgreSQL 15's server is not installed (%1/initdb and postgres): the tests need Debian's "
                                 "postgresql-15 (dev.sh's test_packages)")
                      .arg(kBin);
        return;
    }
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot make a temporary folder for PostgreSQL");
        return;
    }
    m_error = start();
}

QString PgCluster::start()
{
    RunAs who;
    if (::geteuid() == 0) {
        const passwd *pg = ::getpwnam("postgres"); // made by postgresql-common
        if (!pg)
            return QStringLiteral("running as root, and there is no `postgres` user to run initdb and postgres as");
        who = {true, pg->pw_uid, pg->pw_gid};
    }
    const QString d = m_dir.path();
    const QString data = d + QStringLiteral("/data");
    if (!giveTo(d, who))
        return QStringLiteral("cannot give %1 to the postgres user").arg(d);
    writeFile(d + QStringLiteral("/pw"), QByteArray(kPassword) + "\n");
    if (QString e = runTool(QStringLiteral("openssl"),
                            {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                             QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                             QStringLiteral("-keyout"), d + QStringLiteral("/server.key"), QStringLiteral("-out"),
                             d + QStringLiteral("/server.crt"), QStringLiteral("-days"), QStringLiteral("2"),
                             QStringLiteral("-subj"), QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                             QStringLiteral("subjectAltName=DNS:localhost")},
                            RunAs{});
        !e.isEmpty())
        return e;
    for (const char *f : {"/pw", "/server.key", "/server.crt"}) {
        if (!giveTo(d + QLatin1String(f), who))
            return QStringLiteral("cannot give %1%2 to the postgres user").arg(d, QLatin1String(f));
    }
    QFile::setPermissions(d + QStringLiteral("/server.key"), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    // Password logins over TCP (SCRAM), trust on the socket in our own folder.
    if (QString e = runTool(kBin + QStringLiteral("/initdb"),
                            {QStringLiteral("-D"), data, QStringLiteral("-U"), QLatin1String(kUser), QStringLiteral("--pwfile"),
                             d + QStringLiteral("/pw"), QStringLiteral("--auth-local=trust"),
                             QStringLiteral("--auth-host=scram-sha-256"), QStringLiteral("-E"), QStringLiteral("UTF8"),
                             QStringLiteral("--no-locale"), QStringLiteral("--no-sync"), QStringLiteral("--no-instructions")},
                            who);
        !e.isEmpty())
        return e;
    const QString conf = QStringLiteral(R"(
listen_addresses = '127.0.0.1'
unix_socket_directories = '%1'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 16MB
max_connections = 40
ssl = on
ssl_cert_file = '%1/server.crt'
ssl_key_file = '%1/server.key'
)")
                             .arg(d);
    QFile confFile(data + QStringLiteral("/postgresql.conf"));
    if (!confFile.open(QIODevice::Append) || confFile.write(conf.toUtf8()) < 0)
        return QStringLiteral("cannot add the test settings to %1").arg(confFile.fileName());
    confFile.close();

    return launch(true);
}

// Starts the postmaster on the data folder start() made: on a free port
// (tried three times: another process may take it first), or on m_port again.
QString PgCluster::launch(bool pickPort)
{
    RunAs who;
    if (::geteuid() == 0) {
        const passwd *pg = ::getpwnam("postgres");
        if (!pg)
            return QStringLiteral("running as root, and there is no `postgres` user to run postgres as");
        who = {true, pg->pw_uid, pg->pw_gid};
    }
    const QString d = m_dir.path();
    const QString data = d + QStringLiteral("/data");
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (pickPort)
            m_port = unusedLoopbackPort();
        m_server.setProcessChannelMode(QProcess::MergedChannels);
        m_server.setStandardOutputFile(d + QStringLiteral("/server.log"), QIODevice::Append);
        runAs(m_server, who, true);
        m_server.start(kBin + QStringLiteral("/postgres"),
                       {QStringLiteral("-D"), data, QStringLiteral("-p"), QString::number(m_port)});
        const QByteArray ping =
            QStringLiteral("host=%1 port=%2 dbname=postgres user=%3").arg(d).arg(m_port).arg(QLatin1String(kUser)).toUtf8();
        QDeadlineTimer deadline(30000);
        while (m_server.state() != QProcess::NotRunning && !deadline.hasExpired()) {
            if (PQping(ping.constData()) == PQPING_OK)
                return QString();
            QThread::msleep(20);
        }
        stop(); // the port was taken (the log says so) or it did not come up: try another
    }
    return QStringLiteral("PostgreSQL did not start on 127.0.0.1; its log:\n%1").arg(log());
}

QString PgCluster::restart()
{
    stop();
    return launch(false);
}

PgCluster::~PgCluster() { stop(); }

void PgCluster::stop()
{
    if (m_server.state() == QProcess::NotRunning)
        return;
    // SIGQUIT to the postmaster is what `pg_ctl stop -m immediate` sends: no
    // checkpoint, the folder goes anyway.
    ::kill(pid_t(m_server.processId()), SIGQUIT);
    if (!m_server.waitForFinished(10000)) {
        m_server.kill();
        m_server.waitForFinished(5000);
    }
}

QString PgCluster::caFile() const { return m_dir.path() + QStringLiteral("/server.crt"); }

QString PgCluster::log() const { return QString::fromUtf8(readFile(m_dir.path() + QStringLiteral("/server.log"))); }

QString PgCluster::url(const QString &db, const QString &host, const QString &query) const
{
    QString u = QStringLiteral("postgresql://%1@%2:%3/%4").arg(QLatin1String(kUser), host).arg(m_port).arg(db);
    if (!query.isEmpty())
        u += QLatin1Char('?') + query;
    return u;
}

QString PgCluster::createDatabase(const QString &templateDb)
{
    const QString name = QStringLiteral("edtest_%1").arg(++m_databases);
    QString create = QStringLiteral("CREATE DATABASE %1").arg(name);
    if (!templateDb.isEmpty())
        create += QStringLiteral(" TEMPLATE %1").arg(templateDb);
    if (auto r = sql(QStringLiteral("postgres"), create); !r)
        qWarning("PgCluster: %s", qPrintable(r.error()));
    return name;
}

namespace {

ed::Result<PGresult *> run(const QString &dir, int port, const QString &db, const QString &statements)
{
    const QByteArray info =
        QStringLiteral("host=%1 port=%2 dbname=%3 user=%4").arg(dir).arg(port).arg(db, QLatin1String(PgCluster::kUser)).toUtf8();
    PGconn *c = PQconnectdb(info.constData());
    if (PQstatus(c) != CONNECTION_OK) {
        const QString why = QString::fromUtf8(PQerrorMessage(c));
        PQfinish(c);
        return ed::Error{why};
    }
    PGresult *r = PQexec(c, statements.toUtf8().constData());
    const ExecStatusType status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        const QString why = QString::fromUtf8(PQerrorMessage(c));
        PQclear(r);
        PQfinish(c);
        return ed::Error{why};
    }
    PQfinish(c);
    return r;
}

} // namespace

ed::Result<void> PgCluster::eachValue(const QString &db,
                                      const std::function<void(const QString &where, std::string_view value)> &visit)
{
    auto tables = run(m_dir.path(), m_port, db,
                      QStringLiteral("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                                     "AND table_type = 'BASE TABLE' ORDER BY table_name"));
    if (!tables)
        return tables.failure();
    QStringList names;
    for (int i = 0; i < PQntuples(*tables); ++i)
        names << QString::fromUtf8(PQgetvalue(*tables, i, 0));
    PQclear(*tables);
    if (names.isEmpty())
        return ed::Error{QStringLiteral("database %1 has no tables").arg(db)};
    constexpr Oid kBytea = 17;
    for (const QString &table : names) {
        auto rows = run(m_dir.path(), m_port, db, QStringLiteral("SELECT * FROM \"%1\"").arg(table));
        if (!rows)
            return rows.failure();
        PGresult *r = *rows;
        for (int row = 0; row < PQntuples(r); ++row) {
            for (int col = 0; col < PQnfields(r); ++col) {
                if (PQgetisnull(r, row, col))
                    continue;
                const QString where = QStringLiteral("%1.%2 row %3").arg(table, QString::fromUtf8(PQfname(r, col))).arg(row + 1);
                const char *text = PQgetvalue(r, row, col);
                if (PQftype(r, col) != kBytea) {
                    visit(where, std::string_view(text, size_t(PQgetlength(r, row, col))));
                    continue;
                }
                size_t n = 0;
                unsigned char *bytes = PQunescapeBytea(reinterpret_cast<const unsigned char *>(text), &n);
                if (bytes)
                    visit(where, std::string_view(reinterpret_cast<const char *>(bytes), n));
                PQfreemem(bytes);
            }
        }
        PQclear(r);
    }
    return {};
}

QString PgCluster::databaseOf(const QString &url)
{
    if (!url.startsWith(QLatin1String("postgresql://")) && !url.startsWith(QLatin1String("postgres://")))
        return QString();
    QString rest = url.section(QLatin1Char('/'), 3);
    return rest.section(QLatin1Char('?'), 0, 0);
}

ed::Result<void> PgCluster::sql(const QString &db, const QString &statements)
{
    auto r = run(m_dir.path(), m_port, db, statements);
    if (!r)
        return r.failure();
    PQclear(*r);
    return {};
}

ed::Result<QString> PgCluster::value(const QString &db, const QString &query)
{
    auto r = run(m_dir.path(), m_port, db, query);
    if (!r)
        return r.failure();
    const bool any = PQntuples(*r) > 0 && PQnfields(*r) > 0;
    const QString v = any ? QString::fromUtf8(PQgetvalue(*r, 0, 0)) : QString();
    PQclear(*r);
    if (!any)
        return ed::Error{QStringLiteral("no row from %1").arg(query)};
    return v;
}

} // namespace edtest
