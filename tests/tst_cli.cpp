// errordeck-cli as scripts use it: exit statuses, JSON output, --db and ERRORDECK_DB.
#include "TestUtil.h"

#include <QJsonArray>
#include <QProcess>
#include <QProcessEnvironment>

using namespace edtest;

namespace {

struct Run {
    int code = -1;
    QByteArray out, err;
};

Run cli(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(ERRORDECK_CLI), args);
    p.waitForFinished(120000);
    return Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_db;

private Q_SLOTS:
    void initTestCase()
    {
        m_db = m_dir.filePath(QStringLiteral("cli.sqlite3"));
        const Run r = cli({QStringLiteral("import"), QStringLiteral("--db"), m_db, corpus(QStringLiteral("records.jsonl"))});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("98 stored, 0 skipped as duplicates, 0 rejected"), r.out.constData());
    }

    void importExitStatuses()
    {
        const QString bad = m_dir.filePath(QStringLiteral("bad.jsonl"));
        writeFile(bad, "not json\n{\"timestamp\":\"2026-11-01T00:00:00Z\",\"level\":\"ERROR\",\"message\":\"fine\"}\n");
        Run r = cli({QStringLiteral("import"), QStringLiteral("--db"), m_db, bad});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains((bad + QStringLiteral(":1: not valid JSON")).toUtf8()), r.err.constData());
        QVERIFY(r.out.contains("1 stored"));
        QVERIFY(r.out.contains("1 rejected"));
        // A database that is not one: fatal.
        const QString notDb = m_dir.filePath(QStringLiteral("notes.txt"));
        writeFile(notDb, "hello\n");
        r = cli({QStringLiteral("import"), QStringLiteral("--db"), notDb, bad});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains("not an ErrorDeck database"));
        r = cli({QStringLiteral("import"), QStringLiteral("--db"), m_db});
        QCOMPARE(r.code, 1);
        r = cli({QStringLiteral("frobnicate")});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains("unknown command"));
    }

    void importJsonSummary()
    {
        const Run r = cli({QStringLiteral("import"), QStringLiteral("--json"), QStringLiteral("--no-resume"), QStringLiteral("--db"), m_db,
                           corpus(QStringLiteral("records.jsonl"))});
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("stored")).toInt(), 0);
        QCOMPARE(o.value(QStringLiteral("duplicates")).toInt(), 98);
    }

    void listJson()
    {
        const Run r = cli({QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--limit"), QStringLiteral("0"),
                           QStringLiteral("--db"), m_db, QStringLiteral("--query"), QStringLiteral("type:KeyError")});
        QCOMPARE(r.code, 0);
        const QJsonArray rows = QJsonDocument::fromJson(r.out).array();
        QVERIFY(rows.size() >= 5);
        for (const QJsonValue v : rows) {
            const QJsonObject o = v.toObject();
            for (const char *key : {"id", "event_id", "timestamp", "level", "logger", "message", "status_code", "path",
                                    "exception_type", "issue_id", "hidden_by"})
                QVERIFY2(o.contains(QLatin1String(key)), key);
            QCOMPARE(o.value(QStringLiteral("exception_type")).toString(), QStringLiteral("KeyError"));
            QCOMPARE(o.value(QStringLiteral("status_code")).toInt(), 500);
            QCOMPARE(o.value(QStringLiteral("path")).toString(), QStringLiteral("/api/items/"));
        }
        // Newest first.
        QVERIFY(rows.first().toObject().value(QStringLiteral("timestamp")).toString()
                >= rows.last().toObject().value(QStringLiteral("timestamp")).toString());
    }

    void listTableAndLimit()
    {
        const Run r = cli({QStringLiteral("list"), QStringLiteral("--limit"), QStringLiteral("3"), QStringLiteral("--db"), m_db});
        QCOMPARE(r.code, 0);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 4); // header and three rows
        QVERIFY(lines[0].startsWith("ID"));
        const Run bad = cli({QStringLiteral("list"), QStringLiteral("--db"), m_db, QStringLiteral("--query"), QStringLiteral("level:loud")});
        QCOMPARE(bad.code, 1);
        QVERIFY(bad.err.contains("unknown level"));
    }

    void showByIdAndEventId()
    {
        const QJsonObject first = corpusRecords().first();
        const QString eventId = first.value(QStringLiteral("event_id")).toString();
        Run r = cli({QStringLiteral("show"), QStringLiteral("--json"), QStringLiteral("--db"), m_db, eventId});
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("event_id")).toString(), eventId);
        QCOMPARE(o.value(QStringLiteral("record")).toObject().value(QStringLiteral("exception")), first.value(QStringLiteral("exception")));
        r = cli({QStringLiteral("show"), QStringLiteral("--db"), m_db, QString::number(o.value(QStringLiteral("id")).toInt())});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("Traceback (most recent call last):"));
        QVERIFY(r.out.contains("ZeroDivisionError: division by zero"));
        r = cli({QStringLiteral("show"), QStringLiteral("--db"), m_db, QStringLiteral("999999")});
        QCOMPARE(r.code, 1);
    }

    void chainedTracebackInDjangoOrder()
    {
        const Run list = cli({QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--db"), m_db, QStringLiteral("--query"),
                              QStringLiteral("path:/payments/charge/"), QStringLiteral("--limit"), QStringLiteral("1")});
        const int id = QJsonDocument::fromJson(list.out).array().first().toObject().value(QStringLiteral("id")).toInt();
        const Run r = cli({QStringLiteral("show"), QStringLiteral("--db"), m_db, QString::number(id)});
        QVERIFY2(r.out.contains("The above exception was the direct cause of the following exception:"), r.out.constData());
        // The cause first, the exception raised last at the end.
        QVERIFY(r.out.lastIndexOf("RuntimeError: payment gateway failed") > r.out.indexOf("direct cause"));
    }

    void issuesAndStatsJson()
    {
        // --all: the default filters hide the 404s Django would not have mailed.
        Run r = cli({QStringLiteral("issues"), QStringLiteral("--all"), QStringLiteral("--json"), QStringLiteral("--db"), m_db});
        QCOMPARE(r.code, 0);
        const QJsonArray issues = QJsonDocument::fromJson(r.out).array();
        int total = 0;
        for (const QJsonValue v : issues)
            total += v.toObject().value(QStringLiteral("count")).toInt();
        QCOMPARE(total, 99); // the corpus plus the one good line of importExitStatuses
        r = cli({QStringLiteral("stats"), QStringLiteral("--json"), QStringLiteral("--db"), m_db});
        QCOMPARE(r.code, 0);
        const QJsonObject s = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(s.value(QStringLiteral("reports")).toInt(), 99);
        QCOMPARE(s.value(QStringLiteral("issues")).toInt(), int(issues.size()));
        QVERIFY(s.value(QStringLiteral("hidden")).toInt() > 0);
    }

    void databaseFromEnvironment()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ERRORDECK_DB"), m_db);
        const Run r = cli({QStringLiteral("stats"), QStringLiteral("--json")}, env);
        QCOMPARE(r.code, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("database")).toString(), m_db);
    }

    void configRoundTrip()
    {
        Run r = cli({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("--db"), m_db, QStringLiteral("ADMINS"),
                     QStringLiteral(R"([["Ops Team","ops@example.com"]])")});
        QCOMPARE(r.code, 0);
        r = cli({QStringLiteral("config"), QStringLiteral("get"), QStringLiteral("--db"), m_db, QStringLiteral("ADMINS")});
        QCOMPARE(r.out.trimmed(), QByteArray(R"([["Ops Team","ops@example.com"]])"));
        r = cli({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("--db"), m_db, QStringLiteral("ADMINS"),
                 QStringLiteral(R"([["Ops","not-an-address"]])")});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains("not an e-mail address"));
        r = cli({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("--db"), m_db, QStringLiteral("EMAIL_PORT"), QStringLiteral("587")});
        QCOMPARE(r.code, 0);
        r = cli({QStringLiteral("config"), QStringLiteral("get"), QStringLiteral("--db"), m_db, QStringLiteral("EMAIL_PORT")});
        QCOMPARE(r.out.trimmed(), QByteArray("587"));
        r = cli({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("--db"), m_db, QStringLiteral("NO_SUCH_SETTING"), QStringLiteral("1")});
        QCOMPARE(r.code, 1);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
