#pragma once
// What the alert tests (tst_alerts, tst_alert_cap) share: errordeck-cli run
// with the clock the test sets (ERRORDECK_NOW), and times written as the CLI
// reads them.
#include <QDateTime>
#include <QProcess>
#include <QStringList>
#include <QTimeZone>
#include <cstdint>

namespace edtest {

constexpr int64_t kMinute = 60'000;

struct CliRun {
    int code = -1; // -1: it crashed or did not finish
    QString out, err;
};

inline CliRun cliAt(const QStringList &args, int64_t now)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ERRORDECK_NOW"), QString::number(now));
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(ERRORDECK_CLI), args);
    p.waitForFinished(60000);
    return CliRun{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
                  QString::fromUtf8(p.readAllStandardError())};
}

inline QString iso(int64_t ms) { return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODateWithMs); }

} // namespace edtest
