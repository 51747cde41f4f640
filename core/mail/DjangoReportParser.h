#pragma once
// What Django's error report (ExceptionReporter.get_traceback_text(), the
// technical_500.txt template, Django 3.2 to 5.x) says, read back from the
// plain-text body of an AdminEmailHandler e-mail, and the frame details the
// HTML alternative (technical_500.html) adds. All text is UTF-8.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ed::mail {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

struct ReportFrame {
    std::string filename, function, module;
    std::optional<int64_t> lineno;
    std::string contextLine;
    std::vector<std::string> preContext, postContext;
    std::optional<int64_t> preContextLineno;
    std::optional<bool> inApp; // from the HTML ("frame user" / "frame django")
    KeyValues vars; // name -> repr(), from the HTML
    bool hasVars = false;
};

struct ReportException {
    std::string type; // empty when the report does not tell (a cause's type)
    std::string value;
    std::vector<ReportFrame> frames;
    bool causeExplicit = false; // its cause (the next in the chain) is __cause__, not __context__
};

struct ReportRequest {
    std::string method, url, pathInfo;
    std::optional<std::string> user;
    // Values as Django printed them: repr() of the value.
    KeyValues get, post, files, cookies, meta;
};

struct DjangoReport {
    std::string message; // the log record's message, before the report
    bool hasException = false; // false: a "Report" of a logger.error() without exc_info
    std::vector<ReportException> chain; // the exception raised last first, then its causes
    std::string exceptionNotes; // Django 5: add_note() lines after the value
    std::optional<ReportRequest> request; // nullopt: "Request data not supplied"
    std::string djangoVersion, pythonExecutable, pythonVersion, pythonPath, serverTime;
    std::string installedApps, installedMiddleware;
    std::vector<std::string> sysPath; // Python Path, as a list
    std::string settingsModule;
    KeyValues settings; // name -> repr()
    KeyValues otherSections; // sections this parser does not know, kept as text
};

// Reads the plain-text body of a Django error e-mail. nullopt when the body is
// not Django's report.
std::optional<DjangoReport> parseDjangoTextReport(std::string_view body);

// Adds what the HTML report knows beyond the text: local variables, source
// context with indentation, which frames are the application's.
void mergeDjangoHtmlReport(std::string_view html, DjangoReport &report);

// Python literals as Django prints them with repr(): the string a str repr
// stands for ("'a\\'b'" -> "a'b"), or the repr text itself for anything else.
std::string pythonReprToText(std::string_view repr);
// "['a', 'b']" -> {"a", "b"}; empty when it is not a list of str literals.
std::vector<std::string> pythonStringList(std::string_view repr);

// A Unicode code point as UTF-8 (U+FFFD for surrogates and values out of range).
void appendUtf8CodePoint(std::string &out, uint32_t cp);

} // namespace ed::mail
