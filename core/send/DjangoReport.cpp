#include "send/DjangoReport.h"

#include "send/PyRepr.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <algorithm>

namespace ed {
namespace {

// A stored value as text: strings as they are, anything else as compact JSON.
QString text(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isNull() || v.isUndefined())
        return {};
    if (v.isBool())
        return v.toBool() ? QStringLiteral("True") : QStringLiteral("False");
    if (v.isDouble()) {
        const double d = v.toDouble();
        return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d);
    }
    const QJsonDocument doc = v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject());
    return QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
}

// QueryDict.items() yields each key's last value.
QString lastValue(const QJsonValue &v)
{
    if (v.isArray()) {
        const QJsonArray a = v.toArray();
        return a.isEmpty() ? QString() : text(a.last());
    }
    return text(v);
}

PyItems items(const QJsonObject &o, QString (*repr)(const QString &), bool lastOfList, bool sorted)
{
    PyItems out;
    for (auto it = o.begin(); it != o.end(); ++it)
        out.append({it.key(), repr(lastOfList ? lastValue(it.value()) : text(it.value()))});
    // QJsonObject iterates in key order already; Django sorts META and settings
    // (dictsort), and the other sections come in request order, which a JSON
    // object cannot keep, so key order it is.
    if (sorted)
        std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    return out;
}

QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &x : v.toArray())
        out << text(x);
    return out;
}

DjangoFrame frameFrom(const QJsonObject &f)
{
    DjangoFrame d;
    d.hasTraceback = true;
    d.filename = text(f.value(QLatin1String("filename")));
    d.function = text(f.value(QLatin1String("function")));
    d.module = text(f.value(QLatin1String("module")));
    d.contextLine = text(f.value(QLatin1String("context_line")));
    d.lineno = f.value(QLatin1String("lineno")).toInt();
    d.preContextLineno = f.value(QLatin1String("pre_context_lineno")).toInt(d.lineno - 1);
    d.preContext = strings(f.value(QLatin1String("pre_context")));
    d.postContext = strings(f.value(QLatin1String("post_context")));
    d.inApp = f.value(QLatin1String("in_app")).toBool();
    const QJsonObject vars = f.value(QLatin1String("vars")).toObject();
    for (auto it = vars.begin(); it != vars.end(); ++it)
        d.vars.append({it.key(), text(it.value())}); // already repr() strings
    return d;
}

// Django walks the cause chain from the raised exception down and then lists
// frames from the deepest cause up, marking where each exception begins.
void addFrames(DjangoReportData &data, const QJsonObject &raised)
{
    std::vector<QJsonObject> chain;
    for (QJsonObject e = raised; !e.isEmpty() && chain.size() < 50; e = e.value(QLatin1String("cause")).toObject())
        chain.push_back(e);
    for (size_t k = chain.size(); k-- > 0;) {
        const QJsonObject &e = chain[k];
        const bool hasCause = k + 1 < chain.size();
        const QJsonArray frames = e.value(QLatin1String("frames")).toArray();
        const size_t first = data.frames.size();
        if (frames.isEmpty())
            data.frames.push_back(DjangoFrame{});
        for (const QJsonValue &f : frames)
            data.frames.push_back(frameFrom(f.toObject()));
        if (hasCause) {
            DjangoFrame &head = data.frames[first];
            head.showsCause = true;
            head.cause = text(chain[k + 1].value(QLatin1String("value")));
            head.causeExplicit = e.value(QLatin1String("cause_explicit")).toBool();
        }
    }
}

QString escapeHtml(const QString &s)
{
    QString out = s.toHtmlEscaped();
    out.replace(QLatin1Char('\''), QLatin1String("&#x27;"));
    return out;
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
    return QLocale::c().toString(t, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss "))
        + QStringLiteral("%1%2%3").arg(QChar(offset < 0 ? u'-' : u'+')).arg(mins / 60, 2, 10, QLatin1Char('0')).arg(mins % 60, 2, 10, QLatin1Char('0'));
}

DjangoReportData djangoReportData(const QJsonObject &record)
{
    DjangoReportData d;
    const QJsonValue req = record.value(QLatin1String("request"));
    d.hasRequest = req.isObject();
    if (d.hasRequest) {
        const QJsonObject r = req.toObject();
        const QJsonObject meta = r.value(QLatin1String("META")).toObject();
        d.pathInfo = meta.contains(QLatin1String("PATH_INFO")) ? text(meta.value(QLatin1String("PATH_INFO")))
                                                              : text(r.value(QLatin1String("path")));
        d.requestMethod = meta.contains(QLatin1String("REQUEST_METHOD")) ? text(meta.value(QLatin1String("REQUEST_METHOD")))
                                                                        : text(r.value(QLatin1String("method")));
        d.requestUrl = text(r.value(QLatin1String("url")));
        d.user = text(r.value(QLatin1String("user")));
        d.get = items(r.value(QLatin1String("GET")).toObject(), pyrepr::reprString, true, false);
        d.post = items(r.value(QLatin1String("POST")).toObject(), pyrepr::reprString, true, false);
        d.files = items(r.value(QLatin1String("FILES")).toObject(), pyrepr::reprFile, true, false);
        d.cookies = items(r.value(QLatin1String("COOKIES")).toObject(), pyrepr::reprString, false, false);
        d.meta = items(meta, pyrepr::reprMeta, false, true);
    }
    const QJsonObject settings = record.value(QLatin1String("settings")).toObject();
    d.settings = items(settings, pyrepr::reprSetting, false, true);
    d.settingsModule = text(settings.value(QLatin1String("SETTINGS_MODULE")));
    d.installedApps = pyrepr::pprintSequence(text(settings.value(QLatin1String("INSTALLED_APPS"))));
    d.installedMiddleware = pyrepr::pprintSequence(text(settings.value(QLatin1String("MIDDLEWARE"))));

    const QJsonObject env = record.value(QLatin1String("environment")).toObject();
    d.djangoVersion = text(env.value(QLatin1String("django_version")));
    d.pythonExecutable = text(env.value(QLatin1String("python_executable")));
    d.pythonVersion = text(env.value(QLatin1String("python_version")));
    d.pythonPath = text(env.value(QLatin1String("python_path")));
    const QString serverTime = env.contains(QLatin1String("server_time")) ? text(env.value(QLatin1String("server_time")))
                                                                          : text(record.value(QLatin1String("timestamp")));
    d.serverTime = rfc5322Date(serverTime);

    const QJsonValue exc = record.value(QLatin1String("exception"));
    if (exc.isObject()) {
        const QJsonObject e = exc.toObject();
        d.exceptionType = text(e.value(QLatin1String("type")));
        d.exceptionValue = text(e.value(QLatin1String("value")));
        addFrames(d, e);
    } else {
        // AdminEmailHandler without exc_info reports (None, message, None): the
        // message is the "exception value" and its traceback is a None frame.
        d.exceptionValue = text(record.value(QLatin1String("message")));
        if (!d.exceptionValue.isEmpty())
            d.frames.push_back(DjangoFrame{});
    }
    return d;
}

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
    if (!d.frames.empty()) {
        o += QStringLiteral("\n\nTraceback (most recent call last):\n");
        for (size_t i = 0; i < d.frames.size(); ++i) {
            const DjangoFrame &f = d.frames[i];
            if (f.showsCause)
                o += u'\n'
                    + (f.causeExplicit
                           ? QStringLiteral("The above exception (%1) was the direct cause of the following exception:")
                           : QStringLiteral("During handling of the above exception (%1), another exception occurred:"))
                          .arg(f.cause)
                    + u'\n';
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
            o += QStringLiteral("Exception Type: ") + d.exceptionType + at + u'\n';
            if (!d.exceptionValue.isEmpty())
                o += QStringLiteral("Exception Value: ") + d.exceptionValue;
        }
    }
    o += u'\n';
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

QString djangoHtmlReport(const DjangoReportData &d)
{
    const QString at = d.hasRequest ? QStringLiteral(" at ") + escapeHtml(d.pathInfo) : QString();
    const QString type = d.exceptionType.isEmpty() ? QStringLiteral("Report") : escapeHtml(d.exceptionType);
    const QString value = d.exceptionValue.isEmpty() ? QStringLiteral("No exception message supplied") : escapeHtml(d.exceptionValue);
    QString o;
    o += QStringLiteral(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
        "  <meta http-equiv=\"content-type\" content=\"text/html; charset=utf-8\">\n"
        "  <meta name=\"robots\" content=\"NONE,NOARCHIVE\">\n");
    o += QStringLiteral("  <title>%1%2</title>\n").arg(type, at);
    o += QStringLiteral(
        "  <style type=\"text/css\">\n"
        "    html * { padding:0; margin:0; }\n"
        "    body * { padding:10px 20px; }\n"
        "    body * * { padding:0; }\n"
        "    body { font:small sans-serif; background-color:#fff; color:#000; }\n"
        "    body>div { border-bottom:1px solid #ddd; }\n"
        "    h1 { font-weight:normal; }\n"
        "    h2 { margin-bottom:.8em; }\n"
        "    h3 { margin:1em 0 .5em 0; }\n"
        "    code, pre { font-size: 100%; white-space: pre-wrap; }\n"
        "    table { border:1px solid #ccc; border-collapse: collapse; width:100%; background:white; }\n"
        "    tbody td, tbody th { vertical-align:top; padding:2px 3px; }\n"
        "    thead th { padding:1px 6px 1px 3px; background:#fefefe; text-align:left; font-weight:normal; font-size:11px; border:1px solid #ddd; }\n"
        "    tbody th { width:12em; text-align:right; color:#666; padding-right:.5em; }\n"
        "    table.vars { margin:5px 0 2px 40px; }\n"
        "    table.vars td, table.req td { font-family:monospace; }\n"
        "    table td.code { width:100%; }\n"
        "    ul.traceback { list-style-type:none; color: #222; }\n"
        "    ul.traceback li.frame { padding-bottom:1em; color:#4f4f4f; }\n"
        "    ul.traceback li.user { background-color:#e0e0e0; color:#000 }\n"
        "    div.context { padding:10px 0; overflow:hidden; }\n"
        "    div.context ol { padding-left:30px; margin:0 10px; list-style-position: inside; }\n"
        "    div.context ol li { font-family:monospace; white-space:pre; color:#777; padding-left: 2px; }\n"
        "    div.context ol li pre { display:inline; }\n"
        "    div.context ol.context-line li { color:#464646; background-color:#dfdfdf; padding: 3px 2px; }\n"
        "    #summary { background: #ffc; }\n"
        "    #summary h2 { font-weight: normal; color: #666; }\n"
        "    #traceback { background:#eee; }\n"
        "    #requestinfo { background:#f6f6f6; padding-left:120px; }\n"
        "    #summary table { border:none; background:transparent; }\n"
        "    #requestinfo h2, #requestinfo h3 { position:relative; margin-left:-100px; }\n"
        "    pre.exception_value { font-family: sans-serif; color: #575757; font-size: 1.5em; margin: 10px 0 10px 0; }\n"
        "  </style>\n</head>\n<body>\n");

    // Summary
    o += QStringLiteral("<div id=\"summary\">\n  <h1>%1%2</h1>\n  <pre class=\"exception_value\">%3</pre>\n  <table class=\"meta\">\n")
             .arg(type, at, value);
    auto row = [&](const QString &th, const QString &td) {
        o += QStringLiteral("    <tr>\n      <th>%1</th>\n      <td>%2</td>\n    </tr>\n").arg(th, td);
    };
    if (d.hasRequest) {
        row(QStringLiteral("Request Method:"), escapeHtml(d.requestMethod));
        row(QStringLiteral("Request URL:"), escapeHtml(d.requestUrl));
    }
    row(QStringLiteral("Django Version:"), escapeHtml(d.djangoVersion));
    if (!d.exceptionType.isEmpty())
        row(QStringLiteral("Exception Type:"), escapeHtml(d.exceptionType));
    if (!d.exceptionValue.isEmpty())
        row(QStringLiteral("Exception Value:"), QStringLiteral("<pre>%1</pre>").arg(escapeHtml(d.exceptionValue)));
    for (auto it = d.frames.rbegin(); it != d.frames.rend(); ++it)
        if (it->hasTraceback) {
            row(QStringLiteral("Exception Location:"),
                QStringLiteral("<span class=\"fname\">%1</span>, line %2, in %3")
                    .arg(escapeHtml(it->filename)).arg(it->lineno).arg(escapeHtml(it->function)));
            break;
        }
    row(QStringLiteral("Python Executable:"), escapeHtml(d.pythonExecutable));
    row(QStringLiteral("Python Version:"), escapeHtml(d.pythonVersion));
    if (!d.pythonPath.isEmpty())
        row(QStringLiteral("Python Path:"), QStringLiteral("<pre>%1</pre>").arg(escapeHtml(d.pythonPath)));
    row(QStringLiteral("Server time:"), escapeHtml(d.serverTime));
    o += QStringLiteral("  </table>\n</div>\n");

    // Traceback
    if (!d.frames.empty()) {
        o += QStringLiteral("<div id=\"traceback\">\n  <h2>Traceback</h2>\n  <div id=\"browserTraceback\">\n    <ul class=\"traceback\">\n");
        for (const DjangoFrame &f : d.frames) {
            if (f.showsCause)
                o += QStringLiteral("      <li><h3>%1</h3></li>\n")
                         .arg((f.causeExplicit ? QStringLiteral("The above exception (%1) was the direct cause of the following exception:")
                                               : QStringLiteral("During handling of the above exception (%1), another exception occurred:"))
                                  .arg(escapeHtml(f.cause)));
            if (!f.hasTraceback) {
                o += QStringLiteral("      <li class=\"frame user\">None</li>\n");
                continue;
            }
            o += QStringLiteral("      <li class=\"frame %1\">\n        <code class=\"fname\">%2</code>, line %3, in %4\n")
                     .arg(f.inApp ? QStringLiteral("user") : QStringLiteral("django"), escapeHtml(f.filename))
                     .arg(f.lineno)
                     .arg(escapeHtml(f.function));
            if (!f.contextLine.isEmpty()) {
                o += QStringLiteral("        <div class=\"context\">\n");
                if (!f.preContext.isEmpty()) {
                    o += QStringLiteral("          <ol start=\"%1\" class=\"pre-context\">").arg(f.preContextLineno);
                    for (const QString &l : f.preContext)
                        o += QStringLiteral("<li><pre>%1</pre></li>").arg(escapeHtml(l));
                    o += QStringLiteral("</ol>\n");
                }
                o += QStringLiteral("          <ol start=\"%1\" class=\"context-line\"><li><pre>%2</pre></li></ol>\n")
                         .arg(f.lineno).arg(escapeHtml(f.contextLine));
                if (!f.postContext.isEmpty()) {
                    o += QStringLiteral("          <ol start=\"%1\" class=\"post-context\">").arg(f.lineno + 1);
                    for (const QString &l : f.postContext)
                        o += QStringLiteral("<li><pre>%1</pre></li>").arg(escapeHtml(l));
                    o += QStringLiteral("</ol>\n");
                }
                o += QStringLiteral("        </div>\n");
            }
            if (!f.vars.isEmpty()) {
                o += QStringLiteral("        <table class=\"vars\">\n          <thead><tr><th>Variable</th><th>Value</th></tr></thead>\n          <tbody>\n");
                PyItems vars = f.vars;
                std::sort(vars.begin(), vars.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
                for (const auto &[k, v] : vars)
                    o += QStringLiteral("            <tr><td>%1</td><td class=\"code\"><pre>%2</pre></td></tr>\n").arg(escapeHtml(k), escapeHtml(v));
                o += QStringLiteral("          </tbody>\n        </table>\n");
            }
            o += QStringLiteral("      </li>\n");
        }
        o += QStringLiteral("    </ul>\n  </div>\n</div>\n");
    }

    // Request information and settings
    auto table = [&](const QString &title, const PyItems &its, const QString &empty) {
        if (!title.isEmpty())
            o += QStringLiteral("  <h3 id=\"%1-info\">%2</h3>\n").arg(title.toLower(), title);
        if (its.isEmpty()) {
            o += QStringLiteral("    <p>%1</p>\n").arg(empty);
            return;
        }
        o += QStringLiteral("  <table class=\"req\">\n    <thead><tr><th>Variable</th><th>Value</th></tr></thead>\n    <tbody>\n");
        for (const auto &[k, v] : its)
            o += QStringLiteral("      <tr><td>%1</td><td class=\"code\"><pre>%2</pre></td></tr>\n").arg(escapeHtml(k), escapeHtml(v));
        o += QStringLiteral("    </tbody>\n  </table>\n");
    };
    o += QStringLiteral("<div id=\"requestinfo\">\n  <h2>Request information</h2>\n");
    if (d.hasRequest) {
        if (!d.user.isEmpty())
            o += QStringLiteral("  <h3 id=\"user-info\">USER</h3>\n  <p>%1</p>\n").arg(escapeHtml(d.user));
        table(QStringLiteral("GET"), d.get, QStringLiteral("No GET data"));
        table(QStringLiteral("POST"), d.post, QStringLiteral("No POST data"));
        table(QStringLiteral("FILES"), d.files, QStringLiteral("No FILES data"));
        table(QStringLiteral("COOKIES"), d.cookies, QStringLiteral("No cookie data"));
        table(QStringLiteral("META"), d.meta, QString());
    } else {
        o += QStringLiteral("  <p>Request data not supplied</p>\n");
    }
    o += QStringLiteral("  <h3 id=\"settings-info\">Settings</h3>\n  <h4>Using settings module <code>%1</code></h4>\n").arg(escapeHtml(d.settingsModule));
    table(QString(), d.settings, QString());
    o += QStringLiteral("</div>\n</body>\n</html>\n");
    return o;
}

} // namespace ed
