#include "base/BoundedRegex.h"

#include <QSet>

#include <algorithm>

namespace ed {
namespace {

// PCRE2 reads "(*LIMIT_MATCH=n)" at the start of a pattern as a lower match
// limit for every search with it; QRegularExpression has no setter for it.
QString bounded(const QString &pattern) { return QStringLiteral("(*LIMIT_MATCH=%1)").arg(BoundedRegex::kMatchLimit) + pattern; }

} // namespace

Result<BoundedRegex> BoundedRegex::compile(const QString &pattern, QRegularExpression::PatternOptions options,
                                           const QString &what)
{
    BoundedRegex r;
    r.m_pattern = pattern;
    r.m_re = QRegularExpression(bounded(pattern), options);
    if (!r.m_re.isValid())
        return Error{QStringLiteral("%1: '%2' is not a valid regular expression: %3").arg(what, pattern, r.m_re.errorString())};
    r.m_re.optimize();
    return r;
}

BoundedRegex::Found BoundedRegex::find(const QString &text, qsizetype from, int group) const
{
    Found f;
    const QRegularExpressionMatch m = m_re.match(text, from);
    // An invalid match is PCRE2's error: the match limit (or the JIT stack) ran out.
    if (!m.isValid()) {
        f.outcome = Outcome::Undecided;
        return f;
    }
    if (!m.hasMatch())
        return f;
    f.outcome = Outcome::Match;
    f.begin = m.capturedStart(group);
    f.end = m.capturedEnd(group);
    f.matchEnd = m.capturedEnd(0);
    return f;
}

QString userPatternError(const QString &pattern, QRegularExpression::PatternOptions options)
{
    const QRegularExpression re(pattern, options);
    if (!re.isValid())
        return QStringLiteral("'%1' is not a valid regular expression: %2").arg(pattern, re.errorString());
    if (re.match(QString()).hasMatch())
        return QStringLiteral("'%1' matches the empty string: it would match every text").arg(pattern);
    return {};
}

QString userPatternWarning(const QString &pattern, QRegularExpression::PatternOptions options)
{
    auto compiled = BoundedRegex::compile(pattern, options, QString());
    if (!compiled)
        return {};
    // Runs of one character, then one that breaks the run: what makes nested
    // quantifiers such as (?:a+)+$ backtrack. The pattern's own characters and
    // common classes, each run ended by each of them (PCRE2 gives up early on
    // a text without a character the pattern requires), in a fixed order so
    // the warning names the same test string every time.
    QSet<QChar> set = {QLatin1Char('a'), QLatin1Char('A'), QLatin1Char('0'), QLatin1Char(' '),
                       QLatin1Char('_'), QLatin1Char('.'), QLatin1Char('-'), QLatin1Char('/')};
    for (QChar c : pattern)
        if (c.isPrint() && set.size() < 64)
            set.insert(c);
    QList<QChar> chars = set.values();
    std::sort(chars.begin(), chars.end());
    QList<QChar> ends = chars;
    ends << QLatin1Char('\x01') << QLatin1Char('\n');
    for (QChar c : std::as_const(chars)) {
        for (QChar end : std::as_const(ends)) {
            if (compiled->search(QString(40, c) + end) == BoundedRegex::Outcome::Undecided)
                return QStringLiteral("'%1' backtracks past the regex match limit on a short test string (\"%2\" "
                                      "40 times, then \"%3\"): texts like it will be masked whole (scrubbing) or kept "
                                      "visible and flagged (rules)")
                    .arg(pattern, QString(c),
                         end.isPrint() ? QString(end) : QStringLiteral("U+%1").arg(end.unicode(), 4, 16, QLatin1Char('0')));
        }
    }
    return {};
}

QStringList userPatternWarnings(const QStringList &patterns, QRegularExpression::PatternOptions options)
{
    QStringList out;
    for (const QString &p : patterns)
        if (QString w = userPatternWarning(p, options); !w.isEmpty())
            out << w;
    return out;
}

} // namespace ed
