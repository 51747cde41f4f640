#pragma once
// A stored report as typed structs: what a v1 record (docs/report-format.md)
// holds, read once by reportFromRecord() (model/ReportJson.cpp), the one place
// that knows the record's JSON keys. The views, the CLI and the Django
// renderer read these structs; none of them looks up JSON by key.
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace ed {

// A value of one of the record's dictionaries (request data, settings, local
// variables, environment, extra). The format says strings, or lists of strings
// for a QueryDict; anything else a producer wrote is kept by kind.
struct Value {
    enum class Kind { None, Bool, Number, String, List, Object };
    Kind kind = Kind::None;
    QString string; // String: the string; List and Object: compact JSON
    double number = 0; // Number
    bool flag = false; // Bool
    std::vector<Value> items; // List

    // The value as one piece of text: a string as it is, None empty, True and
    // False, a whole number without a decimal point, a list or object as
    // compact JSON. What Django's report shows for a stored str().
    QString text() const;
    // The value for people: like text(), but a list as Python prints it
    // (['a', 'b']) and None as "None".
    QString displayText() const;
    // A QueryDict's items() yield each key's last value.
    QString lastText() const;
};

struct Entry {
    QString key;
    Value value;
};
// In the record's key order (a JSON object keeps no other).
using Entries = std::vector<Entry>;

// The entry called `key`, or nullptr.
const Value *findEntry(const Entries &entries, QStringView key);
// The entry's text(), or empty when there is none.
QString entryText(const Entries &entries, QStringView key);

struct Frame {
    QString filename, module, function;
    int lineno = 0;
    std::optional<int> preContextLineno; // the first pre_context line's number
    QStringList preContext, postContext;
    std::optional<QString> contextLine; // absent when the source was not readable
    bool inApp = false;
    Entries vars; // repr() of each local variable
};

struct ExceptionInfo {
    QString type, module, value;
    std::vector<Frame> frames; // oldest call first
    // This exception's cause (the next one in Report::exceptions) came from
    // `raise ... from ...` rather than being handled when this one was raised.
    bool causeExplicit = false;
};

struct Request {
    QString method, scheme, host, path, fullPath, url, remoteAddr, user;
    Entries get, post, files, cookies, meta;
};

struct Report {
    QString format, eventId, timestamp, level, logger, message, site;
    std::optional<int> statusCode;
    // The exception raised first in the list, then its cause, the cause's cause...
    // Empty for a record without an exception.
    std::vector<ExceptionInfo> exceptions;
    std::optional<Request> request;
    Entries settings, environment, extra;

    // The exception being handled (the last raised), or nullptr.
    const ExceptionInfo *raised() const { return exceptions.empty() ? nullptr : &exceptions.front(); }
    // The chain as Django and Python list it: the root cause first, the raised one last.
    std::vector<const ExceptionInfo *> chainRootFirst() const;
};

} // namespace ed
