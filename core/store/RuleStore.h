#pragma once
// The user's drop and hide rules as stored (table filter_rules), and the mark
// of what the stored reports were scrubbed with (filter_state). Compiling and
// applying the rules is filters/' work (FilterRules.h, FilterSet.h).
#include "store/Database.h"
#include "base/BoundedRegex.h"
#include "base/Result.h"

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
    QString logger; // this logger and its children: "django.security" covers "django.security.csrf"
    QString exceptionType; // any exception in the chain; "UnreadablePostError" or the dotted name
    QString messagePattern; // a regex searched in the message
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
    // The message pattern compiled as every rule's is (an empty pattern: an
    // empty regex); an error names the rule.
    Result<BoundedRegex> compileMessagePattern() const;
};

// The filter_rules and filter_state tables.
class RuleStore {
public:
    explicit RuleStore(Database &db) : m_db(db) { }
    Result<std::vector<FilterRule>> list();
    // Checks the rule (a name, a condition, a valid regex) and stores it; the name must be new.
    Result<int64_t> add(const FilterRule &rule);
    // False when no rule has that name.
    Result<bool> remove(const QString &name);
    Result<bool> setEnabled(const QString &name, bool enabled);

    // The fingerprint of the scrubbing rules the stored reports were scrubbed
    // with; empty before any import.
    Result<QString> scrubbedWith();
    Result<void> setScrubbedWith(const QString &fingerprint);

private:
    Database &m_db;
};

} // namespace ed
