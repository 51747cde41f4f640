// The engine-neutral connection (store/sqlite/Sqlite.h): the same cases on
// SQLite and on a real PostgreSQL 15 (tests/support/PgSupport.h), and what
// only a server has: opening (the schema under an advisory lock, a newer
// schema refused), passwords and TLS with sslmode=verify-full.
#include "PgSupport.h"
#include "TestSupport.h"
#include "store/Database.h"
#include "store/postgres/PgPlaceholders.h"
#include "store/sqlite/Sqlite.h"

#include <QElapsedTimer>
#include <QThread>
#include <atomic>
#include <cfloat>
#include <cmath>
#include <latch>
#include <limits>
#include <sqlite3.h>

using namespace ed;
using namespace edtest;

namespace {

void engines()
{
    QTest::addColumn<QString>("engine");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgresql") << QStringLiteral("postgresql");
}

Database::OpenOptions withPassword(const QString &password = QLatin1String(PgCluster::kPassword))
{
    Database::OpenOptions o;
    o.password = [password](const QString &) { return std::optional<QString>(password); };
    return o;
}

QString errorOf(const Result<Database> &r) { return r ? QString() : r.error(); }

} // namespace

#define OPEN_FRESH(db)                                                                                                           \
    QFETCH(QString, engine);                                                                                                     \
    auto db##Opened = Database::open(freshLocation(engine), withPassword());                                                     \
    QVERIFY2(db##Opened, qPrintable(errorOf(db##Opened)));                                                                       \
    Database &db = *db##Opened;                                                                                                  \
    Connection &c = connectionOf(db);                                                                                            \
    QCOMPARE(c.engine(), engine == QLatin1String("sqlite") ? Engine::Sqlite : Engine::Postgres)

class TestPgConnection : public QObject {
    Q_OBJECT

    std::unique_ptr<PgCluster> m_pg;
    QTemporaryDir m_tmp;
    int m_files = 0;

    QString freshLocation(const QString &engine)
    {
        if (engine == QLatin1String("sqlite"))
            return m_tmp.filePath(QStringLiteral("db%1.sqlite3").arg(++m_files));
        return m_pg->url(m_pg->createDatabase());
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Only what a test gives: no password file, environment or home of the machine's.
        qunsetenv("PGPASSWORD");
        qputenv("PGPASSFILE", m_tmp.filePath(QStringLiteral("no-pgpass")).toUtf8());
        qputenv("HOME", m_tmp.path().toUtf8());
        QElapsedTimer t;
        t.start();
        m_pg = std::make_unique<PgCluster>();
        QVERIFY2(m_pg->ok(), qPrintable(m_pg->error()));
        qInfo("PostgreSQL up in %lld ms", t.elapsed());
    }
    void cleanupTestCase() { m_pg.reset(); }

    void translatesPlaceholdersOutsideQuotes()
    {
        const PgSql t = translatePlaceholders("SELECT ?, '?''?', E'\\'?', \"a?\", $$?$$, $q$ ? $q$, ?3, ? -- ?\n"
                                              "/* ? /* ? */ ? */ FROM t WHERE x = ?1");
        QCOMPARE(QString::fromStdString(t.text),
                 QStringLiteral("SELECT $1, '?''?', E'\\'?', \"a?\", $$?$$, $q$ ? $q$, $3, $4 -- ?\n"
                                "/* ? /* ? */ ? */ FROM t WHERE x = $1"));
        QCOMPARE(t.parameters, 4);
        QCOMPARE(QString::fromStdString(translatePlaceholders("SELECT $1x, a$b, ?").text), QStringLiteral("SELECT $1x, a$b, $1"));
    }

    void typesAndExtremes_data() { engines(); }
    void typesAndExtremes()
    {
        OPEN_FRESH(db);
        QVERIFY(c.exec("CREATE TABLE t_types (k INTEGER, n BIGINT, small INTEGER, r DOUBLE PRECISION)"));
        struct Row {
            int64_t n;
            int small;
            double r;
        };
        const double inf = std::numeric_limits<double>::infinity();
        const std::vector<Row> rows = {{std::numeric_limits<int64_t>::min(), std::numeric_limits<int>::min(), -DBL_MAX},
                                       {std::numeric_limits<int64_t>::max(), std::numeric_limits<int>::max(), DBL_MAX},
                                       {0, 0, 0.1},
                                       {-1, -1, std::numeric_limits<double>::denorm_min()},
                                       {42, 7, inf},
                                       {-42, -7, -inf}};
        Statement ins = c.prepare("INSERT INTO t_types (k, n, small, r) VALUES (?, ?, ?, ?)");
        QVERIFY2(ins.valid(), qPrintable(ins.error()));
        for (size_t k = 0; k < rows.size(); ++k) {
            ins.bind(1, int64_t(k)).bind(2, rows[k].n).bind(3, rows[k].small).bind(4, rows[k].r);
            QVERIFY2(ins.exec(), qPrintable(ins.error()));
        }
        Statement sel = c.prepare("SELECT n, small, r, n FROM t_types ORDER BY k");
        for (const Row &row : rows) {
            QVERIFY2(sel.step(), qPrintable(sel.error()));
            QCOMPARE(sel.int64(0), row.n);
            QCOMPARE(sel.int64(1), int64_t(row.small));
            QVERIFY2(sel.real(2) == row.r, qPrintable(QString::number(sel.real(2), 'g', 17)));
            QCOMPARE(QString::fromUtf8(sel.text(3).data(), qsizetype(sel.text(3).size())), QString::number(row.n));
        }
        QVERIFY(!sel.step());
        QVERIFY(sel.done());
        // Booleans (PostgreSQL's bool, SQLite's 0/1) read as integers.
        Statement b = c.prepare("SELECT 2 > 1, 1 > 2");
        QVERIFY(b.step());
        QCOMPARE(b.int64(0), int64_t(1));
        QCOMPARE(b.int64(1), int64_t(0));
        QCOMPARE(*c.scalar("SELECT count(*) FROM t_types"), int64_t(rows.size()));
    }

    void nullsAndEmpties_data() { engines(); }
    void nullsAndEmpties()
    {
        OPEN_FRESH(db);
        QVERIFY(c.exec("CREATE TABLE t_null (k INTEGER, s TEXT, n BIGINT, b BYTEA)"));
        Statement ins = c.prepare("INSERT INTO t_null (k, s, n, b) VALUES (?, ?, ?, ?)");
        ins.bind(1, 1).bindTextOrNull(2, std::string_view()).bindNull(3).bindNull(4);
        QVERIFY2(ins.exec(), qPrintable(ins.error()));
        ins.bind(1, 2).bind(2, std::string_view("", 0)).bind(3, 0).bindBlob(4, std::string_view("", 0));
        QVERIFY2(ins.exec(), qPrintable(ins.error()));
        Statement sel = c.prepare("SELECT s, n, b, s IS NULL FROM t_null ORDER BY k");
        QVERIFY(sel.step());
        for (int col = 0; col < 3; ++col)
            QVERIFY2(sel.isNull(col), qPrintable(QString::number(col)));
        QVERIFY(sel.text(0).empty() && sel.blob(2).empty());
        QCOMPARE(sel.int64(1), int64_t(0));
        QCOMPARE(sel.int64(3), int64_t(1));
        QVERIFY(sel.step());
        for (int col = 0; col < 3; ++col)
            QVERIFY2(!sel.isNull(col), qPrintable(QString::number(col)));
        QVERIFY(sel.text(0).empty() && sel.blob(2).empty());
        QCOMPARE(sel.int64(3), int64_t(0));
        QVERIFY(!sel.step());
    }

    void utf8Text_data() { engines(); }
    void utf8Text()
    {
        OPEN_FRESH(db);
        QVERIFY(c.exec("CREATE TABLE t_text (k INTEGER, s TEXT)"));
        const QString words = QStringLiteral("Zürich – 東京 – 🙂 ünïcödé\u00a0end");
        Statement ins = c.prepare("INSERT INTO t_text (k, s) VALUES (?, ?)");
        ins.bind(1, 1).bind(2, words);
        QVERIFY2(ins.exec(), qPrintable(ins.error()));
        Statement sel = c.prepare("SELECT s, length(s) FROM t_text WHERE s = ?");
        sel.bind(1, words.toUtf8().toStdString());
        QVERIFY2(sel.step(), qPrintable(sel.error()));
        QCOMPARE(sel.qtext(0), words);
        QCOMPARE(sel.int64(1), int64_t(words.toUcs4().size())); // characters, not bytes
    }

    void blobsWithNuls_data() { engines(); }
    void blobsWithNuls()
    {
        OPEN_FRESH(db);
        QVERIFY(c.exec("CREATE TABLE t_blob (k INTEGER, b BYTEA)"));
        std::string bytes("\0\0", 2);
        for (int i = 0; i < 256; ++i)
            bytes.push_back(char(i));
        const std::string backslashes = "a\\x00\\\\b"; // text into a bytea: its bytes as they are
        Statement ins = c.prepare("INSERT INTO t_blob (k, b) VALUES (?, ?)");
        ins.bind(1, 1).bindBlob(2, bytes);
        QVERIFY2(ins.exec(), qPrintable(ins.error()));
        ins.bind(1, 2).bind(2, backslashes);
        QVERIFY2(ins.exec(), qPrintable(ins.error()));
        Statement sel = c.prepare("SELECT b, length(b) FROM t_blob ORDER BY k");
        QVERIFY(sel.step());
        QCOMPARE(sel.blob(0).size(), bytes.size());
        QVERIFY(sel.blob(0) == bytes);
        QCOMPARE(sel.int64(1), int64_t(258));
        QVERIFY(sel.step());
        QCOMPARE(QByteArray(sel.blob(0).data(), qsizetype(sel.blob(0).size())), QByteArray::fromStdString(backslashes));
    }

    void placeholdersInLiteralsUntouched_data() { engines(); }
    void placeholdersInLiteralsUntouched()
    {
        OPEN_FRESH(db);
        Statement st = c.prepare("SELECT 'what? it''s ?', ? AS \"a?b\" /* ? in a comment */, ? -- and ?\n");
        QVERIFY2(st.valid(), qPrintable(st.prepareError()));
        st.bind(1, 7).bind(2, std::string_view("two"));
        QVERIFY2(st.step(), qPrintable(st.error()));
        QCOMPARE(st.qtext(0), QStringLiteral("what? it's ?"));
        QCOMPARE(st.int64(1), int64_t(7));
        QCOMPARE(st.qtext(2), QStringLiteral("two"));
    }

    void numberedPlaceholders_data() { engines(); }
    void numberedPlaceholders()
    {
        OPEN_FRESH(db);
        // ?NNN is NNN; a bare ? after it is one more than the highest so far.
        Statement st = c.prepare("SELECT ?2, ?1, ?2, ?");
        QVERIFY2(st.valid(), qPrintable(st.prepareError()));
        st.bind(1, std::string_view("a")).bind(2, std::string_view("b")).bind(3, std::string_view("c"));
        QVERIFY2(st.step(), qPrintable(st.error()));
        QCOMPARE(st.qtext(0) + st.qtext(1) + st.qtext(2) + st.qtext(3), QStringLiteral("babc"));
        // Run again with other values: reset() clears the binds (unbound is NULL).
        st.reset();
        st.bind(2, std::string_view("z"));
        QVERIFY(st.step());
        QVERIFY(st.isNull(1) && st.isNull(3));
        QCOMPARE(st.qtext(0), QStringLiteral("z"));
    }

    void errorsHaveKinds_data() { engines(); }
    void errorsHaveKinds()
    {
        OPEN_FRESH(db);
        QVERIFY(c.exec("CREATE TABLE t_u (name TEXT PRIMARY KEY)"));
        Statement ins = c.prepare("INSERT INTO t_u (name) VALUES (?)");
        ins.bind(1, std::string_view("taken"));
        QVERIFY2(ins.exec(), qPrintable(ins.error()));
        QVERIFY(!ins.exec());
        QCOMPARE(ins.failure().kind, ErrorKind::Conflict);
        QCOMPARE(c.lastErrorCode(), SQLITE_CONSTRAINT); // what AlertStore asks
        QVERIFY2(!ins.failure().message.isEmpty(), "no message");

        Statement bad = c.prepare("SELEC 1");
        QVERIFY(!bad.valid());
        QCOMPARE(bad.failure().kind, ErrorKind::Failed);
        QVERIFY2(bad.prepareError().contains(QStringLiteral("syntax error")), qPrintable(bad.prepareError()));
        QVERIFY(!c.prepare("SELECT * FROM no_such_table").valid());
        const auto r = c.exec("CREATE TABEL t_bad (a INTEGER)");
        QVERIFY(!r);
        QVERIFY2(r.error().contains(QStringLiteral("syntax error")), qPrintable(r.error()));
        // The connection goes on.
        QCOMPARE(*c.scalar("SELECT count(*) FROM t_u"), int64_t(1));
    }

    void transactionRollsBackOnScopeExit_data() { engines(); }
    void transactionRollsBackOnScopeExit()
    {
        OPEN_FRESH(db);
        QVERIFY(c.exec("CREATE TABLE t_tx (v INTEGER)"));
        {
            Transaction tx(c);
            QVERIFY(tx.active());
            QVERIFY(c.exec("INSERT INTO t_tx (v) VALUES (1)"));
        }
        QCOMPARE(*c.scalar("SELECT count(*) FROM t_tx"), int64_t(0));
        {
            Transaction tx(c);
            QVERIFY(c.exec("INSERT INTO t_tx (v) VALUES (2)"));
            QVERIFY(tx.commit());
        }
        QCOMPARE(*c.scalar("SELECT count(*) FROM t_tx"), int64_t(1));
        Statement up = c.prepare("UPDATE t_tx SET v = v + ?");
        up.bind(1, 1);
        QVERIFY(up.exec());
        QCOMPARE(c.changes(), 1);
        QCOMPARE(*c.scalar("SELECT v FROM t_tx"), int64_t(3));
    }

    void interruptFromAnotherThread_data() { engines(); }
    void interruptFromAnotherThread()
    {
        OPEN_FRESH(db);
        // A long query on each engine (the one place here that picks by engine).
        Statement st = c.prepare(c.engine() == Engine::Postgres
                                     ? "SELECT pg_sleep(30)"
                                     : "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3000000000)"
                                       " SELECT count(*) FROM n");
        QVERIFY2(st.valid(), qPrintable(st.prepareError()));
        std::atomic<bool> finished{false};
        // Again and again: the first may come before the query started.
        std::unique_ptr<QThread> canceller(QThread::create([&] {
            QThread::msleep(300);
            while (!finished) {
                db.interrupt();
                QThread::msleep(200);
            }
        }));
        QElapsedTimer t;
        t.start();
        canceller->start();
        const bool row = st.step();
        finished = true;
        canceller->wait();
        QVERIFY(!row);
        QCOMPARE(st.failure().kind, ErrorKind::Interrupted);
        QVERIFY2(t.elapsed() < 10000, qPrintable(QString::number(t.elapsed())));
        QCOMPARE(*c.scalar("SELECT 1"), int64_t(1));
    }

    void newerSchemaRefused_data() { engines(); }
    void newerSchemaRefused()
    {
        QFETCH(QString, engine);
        const QString location = freshLocation(engine);
        const int newer = (engine == QLatin1String("sqlite") ? Database::currentSchemaVersion()
                                                             : Database::currentServerSchemaVersion()) +
                          1;
        {
            auto db = Database::open(location, withPassword());
            QVERIFY2(db, qPrintable(errorOf(db)));
            const std::string bump = engine == QLatin1String("sqlite")
                                         ? "PRAGMA user_version = " + std::to_string(newer)
                                         : "UPDATE errordeck_schema SET version = " + std::to_string(newer);
            QVERIFY(connectionOf(*db).exec(bump));
        }
        auto again = Database::open(location, withPassword());
        QVERIFY(!again);
        QVERIFY2(again.error().contains(QStringLiteral("written by a newer ErrorDeck (schema %1;").arg(newer)),
                 qPrintable(again.error()));
        QVERIFY2(again.error().contains(QStringLiteral("left untouched")), qPrintable(again.error()));
    }

    void concurrentOpensMigrateOnce()
    {
        const QString db = m_pg->createDatabase();
        const QString url = m_pg->url(db);
        // The test holds the migration's advisory lock ('EDK1') first: every client must
        // wait for it (none creates the schema meanwhile), then they take turns.
        Connection holder;
        QVERIFY(holder.openServer(url, withPassword().password));
        QVERIFY(holder.exec("BEGIN"));
        QVERIFY(holder.exec("SELECT pg_advisory_xact_lock(1162103601)"));
        constexpr int kClients = 6;
        std::latch ready(kClients);
        std::atomic<int> finished{0};
        std::vector<QString> errors(kClients);
        std::vector<std::unique_ptr<QThread>> threads;
        for (int i = 0; i < kClients; ++i) {
            threads.emplace_back(QThread::create([&, i] {
                ready.arrive_and_wait(); // all connect and look at the empty database at once
                auto opened = Database::open(url, withPassword());
                errors[size_t(i)] = opened ? QString() : opened.error();
                ++finished;
            }));
            threads.back()->start();
        }
        const QString waiting = QStringLiteral("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
        QTRY_COMPARE_WITH_TIMEOUT(*m_pg->value(db, waiting), QString::number(kClients), 20000);
        QCOMPARE(finished.load(), 0);
        QCOMPARE(*m_pg->value(db, QStringLiteral("SELECT to_regclass('config') IS NULL")), QStringLiteral("t"));
        QVERIFY(holder.exec("COMMIT"));
        for (auto &t : threads)
            t->wait();
        for (const QString &e : errors)
            QVERIFY2(e.isEmpty(), qPrintable(e));
        // One migration: one version row, and createPgSchema (no IF NOT EXISTS) ran without failing.
        QCOMPARE(*m_pg->value(db, QStringLiteral("SELECT count(*) FROM errordeck_schema")), QStringLiteral("1"));
        QCOMPARE(*m_pg->value(db, QStringLiteral("SELECT max(version) FROM errordeck_schema")),
                 QString::number(Database::currentServerSchemaVersion()));
        QVERIFY(m_pg->value(db, QStringLiteral("SELECT count(*) FROM config")));
    }

    void refusesSomeoneElsesDatabase()
    {
        const QString db = m_pg->createDatabase();
        QVERIFY(m_pg->sql(db, QStringLiteral("CREATE TABLE invoices (id integer)")));
        auto opened = Database::open(m_pg->url(db), withPassword());
        QVERIFY(!opened);
        QVERIFY2(opened.error().contains(QStringLiteral("not an ErrorDeck database")), qPrintable(opened.error()));
        QCOMPARE(*m_pg->value(db, QStringLiteral("SELECT to_regclass('errordeck_schema') IS NULL")), QStringLiteral("t"));
    }

    void passwords()
    {
        const QString db = m_pg->createDatabase();
        const QString where = QStringLiteral("127.0.0.1:%1/%2").arg(m_pg->port()).arg(db);
        // A wrong one from the provider: refused, naming the server, never the password.
        const QString wrong = QStringLiteral("wrong-pw-Zq81");
        auto refused = Database::open(m_pg->url(db), withPassword(wrong));
        QVERIFY(!refused);
        QCOMPARE(refused.errorKind(), ErrorKind::InvalidInput);
        QVERIFY2(refused.error().contains(where) && refused.error().contains(QStringLiteral("password authentication failed")),
                 qPrintable(refused.error()));
        QVERIFY2(!refused.error().contains(wrong), qPrintable(refused.error()));
        // None at all (no provider, no PGPASSWORD or password file): said so.
        auto none = Database::open(m_pg->url(db));
        QVERIFY(!none);
        QVERIFY2(none.error().contains(QStringLiteral("asks for a password")) && none.error().contains(where),
                 qPrintable(none.error()));
        // A password in the URL: used, and shown nowhere.
        const QString inUrl = m_pg->url(db).replace(QStringLiteral("edtest@"),
                                                    QStringLiteral("edtest:%1@").arg(QLatin1String(PgCluster::kPassword)));
        auto fine = Database::open(inUrl);
        QVERIFY2(fine, qPrintable(errorOf(fine)));
        QVERIFY2(!fine->path().contains(QLatin1String(PgCluster::kPassword)) && fine->path().contains(QStringLiteral(":***@")),
                 qPrintable(fine->path()));
        const QString wrongInUrl = m_pg->url(db).replace(QStringLiteral("edtest@"), QStringLiteral("edtest:%1@").arg(wrong));
        auto wrongUrl = Database::open(wrongInUrl);
        QVERIFY(!wrongUrl);
        QVERIFY2(!wrongUrl.error().contains(wrong), qPrintable(wrongUrl.error()));
    }

    void refusalsNameTheServer()
    {
        // No such database: a wrong setting, named as host:port/db.
        const QString where = QStringLiteral("127.0.0.1:%1/no_such_db").arg(m_pg->port());
        auto missing = Database::open(m_pg->url(QStringLiteral("no_such_db")), withPassword());
        QVERIFY(!missing);
        QCOMPARE(missing.errorKind(), ErrorKind::InvalidInput);
        QVERIFY2(missing.error().contains(where) && missing.error().contains(QStringLiteral("does not exist")),
                 qPrintable(missing.error()));
        // A connection the server ends: Io, naming the server.
        const QString db = m_pg->createDatabase();
        auto opened = Database::open(m_pg->url(db), withPassword());
        QVERIFY2(opened, qPrintable(errorOf(opened)));
        QVERIFY(m_pg->sql(QStringLiteral("postgres"),
                          QStringLiteral("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%1'").arg(db)));
        auto lost = connectionOf(*opened).scalar("SELECT 1");
        QVERIFY(!lost);
        QCOMPARE(lost.errorKind(), ErrorKind::Io);
        QVERIFY2(lost.error().contains(QStringLiteral("127.0.0.1:%1/%2").arg(m_pg->port()).arg(db)), qPrintable(lost.error()));
    }

    void verifyFullTls()
    {
        const QString db = m_pg->createDatabase();
        const QString checked = QStringLiteral("sslmode=verify-full&sslrootcert=") + m_pg->caFile();
        auto tls = Database::open(m_pg->url(db, QStringLiteral("localhost"), checked), withPassword());
        QVERIFY2(tls, qPrintable(errorOf(tls)));
        QCOMPARE(*connectionOf(*tls).scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"), int64_t(1));
        // The certificate names localhost, not 127.0.0.1.
        auto wrongHost = Database::open(m_pg->url(db, QStringLiteral("127.0.0.1"), checked), withPassword());
        QVERIFY(!wrongHost);
        QVERIFY2(wrongHost.error().contains(QStringLiteral("does not match host name")), qPrintable(wrongHost.error()));
        QCOMPARE(wrongHost.errorKind(), ErrorKind::InvalidInput);
        // No root certificate to check it with (none in this test's home): refused.
        auto unchecked = Database::open(m_pg->url(db, QStringLiteral("localhost"), QStringLiteral("sslmode=verify-full")),
                                        withPassword());
        QVERIFY(!unchecked);
        QVERIFY2(unchecked.error().contains(QStringLiteral("root certificate")), qPrintable(unchecked.error()));
    }
};

QTEST_GUILESS_MAIN(TestPgConnection)
#include "tst_pg_connection.moc"
