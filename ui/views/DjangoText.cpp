#include "views/DjangoText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

namespace ed::django {

QList<QJsonObject> exceptionChain(const QJsonObject &record)
{
    QList<QJsonObject> chain;
    QJsonValue e = record.value(QLatin1String("exception"));
    while (e.isObject() && chain.size() < 100) {
        chain.prepend(e.toObject());
        e = e.toObject().value(QLatin1String("cause"));
    }
    return chain;
}

QString causeSentence(const QJsonObject &exception, const QJsonObject &cause)
{
    const QString value = cause.value(QLatin1String("value")).toString();
    if (exception.value(QLatin1String("cause_explicit")).toBool())
        return QStringLiteral("The above exception (%1) was the direct cause of the following exception:").arg(value);
    return QStringLiteral("During handling of the above exception (%1), another exception occurred:").arg(value);
}

QString valueText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isArray()) {
        QStringList parts;
        for (const QJsonValue &x : v.toArray())
            parts << (x.isString() ? QStringLiteral("'%1'").arg(x.toString()) : valueText(x));
        return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
    }
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isBool())
        return v.toBool() ? QStringLiteral("True") : QStringLiteral("False");
    if (v.isDouble())
        return QString::number(v.toDouble());
    return QStringLiteral("None");
}

namespace {

QString requestPath(const QJsonObject &record)
{
    return record.value(QLatin1String("request")).toObject().value(QLatin1String("path")).toString();
}

void appendFrames(QString &out, const QJsonObject &exception)
{
    for (const QJsonValue &fv : exception.value(QLatin1String("frames")).toArray()) {
        const QJsonObject f = fv.toObject();
        const QString context = f.value(QLatin1String("context_line")).toString();
        out += QStringLiteral("  File \"%1\"").arg(f.value(QLatin1String("filename")).toString());
        if (!context.isEmpty())
            out += QStringLiteral(", line %1").arg(f.value(QLatin1String("lineno")).toInt());
        out += QStringLiteral(", in %1\n").arg(f.value(QLatin1String("function")).toString());
        if (!context.isEmpty())
            out += QStringLiteral("    %1\n").arg(context.trimmed());
    }
}

void appendDict(QString &out, const QString &title, const QJsonObject &dict, const QString &empty)
{
    if (dict.isEmpty()) {
        out += QStringLiteral("%1: %2\n").arg(title, empty);
        return;
    }
    out += title + QStringLiteral(":\n");
    for (auto it = dict.begin(); it != dict.end(); ++it)
        out += QStringLiteral("%1 = %2\n").arg(it.key(), valueText(it.value()));
}

} // namespace

QString tracebackText(const QJsonObject &record)
{
    const QList<QJsonObject> chain = exceptionChain(record);
    if (chain.isEmpty())
        return record.value(QLatin1String("message")).toString() + QLatin1Char('\n');
    QString out = QStringLiteral("Traceback (most recent call last):\n");
    for (qsizetype i = 0; i < chain.size(); ++i) {
        if (i > 0)
            out += QLatin1Char('\n') + causeSentence(chain[i], chain[i - 1]) + QLatin1Char('\n');
        appendFrames(out, chain[i]);
    }
    const QJsonObject &last = chain.last();
    const QString path = requestPath(record);
    out += QStringLiteral("\nException Type: %1").arg(last.value(QLatin1String("type")).toString());
    if (!path.isEmpty())
        out += QStringLiteral(" at %1").arg(path);
    out += QStringLiteral("\nException Value: %1\n").arg(last.value(QLatin1String("value")).toString());
    return out;
}

QString reportText(const QJsonObject &record)
{
    const QJsonObject request = record.value(QLatin1String("request")).toObject();
    const QJsonObject env = record.value(QLatin1String("environment")).toObject();
    const QList<QJsonObject> chain = exceptionChain(record);
    QString out;
    if (!chain.isEmpty()) {
        out += chain.last().value(QLatin1String("type")).toString();
        if (!request.isEmpty())
            out += QStringLiteral(" at %1").arg(request.value(QLatin1String("path")).toString());
        out += QLatin1Char('\n') + chain.last().value(QLatin1String("value")).toString() + QStringLiteral("\n\n");
    } else {
        out += record.value(QLatin1String("message")).toString() + QStringLiteral("\n\n");
    }
    if (!request.isEmpty()) {
        out += QStringLiteral("Request Method: %1\n").arg(request.value(QLatin1String("method")).toString());
        out += QStringLiteral("Request URL: %1\n").arg(request.value(QLatin1String("url")).toString());
    }
    if (env.contains(QLatin1String("django_version")))
        out += QStringLiteral("Django Version: %1\n").arg(env.value(QLatin1String("django_version")).toString());
    if (env.contains(QLatin1String("python_executable")))
        out += QStringLiteral("Python Executable: %1\n").arg(env.value(QLatin1String("python_executable")).toString());
    if (env.contains(QLatin1String("python_version")))
        out += QStringLiteral("Python Version: %1\n").arg(env.value(QLatin1String("python_version")).toString());
    if (env.contains(QLatin1String("server_time")))
        out += QStringLiteral("Server time: %1\n").arg(env.value(QLatin1String("server_time")).toString());
    out += QStringLiteral("Timestamp: %1\nLevel: %2\nLogger: %3\n")
               .arg(record.value(QLatin1String("timestamp")).toString(), record.value(QLatin1String("level")).toString(),
                    record.value(QLatin1String("logger")).toString());
    if (!chain.isEmpty())
        out += tracebackText(record);
    out += QLatin1Char('\n');
    if (!request.isEmpty()) {
        out += QStringLiteral("Request information:\nUSER: %1\n\n").arg(request.value(QLatin1String("user")).toString());
        appendDict(out, QStringLiteral("GET"), request.value(QLatin1String("GET")).toObject(), QStringLiteral("No GET data"));
        out += QLatin1Char('\n');
        appendDict(out, QStringLiteral("POST"), request.value(QLatin1String("POST")).toObject(), QStringLiteral("No POST data"));
        out += QLatin1Char('\n');
        appendDict(out, QStringLiteral("FILES"), request.value(QLatin1String("FILES")).toObject(), QStringLiteral("No FILES data"));
        out += QLatin1Char('\n');
        appendDict(out, QStringLiteral("COOKIES"), request.value(QLatin1String("COOKIES")).toObject(), QStringLiteral("No cookie data"));
        out += QLatin1Char('\n');
        appendDict(out, QStringLiteral("META"), request.value(QLatin1String("META")).toObject(), QStringLiteral("No META data"));
        out += QLatin1Char('\n');
    } else {
        out += QStringLiteral("Request data not supplied\n\n");
    }
    const QJsonObject settings = record.value(QLatin1String("settings")).toObject();
    if (!settings.isEmpty())
        appendDict(out, QStringLiteral("Settings"), settings, QString());
    return out;
}

} // namespace ed::django
