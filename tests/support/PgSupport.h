#pragma once
// A real PostgreSQL 15 (Debian's postgresql-15) for the tests, started by the
// test: initdb in a temporary folder, the server on a free 127.0.0.1 port with
// its unix socket in that folder, settings for speed (no fsync), TLS with a
// certificate made for `localhost`, password (SCRAM) logins over TCP and
// trust on the socket. initdb and postgres refuse root: as root they run as
// Debian's `postgres` user. The server dies with the test process (a
// parent-death signal), and stops (an immediate shutdown) and its folder goes
// when the PgCluster does, whatever the test's outcome. Startup costs about a
// second, so a suite starts one cluster and takes a fresh database per test.
#include "base/Result.h"

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <functional>
#include <string_view>

namespace edtest {

class PgCluster {
public:
    static constexpr const char *kUser = "edtest"; // the superuser
    static constexpr const char *kPassword = "pg-pw-9Tq4x";

    PgCluster();
    ~PgCluster();
    PgCluster(const PgCluster &) = delete;
    PgCluster &operator=(const PgCluster &) = delete;

    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; } // with the server's log when it would not start
    int port() const { return m_port; }
    QString caFile() const; // the server's self-signed certificate (CN and DNS name localhost)

    // A new empty database of its own, owned by kUser: its name. With
    // `templateDb`, a copy of that database (CREATE DATABASE ... TEMPLATE): its
    // tables and rows without running their DDL again. Nobody may be connected
    // to `templateDb` meanwhile (PostgreSQL refuses the copy then).
    QString createDatabase(const QString &templateDb = QString());
    // postgresql://edtest@HOST:PORT/DB[?QUERY]: over TCP, so a password (kPassword) is asked for.
    QString url(const QString &db, const QString &host = QStringLiteral("127.0.0.1"), const QString &query = QString()) const;
    // Statements run as kUser through the unix socket (the test's side, not the code under test).
    ed::Result<void> sql(const QString &db, const QString &statements);
    // The first column of the first row, or an Error.
    ed::Result<QString> value(const QString &db, const QString &query);
    QString log() const;
    // Every value of every column of every table of `db`'s public schema
    // (ErrorDeck's tables), read by libpq through the socket, not by the code
    // under test: text as the server prints it, bytea unescaped to its bytes.
    // `where` is "table.column row N". For the secrets check (SecretScanner.h).
    ed::Result<void> eachValue(const QString &db, const std::function<void(const QString &where, std::string_view value)> &visit);
    // The database name of a url() of this cluster ("edtest_3"), empty when it is not one.
    static QString databaseOf(const QString &url);

    void stop();
    // An immediate shutdown, then the server again on the same port and data
    // (crash recovery, as after a power cut): for clients that must notice a
    // server going away and come back. Empty when it is up again, else why not.
    QString restart();

private:
    QString start();
    QString launch(bool pickPort);
    QTemporaryDir m_dir;
    QProcess m_server;
    int m_port = 0;
    int m_databases = 0;
    QString m_error;
};

} // namespace edtest
