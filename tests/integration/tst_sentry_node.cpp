// @sentry/node, the real npm package (tests/integration/node: package.json and
// its lock, installed by `./dev.sh test` with `npm ci`), reporting to
// `errordeck-cli serve`: a chained error (new Error('outer', {cause: inner}))
// and a warning message, as stored, and none of the app's secrets on disk.
#include "ServeFixture.h"
#include "SecretScanner.h"
#include "TestSupport.h"

#include "store/ReportStore.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

#include <csignal>

using namespace edtest;
using namespace ed;

namespace {

constexpr int kTimeoutMs = 120000; // a loaded 2-core machine
const QString kNodeDir = QStringLiteral(ERRORDECK_TESTS_DIR "/integration/node");

} // namespace

class TestSentryNode : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chainedErrorAndMessage()
    {
        const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
        QVERIFY2(!node.isEmpty(), "no node on PATH: ./dev.sh test installs Debian's nodejs");
        QVERIFY2(
            QFileInfo::exists(kNodeDir + QStringLiteral("/node_modules/@sentry/node/package.json")),
            qPrintable(QStringLiteral("@sentry/node is not installed: run `npm ci` in %1 (./dev.sh test does)").arg(kNodeDir)));

        QTemporaryDir dir;
        const QString dbPath = dir.filePath(QStringLiteral("node.sqlite3"));
        QProcess serve;
        const edtest::ServeStarted started = edtest::startServe(serve, dbPath, kTimeoutMs);
        QVERIFY2(started.error.isEmpty(), qPrintable(started.error));
        const QString dsn = started.dsn;
        QDeadlineTimer deadline(kTimeoutMs);

        QProcess client;
        client.setWorkingDirectory(kNodeDir);
        client.start(node, {kNodeDir + QStringLiteral("/node_client.js"), dsn});
        QVERIFY(client.waitForFinished(kTimeoutMs));
        const QByteArray clientErr = client.readAllStandardError();
        QVERIFY2(client.exitStatus() == QProcess::NormalExit && client.exitCode() == 0, clientErr.constData());
        QVERIFY2(client.readAllStandardOutput().contains("flushed"), clientErr.constData());

        // The error and the message: two stored (the sessions are counted, not stored).
        QByteArray served;
        while (served.count("stored report") < 2 && !deadline.hasExpired()) {
            serve.waitForReadyRead(1000);
            served += serve.readAllStandardOutput();
        }
        QCOMPARE(served.count("stored report"), 2);
        ::kill(pid_t(serve.processId()), SIGTERM);
        QVERIFY(serve.waitForFinished(kTimeoutMs));
        QCOMPARE(serve.exitCode(), 0);

        auto db = Database::open(dbPath);
        QVERIFY(db);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports"), int64_t(2));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM issues"), int64_t(2));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM issues WHERE title = 'Error: outer'"), int64_t(1));

        ReportStore store(*db);
        auto error = store.loadReport(scalar(*db, "SELECT id FROM reports WHERE exception_type = 'Error'"));
        QVERIFY(error);
        const Report &r = error->report;
        QCOMPARE(r.level, QStringLiteral("ERROR"));
        QCOMPARE(r.site, QStringLiteral("1"));
        QCOMPARE(entryText(r.extra, u"release"), QStringLiteral("shop-node@1.2.3"));
        // The chain, the root cause first: parseOrder's TypeError, then the Error it caused.
        const std::vector<const ExceptionInfo *> chain = r.chainRootFirst();
        QCOMPARE(chain.size(), size_t(2));
        QCOMPARE(chain[0]->type, QStringLiteral("TypeError"));
        QCOMPARE(chain[0]->value, QStringLiteral("not an order number: x42"));
        QCOMPARE(chain[1]->type, QStringLiteral("Error"));
        QCOMPARE(chain[1]->value, QStringLiteral("outer"));
        // Frames oldest call first: node's loader, then the script's own, in_app, with its source line.
        const Frame &thrown = chain[0]->frames.back();
        QCOMPARE(thrown.function, QStringLiteral("parseOrder"));
        QVERIFY(thrown.inApp);
        QVERIFY2(thrown.filename.endsWith(QLatin1String("tests/integration/node/node_client.js")), qPrintable(thrown.filename));
        QCOMPARE(thrown.contextLine.value_or(QString()).trimmed(),
                 QStringLiteral("if (Number.isNaN(n)) throw new TypeError(`not an order number: ${raw}`);"));
        QCOMPARE(chain[0]->frames[chain[0]->frames.size() - 2].function, QStringLiteral("loadOrder"));
        const Frame &outer = chain[1]->frames.back();
        QCOMPARE(outer.function, QStringLiteral("loadOrder"));
        QCOMPARE(outer.contextLine.value_or(QString()).trimmed(), QStringLiteral("throw new Error('outer', { cause: inner });"));
        QVERIFY(!chain[1]->frames.front().inApp); // node:internal's loader: not the app's code
        QVERIFY(r.request);
        QCOMPARE(r.request->method, QStringLiteral("POST"));

        // The message: its level and text, an issue of its own.
        auto message = store.loadReport(scalar(*db, "SELECT id FROM reports WHERE exception_type IS NULL"));
        QVERIFY(message);
        QCOMPARE(message->report.level, QStringLiteral("WARNING"));
        QCOMPARE(message->report.message, QStringLiteral("stock low for order 42"));
        QVERIFY(message->report.exceptions.empty());
        QVERIFY(scalar(*db, "SELECT count(DISTINCT issue_id) FROM reports") == 2);
        QVERIFY(db->close());

        // The password extra, the Authorization header and the session cookie: not on disk.
        const SecretScanner::Report rep = SecretScanner({QStringLiteral("hunter2-node-pw-4e5f"),
                                                         QStringLiteral("tok-node-6a7b8c9d"),
                                                         QStringLiteral("sess-node-11cc22dd")})
                                              .scan(dbPath);
        QVERIFY(rep.values > 0);
        QVERIFY2(rep.found.isEmpty(), qPrintable(rep.found.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestSentryNode)
#include "tst_sentry_node.moc"
