#include "model/ReportJson.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <initializer_list>
#include <utility>

namespace ed {
namespace {

// A chain deeper than this is cut (Python itself would have hit its recursion
// limit long before; the bound keeps a hostile record from costing much).
constexpr size_t kMaxChain = 200;

Value valueFrom(const QJsonValue &v)
{
    Value out;
    switch (v.type()) {
    case QJsonValue::Bool:
        out.kind = Value::Kind::Bool;
        out.flag = v.toBool();
        break;
    case QJsonValue::Double:
        out.kind = Value::Kind::Number;
        out.number = v.toDouble();
        break;
    case QJsonValue::String:
        out.kind = Value::Kind::String;
        out.string = v.toString();
        break;
    case QJsonValue::Array: {
        out.kind = Value::Kind::List;
        const QJsonArray a = v.toArray();
        out.string = QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
        for (const QJsonValue &item : a)
            out.items.push_back(valueFrom(item));
        break;
    }
    case QJsonValue::Object:
        out.kind = Value::Kind::Object;
        out.string = QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
        break;
    default: break;
    }
    return out;
}

QString text(const QJsonObject &o, const char *key) { return valueFrom(o.value(QLatin1String(key))).text(); }

// The string fields of a struct, each from its key (as Value::text() reads it).
template <class T>
void readTexts(const QJsonObject &o, T &out, std::initializer_list<std::pair<QString T::*, const char *>> fields)
{
    for (const auto &[member, key] : fields)
        out.*member = text(o, key);
}

Entries entries(const QJsonValue &v)
{
    Entries out;
    const QJsonObject o = v.toObject();
    out.reserve(size_t(o.size()));
    for (auto it = o.begin(); it != o.end(); ++it)
        out.push_back({it.key(), valueFrom(it.value())});
    return out;
}

QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &x : v.toArray())
        out << valueFrom(x).text();
    return out;
}

Frame frameFrom(const QJsonObject &f)
{
    Frame out;
    readTexts(f, out, {{&Frame::filename, "filename"}, {&Frame::module, "module"}, {&Frame::function, "function"}});
    out.lineno = f.value(QLatin1String("lineno")).toInt();
    const QJsonValue preLineno = f.value(QLatin1String("pre_context_lineno"));
    if (preLineno.isDouble())
        out.preContextLineno = preLineno.toInt();
    out.preContext = strings(f.value(QLatin1String("pre_context")));
    out.postContext = strings(f.value(QLatin1String("post_context")));
    if (f.contains(QLatin1String("context_line")))
        out.contextLine = text(f, "context_line");
    out.inApp = f.value(QLatin1String("in_app")).toBool();
    out.vars = entries(f.value(QLatin1String("vars")));
    return out;
}

ExceptionInfo exceptionFrom(const QJsonObject &e)
{
    ExceptionInfo out;
    readTexts(e, out, {{&ExceptionInfo::type, "type"}, {&ExceptionInfo::module, "module"}, {&ExceptionInfo::value, "value"}});
    for (const QJsonValue &f : e.value(QLatin1String("frames")).toArray())
        out.frames.push_back(frameFrom(f.toObject()));
    out.causeExplicit = e.value(QLatin1String("cause_explicit")).toBool();
    return out;
}

Request requestFrom(const QJsonObject &r)
{
    Request out;
    readTexts(r, out,
              {{&Request::method, "method"},
               {&Request::scheme, "scheme"},
               {&Request::host, "host"},
               {&Request::path, "path"},
               {&Request::fullPath, "full_path"},
               {&Request::url, "url"},
               {&Request::remoteAddr, "remote_addr"},
               {&Request::user, "user"}});
    out.get = entries(r.value(QLatin1String("GET")));
    out.post = entries(r.value(QLatin1String("POST")));
    out.files = entries(r.value(QLatin1String("FILES")));
    out.cookies = entries(r.value(QLatin1String("COOKIES")));
    out.meta = entries(r.value(QLatin1String("META")));
    return out;
}

} // namespace

Report reportFromRecord(const QJsonObject &record)
{
    Report out;
    readTexts(record, out,
              {{&Report::format, "format"},
               {&Report::eventId, "event_id"},
               {&Report::timestamp, "timestamp"},
               {&Report::level, "level"},
               {&Report::logger, "logger"},
               {&Report::message, "message"},
               {&Report::site, "site"}});
    const QJsonValue status = record.value(QLatin1String("status_code"));
    if (status.isDouble())
        out.statusCode = status.toInt();
    // An empty object carries nothing of an exception: Django's report reads it as none.
    for (QJsonValue e = record.value(QLatin1String("exception"));
         e.isObject() && !e.toObject().isEmpty() && out.exceptions.size() < kMaxChain;
         e = e.toObject().value(QLatin1String("cause")))
        out.exceptions.push_back(exceptionFrom(e.toObject()));
    const QJsonValue request = record.value(QLatin1String("request"));
    if (request.isObject())
        out.request = requestFrom(request.toObject());
    out.settings = entries(record.value(QLatin1String("settings")));
    out.environment = entries(record.value(QLatin1String("environment")));
    out.extra = entries(record.value(QLatin1String("extra")));
    return out;
}

} // namespace ed
