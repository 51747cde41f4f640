#include "look/Format.h"

#include <QCoreApplication>
#include <QDateTime>

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

} // namespace ed::fmt
