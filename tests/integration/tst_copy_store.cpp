// errordeck-cli copy-store (core/store/StoreCopy.h, issue 17): the corpus in an
// SQLite file copied into a real PostgreSQL 15 (tests/support/PgSupport.h) and
// back into a new file; list, issues, show and a word search print the same on
// all three. A copy killed mid-batch goes on when run again; a destination
// holding other data, or an unfinished copy of another source, is refused.
// The expected figures come from the source file, read by the test.
#include "CliProcess.h"
#include "PgSupport.h"
#include "SecretScanner.h"
#include "TestSupport.h"
#include "store/StoreCopy.h"
#include "store/sqlite/Sqlite.h"

#include <QProcess>
#include <QRegularExpression>

using namespace ed;
using namespace edtest;

namespace {

// What copy-store and the commands compared say, as text.
struct Run {
    int code = -1;
    bool crashed = false;
    QString out, err;
};

Run cli(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    const CliOutput o = runCliProcess(args, env);
    return Run{o.code, o.crashed, QString::fromUtf8(o.out), QString::fromUtf8(o.err)};
}

// What a user reads of a database: each command's stdout.
const QList<QStringList> kViews{
    {QStringLiteral("list"), QStringLiteral("--all"), QStringLiteral("--limit"), QStringLiteral("0")},
    {QStringLiteral("list"), QStringLiteral("--all"), QStringLiteral("--json"), QStringLiteral("--limit"), QStringLiteral("0")},
    {QStringLiteral("issues"), QStringLiteral("--limit"), QStringLiteral("0")},
    {QStringLiteral("issues"), QStringLiteral("--view"), QStringLiteral("unresolved")},
    {QStringLiteral("issues"), QStringLiteral("counts")},
    {QStringLiteral("show"), QStringLiteral("1")},
    {QStringLiteral("show"), QStringLiteral("42"), QStringLiteral("--json")},
    {QStringLiteral("show"), QStringLiteral("98")},
    {QStringLiteral("config"), QStringLiteral("list")},
    {QStringLiteral("alerts"), QStringLiteral("list")},
    // Full-text search: the FTS5 index on SQLite, the tsvector on PostgreSQL.
    {QStringLiteral("list"), QStringLiteral("--query"), QStringLiteral("gateway")},
    {QStringLiteral("list"), QStringLiteral("--query"), QStringLiteral("checkout level:error")},
    {QStringLiteral("list"), QStringLiteral("--query"), QStringLiteral("ZeroDivisionError")},
};

// Rows per table of an SQLite file, read by the test itself.
std::map<QString, int64_t> fileCounts(const QString &path)
{
    const TestSideDb testSide;
    Connection c;
    std::map<QString, int64_t> out;
    if (!c.open(path, false, true))
        return out;
    for (const char *t : {"reports", "issues", "parts", "reports_fts", "issue_hours", "issue_days", "alert_rules", "config"}) {
        auto n = c.scalar(std::string("SELECT count(*) FROM ") + t);
        out[QLatin1String(t)] = n ? *n : -1;
    }
    return out;
}

} // namespace

class TestCopyStore : public QObject {
    Q_OBJECT
    std::unique_ptr<PgCluster> m_pg;
    QTemporaryDir m_dir;
    QString m_lite; // the corpus, triaged, with settings and alert rules
    QList<Run> m_liteViews; // what kViews print on m_lite, which the tests do not change

    QString newPgDatabase() { return m_pg->url(m_pg->createDatabase()); }

    QString pgValue(const QString &url, const QString &sql)
    {
        auto v = m_pg->value(url.section(u'/', -1), sql);
        return v ? *v : QStringLiteral("error: ") + v.error();
    }

    // Every view of `copy` prints what it prints on the source file.
    void sameViews(const QString &copy)
    {
        if (m_liteViews.isEmpty())
            for (const QStringList &view : kViews)
                m_liteViews << cli(QStringList{QStringLiteral("--db"), m_lite} + view);
        for (qsizetype i = 0; i < kViews.size(); ++i) {
            const QStringList &view = kViews[i];
            const Run &want = m_liteViews[i];
            const Run got = cli(QStringList{QStringLiteral("--db"), copy} + view);
            const QString what = view.join(u' ');
            QVERIFY2(want.code == 0, qPrintable(what + QStringLiteral(": ") + want.err));
            QVERIFY2(got.code == 0, qPrintable(what + QStringLiteral(" on the copy: ") + got.err));
            QVERIFY2(!want.out.trimmed().isEmpty(), qPrintable(what));
            QCOMPARE(got.out, want.out);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_pg = std::make_unique<PgCluster>();
        QVERIFY2(m_pg->ok(), qPrintable(m_pg->error()));
        qputenv("PGPASSWORD", PgCluster::kPassword); // for the CLI children, as a user's libpq reads it
        m_lite = corpusDatabase(m_dir, QStringLiteral("source.sqlite3"));
        const QStringList db{QStringLiteral("--db"), m_lite};
        for (const QStringList &args :
             {QStringList{QStringLiteral("issues"), QStringLiteral("resolve"), QStringLiteral("1")},
              QStringList{QStringLiteral("issues"), QStringLiteral("ignore"), QStringLiteral("6")},
              QStringList{QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("ADMINS"),
                          QStringLiteral("[[\"Ops\", \"ops@example.com\"]]")},
              // Two rules, the second removed: alert_rules never hands out id 2 again.
              QStringList{QStringLiteral("alerts"), QStringLiteral("add"), QStringLiteral("first"), QStringLiteral("--kind"),
                          QStringLiteral("new-issue")},
              QStringList{QStringLiteral("alerts"), QStringLiteral("add"), QStringLiteral("second"), QStringLiteral("--kind"),
                          QStringLiteral("regression")},
              QStringList{QStringLiteral("alerts"), QStringLiteral("remove"), QStringLiteral("second")}}) {
            const Run r = cli(db + args);
            QVERIFY2(r.code == 0, qPrintable(args.join(u' ') + QStringLiteral(": ") + r.err));
        }
    }

    void copiesToPostgresAndBack()
    {
        const QString pg = newPgDatabase();
        Run r = cli({QStringLiteral("copy-store"), m_lite, pg});
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains(QLatin1String("verified")), qPrintable(r.out));
        QVERIFY2(r.err.contains(QLatin1String("reports (3/")), qPrintable(r.err)); // a progress line per table
        const auto want = fileCounts(m_lite);
        QCOMPARE(want.at(QStringLiteral("reports")), int64_t(98));
        for (const auto &[table, n] : want) {
            const QString sql = QStringLiteral("SELECT count(*) FROM %1%2")
                                    .arg(table, table == QLatin1String("config")
                                                    ? QStringLiteral(" WHERE name <> '%1'").arg(QLatin1String(kCopyMarker))
                                                    : QString());
            QCOMPARE(pgValue(pg, sql), QString::number(n));
        }
        QCOMPARE(pgValue(pg, QStringLiteral("SELECT count(*) FROM config WHERE name = 'errordeck:copy-store'")),
                 QStringLiteral("0"));
        // The tsvector was filled from the copied texts.
        QCOMPARE(pgValue(pg, QStringLiteral("SELECT count(*) FROM reports_fts WHERE document @@ to_tsquery('simple', "
                                            "'gateway')")),
                 QString::number(
                     cli({QStringLiteral("--db"), m_lite, QStringLiteral("list"), QStringLiteral("--query"),
                          QStringLiteral("gateway"), QStringLiteral("--json"), QStringLiteral("--limit"), QStringLiteral("0")})
                         .out.count(QLatin1String("\"event_id\""))));
        sameViews(pg);

        // The identities go on past the copied ids: a new report and a new rule are stored.
        const QString extra = m_dir.filePath(QStringLiteral("extra.jsonl"));
        QString line = QString::fromUtf8(readFile(corpus(QStringLiteral("records.jsonl"))).split('\n').first());
        line.replace(QRegularExpression(QStringLiteral("\"event_id\": \"[0-9a-f]+\"")),
                     QStringLiteral("\"event_id\": \"00000000000000000000000000c0ffee\""));
        writeFile(extra, line.toUtf8() + '\n');
        r = cli({QStringLiteral("--db"), pg, QStringLiteral("import"), extra});
        QVERIFY2(r.code == 0 && r.out.contains(QLatin1String("1 stored")), qPrintable(r.out + r.err));
        QCOMPARE(pgValue(pg, QStringLiteral("SELECT max(id) FROM reports")), QStringLiteral("99"));
        r = cli({QStringLiteral("--db"), pg, QStringLiteral("alerts"), QStringLiteral("add"), QStringLiteral("third"),
                 QStringLiteral("--kind"), QStringLiteral("new-issue")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(pgValue(pg, QStringLiteral("SELECT id FROM alert_rules WHERE name = 'third'")), QStringLiteral("3"));
        r = cli({QStringLiteral("--db"), pg, QStringLiteral("alerts"), QStringLiteral("remove"), QStringLiteral("third")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = cli({QStringLiteral("--db"), pg, QStringLiteral("issues"), QStringLiteral("delete"), QStringLiteral("1")});
        QVERIFY2(r.code == 0, qPrintable(r.err));

        // And back into a new file: the same again (with the server's changes).
        // The server named with its password this time: it must reach no byte of the file.
        const QString back = m_dir.filePath(QStringLiteral("back.sqlite3"));
        const QString pgWithPassword = QString(pg).replace(QLatin1String("edtest@"),
                                                           QStringLiteral("edtest:%1@").arg(QLatin1String(PgCluster::kPassword)));
        r = cli({QStringLiteral("copy-store"), pgWithPassword, back});
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QVERIFY2(!r.out.contains(QLatin1String(PgCluster::kPassword)) && !r.err.contains(QLatin1String(PgCluster::kPassword)),
                 qPrintable(r.out + r.err));
        const SecretScanner::Report scan = SecretScanner(corpusSecrets() << QString::fromLatin1(PgCluster::kPassword)).scan(back);
        QVERIFY2(scan.found.isEmpty(), qPrintable(scan.found.join(u'\n')));
        QVERIFY(scan.values > 0);
        for (const QStringList &view : kViews) {
            const Run want = cli(QStringList{QStringLiteral("--db"), pg} + view);
            const Run got = cli(QStringList{QStringLiteral("--db"), back} + view);
            QCOMPARE(got.code, want.code);
            QCOMPARE(got.out, want.out);
        }
        // The file's AUTOINCREMENT learnt the server's sequence: rule 3 was handed out there.
        r = cli({QStringLiteral("--db"), back, QStringLiteral("alerts"), QStringLiteral("add"), QStringLiteral("fourth"),
                 QStringLiteral("--kind"), QStringLiteral("new-issue")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        {
            const TestSideDb testSide;
            Connection c;
            QVERIFY(c.open(back, false, true));
            QCOMPARE(*c.scalar("SELECT id FROM alert_rules WHERE name = 'fourth'"), int64_t(4));
        }
    }

    void killedCopyGoesOn()
    {
        const QString pg = newPgDatabase();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // 10 rows a batch: parts (126) and issues (22) take 16 batches, the 20th is in the reports.
        env.insert(QStringLiteral("ERRORDECK_TEST_KILL_COPY_AFTER_BATCHES"), QStringLiteral("20"));
        Run r = cli({QStringLiteral("copy-store"), QStringLiteral("--batch-rows"), QStringLiteral("10"), m_lite, pg}, env);
        QVERIFY2(r.crashed, qPrintable(r.out + r.err));
        QCOMPARE(pgValue(pg, QStringLiteral("SELECT count(*) FROM reports")), QStringLiteral("40"));
        QCOMPARE(pgValue(pg, QStringLiteral("SELECT count(*) FROM config WHERE name = 'errordeck:copy-store'")),
                 QStringLiteral("1"));
        // A copy from another source is refused while this one is unfinished.
        const QString other = corpusDatabase(m_dir, QStringLiteral("other.sqlite3"));
        r = cli({QStringLiteral("copy-store"), other, pg});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("unfinished copy of ") + QFileInfo(m_lite).canonicalFilePath()), qPrintable(r.err));

        r = cli({QStringLiteral("copy-store"), QStringLiteral("--batch-rows"), QStringLiteral("10"), m_lite, pg});
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains(QLatin1String("going on from an interrupted copy")), qPrintable(r.out));
        for (const auto &[table, n] : fileCounts(m_lite))
            QCOMPARE(pgValue(pg, QStringLiteral("SELECT count(*) FROM %1").arg(table)), QString::number(n));
        // No report twice under another id: one row per dedup key, the ids those of the file.
        QCOMPARE(pgValue(pg, QStringLiteral("SELECT count(DISTINCT dedup_key) FROM reports")), QStringLiteral("98"));
        QCOMPARE(pgValue(pg, QStringLiteral("SELECT sum(id) FROM reports")), QString::number(98 * 99 / 2));
        sameViews(pg);
    }

    void interruptedCopyGoesOn()
    {
        // Ctrl+C: the batch being written is committed, then the copy stops with exit 1.
        const QString pg = newPgDatabase();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ERRORDECK_TEST_INTERRUPT_COPY_AFTER_BATCHES"), QStringLiteral("20"));
        Run r = cli({QStringLiteral("copy-store"), QStringLiteral("--batch-rows"), QStringLiteral("10"), m_lite, pg}, env);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("was cancelled after ")), qPrintable(r.err));
        QCOMPARE(pgValue(pg, QStringLiteral("SELECT count(*) FROM reports")), QStringLiteral("40"));
        r = cli({QStringLiteral("copy-store"), m_lite, pg});
        QVERIFY2(r.code == 0 && r.out.contains(QLatin1String("going on from an interrupted copy")), qPrintable(r.out + r.err));
        QCOMPARE(pgValue(pg, QStringLiteral("SELECT count(*) FROM reports")), QStringLiteral("98"));
        // --db has no place here: refused, not silently ignored.
        r = cli({QStringLiteral("--db"), m_lite, QStringLiteral("copy-store"), m_lite, pg});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("--db does not apply")), qPrintable(r.err));
    }

    void differenceIsAnError()
    {
        // A row lost from the destination between two runs (the resumed copy
        // does not look back): the figures differ, the copy fails and stays marked.
        const QString pg = newPgDatabase();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ERRORDECK_TEST_KILL_COPY_AFTER_BATCHES"), QStringLiteral("20"));
        Run r = cli({QStringLiteral("copy-store"), QStringLiteral("--batch-rows"), QStringLiteral("10"), m_lite, pg}, env);
        QVERIFY2(r.crashed, qPrintable(r.out + r.err));
        QVERIFY(m_pg->sql(pg.section(u'/', -1), QStringLiteral("DELETE FROM parts WHERE id = 5")));
        r = cli({QStringLiteral("copy-store"), m_lite, pg});
        QCOMPARE(r.code, 1);
        static const QRegularExpression partsDiffer(QStringLiteral("\\nparts +126 +125 .*DIFFERENT\\n"));
        QVERIFY2(partsDiffer.match(r.out).hasMatch(), qPrintable(r.out));
        QVERIFY2(r.err.contains(QLatin1String("is not a verified copy")), qPrintable(r.err));
        QCOMPARE(pgValue(pg, QStringLiteral("SELECT count(*) FROM config WHERE name = 'errordeck:copy-store'")),
                 QStringLiteral("1"));
    }

    void changedSourceIsRefused()
    {
        // Reports added to the source between two runs: rows copied before would be stale.
        const QString source = m_dir.filePath(QStringLiteral("changing.sqlite3"));
        QVERIFY(QFile::copy(m_lite, source));
        const QString pg = newPgDatabase();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ERRORDECK_TEST_KILL_COPY_AFTER_BATCHES"), QStringLiteral("20"));
        Run r = cli({QStringLiteral("copy-store"), QStringLiteral("--batch-rows"), QStringLiteral("10"), source, pg}, env);
        QVERIFY2(r.crashed, qPrintable(r.out + r.err));
        r = cli({QStringLiteral("--db"), source, QStringLiteral("issues"), QStringLiteral("delete"), QStringLiteral("16")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QString before = pgValue(pg, QStringLiteral("SELECT count(*) FROM reports"));
        r = cli({QStringLiteral("copy-store"), source, pg});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(source + QLatin1String(" has changed since the unfinished copy")), qPrintable(r.err));
        QCOMPARE(pgValue(pg, QStringLiteral("SELECT count(*) FROM reports")), before);
    }

    void refusesAnotherSchemaVersion()
    {
        const QString db = m_pg->createDatabase();
        const TestSideDb testSide;
        auto dst = Database::open(m_pg->url(db), Database::OpenOptions{});
        QVERIFY(dst);
        // As if a newer ErrorDeck had migrated the server since this one opened it.
        QVERIFY(m_pg->sql(
            db,
            QStringLiteral("INSERT INTO errordeck_schema(version) VALUES (%1)").arg(Database::currentServerSchemaVersion() + 1)));
        auto src = Database::open(m_lite, true);
        QVERIFY(src);
        auto r = copyStore(*src, *dst);
        QVERIFY(!r);
        QVERIFY2(r.error().contains(QStringLiteral("at schema %1").arg(Database::currentServerSchemaVersion() + 1)),
                 qPrintable(r.error()));
        QCOMPARE(pgValue(m_pg->url(db), QStringLiteral("SELECT count(*) FROM reports")), QStringLiteral("0"));
    }

    void cancelledCopyGoesOn()
    {
        // The core call with its cancel token, server to file this time.
        const QString pg = newPgDatabase();
        QCOMPARE(cli({QStringLiteral("copy-store"), m_lite, pg}).code, 0);
        const QString file = m_dir.filePath(QStringLiteral("cancelled.sqlite3"));
        const TestSideDb testSide;
        auto src = Database::open(pg, Database::OpenOptions{true, {}});
        QVERIFY2(src, qPrintable(src ? QString() : src.error()));
        auto dst = Database::open(file);
        QVERIFY(dst);
        CancelToken cancel;
        StoreCopyOptions o;
        o.batchRows = 50;
        o.cancel = &cancel;
        int calls = 0;
        o.progress = [&](const StoreCopyProgress &) {
            ++calls;
            cancel.cancel();
        };
        auto first = copyStore(*src, *dst, o);
        QVERIFY(!first);
        QCOMPARE(first.errorKind(), ErrorKind::Interrupted);
        QCOMPARE(calls, 1);
        QCOMPARE(*connectionOf(*dst).scalar("SELECT count(*) FROM parts"), int64_t(50));
        auto second = copyStore(*src, *dst, StoreCopyOptions{});
        QVERIFY2(second, qPrintable(second ? QString() : second.error()));
        QVERIFY(second->resumed);
        QVERIFY(second->verified());
        QVERIFY(second->rowsCopied > 0);
        QCOMPARE(fileCounts(file), fileCounts(m_lite));
    }

    void refusesForeignOrOlderDatabases()
    {
        const QString db = m_pg->createDatabase();
        const QString pg = m_pg->url(db);
        QCOMPARE(cli({QStringLiteral("copy-store"), m_lite, pg}).code, 0);
        // A finished copy holds reports of its own now: refused, naming the server without its password.
        const QString withPassword = pg;
        const QString url = QString(withPassword)
                                .replace(QLatin1String("edtest@"),
                                         QStringLiteral("edtest:%1@").arg(QLatin1String(PgCluster::kPassword)));
        const QString other = corpusDatabase(m_dir, QStringLiteral("foreign.sqlite3"));
        const QString before = pgValue(pg, QStringLiteral("SELECT count(*) || ' ' || sum(id) FROM reports"));
        Run r = cli({QStringLiteral("copy-store"), other, url});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("already holds 98 reports")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String(":***@")), qPrintable(r.err));
        QVERIFY2(!r.err.contains(QLatin1String(PgCluster::kPassword)), qPrintable(r.err));
        QCOMPARE(pgValue(pg, QStringLiteral("SELECT count(*) || ' ' || sum(id) FROM reports")), before);
        // Into a file that holds reports already, the same.
        r = cli({QStringLiteral("copy-store"), m_lite, other});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(other + QLatin1String(" already holds 98 reports")), qPrintable(r.err));
        // A source at an older schema is not migrated behind its owner's back.
        const QString old = m_dir.filePath(QStringLiteral("schema13.sqlite3"));
        QVERIFY(QFile::copy(QStringLiteral(ERRORDECK_TEST_DATA "/migrations/schema13.sqlite3"), old));
        const QByteArray oldBytes = readFile(old);
        r = cli({QStringLiteral("copy-store"), old, m_pg->url(m_pg->createDatabase())});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("older schema (13)")), qPrintable(r.err));
        QCOMPARE(readFile(old), oldBytes);
    }
};

QTEST_GUILESS_MAIN(TestCopyStore)
#include "tst_copy_store.moc"
