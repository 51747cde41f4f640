#pragma once
// The user's drop and hide rules, in the spirit of Python logging filters: a
// rule names conditions (all must hold) and an action. A hide rule keeps the
// report, marked with the rule's name; a drop rule keeps nothing, and the
// import summary counts it. Stored in the filter_rules table.
#include "store/Database.h"
#include "model/Filter.h"
#include "base/Result.h"
#include "base/BoundedRegex.h"

#include <QString>
#include <optional>
#include <vector>

namespace ed {

enum class RuleAction { Hide, Drop };

struct FilterRule {
    int64_t id = 0;
    QString name;
    RuleAction action = RuleAction::Hide;
    std::optional<int> belowLevel; // records under this level, as a logger's level would drop them
    QString logger;                // this logger and its children: "django.security" covers "django.security.csrf"
    QString exceptionType;         // any exception in the chain; "UnreadablePostError" or the dotted name
    QString messagePattern;        // a regex searched in the message
    std::optional<int> statusMin, statusMax; // an HTTP status range, inclusive
    bool enabled = true;

    bool hasCondition() const;
    // "hide", "drop"
    static QString actionName(RuleAction a);
    static std::optional<RuleAction> actionFromName(const QString &s);
    // Human-readable conditions: "level < WARNING, logger django.security, status 400-499".
    QString describe() const;
    // The hidden_by / drop reason a report gets from this rule.
    QString label() const { return QStringLiteral("rule: ") + name; }
};

// "404", "400-499", "4xx".
bool parseStatusRange(const QString &text, int &lo, int &hi);

// A rule with its regex compiled, ready for the import hot path.
class CompiledRule {
public:
    static Result<CompiledRule> compile(const FilterRule &rule);
    // Undecided when the message regex passed PCRE2's match limit: the caller
    // neither drops nor hides on it (the report stays visible) and says so.
    BoundedRegex::Outcome test(const RecordFacts &facts) const;
    bool matches(const RecordFacts &facts) const { return test(facts) == BoundedRegex::Outcome::Match; }
    const FilterRule &rule() const { return m_rule; }

private:
    FilterRule m_rule;
    std::string m_logger, m_type;
    BoundedRegex m_message;
};

// The filter_rules table.
class RuleStore {
public:
    explicit RuleStore(Database &db) : m_db(db) {}
    Result<std::vector<FilterRule>> list();
    // Checks the rule (a name, a condition, a valid regex) and stores it; the name must be new.
    Result<int64_t> add(const FilterRule &rule);
    // False when no rule has that name.
    Result<bool> remove(const QString &name);
    Result<bool> setEnabled(const QString &name, bool enabled);

private:
    Database &m_db;
};

} // namespace ed
