#pragma once
// Grouping reports into issues, after Sentry's default fingerprint: the
// raised exception's type plus the module and function of the chain's
// in-app frames taken as one list, root cause first (all frames when none is
// in-app); without an
// exception, the message with variable parts parameterized; a 404 by its path
// with digit runs parameterized. What Django's e-mail cannot tell (a cause's
// type, the logger) stays out, so that e-mails and records of one failure
// share an issue.
#include "base/Hash.h"

#include <QString>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ed {

struct GroupingFrame {
    std::string_view module;
    std::string_view function;
    std::string_view filename;
    bool inApp = false;
};

struct GroupingException {
    std::string_view type;
    std::string_view value;
    std::vector<GroupingFrame> frames; // oldest call first
};

struct GroupingInput {
    std::vector<GroupingException> chain; // the exception raised last first, then its causes
    std::string_view logger;
    std::string_view message;
    std::optional<int> statusCode;
    std::string_view path; // request path, for 404s
};

struct Grouping {
    Hash128 fingerprint{};
    QString title;
    QString culprit;
};

Grouping computeGrouping(const GroupingInput &input);

// "Order 42 of <user@x.org> failed: 'abc'" -> "Order <int> of <email> failed: <str>"
QString parameterizeMessage(const QString &message);
// "/products/14/" -> "/products/<int>/"
QString parameterizePath(const QString &path);

} // namespace ed
