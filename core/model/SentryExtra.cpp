#include "model/SentryExtra.h"

#include "base/Timestamp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace ed {
namespace {

QJsonObject objectOf(const Value &v)
{
    return v.kind == Value::Kind::Object ? QJsonDocument::fromJson(v.string.toUtf8()).object() : QJsonObject();
}

QString textOf(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 15);
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return {};
}

// The SDKs send an ISO string (Python) or seconds since the epoch (JavaScript).
std::optional<int64_t> crumbTime(const QJsonValue &v)
{
    if (v.isDouble())
        return timestampFromSeconds(v.toDouble());
    if (v.isString())
        return parseIsoTimestamp(v.toString().toStdString());
    return std::nullopt;
}

void collectTrims(const QJsonObject &node, QStringList &path, std::vector<SdkTrim> &out, int depth)
{
    if (depth > 64) // a hostile _meta nested without end
        return;
    if (const QJsonValue here = node.value(QString()); here.isObject()) {
        const QJsonObject meta = here.toObject();
        SdkTrim trim{path, std::nullopt, {}, false};
        if (meta.value(QStringLiteral("len")).isDouble())
            trim.originalLength = int64_t(meta.value(QStringLiteral("len")).toDouble());
        for (const QJsonValue &remark : meta.value(QStringLiteral("rem")).toArray()) {
            const QJsonArray r = remark.toArray();
            if (!r.isEmpty())
                trim.rules << r.at(0).toString();
            if (r.size() > 1 && r.at(1).toString() == QLatin1String("x"))
                trim.removed = true;
        }
        if (trim.originalLength || !trim.rules.isEmpty())
            out.push_back(std::move(trim));
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (it.key().isEmpty() || !it.value().isObject())
            continue;
        path << it.key();
        collectTrims(it.value().toObject(), path, out, depth + 1);
        path.removeLast();
    }
}

} // namespace

std::vector<Breadcrumb> breadcrumbsOf(const Report &report)
{
    std::vector<Breadcrumb> out;
    const Value *crumbs = findEntry(report.extra, u"breadcrumbs");
    if (!crumbs || crumbs->kind != Value::Kind::List)
        return out;
    for (const Value &item : crumbs->items) {
        const QJsonObject c = objectOf(item);
        if (c.isEmpty())
            continue;
        Breadcrumb b;
        b.timestamp = crumbTime(c.value(QStringLiteral("timestamp")));
        b.type = textOf(c.value(QStringLiteral("type")));
        b.category = textOf(c.value(QStringLiteral("category")));
        b.level = textOf(c.value(QStringLiteral("level")));
        b.message = textOf(c.value(QStringLiteral("message")));
        if (const QJsonValue data = c.value(QStringLiteral("data")); data.isObject() && !data.toObject().isEmpty())
            b.data = textOf(data);
        out.push_back(std::move(b));
    }
    return out;
}

std::vector<SdkTrim> sdkTrimsOf(const Report &report)
{
    std::vector<SdkTrim> out;
    const Value *meta = findEntry(report.extra, u"_meta");
    if (!meta)
        return out;
    QStringList path;
    collectTrims(objectOf(*meta), path, out, 0);
    return out;
}

const SdkTrim *findSdkTrim(const std::vector<SdkTrim> &trims, const QStringList &path)
{
    for (const SdkTrim &t : trims)
        if (t.path == path)
            return &t;
    return nullptr;
}

QString describeSdkTrim(const SdkTrim &trim, const QString &unit)
{
    const QString rules = trim.rules.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(trim.rules.join(QStringLiteral(", ")));
    if (trim.removed)
        return QStringLiteral("removed by the SDK before sending%1").arg(rules);
    if (trim.originalLength)
        return QStringLiteral("cut by the SDK before sending: it had %1 %2%3")
            .arg(QLocale().toString(qlonglong(*trim.originalLength)), unit, rules);
    return QStringLiteral("changed by the SDK before sending%1").arg(rules);
}

} // namespace ed
