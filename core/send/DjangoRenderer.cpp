#include "send/DjangoRenderer.h"

#include "send/PyRepr.h"

#include <QDateTime>
#include <QLocale>
#include <algorithm>

namespace ed {
namespace {

PyItems items(const Entries &entries, QString (*repr)(const QString &), bool lastOfList, bool sorted)
{
    PyItems out;
    for (const Entry &e : entries)
        out.append({e.key, repr(lastOfList ? e.value.lastText() : e.value.text())});
    // The record keeps JSON key order; Django sorts META and settings
    // (dictsort), and the other sections come in request order, which a JSON
    // object cannot keep, so key order it is.
    if (sorted)
        std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    return out;
}

DjangoFrame frameFrom(const Frame &f)
{
    DjangoFrame d;
    d.hasTraceback = true;
    d.filename = f.filename;
    d.function = f.function;
    d.module = f.module;
    d.contextLine = f.contextLine.value_or(QString());
    d.lineno = f.lineno;
    d.preContextLineno = f.preContextLineno.value_or(f.lineno - int(f.preContext.size()));
    d.preContext = f.preContext;
    d.postContext = f.postContext;
    d.inApp = f.inApp;
    for (const Entry &v : f.vars)
        d.vars.append({v.key, v.value.text()}); // already repr() strings
    return d;
}

// Django walks the cause chain from the raised exception down and then lists
// frames from the deepest cause up, marking where each exception begins.
void addFrames(DjangoReportData &data, const std::vector<ExceptionInfo> &chain)
{
    for (size_t k = chain.size(); k-- > 0;) {
        const ExceptionInfo &e = chain[k];
        const bool hasCause = k + 1 < chain.size();
        const size_t first = data.frames.size();
        if (e.frames.empty())
            data.frames.push_back(DjangoFrame{});
        for (const Frame &f : e.frames)
            data.frames.push_back(frameFrom(f));
        if (hasCause) {
            DjangoFrame &head = data.frames[first];
            head.showsCause = true;
            head.cause = chain[k + 1].value;
            head.causeExplicit = e.causeExplicit;
        }
    }
}

// The META value Django reads, else the record's own field.
QString metaOr(const Request &r, QStringView key, const QString &fallback)
{
    const Value *v = findEntry(r.meta, key);
    return v ? v->text() : fallback;
}

} // namespace

QString rfc5322Date(const QString &iso)
{
    QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(iso, Qt::ISODate);
    if (!t.isValid())
        return iso;
    const int offset = t.offsetFromUtc();
    const int mins = std::abs(offset) / 60;
    return QLocale::c().toString(t, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss ")) + QStringLiteral("%1%2%3")
                                                                                        .arg(QChar(offset < 0 ? u'-' : u'+'))
                                                                                        .arg(mins / 60, 2, 10, QLatin1Char('0'))
                                                                                        .arg(mins % 60, 2, 10, QLatin1Char('0'));
}

DjangoReportData djangoReportData(const Report &report)
{
    DjangoReportData d;
    d.hasRequest = report.request.has_value();
    if (d.hasRequest) {
        const Request &r = *report.request;
        d.pathInfo = metaOr(r, u"PATH_INFO", r.path);
        d.requestMethod = metaOr(r, u"REQUEST_METHOD", r.method);
        d.requestUrl = r.url;
        d.user = r.user;
        d.get = items(r.get, pyrepr::reprString, true, false);
        d.post = items(r.post, pyrepr::reprString, true, false);
        d.files = items(r.files, pyrepr::reprFile, true, false);
        d.cookies = items(r.cookies, pyrepr::reprString, false, false);
        d.meta = items(r.meta, pyrepr::reprMeta, false, true);
    }
    d.settings = items(report.settings, pyrepr::reprSetting, false, true);
    d.settingsModule = entryText(report.settings, u"SETTINGS_MODULE");
    d.installedApps = pyrepr::pprintSequence(entryText(report.settings, u"INSTALLED_APPS"));
    d.installedMiddleware = pyrepr::pprintSequence(entryText(report.settings, u"MIDDLEWARE"));

    d.djangoVersion = entryText(report.environment, u"django_version");
    d.pythonExecutable = entryText(report.environment, u"python_executable");
    d.pythonVersion = entryText(report.environment, u"python_version");
    d.pythonPath = entryText(report.environment, u"python_path");
    const Value *serverTime = findEntry(report.environment, u"server_time");
    d.serverTime = rfc5322Date(serverTime ? serverTime->text() : report.timestamp);

    if (const ExceptionInfo *e = report.raised()) {
        d.exceptionType = e->type;
        d.exceptionValue = e->value;
        addFrames(d, report.exceptions);
    } else {
        // AdminEmailHandler without exc_info reports (None, message, None): the
        // message is the "exception value" and its traceback is a None frame.
        d.exceptionValue = report.message;
        if (!d.exceptionValue.isEmpty())
            d.frames.push_back(DjangoFrame{});
    }
    return d;
}

QString djangoCauseSentence(const QString &cause, bool causeExplicit)
{
    return (causeExplicit ? QStringLiteral("The above exception (%1) was the direct cause of the following exception:")
                          : QStringLiteral("During handling of the above exception (%1), another exception occurred:"))
        .arg(cause);
}

QString djangoTracebackText(const DjangoReportData &d)
{
    if (d.frames.empty())
        return {};
    QString o = QStringLiteral("Traceback (most recent call last):\n");
    for (size_t i = 0; i < d.frames.size(); ++i) {
        const DjangoFrame &f = d.frames[i];
        if (f.showsCause)
            o += u'\n' + djangoCauseSentence(f.cause, f.causeExplicit) + u'\n';
        o += QStringLiteral("  ");
        if (f.hasTraceback) {
            o += QStringLiteral("File \"") + f.filename + u'"';
            if (!f.contextLine.isEmpty())
                o += QStringLiteral(", line ") + QString::number(f.lineno);
            o += QStringLiteral(", in ") + f.function + u'\n';
            if (!f.contextLine.isEmpty())
                o += QStringLiteral("    ") + f.contextLine.trimmed();
        } else {
            o += i == 0 ? QStringLiteral("None") : QStringLiteral("Traceback: None");
        }
        o += u'\n';
    }
    o += u'\n';
    if (!d.exceptionType.isEmpty()) {
        o += QStringLiteral("Exception Type: ") + d.exceptionType;
        if (d.hasRequest)
            o += QStringLiteral(" at ") + d.pathInfo;
        o += u'\n';
        if (!d.exceptionValue.isEmpty())
            o += QStringLiteral("Exception Value: ") + d.exceptionValue;
    }
    // The template's newline after the traceback, ending its last line.
    return o + u'\n';
}

QString djangoTracebackText(const Report &report) { return djangoTracebackText(djangoReportData(report)); }

QString djangoTextReport(const DjangoReportData &d)
{
    const QString at = d.hasRequest ? QStringLiteral(" at ") + d.pathInfo : QString();
    QString o;
    o += (d.exceptionType.isEmpty() ? QStringLiteral("Report") : d.exceptionType) + at + u'\n';
    o += (d.exceptionValue.isEmpty() ? QStringLiteral("No exception message supplied") : d.exceptionValue) + u'\n';
    if (d.hasRequest)
        o += QStringLiteral("\nRequest Method: ") + d.requestMethod + QStringLiteral("\nRequest URL: ") + d.requestUrl;
    o += QStringLiteral("\nDjango Version: ") + d.djangoVersion;
    o += QStringLiteral("\nPython Executable: ") + d.pythonExecutable;
    o += QStringLiteral("\nPython Version: ") + d.pythonVersion;
    o += QStringLiteral("\nPython Path: ") + d.pythonPath;
    o += QStringLiteral("\nServer time: ") + d.serverTime;
    o += QStringLiteral("\nInstalled Applications:\n") + d.installedApps;
    o += QStringLiteral("\nInstalled Middleware:\n") + d.installedMiddleware + u'\n';
    const QString traceback = djangoTracebackText(d);
    o += traceback.isEmpty() ? QStringLiteral("\n") : QStringLiteral("\n\n") + traceback;
    if (d.hasRequest) {
        o += QStringLiteral("Request information:\n");
        if (!d.user.isEmpty())
            o += QStringLiteral("USER: ") + d.user;
        auto section = [&](const char *name, const PyItems &its, const char *empty) {
            o += QStringLiteral("\n\n") + QLatin1String(name) + u':';
            for (const auto &[k, v] : its)
                o += u'\n' + k + QStringLiteral(" = ") + v;
            if (its.isEmpty())
                o += QLatin1String(empty);
        };
        section("GET", d.get, " No GET data");
        section("POST", d.post, " No POST data");
        section("FILES", d.files, " No FILES data");
        section("COOKIES", d.cookies, " No cookie data");
        section("META", d.meta, "");
        o += u'\n';
    } else {
        o += QStringLiteral("Request data not supplied\n");
    }
    o += QStringLiteral("\nSettings:\nUsing settings module ") + d.settingsModule;
    for (const auto &[k, v] : d.settings)
        o += u'\n' + k + QStringLiteral(" = ") + v;
    o += QStringLiteral("\n\n\n");
    return o;
}

QString djangoAdminMailText(const Report &report)
{
    return report.message + QStringLiteral("\n\n") + djangoTextReport(djangoReportData(report));
}

QString djangoBrokenLinkText(const Report &report)
{
    const Request r = report.request.value_or(Request{});
    const QString path = r.fullPath.isEmpty() ? r.path : r.fullPath;
    const QString ua = metaOr(r, u"HTTP_USER_AGENT", QStringLiteral("<none>"));
    QString ip = metaOr(r, u"REMOTE_ADDR", r.remoteAddr);
    if (ip.isEmpty())
        ip = QStringLiteral("<none>");
    return QStringLiteral("Referrer: %1\nRequested URL: %2\nUser agent: %3\nIP address: %4\n")
        .arg(entryText(r.meta, u"HTTP_REFERER"), path, ua, ip);
}

} // namespace ed
