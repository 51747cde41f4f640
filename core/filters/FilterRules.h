#pragma once
// The user's drop and hide rules, in the spirit of Python logging filters: a
// rule names conditions (all must hold) and an action. A hide rule keeps the
// report, marked with the rule's name; a drop rule keeps nothing, and the
// import summary counts it. FilterRule and its table are in store/RuleStore.h.
#include "store/RuleStore.h"
#include "model/Filter.h"
#include "base/Result.h"
#include "base/BoundedRegex.h"

#include <QString>
#include <optional>
#include <vector>

namespace ed {

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

} // namespace ed
