#pragma once
// Django's error report (views/debug.py ExceptionReporter), rendered from a
// stored report: the plain text of technical_500.txt that AdminEmailHandler
// puts in the body, an HTML rendition of technical_500.html for the
// alternative part, the traceback part of the text on its own (for copying and
// `errordeck-cli show`), and BrokenLinkEmailsMiddleware's 404 message. The one
// place ErrorDeck writes Django's report; Django's own e-mails in
// tests/data/corpus are what tst_compose compares it with.
#include "model/Report.h"

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

// What ExceptionReporter.get_traceback_data() would have had.
DjangoReportData djangoReportData(const Report &report);

// technical_500.txt with is_email=True.
QString djangoTextReport(const DjangoReportData &data);

// The traceback part of technical_500.txt, from "Traceback (most recent call
// last):" to "Exception Value: ...", ending in a newline; empty when Django
// would print no traceback. djangoTextReport() holds exactly this text.
QString djangoTracebackText(const DjangoReportData &data);
QString djangoTracebackText(const Report &report);

// Django's sentence before the frames of an exception that has a cause:
// "The above exception (CAUSE) was the direct cause of the following exception:"
// or "During handling of the above exception (CAUSE), another exception occurred:".
QString djangoCauseSentence(const QString &cause, bool causeExplicit);

// AdminEmailHandler's body: "%s\n\n%s" % (the log message, get_traceback_text()).
QString djangoAdminMailText(const Report &report);

// A rendition of technical_500.html (is_email=True): summary, traceback with
// source context and local variables, request information, settings.
QString djangoHtmlReport(const DjangoReportData &data);

// BrokenLinkEmailsMiddleware's 404 message: Referrer, Requested URL, User
// agent, IP address.
QString djangoBrokenLinkText(const Report &report);

// Django's date filter "r" (RFC 5322) for an ISO 8601 timestamp, keeping its offset.
QString rfc5322Date(const QString &iso);

} // namespace ed
