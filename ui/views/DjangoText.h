#pragma once
// A report as Django writes it in text (technical_500.txt, the body of the
// error e-mail): for copying a traceback and exporting reports.
#include <QJsonObject>
#include <QString>

namespace ed::django {

// The exceptions of a record, the one raised first (the root cause) first,
// as Django lists them.
QList<QJsonObject> exceptionChain(const QJsonObject &record);
// Django's sentence before the frames of an exception that has a cause:
// "The above exception (...) was the direct cause of the following exception:"
// or "During handling of the above exception (...), another exception occurred:".
QString causeSentence(const QJsonObject &exception, const QJsonObject &cause);
// "Traceback (most recent call last):" ... "Exception Value: ...".
QString tracebackText(const QJsonObject &record);
// The whole text report: request facts, traceback, request data, settings.
QString reportText(const QJsonObject &record);
// A value from the record as text (strings as they are, lists joined).
QString valueText(const QJsonValue &v);

} // namespace ed::django
