#include "look/Format.h"

#include <QCoreApplication>
#include <QDateTime>
#include <iterator>
#include <QLocale>

namespace ed::fmt {

namespace {
// Read and written on the UI thread only (models' data(), the main window).
DisplayZone g_zone = DisplayZone::Local;
} // namespace

void setZone(DisplayZone zone) { g_zone = zone; }
DisplayZone zone() { return g_zone; }

QString time(int64_t ms) { return formatDisplayTime(ms, g_zone); }

QString age(int64_t ms, int64_t nowMs)
{
    const int64_t s = (nowMs - ms) / 1000;
    if (s < 60)
        return QCoreApplication::translate("Format", "just now");
    if (s < 3600)
        return QCoreApplication::translate("Format", "%n min ago", nullptr, int(s / 60));
    if (s < 86400)
        return QCoreApplication::translate("Format", "%n h ago", nullptr, int(s / 3600));
    if (s < 86400 * 30)
        return QCoreApplication::translate("Format", "%n day(s) ago", nullptr, int(s / 86400));
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms);
    return (g_zone == DisplayZone::Utc ? t.toUTC() : t.toLocalTime()).toString(QStringLiteral("yyyy-MM-dd"));
}

QString reportTitle(const ReportRow &r)
{
    if (r.exceptionType.isEmpty())
        return r.message;
    return r.exceptionValue.isEmpty() ? r.exceptionType : r.exceptionType + QStringLiteral(": ") + r.exceptionValue;
}

QString issueStatusName(IssueStatus s, bool regression)
{
    switch (s) {
    case IssueStatus::Resolved: return QCoreApplication::translate("Format", "Resolved");
    case IssueStatus::Ignored: return QCoreApplication::translate("Format", "Ignored");
    case IssueStatus::Unresolved: break;
    }
    return regression ? QCoreApplication::translate("Format", "Regressed") : QCoreApplication::translate("Format", "Unresolved");
}

QString bytes(int64_t n)
{
    const QLocale locale;
    if (n < 1000)
        return QCoreApplication::translate("Format", "%n byte(s)", nullptr, int(n));
    const char *units[] = {"KB", "MB", "GB", "TB"};
    double v = double(n) / 1000;
    size_t unit = 0;
    while (v >= 999.95 && unit + 1 < std::size(units)) {
        v /= 1000;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(locale.toString(v, 'f', v < 100 ? 1 : 0), QString::fromLatin1(units[unit]));
}

QString seconds(double s)
{
    const QLocale locale;
    if (s < 0.01)
        return QStringLiteral("< %1 s").arg(locale.toString(0.01, 'f', 2));
    if (s < 60) // two significant figures: 0.042 s, 2.3 s, 42 s
        return QStringLiteral("%1 s").arg(locale.toString(s, 'g', 2));
    const auto total = int64_t(s + 0.5);
    return QStringLiteral("%1 min %2 s").arg(total / 60).arg(total % 60);
}

} // namespace ed::fmt
