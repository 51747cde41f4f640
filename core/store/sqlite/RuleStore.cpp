#include "store/RuleStore.h"

#include "base/Level.h"
#include "store/sqlite/SqlDialect.h"
#include "store/sqlite/Sqlite.h"

#include <QDateTime>
#include <QStringList>

namespace ed {

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

Result<BoundedRegex> FilterRule::compileMessagePattern() const
{
    return BoundedRegex::compile(messagePattern, QRegularExpression::UseUnicodePropertiesOption,
                                 QStringLiteral("rule '%1'").arg(name));
}

Result<std::vector<FilterRule>> RuleStore::list()
{
    Statement st = connectionOf(m_db).prepare(
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
    if (!st.done())
        return st.failure();
    return out;
}

Result<int64_t> RuleStore::add(const FilterRule &rule)
{
    if (rule.name.trimmed().isEmpty())
        return Error{QStringLiteral("a rule needs a name")};
    if (!rule.hasCondition())
        return Error{
            QStringLiteral("rule '%1' has no condition: give a level, logger, exception, message or status").arg(rule.name)};
    if (!rule.messagePattern.isEmpty()) {
        if (auto re = rule.compileMessagePattern(); !re)
            return re.failure();
    }
    Statement st = connectionOf(m_db).prepare(
        "INSERT INTO filter_rules(name, action, below_level, logger, exception_type, message_regex, status_min,"
        " status_max, enabled, created_at) VALUES(?,?,?,?,?,?,?,?,?,?) RETURNING id");
    if (!st.valid())
        return st.failure();
    st.bind(1, rule.name.trimmed()).bind(2, FilterRule::actionName(rule.action));
    if (rule.belowLevel)
        st.bind(3, *rule.belowLevel);
    else
        st.bindNull(3);
    st.bindTextOrNull(4, rule.logger).bindTextOrNull(5, rule.exceptionType).bindTextOrNull(6, rule.messagePattern);
    if (rule.statusMin) {
        st.bind(7, *rule.statusMin).bind(8, rule.statusMax.value_or(*rule.statusMin));
    } else {
        st.bindNull(7).bindNull(8);
    }
    st.bind(9, int64_t(rule.enabled ? 1 : 0)).bind(10, QDateTime::currentMSecsSinceEpoch());
    auto id = insertedId(st);
    if (!id && id.errorKind() == ErrorKind::Conflict)
        return Error{QStringLiteral("a rule named '%1' exists already").arg(rule.name)};
    if (id)
        (void)announceChange(connectionOf(m_db), StoreChange::Settings); // committed: a lost notice only delays the others
    return id;
}

Result<bool> RuleStore::remove(const QString &name)
{
    Statement st = connectionOf(m_db).prepare("DELETE FROM filter_rules WHERE name = ?");
    st.bind(1, name);
    if (!st.exec())
        return st.failure();
    const bool changed = connectionOf(m_db).changes() > 0;
    if (changed)
        (void)announceChange(connectionOf(m_db), StoreChange::Settings);
    return changed;
}

Result<bool> RuleStore::setEnabled(const QString &name, bool enabled)
{
    Statement st = connectionOf(m_db).prepare("UPDATE filter_rules SET enabled = ? WHERE name = ?");
    st.bind(1, int64_t(enabled ? 1 : 0)).bind(2, name);
    if (!st.exec())
        return st.failure();
    const bool changed = connectionOf(m_db).changes() > 0;
    if (changed)
        (void)announceChange(connectionOf(m_db), StoreChange::Settings);
    return changed;
}

Result<QString> RuleStore::scrubbedWith()
{
    Statement st = connectionOf(m_db).prepare("SELECT value FROM filter_state WHERE name = 'scrubbed_with'");
    if (!st.valid())
        return st.failure();
    if (st.step())
        return st.qtext(0);
    if (!st.done())
        return st.failure();
    return QString();
}

Result<void> RuleStore::setScrubbedWith(const QString &fingerprint)
{
    Statement st = connectionOf(m_db).prepare("INSERT INTO filter_state(name, value) VALUES('scrubbed_with', ?)"
                                              " ON CONFLICT(name) DO UPDATE SET value = excluded.value");
    if (!st.valid())
        return st.failure();
    st.bind(1, fingerprint);
    if (!st.exec())
        return st.failure();
    return {};
}

} // namespace ed
