#pragma once
// The store engine a suite runs on (issue 17: every store test on both).
// A suite registered with `errordeck_test(NAME BOTH_ENGINES)` runs twice under
// CTest: NAME on SQLite files, and NAME.pg with ERRORDECK_TEST_ENGINE=postgresql,
// where every test database is a new, empty database of one real PostgreSQL
// cluster (PgSupport.h) that the process starts on first use and stops when
// its QCoreApplication ends. The suite itself is the same code: it asks
// testDatabaseLocation() or openTestDatabase() for its databases instead of
// naming a file, and onPostgres() only where an engine truly differs (a file's
// mode, a WAL, a backup file).
#include "store/Database.h"

#include <QString>
#include <QTemporaryDir>
#include <memory>

namespace edtest {

class PgCluster;

// ERRORDECK_TEST_ENGINE=postgresql (the NAME.pg test).
bool onPostgres();
// "sqlite" or "postgresql", for messages.
QString engineName();

// Where a test's database goes: `dir`/`name` on SQLite; on PostgreSQL the URL
// of a new database (postgresql://edtest@127.0.0.1:PORT/edtest_N, TCP with
// SCRAM; `name` only labels it) that already holds ErrorDeck's empty schema: a
// copy (CREATE DATABASE ... TEMPLATE, a few ms) of one database that this
// process's Database::open created on the cluster's first use, so it is the
// schema of the code under test and never stale; running the DDL for every
// database cost 0.6-0.9 s each. PGPASSWORD is set in this process's
// environment once the cluster runs, so Database::open(location), a child's
// `errordeck-cli --db location` and the app all reach it the way a user's
// libpq does. qFatal when the cluster cannot start: a .pg run that quietly
// fell back to SQLite would pass without testing anything.
QString testDatabaseLocation(const QTemporaryDir &dir, const QString &name = QStringLiteral("test.sqlite3"));

// The same, but on PostgreSQL a truly empty database, for a test of how the
// schema gets created (the first open, two clients creating it at once).
QString emptyTestDatabaseLocation(const QTemporaryDir &dir, const QString &name = QStringLiteral("test.sqlite3"));

// Database::open(testDatabaseLocation(dir, name)); qFatal when it fails.
std::unique_ptr<ed::Database> openTestDatabase(const QTemporaryDir &dir, const QString &name = QStringLiteral("test.sqlite3"));

// The running cluster of a .pg run (started on first call), else null: for a
// test that checks the server's side with PgCluster::sql()/value().
PgCluster *testCluster();

} // namespace edtest
