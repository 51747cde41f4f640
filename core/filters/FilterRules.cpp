#include "filters/FilterRules.h"

#include "base/Level.h"

#include <QDateTime>
#include <QStringList>

namespace ed {
namespace {

QString fromUtf8(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

// "a.b.C" vs "C": the same class, named with or without its module.
bool sameType(std::string_view a, std::string_view b)
{
    if (a == b)
        return true;
    auto endsWithDotted = [](std::string_view longer, std::string_view shorter) {
        return longer.size() > shorter.size() && longer.substr(longer.size() - shorter.size()) == shorter
            && longer[longer.size() - shorter.size() - 1] == '.';
    };
    return endsWithDotted(a, b) || endsWithDotted(b, a);
}

} // namespace

bool FilterRule::hasCondition() const
{
    return belowLevel || !logger.isEmpty() || !exceptionType.isEmpty() || !messagePattern.isEmpty() || statusMin;
}

QString FilterRule::actionName(RuleAction a) { return a == RuleAction::Drop ? QStringLiteral("drop") : QStringLiteral("hide"); }

std::optional<RuleAction> FilterRule::actionFromName(const QString &s)
{
    if (s == QLatin1String("drop"))
        return RuleAction::Drop;
    if (s == QLatin1String("hide"))
        return RuleAction::Hide;
    return std::nullopt;
}

QString FilterRule::describe() const
{
    QStringList parts;
    if (belowLevel)
        parts << QStringLiteral("level < %1").arg(levelName(*belowLevel));
    if (!logger.isEmpty())
        parts << QStringLiteral("logger %1").arg(logger);
    if (!exceptionType.isEmpty())
        parts << QStringLiteral("exception %1").arg(exceptionType);
    if (!messagePattern.isEmpty())
        parts << QStringLiteral("message ~ /%1/").arg(messagePattern);
    if (statusMin)
        parts << (*statusMin == *statusMax ? QStringLiteral("status %1").arg(*statusMin)
                                           : QStringLiteral("status %1-%2").arg(*statusMin).arg(*statusMax));
    return parts.join(QStringLiteral(", "));
}

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
        auto re = BoundedRegex::compile(rule.messagePattern, QRegularExpression::UseUnicodePropertiesOption,
                                        QStringLiteral("rule '%1'").arg(rule.name));
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
        if (!(l == m_logger || (l.size() > m_logger.size() && l.substr(0, m_logger.size()) == m_logger
                                && l[m_logger.size()] == '.')))
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

Result<std::vector<FilterRule>> RuleStore::list()
{
    Statement st = m_db.conn().prepare(
        "SELECT id, name, action, below_level, logger, exception_type, message_regex, status_min, status_max, enabled"
        " FROM filter_rules ORDER BY id");
    if (!st.valid())
        return st.failure();
    std::vector<FilterRule> out;
    while (st.step()) {
        FilterRule r;
        r.id = st.int64(0);
        r.name = st.qtext(1);
        r.action = FilterRule::actionFromName(st.qtext(2)).value_or(RuleAction::Hide);
        if (!st.isNull(3))
            r.belowLevel = int(st.int64(3));
        r.logger = st.qtext(4);
        r.exceptionType = st.qtext(5);
        r.messagePattern = st.qtext(6);
        if (!st.isNull(7)) {
            r.statusMin = int(st.int64(7));
            r.statusMax = st.isNull(8) ? *r.statusMin : int(st.int64(8));
        }
        r.enabled = st.int64(9) != 0;
        out.push_back(std::move(r));
    }
    if (st.errorCode() != 101 /* SQLITE_DONE */)
        return st.failure();
    return out;
}

Result<int64_t> RuleStore::add(const FilterRule &rule)
{
    if (rule.name.trimmed().isEmpty())
        return Error{QStringLiteral("a rule needs a name")};
    if (!rule.hasCondition())
        return Error{QStringLiteral("rule '%1' has no condition: give a level, logger, exception, message or status").arg(rule.name)};
    if (auto c = CompiledRule::compile(rule); !c)
        return c.failure();
    Statement st = m_db.conn().prepare(
        "INSERT INTO filter_rules(name, action, below_level, logger, exception_type, message_regex, status_min,"
        " status_max, enabled, created_at) VALUES(?,?,?,?,?,?,?,?,?,?)");
    if (!st.valid())
        return st.failure();
    st.bind(1, rule.name.trimmed()).bind(2, FilterRule::actionName(rule.action));
    if (rule.belowLevel)
        st.bind(3, *rule.belowLevel);
    else
        st.bindNull(3);
    auto optText = [&st](int i, const QString &s) {
        if (s.isEmpty())
            st.bindNull(i);
        else
            st.bind(i, s);
    };
    optText(4, rule.logger);
    optText(5, rule.exceptionType);
    optText(6, rule.messagePattern);
    if (rule.statusMin) {
        st.bind(7, *rule.statusMin).bind(8, rule.statusMax.value_or(*rule.statusMin));
    } else {
        st.bindNull(7).bindNull(8);
    }
    st.bind(9, int64_t(rule.enabled ? 1 : 0)).bind(10, QDateTime::currentMSecsSinceEpoch());
    if (!st.exec()) {
        if (st.error().contains(QLatin1String("UNIQUE")))
            return Error{QStringLiteral("a rule named '%1' exists already").arg(rule.name)};
        return st.failure();
    }
    return m_db.conn().lastInsertId();
}

Result<bool> RuleStore::remove(const QString &name)
{
    Statement st = m_db.conn().prepare("DELETE FROM filter_rules WHERE name = ?");
    st.bind(1, name);
    if (!st.exec())
        return st.failure();
    return m_db.conn().changes() > 0;
}

Result<bool> RuleStore::setEnabled(const QString &name, bool enabled)
{
    Statement st = m_db.conn().prepare("UPDATE filter_rules SET enabled = ? WHERE name = ?");
    st.bind(1, int64_t(enabled ? 1 : 0)).bind(2, name);
    if (!st.exec())
        return st.failure();
    return m_db.conn().changes() > 0;
}

} // namespace ed
