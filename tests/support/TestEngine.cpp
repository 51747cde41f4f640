#include "TestEngine.h"

#include "PgSupport.h"

#include <QCoreApplication>

#include <thread>

namespace edtest {
namespace {

std::unique_ptr<PgCluster> &clusterSlot()
{
    static std::unique_ptr<PgCluster> cluster;
    return cluster;
}

// ERRORDECK_TEST_PG_TEMPLATE=off: every database empty and given its schema
// by the test's first open, as before the template (to time what it saves, or
// to rule it out when a .pg run fails oddly).
bool useSchemaTemplate()
{
    static const bool use = qEnvironmentVariable("ERRORDECK_TEST_PG_TEMPLATE")
                                .compare(QLatin1String("off"), Qt::CaseInsensitive) != 0;
    return use;
}

// The database testDatabaseLocation copies: created empty on `pg`, then given
// its schema by ed::Database::open, the code under test, once per cluster (a
// run of the suite), so a schema change can never meet a stale copy. The
// connection is closed before any copy is made (PostgreSQL copies only a
// database nobody is connected to), and nothing connects to it again.
QString schemaTemplate(PgCluster &pg)
{
    static QString name;
    if (name.isEmpty()) {
        const QString made = pg.createDatabase();
        // On a thread of its own: the store refuses a connection on the UI
        // thread (a widget test's initTestCase asks for a database there).
        QString failed;
        std::thread([&] {
            auto db = ed::Database::open(pg.url(made));
            if (!db)
                failed = db.error();
        }).join();
        if (!failed.isEmpty())
            qFatal("the template database %s: %s", qPrintable(made), qPrintable(failed));
        name = made;
    }
    return name;
}

} // namespace

bool onPostgres()
{
    static const bool pg = qEnvironmentVariable("ERRORDECK_TEST_ENGINE")
                               .compare(QLatin1String("postgresql"), Qt::CaseInsensitive) == 0;
    return pg;
}

QString engineName() { return onPostgres() ? QStringLiteral("postgresql") : QStringLiteral("sqlite"); }

PgCluster *testCluster()
{
    if (!onPostgres())
        return nullptr;
    auto &cluster = clusterSlot();
    if (!cluster) {
        // No service file of the user's may redirect the URL (PGPASSWORD, set
        // below, already wins over any ~/.pgpass).
        qunsetenv("PGSERVICEFILE");
        qunsetenv("PGSERVICE");
        cluster = std::make_unique<PgCluster>();
        if (!cluster->ok())
            qFatal("ERRORDECK_TEST_ENGINE=postgresql, but the test cluster did not start: %s", qPrintable(cluster->error()));
        qputenv("PGPASSWORD", PgCluster::kPassword);
        // Stopped while Qt still runs (QProcess needs it), not by a static destructor.
        qAddPostRoutine([] { clusterSlot().reset(); });
    }
    return cluster.get();
}

QString testDatabaseLocation(const QTemporaryDir &dir, const QString &name)
{
    if (PgCluster *pg = testCluster())
        return pg->url(useSchemaTemplate() ? pg->createDatabase(schemaTemplate(*pg)) : pg->createDatabase());
    return dir.filePath(name);
}

QString emptyTestDatabaseLocation(const QTemporaryDir &dir, const QString &name)
{
    if (PgCluster *pg = testCluster())
        return pg->url(pg->createDatabase());
    return dir.filePath(name);
}

std::unique_ptr<ed::Database> openTestDatabase(const QTemporaryDir &dir, const QString &name)
{
    const QString where = testDatabaseLocation(dir, name);
    auto db = ed::Database::open(where);
    if (!db)
        qFatal("%s database %s: %s", qPrintable(engineName()), qPrintable(where), qPrintable(db.error()));
    return std::make_unique<ed::Database>(std::move(*db));
}

} // namespace edtest
