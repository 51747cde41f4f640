#pragma once
// errordeck-cli run as a child process by a test: ERRORDECK_CLI, the path
// every test target defines (tests/CMakeLists.txt).
#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

namespace edtest {

struct CliOutput {
    int code = -1; // -1: it crashed, or did not end in time (then it was killed)
    QByteArray out, err;
    bool crashed = false; // it ended by a signal (not killed here for its time)
};

// Runs errordeck-cli with `args` in `env`, `stdinText` on its standard input
// (closed after it, so a command that reads stdin sees its end).
inline CliOutput runCliProcess(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
                               const QByteArray &stdinText = {}, int timeoutMs = 120000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(ERRORDECK_CLI), args);
    p.write(stdinText);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        return CliOutput{-1, p.readAllStandardOutput(), p.readAllStandardError()};
    }
    const bool crashed = p.exitStatus() == QProcess::CrashExit;
    return CliOutput{crashed ? -1 : p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError(), crashed};
}

} // namespace edtest
