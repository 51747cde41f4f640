#include "filters/FilterRules.h"

namespace ed {
namespace {

QString fromUtf8(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

// "a.b.C" vs "C": the same class, named with or without its module.
bool sameType(std::string_view a, std::string_view b)
{
    if (a == b)
        return true;
    auto endsWithDotted = [](std::string_view longer, std::string_view shorter) {
        return longer.size() > shorter.size() && longer.substr(longer.size() - shorter.size()) == shorter &&
               longer[longer.size() - shorter.size() - 1] == '.';
    };
    return endsWithDotted(a, b) || endsWithDotted(b, a);
}

} // namespace

bool parseStatusRange(const QString &text, int &lo, int &hi)
{
    const QString t = text.trimmed().toLower();
    bool ok1 = false, ok2 = false;
    if (t.size() == 3 && t.endsWith(QLatin1String("xx"))) {
        const int h = t.left(1).toInt(&ok1);
        if (!ok1 || h < 1 || h > 9)
            return false;
        lo = h * 100;
        hi = h * 100 + 99;
        return true;
    }
    const qsizetype dash = t.indexOf(QLatin1Char('-'));
    if (dash < 0) {
        lo = hi = t.toInt(&ok1);
        return ok1 && lo >= 100 && lo <= 999;
    }
    lo = t.left(dash).trimmed().toInt(&ok1);
    hi = t.mid(dash + 1).trimmed().toInt(&ok2);
    return ok1 && ok2 && lo >= 100 && hi <= 999 && lo <= hi;
}

Result<CompiledRule> CompiledRule::compile(const FilterRule &rule)
{
    CompiledRule c;
    c.m_rule = rule;
    c.m_logger = rule.logger.toStdString();
    c.m_type = rule.exceptionType.toStdString();
    if (!rule.messagePattern.isEmpty()) {
        auto re = rule.compileMessagePattern();
        if (!re)
            return re.failure();
        c.m_message = std::move(*re);
    }
    return c;
}

BoundedRegex::Outcome CompiledRule::test(const RecordFacts &f) const
{
    using Outcome = BoundedRegex::Outcome;
    const FilterRule &r = m_rule;
    if (!r.enabled || !r.hasCondition())
        return Outcome::NoMatch;
    if (r.belowLevel && f.level >= *r.belowLevel)
        return Outcome::NoMatch;
    if (r.statusMin && (!f.statusCode || *f.statusCode < *r.statusMin || *f.statusCode > *r.statusMax))
        return Outcome::NoMatch;
    if (!m_logger.empty()) {
        // Python's logger hierarchy: "django.security" covers "django.security.csrf".
        const std::string_view l = f.logger;
        if (!(l == m_logger ||
              (l.size() > m_logger.size() && l.substr(0, m_logger.size()) == m_logger && l[m_logger.size()] == '.')))
            return Outcome::NoMatch;
    }
    if (!m_type.empty()) {
        bool found = false;
        std::string_view types = f.exceptionTypes.empty() ? f.exceptionType : f.exceptionTypes;
        while (!types.empty() && !found) {
            const size_t sp = types.find(' ');
            found = sameType(types.substr(0, sp), m_type);
            types = sp == std::string_view::npos ? std::string_view() : types.substr(sp + 1);
        }
        if (!found)
            return Outcome::NoMatch;
    }
    // The regex last: the other conditions are cheap and decide most records.
    if (!r.messagePattern.isEmpty())
        return m_message.search(fromUtf8(f.message));
    return Outcome::Match;
}

} // namespace ed
