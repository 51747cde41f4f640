#pragma once
// Django's error report (views/debug.py ExceptionReporter), rebuilt from a
// stored v1 record: the plain text of technical_500.txt that AdminEmailHandler
// puts in the body, and an HTML rendition of technical_500.html for the
// alternative part. Both read only the stored (already scrubbed) record.
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <vector>

namespace ed {

using PyItems = QList<QPair<QString, QString>>; // key, value already as Python prints it

struct DjangoFrame {
    bool hasTraceback = false; // false: Django's "None" frame (an exception without traceback)
    QString filename, function, module, contextLine;
    int lineno = 0, preContextLineno = 0;
    QStringList preContext, postContext;
    PyItems vars;
    bool inApp = false;
    // Set on the first frame of an exception that has a cause (Django's ifchanged).
    bool showsCause = false;
    QString cause; // str() of the cause
    bool causeExplicit = false;
};

struct DjangoReportData {
    bool hasRequest = false;
    QString exceptionType, exceptionValue; // empty when Django would have none
    QString pathInfo, requestMethod, requestUrl, user;
    PyItems get, post, files, cookies, meta, settings;
    QString settingsModule;
    QString djangoVersion, pythonExecutable, pythonVersion, pythonPath, serverTime;
    QString installedApps, installedMiddleware;
    std::vector<DjangoFrame> frames;
};

// What ExceptionReporter.get_traceback_data() would have had, from a v1 record.
DjangoReportData djangoReportData(const QJsonObject &record);

// technical_500.txt with is_email=True.
QString djangoTextReport(const DjangoReportData &data);

// A rendition of technical_500.html (is_email=True): summary, traceback with
// source context and local variables, request information, settings.
QString djangoHtmlReport(const DjangoReportData &data);

// Django's date filter "r" (RFC 5322) for an ISO 8601 timestamp, keeping its offset.
QString rfc5322Date(const QString &iso);

} // namespace ed
