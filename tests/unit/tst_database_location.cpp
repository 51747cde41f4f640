// store/DatabaseLocation.h: a --db / ERRORDECK_DB value read as a file or a
// server's URL, whose account the keychain keys a password by, and the URL
// without a password that a list of recent databases may keep.
#include "store/DatabaseLocation.h"
#include "store/postgres/PgConnection.h"

#include <QTest>

using namespace ed;

class TestDatabaseLocation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void valuesAreFilesOrServers()
    {
        QCOMPARE(*databaseLocationFrom(QStringLiteral("site.sqlite3"), QStringLiteral("--db")), QStringLiteral("site.sqlite3"));
        QCOMPARE(*databaseLocationFrom(QStringLiteral("file:///srv/e.sqlite3"), QStringLiteral("--db")),
                 QStringLiteral("/srv/e.sqlite3"));
        for (const char *url : {"postgresql://ops@db:5432/errors", "postgres://ops@db/errors", "POSTGRESQL://db/errors"})
            QCOMPARE(*databaseLocationFrom(QString::fromLatin1(url), QStringLiteral("--db")), QString::fromLatin1(url));
        const auto mysql = databaseLocationFrom(QStringLiteral("mysql://ops:hunter2@db/errors"), QStringLiteral("ERRORDECK_DB"));
        QVERIFY(!mysql);
        QVERIFY2(mysql.error().contains(QStringLiteral("ERRORDECK_DB")) && !mysql.error().contains(QStringLiteral("hunter2")),
                 qPrintable(mysql.error()));
    }

    void accountsAreUserHostAndPort()
    {
        qputenv("PGUSER", "envuser");
        qputenv("PGHOST", "envhost");
        qputenv("PGPORT", "6543");
        QCOMPARE(serverAccountOf(QStringLiteral("postgresql://ops:pw@db.example.org:5433/errors"))->key(),
                 QStringLiteral("postgresql:ops@db.example.org:5433"));
        // What the URL leaves out comes from libpq's variables, as libpq takes it.
        QCOMPARE(serverAccountOf(QStringLiteral("postgresql:///errors"))->key(),
                 QStringLiteral("postgresql:envuser@envhost:6543"));
        QCOMPARE(serverAccountOf(QStringLiteral("postgres://db/errors?user=q&port=7000"))->key(),
                 QStringLiteral("postgresql:q@db:7000"));
        qunsetenv("PGUSER");
        qunsetenv("PGHOST");
        qunsetenv("PGPORT");
        QCOMPARE(serverAccountOf(QStringLiteral("postgresql://ops@db/errors"))->key(), QStringLiteral("postgresql:ops@db:5432"));
        QVERIFY(!serverAccountOf(QStringLiteral("/srv/errordeck/site.sqlite3")));
    }

    void passwordsAreTakenOut()
    {
        QCOMPARE(withoutPassword(QStringLiteral("postgresql://ops:s3cret@db:5432/errors?sslmode=verify-full")),
                 QStringLiteral("postgresql://ops@db:5432/errors?sslmode=verify-full"));
        QCOMPARE(withoutPassword(QStringLiteral("postgresql://db/errors?password=s3cret&sslmode=require")),
                 QStringLiteral("postgresql://db/errors?sslmode=require"));
        QCOMPARE(withoutPassword(QStringLiteral("postgresql://db/errors?sslmode=require&password=s3cret")),
                 QStringLiteral("postgresql://db/errors?sslmode=require"));
        QCOMPARE(withoutPassword(QStringLiteral("postgresql://db/errors?a=1&sslpassword=k&password=s3cret&b=2")),
                 QStringLiteral("postgresql://db/errors?a=1&b=2"));
        QCOMPARE(withoutPassword(QStringLiteral("postgresql://ops@db/errors")), QStringLiteral("postgresql://ops@db/errors"));
        // libpq and Database::isServerUrl take the scheme in any case.
        QCOMPARE(withoutPassword(QStringLiteral("POSTGRESQL://ops:s3cret@db/errors")),
                 QStringLiteral("POSTGRESQL://ops@db/errors"));
        // A file's name is a name, whatever it holds.
        QCOMPARE(withoutPassword(QStringLiteral("/srv/a:b@c.sqlite3")), QStringLiteral("/srv/a:b@c.sqlite3"));
    }

    // What messages and Database::path() show of a URL: its passwords as ***.
    void passwordsAreRedacted()
    {
        QCOMPARE(redactPgUrl(QStringLiteral("postgresql://ops:s3cret@db/errors?sslpassword=k&sslmode=require")),
                 QStringLiteral("postgresql://ops:***@db/errors?sslpassword=***&sslmode=require"));
        QCOMPARE(redactPgUrl(QStringLiteral("Postgres://ops:s3cret@db/errors")), QStringLiteral("Postgres://ops:***@db/errors"));
    }
};

QTEST_GUILESS_MAIN(TestDatabaseLocation)
#include "tst_database_location.moc"
