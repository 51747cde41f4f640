// Migrations from real files written by older ErrorDeck builds
// (tests/data/migrations, see its README): every old schema opens, keeps its
// reports, settings and search, leaves a backup of itself; 3 -> 4 marks
// unscrubbed reports so `rules apply` scrubs them; a migration that fails
// midway leaves the file as it was.
#include "store/Config.h"
#include "store/sqlite/Sqlite.h"
#include "store/ReportStore.h"
#include "TestSupport.h"
#include "filters/FilterSet.h"
#include "filters/RuleApplier.h"

#include <QCryptographicHash>
#include <QDir>

using namespace ed;
using namespace edtest;

namespace {

// Written here, from the corpus lines the fixtures hold (README): not read back
// through the code under test.
const QStringList kEventIds{
    QStringLiteral("4706b5ad38ec4a6fbac67c3b30ad072c"), QStringLiteral("0cd4a6173e4646ae88e2d6fbf82608ff"),
    QStringLiteral("8333ab36f26a4395ba2c2a6f8a2bb32d"), QStringLiteral("e9ab34cb0ec0442bb4fe76023e16c9f9"),
    QStringLiteral("e8b081e19d8940cd837c78a4376e0552"), QStringLiteral("73599e2bc50d4d11906aaf75ebeef8aa"),
};

QString fixture(int schema) { return QStringLiteral(ERRORDECK_TEST_DATA "/migrations/schema%1.sqlite3").arg(schema); }

// A copy of the fixture to open: the committed file is never written.
QString copyOf(const QTemporaryDir &dir, int schema)
{
    const QString to = dir.filePath(QStringLiteral("schema%1.sqlite3").arg(schema));
    QFile::remove(to);
    if (!QFile::copy(fixture(schema), to))
        qFatal("cannot copy %s", qPrintable(fixture(schema)));
    QFile(to).setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return to;
}

// What a file holds, read with a plain connection (no migration): its schema
// version, every schema object's SQL and each table's row count.
QStringList describe(const QString &path)
{
    Connection c;
    if (!c.open(path, false, true))
        return {QStringLiteral("cannot open")};
    QStringList out{QStringLiteral("user_version=%1").arg(*c.scalar("PRAGMA user_version"))};
    Statement st = c.prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name");
    QStringList tables;
    while (st.step()) {
        out << st.qtext(0) + u' ' + st.qtext(1) + u' ' + st.qtext(2);
        if (st.qtext(0) == QLatin1String("table") && !st.qtext(1).startsWith(QLatin1String("sqlite_")))
            tables << st.qtext(1);
    }
    for (const QString &t : tables)
        out << QStringLiteral("%1 rows=%2")
                   .arg(t)
                   .arg(*c.scalar(QStringLiteral("SELECT count(*) FROM \"%1\"").arg(t).toStdString()));
    return out;
}

int64_t count(Database &db, const char *sql) { return *connectionOf(db).scalar(sql); }

// Each row of a query's first column, read with `c`.
QStringList rows(Connection &c, const char *sql)
{
    Statement st = c.prepare(sql);
    QStringList out;
    while (st.step())
        out << st.qtext(0);
    return out;
}

} // namespace

class TestMigrations : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fixturesAreWhatTheReadmeSays_data()
    {
        QTest::addColumn<int>("schema");
        for (int v : {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13})
            QTest::addRow("schema %d", v) << v;
    }
    void fixturesAreWhatTheReadmeSays()
    {
        QFETCH(int, schema);
        QVERIFY2(QFile::exists(fixture(schema)), qPrintable(fixture(schema)));
        QTemporaryDir dir;
        const QStringList d = describe(copyOf(dir, schema));
        QCOMPARE(d.value(0), QStringLiteral("user_version=%1").arg(schema));
        QVERIFY(d.contains(QStringLiteral("reports rows=6")));
        QVERIFY(Database::currentSchemaVersion() > schema);
    }

    void oldSchemaOpensAndKeepsEverything_data() { fixturesAreWhatTheReadmeSays_data(); }
    void oldSchemaOpensAndKeepsEverything()
    {
        QFETCH(int, schema);
        QTemporaryDir dir;
        const QString path = copyOf(dir, schema);
        const QStringList before = describe(path);
        QStringList progressBefore; // each import file's path, byte count and line, as the old build wrote them
        {
            Connection plain;
            QVERIFY(plain.open(path, false, true));
            progressBefore = rows(plain, "SELECT path || ' ' || \"offset\" || ' ' || line FROM import_files ORDER BY path");
        }
        QVERIFY(!progressBefore.isEmpty());
        auto db = Database::open(path);
        QVERIFY2(db, qPrintable(db ? QString() : db.error()));
        QCOMPARE(count(*db, "PRAGMA user_version"), int64_t(Database::currentSchemaVersion()));
        // 13 -> 14: import_files.offset, a word PostgreSQL reserves, is byte_offset, with its values.
        QCOMPARE(count(*db, "SELECT count(*) FROM pragma_table_info('import_files') WHERE name = 'offset'"), int64_t(0));
        QCOMPARE(rows(connectionOf(*db), "SELECT path || ' ' || byte_offset || ' ' || line FROM import_files ORDER BY path"),
                 progressBefore);
        QCOMPARE(count(*db, "PRAGMA application_id"), int64_t(Database::kApplicationId));
        // Every later table and index is there.
        for (const char *name :
             {"send_log", "filter_rules", "filter_state", "reports_visible_time", "mailboxes", "reports_fts_cover", "alert_rules",
              "alert_pending", "alert_events", "alert_throttle", "alert_outbox", "alert_folded", "alert_outbox_rule"})
            QCOMPARE(*connectionOf(*db).scalar(std::string("SELECT count(*) FROM sqlite_schema WHERE name = '") + name + "'"),
                     int64_t(1));
        // And every later column (5 -> 6: the flag of rules that could not decide, none here).
        QCOMPARE(count(*db, "SELECT count(*) FROM pragma_table_info('reports') WHERE name = 'undecided'"), int64_t(1));
        QCOMPARE(count(*db, "SELECT count(*) FROM reports WHERE undecided IS NOT NULL"), int64_t(0));
        // 11 -> 12: the send log names the alert rule that sent a message (none here).
        QCOMPARE(count(*db, "SELECT count(*) FROM pragma_table_info('send_log') WHERE name = 'alert_rule'"), int64_t(1));
        QCOMPARE(count(*db, "SELECT count(*) FROM alert_rules"), int64_t(0));
        // 12 -> 13: triage. No issue ignored with a limit, resolved in a release,
        // reviewed or merged; no report moved; no release known (reports of
        // before 13 are not read for it); the views' index.
        QCOMPARE(count(*db, "SELECT count(*) FROM issues WHERE ignore_until IS NOT NULL OR ignore_until_count IS NOT NULL"
                            " OR resolved_in IS NOT NULL OR last_release IS NOT NULL OR reviewed <> 0"),
                 int64_t(0));
        QCOMPARE(count(*db, "SELECT count(*) FROM reports WHERE origin_issue IS NOT NULL"), int64_t(0));
        QCOMPARE(count(*db, "SELECT count(*) FROM issue_aliases"), int64_t(0));
        QCOMPARE(count(*db, "SELECT count(*) FROM releases"), int64_t(0));
        QCOMPARE(count(*db, "SELECT count(*) FROM sqlite_schema WHERE name IN ('issues_status', 'reports_origin')"), int64_t(2));
        // 9 -> 10: the Sentry SDK sites and their counts, empty.
        QCOMPARE(count(*db, "SELECT count(*) FROM sites"), int64_t(0));
        QCOMPARE(count(*db, "SELECT count(*) FROM site_counts"), int64_t(0));
        // 6 -> 7: the per-issue counts by hour and by day, filled from the reports;
        // 7 -> 8 keys them also by status code, logger and exception type (X''
        // for none). Compared with a count of the reports by the same keys, in SQL here.
        for (const char *mismatches :
             {"SELECT count(*) FROM (SELECT issue_id, timestamp / 3600000 AS u, level, coalesce(status_code, X'') AS s,"
              " coalesce(logger, X'') AS l, coalesce(exception_type, X'') AS t, sum(hidden_by IS NULL) AS v,"
              " sum(hidden_by IS NOT NULL) AS h FROM reports GROUP BY 1, 2, 3, 4, 5, 6) r FULL JOIN issue_hours x"
              " ON x.issue_id = r.issue_id AND x.hour = r.u AND x.level = r.level AND x.status_code = r.s"
              " AND x.logger = r.l AND x.exception_type = r.t WHERE x.visible IS NOT r.v OR x.hidden IS NOT r.h",
              "SELECT count(*) FROM (SELECT issue_id, timestamp / 86400000 AS u, level, coalesce(status_code, X'') AS s,"
              " coalesce(logger, X'') AS l, coalesce(exception_type, X'') AS t, sum(hidden_by IS NULL) AS v,"
              " sum(hidden_by IS NOT NULL) AS h FROM reports GROUP BY 1, 2, 3, 4, 5, 6) r FULL JOIN issue_days x"
              " ON x.issue_id = r.issue_id AND x.day = r.u AND x.level = r.level AND x.status_code = r.s"
              " AND x.logger = r.l AND x.exception_type = r.t WHERE x.visible IS NOT r.v OR x.hidden IS NOT r.h"})
            QCOMPARE(count(*db, mismatches), int64_t(0));
        // 7 -> 8: the indexes for the sort by message and for path: prefixes.
        for (const char *name : {"reports_message", "reports_path_prefix"})
            QCOMPARE(*connectionOf(*db).scalar(std::string("SELECT count(*) FROM sqlite_schema WHERE name = '") + name + "'"),
                     int64_t(1));
        QCOMPARE(count(*db, "SELECT sum(visible) FROM issue_days"), int64_t(kEventIds.size() - (schema >= 4 ? 1 : 0)));
        // The reports, by event id; each body reads back and matches its columns.
        ReportStore store(*db);
        QCOMPARE(count(*db, "SELECT count(*) FROM reports"), int64_t(kEventIds.size()));
        for (const QString &id : kEventIds) {
            auto rid = store.findByEventId(id);
            QVERIFY2(rid, qPrintable(id));
            auto d = store.loadReport(*rid);
            QVERIFY2(d, qPrintable(d ? QString() : d.error()));
            QCOMPARE(d->record.value(QStringLiteral("event_id")).toString(), id);
            QCOMPARE(d->row.message, d->record.value(QStringLiteral("message")).toString());
        }
        // Full-text and field search over the migrated rows.
        SearchQuery q;
        q.text = QStringLiteral("type:KeyError");
        QCOMPARE(store.listReports(q, 100)->size(), size_t(1));
        q.text = QStringLiteral("\"Bad Request\"");
        QCOMPARE(store.listReports(q, 100)->size(), size_t(1));
        // Settings survive.
        Config config(*db);
        QCOMPARE(config.value(ConfigKey::Admins).toArray().at(0).toArray().at(1).toString(), QStringLiteral("ops@example.com"));
        QCOMPARE(count(*db, "SELECT sum(count + hidden_count) FROM issues"), int64_t(kEventIds.size()));
        auto check = connectionOf(*db).prepare("PRAGMA integrity_check");
        QVERIFY(check.step());
        QCOMPARE(check.qtext(0), QStringLiteral("ok"));

        // The triggers of 8 follow a change of a keyed field (the rollups' own
        // test, tst_rollups, follows every path; here: the migrated file's triggers).
        QVERIFY(connectionOf(*db).exec("UPDATE reports SET status_code = 599, logger = 'x.y', exception_type = NULL"));
        QCOMPARE(count(*db, "SELECT sum(visible + hidden) FROM issue_days WHERE status_code = 599 AND logger = 'x.y'"
                            " AND exception_type = X''"),
                 int64_t(kEventIds.size()));
        QCOMPARE(count(*db, "SELECT count(*) FROM issue_days WHERE visible + hidden <> 0 AND status_code IS NOT 599"),
                 int64_t(0));
        // The copy kept beside it is the file as it was before the migration.
        const QString backup = path + QStringLiteral(".schema%1.bak").arg(schema);
        QVERIFY2(QFile::exists(backup), qPrintable(backup));
        QCOMPARE(describe(backup), before);
    }

    // 3 -> 4: reports stored before scrubbing existed are marked, and `rules
    // apply` scrubs them; a schema-4 file was scrubbed when it was written.
    void unscrubbedReportsAreMarkedAndScrubbed_data()
    {
        QTest::addColumn<int>("schema");
        QTest::addColumn<bool>("marked");
        QTest::addRow("schema 2") << 2 << true;
        QTest::addRow("schema 3") << 3 << true;
        QTest::addRow("schema 4") << 4 << false;
        QTest::addRow("schema 5") << 5 << false;
    }
    void unscrubbedReportsAreMarkedAndScrubbed()
    {
        QFETCH(int, schema);
        QFETCH(bool, marked);
        QTemporaryDir dir;
        const QString path = copyOf(dir, schema);
        auto db = Database::open(path);
        QVERIFY2(db, qPrintable(db ? QString() : db.error()));
        auto with = FilterSet::scrubbedWith(*db);
        QVERIFY(with);
        if (marked)
            QCOMPARE(*with, QStringLiteral("none"));
        else
            QVERIFY2(!with->isEmpty() && *with != QLatin1String("none"), qPrintable(*with));
        auto filters = FilterSet::load(*db);
        QVERIFY2(filters, qPrintable(filters ? QString() : filters.error()));
        // (Schema 4's mark is the fingerprint of that commit's rules; whether
        // today's rules differ is not this test's business.)
        if (marked)
            QCOMPARE(*RuleApplier::needsRescrub(*db, **filters), true);

        // The secrets of the corpus these records carry (truth.json), in the
        // decompressed bodies before and after `rules apply`.
        const QStringList secrets = corpusSecrets();
        const auto secretsInBodies = [&] {
            ReportStore store(*db);
            QStringList found;
            for (const QString &id : kEventIds) {
                const QString text = QString::fromUtf8(
                    QJsonDocument(store.loadReport(*store.findByEventId(id))->record).toJson());
                for (const QString &s : secrets)
                    if (text.contains(s) && !found.contains(s))
                        found << s;
            }
            return found;
        };
        QVERIFY2(marked == !secretsInBodies().isEmpty(), qPrintable(secretsInBodies().join(u' ')));
        auto applied = RuleApplier::apply(*db, **filters);
        QVERIFY2(applied, qPrintable(applied ? QString() : applied.error()));
        if (marked)
            QVERIFY(applied->scrubbed);
        QVERIFY2(secretsInBodies().isEmpty(), qPrintable(secretsInBodies().join(u' ')));
        QVERIFY(!*RuleApplier::needsRescrub(*db, **filters));
        QCOMPARE(*FilterSet::scrubbedWith(*db), (*filters)->settings().scrub.fingerprint());
    }

    // 2 -> 3 runs, then 3 -> 4 fails (a table of that name is already there):
    // the open fails naming the file and the step, and the file holds exactly
    // what it held before: version 2, no send_log.
    void failedMigrationLeavesTheFileAsItWas()
    {
        QTemporaryDir dir;
        const QString path = copyOf(dir, 2);
        {
            Connection c;
            QVERIFY(c.open(path, true));
            QVERIFY(c.exec("CREATE TABLE filter_rules (x INTEGER)"));
        }
        const QStringList before = describe(path);
        QCOMPARE(before.value(0), QStringLiteral("user_version=2"));
        auto db = Database::open(path);
        QVERIFY(!db);
        QVERIFY2(db.error().contains(path), qPrintable(db.error()));
        QVERIFY2(db.error().contains(QStringLiteral("migration failed")), qPrintable(db.error()));
        QVERIFY2(db.error().contains(QStringLiteral("schema 3 to 4")), qPrintable(db.error()));
        QVERIFY2(db.error().contains(QStringLiteral("filter_rules")), qPrintable(db.error()));
        const QStringList after = describe(path);
        QCOMPARE(after, before);
        QVERIFY(!after.join(u'\n').contains(QStringLiteral("send_log")));
    }
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
