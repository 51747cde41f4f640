// errordeck-cli as scripts use it: exit statuses, JSON output, --db and ERRORDECK_DB.
#include "TerminalText.h"
#include "TestSupport.h"
#include "send/ReportMailer.h"

#include <QBuffer>
#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>
#include <QProcessEnvironment>

using namespace edtest;

namespace {

struct Run {
    int code = -1;
    QByteArray out, err;
};

Run cli(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
        const QString &workingDir = QString())
{
    QProcess p;
    p.setProcessEnvironment(env);
    if (!workingDir.isEmpty())
        p.setWorkingDirectory(workingDir);
    p.start(QStringLiteral(ERRORDECK_CLI), args);
    p.waitForFinished(120000);
    return Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
}

// The CLI with its stdout and stderr on a terminal: util-linux's script(1) runs
// it on a pty and copies what the terminal received to our stdout.
Run cliOnTerminal(const QStringList &args)
{
    QStringList quoted{QStringLiteral(ERRORDECK_CLI)};
    quoted << args;
    for (QString &a : quoted)
        a = QLatin1Char('\'') + a.replace(QLatin1Char('\''), QStringLiteral("'\\''")) + QLatin1Char('\'');
    QProcess p;
    p.start(QStringLiteral("script"), {QStringLiteral("-qec"), quoted.join(QLatin1Char(' ')), QStringLiteral("/dev/null")});
    p.closeWriteChannel();
    p.waitForFinished(120000);
    return Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
}

// What bash completion offers for a command line (its last word is the one completed).
QStringList completions(const QStringList &words, const QString &workingDir)
{
    // The source tree's root is bench's parent.
    const QString script = QDir(QStringLiteral(ERRORDECK_BENCH_DIR)).filePath(QStringLiteral("../packaging/errordeck-cli.bash"));
    QProcess p;
    p.setWorkingDirectory(workingDir);
    p.start(QStringLiteral("bash"),
            QStringList{QStringLiteral("--norc"), QStringLiteral("-c"),
                        QStringLiteral("source \"$0\" || exit 3; COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); _errordeck_cli; "
                                       "printf '%s\\n' \"${COMPREPLY[@]}\""),
                        script, QStringLiteral(ERRORDECK_CLI)} +
                words);
    p.waitForFinished(60000);
    if (p.exitCode() != 0)
        qWarning() << "bash:" << p.readAllStandardError();
    return QString::fromUtf8(p.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

// No byte of a terminal control sequence: ESC, BEL, CR, and C1's CSI and OSC in UTF-8.
bool hasTerminalControls(const QByteArray &text)
{
    return text.contains('\x1b') || text.contains('\a') || text.contains('\r') || text.contains("\xc2\x9b") ||
           text.contains("\xc2\x9d");
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
        const Run r = cli({QStringLiteral("import"), QStringLiteral("--json"), QStringLiteral("--no-resume"),
                           QStringLiteral("--db"), m_db, corpus(QStringLiteral("records.jsonl"))});
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
        QVERIFY(rows.first().toObject().value(QStringLiteral("timestamp")).toString() >=
                rows.last().toObject().value(QStringLiteral("timestamp")).toString());
    }

    void listTableAndLimit()
    {
        const Run r = cli({QStringLiteral("list"), QStringLiteral("--limit"), QStringLiteral("3"), QStringLiteral("--db"), m_db});
        QCOMPARE(r.code, 0);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 4); // header and three rows
        QVERIFY(lines[0].startsWith("ID"));
        const Run bad = cli(
            {QStringLiteral("list"), QStringLiteral("--db"), m_db, QStringLiteral("--query"), QStringLiteral("level:loud")});
        QCOMPARE(bad.code, 2); // a search that does not parse
        QVERIFY(bad.err.contains("unknown level"));
    }

    // --utc / --local (else ERRORDECK_TIME_ZONE, else UTC): the zone times are
    // shown in, named, and the zone --query reads after:/before: in. Run in
    // New York, where e1 (12:00 UTC) is 07:00 EST.
    void timeZones()
    {
        const QString db = m_dir.filePath(QStringLiteral("zones.sqlite3"));
        const QString file = m_dir.filePath(QStringLiteral("zones.jsonl"));
        writeFile(file, "{\"event_id\":\"e1\",\"timestamp\":\"2026-11-20T12:00:00Z\",\"level\":\"ERROR\",\"message\":\"noon\"}\n"
                        "{\"event_id\":\"e2\",\"timestamp\":\"2026-11-20T18:00:00Z\",\"level\":\"ERROR\",\"message\":\"six\"}\n");
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TZ"), QStringLiteral("America/New_York"));
        QCOMPARE(cli({QStringLiteral("import"), QStringLiteral("--db"), db, file}, env).code, 0);
        const auto list = [&](const QStringList &extra) {
            return cli(QStringList{QStringLiteral("list"), QStringLiteral("--db"), db} + extra, env);
        };
        const auto events = [&](const QStringList &extra) {
            const Run r = list(QStringList{QStringLiteral("--json")} + extra);
            QStringList out;
            for (const QJsonValue v : QJsonDocument::fromJson(r.out).array())
                out << v.toObject().value(QStringLiteral("event_id")).toString();
            out.sort();
            return r.code == 0 ? out.join(u' ') : QStringLiteral("exit %1: %2").arg(r.code).arg(QString::fromUtf8(r.err));
        };
        // Shown: UTC by default, local with --local, always named.
        Run r = list({});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("2026-11-20 12:00:00 UTC"), r.out.constData());
        r = list({QStringLiteral("--local")});
        QVERIFY2(r.out.contains("2026-11-20 07:00:00 EST"), r.out.constData());
        QVERIFY2(r.out.contains("2026-11-20 13:00:00 EST"), r.out.constData());
        r = cli({QStringLiteral("show"), QStringLiteral("--db"), db, QStringLiteral("--local"), QStringLiteral("e1")}, env);
        QVERIFY2(r.out.contains("Time:      2026-11-20 07:00:00 EST  (2026-11-20T12:00:00.000"), r.out.constData());
        r = cli({QStringLiteral("stats"), QStringLiteral("--db"), db, QStringLiteral("--local")}, env);
        QVERIFY2(r.out.contains("Period:    2026-11-20 07:00:00 EST to 2026-11-20 13:00:00 EST"), r.out.constData());
        // Read: a time without a zone is in the zone shown; Z and offsets are their own.
        const QString afterSeven = QStringLiteral("after:2026-11-20T07:01");
        QCOMPARE(events({QStringLiteral("--query"), afterSeven}), QStringLiteral("e1 e2"));
        QCOMPARE(events({QStringLiteral("--utc"), QStringLiteral("--query"), afterSeven}), QStringLiteral("e1 e2"));
        QCOMPARE(events({QStringLiteral("--local"), QStringLiteral("--query"), afterSeven}), QStringLiteral("e2"));
        QCOMPARE(events({QStringLiteral("--local"), QStringLiteral("--query"), QStringLiteral("after:2026-11-20T11:59Z")}),
                 QStringLiteral("e1 e2"));
        QCOMPARE(events({QStringLiteral("--utc"), QStringLiteral("--query"), QStringLiteral("before:2026-11-20T08:00-05:00")}),
                 QStringLiteral("e1"));
        QCOMPARE(events({QStringLiteral("--local"), QStringLiteral("--query"), QStringLiteral("before:2026-11-21")}),
                 QStringLiteral("e1 e2"));
        QCOMPARE(events({QStringLiteral("--utc"), QStringLiteral("--query"), QStringLiteral("after:2026-11-20T13:00")}),
                 QStringLiteral("e2"));
        // The setting, when the database has one, is the default; the options still win.
        QCOMPARE(cli({QStringLiteral("config"), QStringLiteral("--db"), db, QStringLiteral("set"),
                      QStringLiteral("ERRORDECK_TIME_ZONE"), QStringLiteral("\"local\"")},
                     env)
                     .code,
                 0);
        QVERIFY2(list({}).out.contains("2026-11-20 07:00:00 EST"), list({}).out.constData());
        QCOMPARE(events({QStringLiteral("--query"), afterSeven}), QStringLiteral("e2"));
        QCOMPARE(events({QStringLiteral("--utc"), QStringLiteral("--query"), afterSeven}), QStringLiteral("e1 e2"));
        QVERIFY(list({QStringLiteral("--utc")}).out.contains("2026-11-20 12:00:00 UTC"));
        r = cli({QStringLiteral("config"), QStringLiteral("--db"), db, QStringLiteral("set"),
                 QStringLiteral("ERRORDECK_TIME_ZONE"), QStringLiteral("\"mars\"")},
                env);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("must be \"local\" or \"utc\""), r.err.constData());
        // Both at once is a usage error.
        r = list({QStringLiteral("--utc"), QStringLiteral("--local")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("--utc and --local"), r.err.constData());
    }

    // A --query that does not parse: the error on stderr with its column and
    // suggestion, nothing on stdout, exit status 2.
    void badSearchExitsTwo()
    {
        for (const char *command : {"list", "issues"}) {
            const Run r = cli({QLatin1String(command), QStringLiteral("--db"), m_db, QStringLiteral("--query"),
                               QStringLiteral("level:error staus:500")});
            QCOMPARE(r.code, 2);
            QVERIFY(r.out.isEmpty());
            QVERIFY2(r.err.contains("column 13: unknown field 'staus'"), r.err.constData());
            QVERIFY2(r.err.contains("did you mean status:?"), r.err.constData());
        }
        Run r = cli(
            {QStringLiteral("list"), QStringLiteral("--db"), m_db, QStringLiteral("--query"), QStringLiteral("(level:error")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("'(' is not closed"), r.err.constData());
        r = cli({QStringLiteral("list"), QStringLiteral("--db"), m_db, QStringLiteral("--query"), QStringLiteral("foo:bar")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("unknown field 'foo'"), r.err.constData());
        // A good one with OR, relative dates and message: works.
        r = cli({QStringLiteral("list"), QStringLiteral("--db"), m_db, QStringLiteral("--query"),
                 QStringLiteral("(type:keyerror OR message:\"division by zero\") before:today"), QStringLiteral("--json"),
                 QStringLiteral("--limit"), QStringLiteral("0")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(QJsonDocument::fromJson(r.out).array().size() > 0);
    }

    void showByIdAndEventId()
    {
        const QJsonObject first = corpusRecords().first();
        const QString eventId = first.value(QStringLiteral("event_id")).toString();
        Run r = cli({QStringLiteral("show"), QStringLiteral("--json"), QStringLiteral("--db"), m_db, eventId});
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("event_id")).toString(), eventId);
        QCOMPARE(o.value(QStringLiteral("record")).toObject().value(QStringLiteral("exception")),
                 first.value(QStringLiteral("exception")));
        r = cli({QStringLiteral("show"), QStringLiteral("--db"), m_db, QString::number(o.value(QStringLiteral("id")).toInt())});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("Traceback (most recent call last):"));
        QVERIFY(r.out.contains("ZeroDivisionError: division by zero"));
        r = cli({QStringLiteral("show"), QStringLiteral("--db"), m_db, QStringLiteral("999999")});
        QCOMPARE(r.code, 1);
    }

    void chainedTracebackInDjangoOrder()
    {
        const Run list = cli({QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--db"), m_db,
                              QStringLiteral("--query"), QStringLiteral("path:/payments/charge/"), QStringLiteral("--limit"),
                              QStringLiteral("1")});
        const int id = QJsonDocument::fromJson(list.out).array().first().toObject().value(QStringLiteral("id")).toInt();
        const Run r = cli({QStringLiteral("show"), QStringLiteral("--db"), m_db, QString::number(id)});
        // Django's words (technical_500.txt), as the error e-mail has them.
        QVERIFY2(r.out.contains(") was the direct cause of the following exception:\n"), r.out.constData());
        QVERIFY2(r.out.contains("\nThe above exception ("), r.out.constData());
        // The cause first, the exception raised last at the end.
        QVERIFY(
            r.out.lastIndexOf("Exception Type: RuntimeError at /payments/charge/\nException Value: payment gateway failed\n") >
            r.out.indexOf("direct cause"));
    }

    // show's traceback is the error e-mail's, to the byte: both come from
    // send/DjangoRenderer (tst_compose holds the e-mail to Django's own).
    void showTracebackIsTheMailsTraceback()
    {
        auto db = ed::Database::open(m_db, true);
        QVERIFY(db);
        int compared = 0;
        for (const char *path : {"/payments/charge/", "/orders/597/total/"}) {
            const Run list = cli({QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--db"), m_db,
                                  QStringLiteral("--query"), QStringLiteral("path:") + QLatin1String(path),
                                  QStringLiteral("--limit"), QStringLiteral("1")});
            const int id = QJsonDocument::fromJson(list.out).array().first().toObject().value(QStringLiteral("id")).toInt();
            QVERIFY2(id > 0, path);
            const Run r = cli({QStringLiteral("show"), QStringLiteral("--db"), m_db, QString::number(id)});
            QCOMPARE(r.code, 0);
            const qsizetype at = r.out.indexOf("\nTraceback (most recent call last):\n");
            QVERIFY2(at >= 0, r.out.constData());
            const QString shown = QString::fromUtf8(r.out.mid(at + 1));
            auto draft = ed::ReportMailer(*db).draftForReport(id, ed::MailAudience::Admins);
            QVERIFY(draft);
            // In the e-mail: after the installed middleware, before the request information.
            QVERIFY2(draft->text.contains(QStringLiteral("\n\n") + shown + QStringLiteral("Request information:\n")),
                     qPrintable(shown + QStringLiteral("\n----\n") + draft->text));
            ++compared;
        }
        QCOMPARE(compared, 2);
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
        r = cli({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("--db"), m_db, QStringLiteral("EMAIL_PORT"),
                 QStringLiteral("587")});
        QCOMPARE(r.code, 0);
        r = cli({QStringLiteral("config"), QStringLiteral("get"), QStringLiteral("--db"), m_db, QStringLiteral("EMAIL_PORT")});
        QCOMPARE(r.out.trimmed(), QByteArray("587"));
        r = cli({QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("--db"), m_db, QStringLiteral("NO_SUCH_SETTING"),
                 QStringLiteral("1")});
        QCOMPARE(r.code, 1);
    }

    // Issue 11: global options before the command, as with git or docker.
    void globalOptionsBeforeTheCommand()
    {
        Run r = cli({QStringLiteral("--db"), m_db, QStringLiteral("stats"), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("database")).toString(), m_db);
        r = cli({QStringLiteral("--verbose"), QStringLiteral("--db=") + m_db, QStringLiteral("list"), QStringLiteral("--limit"),
                 QStringLiteral("2"), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 2);
        r = cli({QStringLiteral("--frobnicate"), QStringLiteral("list")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("unknown option '--frobnicate'"), r.err.constData());
        r = cli({QStringLiteral("--db")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("--db needs a database file"), r.err.constData());
    }

    void helpUsageAndVersion()
    {
        Run r = cli({QStringLiteral("--help")});
        QCOMPARE(r.code, 0);
        // Every summary starts in the same column, two spaces at least after the longest name.
        const QRegularExpression commandLine(QStringLiteral("^  ([a-z][a-z-]*)( +)\\S"));
        QSet<qsizetype> columns;
        QStringList names;
        for (const QByteArray &line : r.out.split('\n')) {
            const auto m = commandLine.match(QString::fromUtf8(line));
            if (m.hasMatch()) {
                names << m.captured(1);
                columns << m.capturedEnd(2);
                QVERIFY2(m.capturedLength(2) >= 2, line.constData());
            }
        }
        QVERIFY2(names.contains(QStringLiteral("test-email")) && names.contains(QStringLiteral("list")), r.out.constData());
        QCOMPARE(columns.size(), 1);
        r = cli({QStringLiteral("--version")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QByteArray("errordeck-cli " ERRORDECK_VERSION "\n"));
        // Each command's usage names the program and the command, not the path it was started by.
        for (const char *command : {"issues", "list", "import", "config"}) {
            r = cli({QString::fromLatin1(command), QStringLiteral("--help")});
            QCOMPARE(r.code, 0);
            QVERIFY2(r.out.startsWith(QByteArray("Usage: errordeck-cli ") + command + " [options]"), r.out.constData());
        }
        r = cli({QStringLiteral("help"), QStringLiteral("show")});
        QVERIFY2(r.out.startsWith("Usage: errordeck-cli show [options]"), r.out.constData());
    }

    void numericOptionsAreChecked()
    {
        const QList<QStringList> bad = {
            {QStringLiteral("issues"), QStringLiteral("--limit"), QStringLiteral("x")},
            {QStringLiteral("issues"), QStringLiteral("--limit"), QStringLiteral("-5")},
            {QStringLiteral("list"), QStringLiteral("--limit"), QStringLiteral("10x")},
            {QStringLiteral("sendlog"), QStringLiteral("--limit"), QStringLiteral("many")},
            {QStringLiteral("sendlog"), QStringLiteral("--report"), QStringLiteral("abc")},
            {QStringLiteral("rules"), QStringLiteral("test"), QStringLiteral("/x"), QStringLiteral("--status"),
             QStringLiteral("abc")},
        };
        for (QStringList args : bad) {
            const QString option = args[args.size() - 2];
            args << QStringLiteral("--db") << m_db;
            const Run r = cli(args);
            QCOMPARE(r.code, 1);
            QVERIFY2(
                r.err.contains(QStringLiteral("errordeck-cli %1: %2 takes a whole number from").arg(args[0], option).toUtf8()),
                r.err.constData());
            QVERIFY2(r.out.isEmpty(), r.out.constData());
        }
        // --limit 0 is every one: all 99 reports, not the 50 of the default.
        Run r = cli({QStringLiteral("list"), QStringLiteral("--all"), QStringLiteral("--json"), QStringLiteral("--limit"),
                     QStringLiteral("0"), QStringLiteral("--db"), m_db});
        QCOMPARE(r.code, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 99);
        r = cli({QStringLiteral("list"), QStringLiteral("--all"), QStringLiteral("--json"), QStringLiteral("--db"), m_db});
        QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 50);
    }

    // A URL is never taken for a file path: no folders named after it (password
    // included), no database inside them, and the message does not repeat the
    // password. A PostgreSQL URL is a server to connect to (here none answers).
    void databaseUrlsAreRefused()
    {
        struct Case {
            QString value;
            const char *message;
            bool namesSource; // the message says which of --db and ERRORDECK_DB was wrong
        };
        const QList<Case> cases = {
            {QStringLiteral("postgresql://ops:hunter2@127.0.0.1:1/errors"),
             "cannot connect to PostgreSQL at 127.0.0.1:1/errors", false},
            {QStringLiteral("postgres://ops:hunter2@127.0.0.1:1/errors?sslmode=require"),
             "cannot connect to PostgreSQL at 127.0.0.1:1/errors", false},
            {QStringLiteral("mysql://ops:hunter2@db.example.com/errors"), "unknown URL scheme 'mysql:'", true},
            {QStringLiteral("sqlite:///errors.sqlite3"), "unknown URL scheme 'sqlite:'", true},
            {QStringLiteral("postgresql://127.0.0.1:1/errors?password=hunter2"),
             "cannot connect to PostgreSQL at 127.0.0.1:1/errors", false},
        };
        for (const Case &c : cases) {
            QTemporaryDir cwd, home;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("HOME"), home.path()); // the log goes here, and the default database were it used
            Run r = cli({QStringLiteral("--db"), c.value, QStringLiteral("list")}, env, cwd.path());
            QCOMPARE(r.code, 1);
            QVERIFY2(r.err.contains(c.message) && (!c.namesSource || r.err.contains("--db")), r.err.constData());
            QVERIFY2(!r.err.contains("hunter2"), r.err.constData());
            env.insert(QStringLiteral("ERRORDECK_DB"), c.value);
            r = cli({QStringLiteral("import"), corpus(QStringLiteral("records.jsonl"))}, env, cwd.path());
            QCOMPARE(r.code, 1);
            QVERIFY2(r.err.contains(c.message) && (!c.namesSource || r.err.contains("ERRORDECK_DB")), r.err.constData());
            QVERIFY2(!r.err.contains("hunter2"), r.err.constData());
            QCOMPARE(QDir(cwd.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), QStringList());
            QDirIterator it(home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString file = it.next();
                QVERIFY2(!file.contains(QLatin1String("hunter2")) && !file.endsWith(QLatin1String(".sqlite3")), qPrintable(file));
                QFile f(file);
                QVERIFY(f.open(QIODevice::ReadOnly));
                QVERIFY2(!f.readAll().contains("hunter2"), qPrintable(file));
            }
        }
        // file: URLs and plain paths are files.
        for (const QString &value : {QStringLiteral("file:") + m_db, QUrl::fromLocalFile(m_db).toString()}) {
            const Run r = cli({QStringLiteral("stats"), QStringLiteral("--json"), QStringLiteral("--db"), value});
            QVERIFY2(r.code == 0, r.err.constData());
            QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("database")).toString(), m_db);
        }
    }

    // Issue 10: escape sequences from reports and file names never reach the
    // terminal raw; JSON keeps them exactly.
    void controlCharactersAreReplaced()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("esc.sqlite3"));
        const QString sample = QStringLiteral(ERRORDECK_TEST_DATA "/hostile/esc.jsonl");
        // A file name with a newline and an escape, and a line that is rejected: its reason quotes the file.
        const QString badName = dir.filePath(QStringLiteral("bad\nname\x1b[2J.jsonl"));
        writeFile(badName, "{not json\x1b]0;title\x07\n");
        Run r = cli({QStringLiteral("--db"), db, QStringLiteral("import"), sample, badName});
        QCOMPARE(r.code, 2);
        QVERIFY2(!hasTerminalControls(r.err) && !hasTerminalControls(r.out), r.err.constData());
        const QByteArray shownName = QStringLiteral("bad\u240Aname\u241B[2J.jsonl:1: ").toUtf8();
        QVERIFY2(r.err.contains(shownName), r.err.constData());

        const QByteArray visibleEsc = QStringLiteral("\u241B[31m").toUtf8(); // the logger's ESC [31m, shown as ␛[31m
        const QList<QStringList> views = {
            {QStringLiteral("list"), QStringLiteral("--all")},
            {QStringLiteral("show"), QStringLiteral("esc1")},
            {QStringLiteral("issues"), QStringLiteral("--all")},
            {QStringLiteral("stats")},
        };
        for (QStringList args : views) {
            args << QStringLiteral("--db") << db;
            r = cli(args);
            QCOMPARE(r.code, 0);
            QVERIFY2(!hasTerminalControls(r.out),
                     (args.first() + QStringLiteral(": ") + QString::fromUtf8(r.out)).toUtf8().constData());
            QVERIFY2(r.out.contains(args.first() == QLatin1String("list") || args.first() == QLatin1String("issues")
                                        ? QStringLiteral("E\u241B[5m").toUtf8()
                                        : visibleEsc),
                     r.out.constData());
        }
        // show's message keeps its own line break (CRLF shown as a newline).
        r = cli({QStringLiteral("show"), QStringLiteral("esc1"), QStringLiteral("--db"), db});
        QVERIFY2(r.out.contains(" fake output\nline2 "), r.out.constData());

        // JSON is exact.
        r = cli({QStringLiteral("show"), QStringLiteral("esc1"), QStringLiteral("--json"), QStringLiteral("--db"), db});
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("logger")).toString(), QStringLiteral("x\x1b[31mred"));
        QCOMPARE(o.value(QStringLiteral("message")).toString(),
                 QStringLiteral("Boom \x1b]0;pwned-title\x07 \x1b[2J\x1b[H fake output\r\nline2 "
                                "\x1b]8;;http://evil.example/\x07link\x1b]8;;\x07"));
    }

    // watch names the files it imports and quotes their problems: one line each, no escapes.
    void watchShowsFileNamesSafely()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("incoming"));
        QVERIFY(QDir().mkpath(folder));
        QProcess watch;
        watch.start(QStringLiteral(ERRORDECK_CLI),
                    {QStringLiteral("--db"), dir.filePath(QStringLiteral("watch.sqlite3")), QStringLiteral("watch"),
                     QStringLiteral("--interval"), QStringLiteral("0.2"), folder});
        QVERIFY(watch.waitForStarted());
        QByteArray err;
        QDeadlineTimer deadline(60000);
        while (!err.contains("Ctrl+C") && !deadline.hasExpired() && watch.waitForReadyRead(1000))
            err += watch.readAllStandardError();
        err += watch.readAllStandardError();
        QVERIFY2(err.contains("Ctrl+C"), err.constData());
        writeFile(folder + QStringLiteral("/new\x1b[2Jline\n.jsonl"),
                  "{\"timestamp\":\"2026-11-01T00:00:00Z\",\"level\":\"ERROR\",\"message\":\"fine\"}\nnot json\x1b]0;t\x07\n");
        QByteArray out;
        while (!(out.contains("1 stored") && err.contains(":2: ")) && !deadline.hasExpired()) {
            watch.waitForReadyRead(500);
            out += watch.readAllStandardOutput();
            err += watch.readAllStandardError();
        }
        watch.terminate();
        QVERIFY(watch.waitForFinished(30000));
        out += watch.readAllStandardOutput();
        err += watch.readAllStandardError();
        QVERIFY2(out.contains(QStringLiteral("(new\u241B[2Jline\u240A.jsonl)").toUtf8()), out.constData());
        QVERIFY2(err.contains(QStringLiteral("new\u241B[2Jline\u240A.jsonl:2: ").toUtf8()), err.constData());
        QVERIFY2(!hasTerminalControls(out) && !hasTerminalControls(err), (out + err).constData());
    }

    // The replacement itself, and through the device a UTF-8 character cut in two by the writes.
    void terminalSafeText()
    {
        const QString hostile = QStringLiteral("a\u202Eb\u0080c\u009Bd\x7f\x1b\x07 \u05D0\u200F\t\n");
        QCOMPARE(ed::cli::terminalSafe(hostile), QStringLiteral("a\uFFFDb\uFFFDc\uFFFDd\u2421\u241B\u2407 \u05D0\u200F\t\n"));
        QCOMPARE(ed::cli::oneLine(QStringLiteral("x\ty\nz\r")), QStringLiteral("x\u2409y\u240Az\u240D"));
        // A CRLF is a line end; a lone CR would let the rest overwrite the line.
        QCOMPARE(ed::cli::terminalSafe(QStringLiteral("a\r\nb\rc\r")), QStringLiteral("a\nb\u240Dc\u240D"));
        QCOMPARE(ed::cli::oneLine(QStringLiteral("a\r\nb")), QStringLiteral("a\u240D\u240Ab"));
        QBuffer target;
        target.open(QIODevice::WriteOnly);
        {
            ed::cli::TerminalSafeDevice device(&target);
            const QByteArray bytes = QStringLiteral("\u00E9\x1b[2J\u20AC\u009Bx\r\ny\rz\r").toUtf8(); // é ESC [2J € CSI ...
            for (qsizetype i = 0; i < bytes.size(); ++i)
                QCOMPARE(device.write(bytes.constData() + i, 1), qint64(1));
        }
        QCOMPARE(QString::fromUtf8(target.data()), QStringLiteral("\u00E9\u241B[2J\u20AC\uFFFDx\ny\u240Dz\u240D"));
    }

    // show --raw is the original e-mail byte for byte into a pipe, and safe on a terminal.
    void rawOutputExactInPipesSafeOnTerminals()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("raw.sqlite3"));
        QFile eml(corpus(QStringLiteral("eml/report-00.eml")));
        QVERIFY(eml.open(QIODevice::ReadOnly));
        QByteArray text = eml.readAll();
        const QByteArray header = "X-Note: \x1b[31mred\x1b[0m\n";
        text.replace("\nSubject: ", "\n" + header + "Subject: ");
        QVERIFY(text.contains(header));
        const QString mail = dir.filePath(QStringLiteral("esc.eml"));
        writeFile(mail, text);
        Run r = cli({QStringLiteral("--db"), db, QStringLiteral("import"), mail});
        QVERIFY2(r.code == 0, r.err.constData());
        r = cli({QStringLiteral("--db"), db, QStringLiteral("show"), QStringLiteral("--raw"), QStringLiteral("1")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(header), r.out.constData());
        r = cliOnTerminal({QStringLiteral("--db"), db, QStringLiteral("show"), QStringLiteral("--raw"), QStringLiteral("1")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(QStringLiteral("X-Note: \u241B[31mred\u241B[0m").toUtf8()), r.out.constData());
        QVERIFY2(!r.out.contains('\x1b'), r.out.constData());
    }

    void bashCompletion()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("reports.jsonl")), "");
        QCOMPARE(completions({QStringLiteral("li")}, dir.path()), QStringList{QStringLiteral("list")});
        QCOMPARE(completions({QStringLiteral("test-e")}, dir.path()), QStringList{QStringLiteral("test-email")});
        const QStringList all = completions({QString()}, dir.path());
        for (const char *command : {"import", "watch", "list", "show", "issues", "stats", "config", "rules", "sendlog"})
            QVERIFY2(all.contains(QLatin1String(command)), qPrintable(all.join(u' ')));
        // After global options; options of the command; files where files go.
        QCOMPARE(completions({QStringLiteral("--db"), QStringLiteral("x.db"), QStringLiteral("iss")}, dir.path()),
                 QStringList{QStringLiteral("issues")});
        QCOMPARE(completions({QStringLiteral("list"), QStringLiteral("--li")}, dir.path()),
                 QStringList{QStringLiteral("--limit")});
        QVERIFY(
            completions({QStringLiteral("import"), QStringLiteral("--")}, dir.path()).contains(QStringLiteral("--no-resume")));
        QCOMPARE(completions({QStringLiteral("import"), QStringLiteral("rep")}, dir.path()),
                 QStringList{QStringLiteral("reports.jsonl")});
        QCOMPARE(completions({QStringLiteral("--db"), QStringLiteral("rep")}, dir.path()),
                 QStringList{QStringLiteral("reports.jsonl")});
        QCOMPARE(completions({QStringLiteral("--ver")}, dir.path()),
                 (QStringList{QStringLiteral("--verbose"), QStringLiteral("--version")}));
        QCOMPARE(completions({QStringLiteral("rules"), QStringLiteral("a")}, dir.path()),
                 (QStringList{QStringLiteral("add"), QStringLiteral("apply")}));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
