// errordeck-cli and the database file: a file from a newer ErrorDeck and a
// corrupt file are refused with a message naming them and left untouched; two
// imports into one database at the same time store each report exactly once.
#include "CliProcess.h"
#include "TestSupport.h"
#include "store/sqlite/Sqlite.h"

#include <QProcess>
#include <QRegularExpression>

using namespace ed;
using namespace edtest;

namespace {

using Run = CliOutput;

Run cli(const QStringList &args) { return runCliProcess(args); }

// The corpus under fresh event ids, `copies` times: copy k's ids end in "-<tag>k".
int64_t writeCopies(const QString &path, const QString &tag, int copies)
{
    static const QRegularExpression id(QStringLiteral("\"event_id\": \"([0-9a-f]+)\""));
    const QList<QByteArray> lines = readFile(corpus(QStringLiteral("records.jsonl"))).split('\n');
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    int64_t n = 0;
    for (int copy = 0; copy < copies; ++copy)
        for (const QByteArray &l : lines) {
            if (l.isEmpty())
                continue;
            QString s = QString::fromUtf8(l);
            s.replace(id, QStringLiteral("\"event_id\": \"\\1-%1%2\"").arg(tag).arg(copy));
            out.write(s.toUtf8() + '\n');
            ++n;
        }
    return n;
}

// Commands that open the database, each must refuse the file the same way.
const QList<QStringList> kCommands{{QStringLiteral("stats")}, {QStringLiteral("list")}, {QStringLiteral("import")}};

} // namespace

class TestCliStore : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_good; // a current database with the corpus

    // Runs every command on `path` and checks each fails with exit status 1,
    // `message` on stderr, and the file's bytes unchanged.
    void refused(const QString &path, const QString &message)
    {
        const QByteArray before = readFile(path);
        QVERIFY(!before.isEmpty());
        for (QStringList args : kCommands) {
            args << QStringLiteral("--db") << path;
            if (args.first() == QLatin1String("import"))
                args << corpus(QStringLiteral("records.jsonl"));
            const Run r = cli(args);
            const QString err = QString::fromUtf8(r.err);
            QVERIFY2(r.code == 1, qPrintable(args.join(u' ') + QStringLiteral(": exit %1: %2").arg(r.code).arg(err)));
            QVERIFY2(err.contains(QStringLiteral("errordeck-cli: ") + path + u' '), qPrintable(err));
            QVERIFY2(err.contains(message), qPrintable(err));
            QVERIFY2(r.out.isEmpty() || !r.out.contains("stored"), r.out.constData());
            QVERIFY2(readFile(path) == before, qPrintable(args.first() + QStringLiteral(" changed the file")));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_good = m_dir.filePath(QStringLiteral("good.sqlite3"));
        const Run r = cli({QStringLiteral("import"), QStringLiteral("--quiet"), QStringLiteral("--db"), m_good,
                           corpus(QStringLiteral("records.jsonl"))});
        QCOMPARE(r.code, 0);
        // One file, no WAL beside it: copies below are whole databases.
        Connection c;
        QVERIFY(c.open(m_good, true));
        QVERIFY(c.exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE"));
    }

    void newerSchemaIsRefused()
    {
        const QString path = m_dir.filePath(QStringLiteral("newer.sqlite3"));
        QVERIFY(QFile::copy(m_good, path));
        {
            Connection c;
            QVERIFY(c.open(path, true));
            QVERIFY(c.exec("PRAGMA user_version=" + std::to_string(Database::currentSchemaVersion() + 1)));
        }
        refused(path,
                QStringLiteral("was written by a newer ErrorDeck (schema %1; this version reads up to %2); it was left untouched")
                    .arg(Database::currentSchemaVersion() + 1)
                    .arg(Database::currentSchemaVersion()));
    }

    void corruptFilesAreRefused_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("message");
        QTest::newRow("schema page overwritten") << "schema"
                                                 << "cannot be read: database disk image is malformed";
        QTest::newRow("cut short") << "truncated"
                                   << "cannot be read: database disk image is malformed";
        QTest::newRow("not SQLite at all") << "text"
                                           << "is not an ErrorDeck database (not an SQLite file); it was left untouched";
    }
    void corruptFilesAreRefused()
    {
        QFETCH(QString, damage);
        QFETCH(QString, message);
        QByteArray bytes = readFile(m_good);
        QVERIFY(bytes.size() > 4096 * 8);
        if (damage == QLatin1String("schema"))
            bytes.replace(100, 300, QByteArray(300, '\xff')); // page 1's b-tree, after the header
        else if (damage == QLatin1String("truncated"))
            bytes.truncate(4096 * 3);
        else
            bytes = QByteArray("these are notes, not a database\n").repeated(200);
        const QString path = m_dir.filePath(QStringLiteral("corrupt-%1.sqlite3").arg(damage));
        writeFile(path, bytes);
        refused(path, message);
    }

    // Two errordeck-cli imports at once into one database: each of its own
    // file, and both of a shared one. Both succeed; every report is stored once.
    void twoImportsAtOnce()
    {
        const QString db = m_dir.filePath(QStringLiteral("concurrent.sqlite3"));
        const QString a = m_dir.filePath(QStringLiteral("a.jsonl")), b = m_dir.filePath(QStringLiteral("b.jsonl")),
                      shared = m_dir.filePath(QStringLiteral("shared.jsonl"));
        const int64_t na = writeCopies(a, QStringLiteral("a"), 30), nb = writeCopies(b, QStringLiteral("b"), 30),
                      ns = writeCopies(shared, QStringLiteral("s"), 20);
        QProcess p1, p2;
        // Small batches: many write transactions, interleaved.
        p1.start(QStringLiteral(ERRORDECK_CLI),
                 {QStringLiteral("import"), QStringLiteral("--json"), QStringLiteral("--db"), db, shared, a});
        p2.start(QStringLiteral(ERRORDECK_CLI),
                 {QStringLiteral("import"), QStringLiteral("--json"), QStringLiteral("--db"), db, shared, b});
        QVERIFY(p1.waitForStarted() && p2.waitForStarted());
        QVERIFY(p1.waitForFinished(180000) && p2.waitForFinished(180000));
        const QByteArray err1 = p1.readAllStandardError(), err2 = p2.readAllStandardError();
        QVERIFY2(p1.exitStatus() == QProcess::NormalExit && p1.exitCode() == 0, err1.constData());
        QVERIFY2(p2.exitStatus() == QProcess::NormalExit && p2.exitCode() == 0, err2.constData());
        const QJsonObject s1 = QJsonDocument::fromJson(p1.readAllStandardOutput()).object();
        const QJsonObject s2 = QJsonDocument::fromJson(p2.readAllStandardOutput()).object();
        QVERIFY(s1.value(QStringLiteral("fatal")).isNull() && s2.value(QStringLiteral("fatal")).isNull());
        // Between them they stored everything once; the shared file's reports
        // were stored by one and skipped (resumed or duplicates) by the other.
        const int64_t stored = s1.value(QStringLiteral("stored")).toInteger() + s2.value(QStringLiteral("stored")).toInteger();
        QCOMPARE(stored, na + nb + ns);
        const int64_t skipped = s1.value(QStringLiteral("duplicates")).toInteger() +
                                s2.value(QStringLiteral("duplicates")).toInteger() +
                                s1.value(QStringLiteral("resumed_lines")).toInteger() +
                                s2.value(QStringLiteral("resumed_lines")).toInteger();
        QCOMPARE(skipped, ns);
        auto opened = Database::open(db);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error()));
        Connection &c = connectionOf(*opened);
        QCOMPARE(*c.scalar("SELECT count(*) FROM reports"), na + nb + ns);
        QCOMPARE(*c.scalar("SELECT count(DISTINCT event_id) FROM reports"), na + nb + ns);
        QCOMPARE(*c.scalar("SELECT sum(count + hidden_count) FROM issues"), na + nb + ns);
        QCOMPARE(*c.scalar("SELECT count(*) FROM reports_fts"), na + nb + ns);
        // One issue per failure, not one per process.
        QCOMPARE(*c.scalar("SELECT count(*) FROM (SELECT fingerprint FROM issues GROUP BY fingerprint HAVING count(*) > 1)"),
                 int64_t(0));
        auto check = c.prepare("PRAGMA integrity_check");
        QVERIFY(check.step());
        QCOMPARE(check.qtext(0), QStringLiteral("ok"));
    }

    // errordeck-cli issues ACTION (issue 14): resolve and ignore move an issue
    // between the views, merge hides the merged one and split brings it back,
    // delete takes its reports; a bad span or action is refused with exit 1.
    void issuesTriage()
    {
        const QString db = m_dir.filePath(QStringLiteral("triage.sqlite3"));
        QVERIFY(QFile::copy(m_good, db));
        auto ids = [&db](const QString &view) {
            const Run r = cli({QStringLiteral("issues"), QStringLiteral("--db"), db, QStringLiteral("--json"),
                               QStringLiteral("--limit"), QStringLiteral("0"), QStringLiteral("--view"), view});
            QList<int64_t> out;
            for (const QJsonValue &v : QJsonDocument::fromJson(r.out).array())
                out << v.toObject().value(QStringLiteral("id")).toInteger();
            std::sort(out.begin(), out.end());
            return out;
        };
        auto ok = [&db](QStringList args) {
            args << QStringLiteral("--db") << db;
            const Run r = cli(args);
            if (r.code != 0)
                qWarning("%s: exit %d: %s", qPrintable(args.join(u' ')), r.code, r.err.constData());
            return r.code == 0;
        };
        const QList<int64_t> all = ids(QStringLiteral("all"));
        QVERIFY(all.size() >= 4);
        QCOMPARE(ids(QStringLiteral("unresolved")), all);
        const QString a = QString::number(all[0]), b = QString::number(all[1]), c = QString::number(all[2]);
        QVERIFY(ok({QStringLiteral("issues"), QStringLiteral("resolve"), a}));
        QVERIFY(ok({QStringLiteral("issues"), QStringLiteral("ignore"), b, QStringLiteral("--for"), QStringLiteral("7d")}));
        QCOMPARE(ids(QStringLiteral("resolved")), QList<int64_t>{all[0]});
        QCOMPARE(ids(QStringLiteral("ignored")), QList<int64_t>{all[1]});
        QVERIFY(!ids(QStringLiteral("unresolved")).contains(all[0]));
        const Run counts = cli(
            {QStringLiteral("issues"), QStringLiteral("counts"), QStringLiteral("--json"), QStringLiteral("--db"), db});
        QCOMPARE(counts.code, 0);
        const QJsonObject n = QJsonDocument::fromJson(counts.out).object();
        QCOMPARE(n.value(QStringLiteral("unresolved")).toInteger(), all.size() - 2);
        QCOMPARE(n.value(QStringLiteral("all")).toInteger(), all.size());
        // Merge c into a, split again.
        QVERIFY(ok({QStringLiteral("issues"), QStringLiteral("merge"), a, c}));
        QVERIFY(!ids(QStringLiteral("all")).contains(all[2]));
        QVERIFY(ok({QStringLiteral("issues"), QStringLiteral("split"), a}));
        QCOMPARE(ids(QStringLiteral("all")), all);
        // Delete: the issue and its reports.
        QVERIFY(ok({QStringLiteral("issues"), QStringLiteral("delete"), c}));
        const Run left = cli({QStringLiteral("list"), QStringLiteral("--all"), QStringLiteral("--json"),
                              QStringLiteral("--query"), QStringLiteral("issue:") + c, QStringLiteral("--db"), db});
        QCOMPARE(left.code, 0);
        QCOMPARE(QJsonDocument::fromJson(left.out).array().size(), qsizetype(0));
        // Refused: a bad span, an unknown action, an issue that is not there.
        Run bad = cli({QStringLiteral("issues"), QStringLiteral("ignore"), a, QStringLiteral("--for"), QStringLiteral("soon"),
                       QStringLiteral("--db"), db});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.contains("bad --for 'soon'"), bad.err.constData());
        bad = cli({QStringLiteral("issues"), QStringLiteral("close"), a, QStringLiteral("--db"), db});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.contains("unknown action 'close'"), bad.err.constData());
        bad = cli({QStringLiteral("issues"), QStringLiteral("resolve"), c, QStringLiteral("--db"), db});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.contains(QStringLiteral("no issue #%1").arg(c).toUtf8()), bad.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliStore)
#include "tst_cli_store.moc"
