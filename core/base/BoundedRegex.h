#pragma once
// A user's regex (scrubbing patterns, rule messages) with a bound on how much
// backtracking one search may do. PCRE2 gives up on a search that passes its
// match limit; QRegularExpression then reports "no match", which would let a
// pattern such as (?:a+)+$|sk_live_... keep a secret in clear or a drop rule
// keep what it should drop. Here that outcome has its own name, Undecided, so
// each caller chooses the safe side (mask the text, keep the report visible).
#include "base/Result.h"

#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace ed {

class BoundedRegex {
public:
    enum class Outcome { NoMatch, Match, Undecided };
    struct Found {
        Outcome outcome = Outcome::NoMatch;
        qsizetype begin = -1, end = -1; // the group asked for (-1 when it took no part), for Match
        qsizetype matchEnd = -1; // where the whole match ends: the next search starts there
    };

    // PCRE2's match limit for one search: a few milliseconds of backtracking.
    // Linear scans of long texts stay far below it.
    static constexpr int kMatchLimit = 200000;

    BoundedRegex() = default;
    // `what` names the pattern in the error ("ERRORDECK_SENSITIVE_VALUES", "rule 'x'").
    static Result<BoundedRegex> compile(const QString &pattern, QRegularExpression::PatternOptions options, const QString &what);

    bool isNull() const { return m_pattern.isEmpty(); }
    const QString &pattern() const { return m_pattern; }
    int captureCount() const { return m_re.captureCount(); }

    // The first match at or after `from` (group `group` of it when it has one).
    Found find(const QString &text, qsizetype from = 0, int group = 0) const;
    Outcome search(const QString &text) const { return find(text).outcome; }

private:
    QString m_pattern;
    QRegularExpression m_re;
};

// What is wrong with a user's pattern before it is saved: not a valid regex, or
// one that matches the empty string (it would mask or match everything).
// Empty when it is fine.
QString userPatternError(const QString &pattern, QRegularExpression::PatternOptions options = {});
// A warning for a pattern that passes PCRE2's match limit on a short test
// string (runs of one character, as in (?:a+)+$): it would make every text it
// meets undecided. Empty when none of the test strings blows it up.
QString userPatternWarning(const QString &pattern, QRegularExpression::PatternOptions options = {});
// The same for each pattern of a list, each message naming its pattern.
QStringList userPatternWarnings(const QStringList &patterns, QRegularExpression::PatternOptions options = {});

} // namespace ed
