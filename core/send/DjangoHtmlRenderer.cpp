#include "send/DjangoRenderer.h"

#include <algorithm>

namespace ed {
namespace {

QString escapeHtml(const QString &s)
{
    QString out = s.toHtmlEscaped();
    out.replace(QLatin1Char('\''), QLatin1String("&#x27;"));
    return out;
}

} // namespace

QString djangoHtmlReport(const DjangoReportData &d)
{
    const QString at = d.hasRequest ? QStringLiteral(" at ") + escapeHtml(d.pathInfo) : QString();
    const QString type = d.exceptionType.isEmpty() ? QStringLiteral("Report") : escapeHtml(d.exceptionType);
    const QString value = d.exceptionValue.isEmpty() ? QStringLiteral("No exception message supplied")
                                                     : escapeHtml(d.exceptionValue);
    QString o;
    o += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
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
        "    thead th { padding:1px 6px 1px 3px; background:#fefefe; text-align:left; font-weight:normal; font-size:11px; "
        "border:1px solid #ddd; }\n"
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
    o += QStringLiteral(
             "<div id=\"summary\">\n  <h1>%1%2</h1>\n  <pre class=\"exception_value\">%3</pre>\n  <table class=\"meta\">\n")
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
            row(QStringLiteral("Exception Location:"), QStringLiteral("<span class=\"fname\">%1</span>, line %2, in %3")
                                                           .arg(escapeHtml(it->filename))
                                                           .arg(it->lineno)
                                                           .arg(escapeHtml(it->function)));
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
        o += QStringLiteral(
            "<div id=\"traceback\">\n  <h2>Traceback</h2>\n  <div id=\"browserTraceback\">\n    <ul class=\"traceback\">\n");
        for (const DjangoFrame &f : d.frames) {
            if (f.showsCause)
                o += QStringLiteral("      <li><h3>%1</h3></li>\n")
                         .arg(djangoCauseSentence(escapeHtml(f.cause), f.causeExplicit));
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
                         .arg(f.lineno)
                         .arg(escapeHtml(f.contextLine));
                if (!f.postContext.isEmpty()) {
                    o += QStringLiteral("          <ol start=\"%1\" class=\"post-context\">").arg(f.lineno + 1);
                    for (const QString &l : f.postContext)
                        o += QStringLiteral("<li><pre>%1</pre></li>").arg(escapeHtml(l));
                    o += QStringLiteral("</ol>\n");
                }
                o += QStringLiteral("        </div>\n");
            }
            if (!f.vars.isEmpty()) {
                o += QStringLiteral("        <table class=\"vars\">\n          "
                                    "<thead><tr><th>Variable</th><th>Value</th></tr></thead>\n          <tbody>\n");
                PyItems vars = f.vars;
                std::sort(vars.begin(), vars.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
                for (const auto &[k, v] : vars)
                    o += QStringLiteral("            <tr><td>%1</td><td class=\"code\"><pre>%2</pre></td></tr>\n")
                             .arg(escapeHtml(k), escapeHtml(v));
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
        o += QStringLiteral(
            "  <table class=\"req\">\n    <thead><tr><th>Variable</th><th>Value</th></tr></thead>\n    <tbody>\n");
        for (const auto &[k, v] : its)
            o += QStringLiteral("      <tr><td>%1</td><td class=\"code\"><pre>%2</pre></td></tr>\n")
                     .arg(escapeHtml(k), escapeHtml(v));
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
    o += QStringLiteral("  <h3 id=\"settings-info\">Settings</h3>\n  <h4>Using settings module <code>%1</code></h4>\n")
             .arg(escapeHtml(d.settingsModule));
    table(QString(), d.settings, QString());
    o += QStringLiteral("</div>\n</body>\n</html>\n");
    return o;
}

} // namespace ed
