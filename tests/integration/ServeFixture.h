#pragma once
// `errordeck-cli serve` started by a test, as a user starts it: a database, a
// free loopback port; the DSN read from its first line. The caller sets the
// process's environment first if it needs one, and stops it (SIGTERM) itself.
// ERRORDECK_CLI comes from the test's own compile definitions (tests/CMakeLists.txt).
#include <QDeadlineTimer>
#include <QLatin1String>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace edtest {

struct ServeStarted {
    QString dsn; // "http://KEY@127.0.0.1:PORT/1"
    QString error; // empty when serve started and printed its DSN
};

inline ServeStarted startServe(QProcess &serve, const QString &dbPath, int timeoutMs)
{
    serve.start(QStringLiteral(ERRORDECK_CLI), {QStringLiteral("serve"), QStringLiteral("--db"), dbPath,
                                                QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
    if (!serve.waitForStarted())
        return {{}, QStringLiteral("serve did not start: %1").arg(serve.errorString())};
    QDeadlineTimer deadline(timeoutMs);
    while (!serve.canReadLine() && !deadline.hasExpired())
        serve.waitForReadyRead(1000);
    const QString first = QString::fromUtf8(serve.readLine()).trimmed();
    if (!first.startsWith(QLatin1String("DSN http://")))
        return {{}, QStringLiteral("serve's first line is not its DSN: '%1'").arg(first)};
    return {first.mid(4), {}};
}

} // namespace edtest
