#include "send/ReproduceRequest.h"

#include "model/Filter.h"
#include "send/PyRepr.h"

namespace ed {
namespace {

QString masked(const QString &value)
{
    const QString stars = QString::fromLatin1(kScrubbedValue.data(), qsizetype(kScrubbedValue.size()));
    // Django writes its mask bare or as a repr ('********************').
    if (value == stars || value == QLatin1Char('\'') + stars + QLatin1Char('\''))
        return QString::fromLatin1(kReproducePlaceholder);
    return value;
}

// One shell word: single quotes, each ' written as '\''.
QString shellWord(const QString &s)
{
    QString out = s;
    out.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

// request.META keys that are HTTP headers, as they came: HTTP_USER_AGENT is
// User-Agent. Host travels in the URL and the cookies in their own option;
// CONTENT_TYPE (no HTTP_ prefix) is left to curl and the test client, which
// set the form's own type.
std::vector<std::pair<QString, QString>> headersOf(const Request &r)
{
    std::vector<std::pair<QString, QString>> out;
    for (const Entry &e : r.meta) {
        if (!e.key.startsWith(QLatin1String("HTTP_")) || e.key == QLatin1String("HTTP_HOST") ||
            e.key == QLatin1String("HTTP_COOKIE"))
            continue;
        QStringList parts = e.key.mid(5).toLower().split(QLatin1Char('_'));
        for (QString &p : parts)
            if (!p.isEmpty())
                p[0] = p[0].toUpper();
        out.emplace_back(parts.join(QLatin1Char('-')), masked(e.value.text()));
    }
    return out;
}

QString urlOf(const Request &r)
{
    if (!r.url.isEmpty())
        return r.url;
    const QString scheme = r.scheme.isEmpty() ? QStringLiteral("http") : r.scheme;
    const QString host = r.host.isEmpty() ? QStringLiteral("localhost") : r.host;
    return scheme + QStringLiteral("://") + host + (r.fullPath.isEmpty() ? r.path : r.fullPath);
}

// A QueryDict's values: each of a list, or the one value.
QStringList valuesOf(const Value &v)
{
    QStringList out;
    if (v.kind == Value::Kind::List)
        for (const Value &item : v.items)
            out << masked(item.text());
    else
        out << masked(v.text());
    return out;
}

} // namespace

QString requestAsCurl(const Request &r)
{
    const QString method = r.method.isEmpty() ? QStringLiteral("GET") : r.method.toUpper();
    // One option with its value per line, continued with a backslash.
    QStringList lines{QStringLiteral("curl ") + shellWord(urlOf(r))};
    // curl sends GET, or POST once it has data; anything else is named.
    if (!(method == QLatin1String("GET") || (method == QLatin1String("POST") && !r.post.empty())))
        lines << QStringLiteral("-X ") + method;
    for (const auto &[name, value] : headersOf(r))
        lines << QStringLiteral("-H ") + shellWord(name + QStringLiteral(": ") + value);
    QStringList cookies;
    for (const Entry &c : r.cookies)
        cookies << c.key + QLatin1Char('=') + masked(c.value.text());
    if (!cookies.isEmpty())
        lines << QStringLiteral("-b ") + shellWord(cookies.join(QStringLiteral("; ")));
    for (const Entry &p : r.post)
        for (const QString &v : valuesOf(p.value))
            lines << QStringLiteral("--data-urlencode ") + shellWord(p.key + QLatin1Char('=') + v);
    return lines.join(QStringLiteral(" \\\n  "));
}

QString requestAsDjangoTest(const Request &r)
{
    using pyrepr::reprString;
    const QString method = r.method.isEmpty() ? QStringLiteral("get") : r.method.toLower();
    const bool get = method == QLatin1String("get");
    // The test client takes the path and, for GET, the query as its data.
    const Entries &data = get ? r.get : r.post;
    QString code = QStringLiteral("from django.test import TestCase\n\n\n"
                                  "class ReproduceTest(TestCase):\n"
                                  "    def test_request(self):\n");
    for (const Entry &c : r.cookies)
        code += QStringLiteral("        self.client.cookies[%1] = %2\n")
                    .arg(reprString(c.key), reprString(masked(c.value.text())));
    code += QStringLiteral("        response = self.client.%1(\n").arg(method);
    // GET passes its query as the data; another method keeps it in the path.
    const QString path = get || r.fullPath.isEmpty() ? r.path : r.fullPath;
    code += QStringLiteral("            %1,\n").arg(reprString(path.isEmpty() ? QStringLiteral("/") : path));
    if (!data.empty()) {
        code += QStringLiteral("            {\n");
        for (const Entry &e : data) {
            const QStringList values = valuesOf(e.value);
            QStringList reprs;
            for (const QString &v : values)
                reprs << reprString(v);
            const QString value = values.size() == 1 ? reprs.first()
                                                     : QLatin1Char('[') + reprs.join(QStringLiteral(", ")) + QLatin1Char(']');
            code += QStringLiteral("                %1: %2,\n").arg(reprString(e.key), value);
        }
        code += QStringLiteral("            },\n");
    }
    for (const auto &[name, value] : headersOf(r)) {
        QString meta = QStringLiteral("HTTP_") + name.toUpper();
        meta.replace(QLatin1Char('-'), QLatin1Char('_'));
        code += QStringLiteral("            %1=%2,\n").arg(meta, reprString(value));
    }
    if (r.scheme == QLatin1String("https"))
        code += QStringLiteral("            secure=True,\n");
    code += QStringLiteral("        )\n"
                           "        self.assertLess(response.status_code, 500)\n");
    return code;
}

} // namespace ed
