#include "store/SearchQuery.h"

#include "base/Level.h"
#include "store/SearchGrammar.h"

#include <QDateTime>
#include <QRegularExpression>

namespace ed {
namespace {

using Kind = SearchTerm::Kind;
using search::Word;

// "<op><number>" with op one of >=, <=, >, <, = or none.
SearchTerm::Compare splitComparator(QString &value)
{
    using C = SearchTerm::Compare;
    for (const auto &[op, compare] : {std::pair{">=", C::AtLeast}, std::pair{"<=", C::AtMost}, std::pair{">", C::Above},
                                      std::pair{"<", C::Below}, std::pair{"=", C::Equal}}) {
        if (value.startsWith(QLatin1String(op))) {
            value = value.mid(qsizetype(strlen(op)));
            return compare;
        }
    }
    return C::Equal;
}

// What reads the words of one text: the zone and the moment relative dates count from.
class FieldReader {
public:
    FieldReader(DisplayZone zone, int64_t now) : m_zone(zone), m_now(now) { }

    search::TermOrProblem operator()(const Word &w, bool &showHidden) const
    {
        SearchTerm term;
        term.negated = w.negated;
        if (w.field.isEmpty()) {
            term.text = w.value;
            return term;
        }
        if (!SearchQuery::fieldNames().contains(w.field)) {
            const QString near = search::closest(w.field, SearchQuery::fieldNames());
            return SearchProblem{w.start + (w.negated ? 1 : 0), w.valueStart - w.start - (w.negated ? 1 : 0),
                                 QStringLiteral("unknown field '%1' (to search for the text, put it in quotes)").arg(w.field),
                                 near.isEmpty() ? QString() : near + QLatin1Char(':')};
        }
        if (w.value.isEmpty())
            return bad(w, QStringLiteral("'%1:' needs a value").arg(w.field));
        return value(w, term, showHidden);
    }

private:
    // A problem with the value of `w` (the underline covers the value).
    static SearchProblem bad(const Word &w, const QString &message, const QString &suggestion = {})
    {
        const qsizetype start = w.value.isEmpty() ? w.start : w.valueStart;
        return SearchProblem{start, std::max<qsizetype>(1, w.end - start), message, suggestion};
    }

    search::TermOrProblem value(const Word &w, SearchTerm &term, bool &showHidden) const;
    std::optional<int64_t> moment(const QString &v) const;

    DisplayZone m_zone;
    int64_t m_now;
};

// "-24h", "+7d": a signed span of s, m (minutes), h, d or w; nullopt otherwise.
std::optional<std::pair<QChar, int64_t>> signedSpan(const QString &v)
{
    static const QRegularExpression re(QStringLiteral("^([+-])(\\d{1,6})([smhdw])$"));
    const auto m = re.match(v);
    if (!m.hasMatch())
        return std::nullopt;
    static const QHash<QString, int64_t> unitMs{{QStringLiteral("s"), 1000},
                                                {QStringLiteral("m"), 60 * 1000},
                                                {QStringLiteral("h"), 3600 * 1000},
                                                {QStringLiteral("d"), 86400 * 1000},
                                                {QStringLiteral("w"), 7 * 86400 * 1000}};
    return std::pair{m.captured(1).front(), m.captured(2).toLongLong() * unitMs.value(m.captured(3))};
}

// An after:/before: value: a date or time (in the shown zone unless it says Z
// or an offset), today, yesterday, now, or "-7d" (seven days before now).
std::optional<int64_t> FieldReader::moment(const QString &v) const
{
    const QString s = v.toLower();
    if (s == QLatin1String("now"))
        return m_now;
    if (s == QLatin1String("today"))
        return startOfDay(m_now, m_zone);
    if (s == QLatin1String("yesterday"))
        return startOfDay(m_now, m_zone, -1);
    if (const auto span = signedSpan(s); span && span->first == QLatin1Char('-'))
        return m_now - span->second;
    return parseDisplayTime(v.toStdString(), m_zone);
}

search::TermOrProblem FieldReader::value(const Word &w, SearchTerm &term, bool &showHidden) const
{
    const QString &f = w.field;
    QString v = w.value;
    auto as = [&](Kind kind) -> search::TermOrProblem {
        term.kind = kind;
        return term;
    };
    if (f == QLatin1String("level")) {
        term.compare = splitComparator(v);
        const auto level = parseLevel(v.toStdString());
        if (!level) {
            const QStringList names{QStringLiteral("debug"), QStringLiteral("info"), QStringLiteral("warning"),
                                    QStringLiteral("error"), QStringLiteral("critical")};
            const QString near = search::closest(v, names);
            return bad(w, QStringLiteral("unknown level '%1' (debug, info, warning, error, critical)").arg(v),
                       near.isEmpty() ? QString() : QStringLiteral("level:") + near);
        }
        term.number = *level;
        return as(Kind::Level);
    }
    if (f == QLatin1String("status")) {
        term.compare = splitComparator(v);
        bool ok = false;
        if (term.compare == SearchTerm::Compare::Equal && v.size() == 3 && v.endsWith(QLatin1String("xx"), Qt::CaseInsensitive)) {
            const int hundreds = v.left(1).toInt(&ok);
            if (!ok)
                return bad(w, QStringLiteral("bad status '%1' (a class is 4xx or 5xx)").arg(v));
            term.number = hundreds * 100;
            term.upTo = hundreds * 100 + 99;
            return as(Kind::StatusRange);
        }
        term.number = v.toInt(&ok);
        if (!ok)
            return bad(w, QStringLiteral("bad status '%1' (a code like 500, a class like 5xx, or >=400)").arg(v));
        return as(Kind::Status);
    }
    if (f == QLatin1String("logger") || f == QLatin1String("site") || f == QLatin1String("event") || f == QLatin1String("type")) {
        term.text = v;
        return as(f == QLatin1String("logger")  ? Kind::Logger
                  : f == QLatin1String("site")  ? Kind::Site
                  : f == QLatin1String("event") ? Kind::EventId
                                                : Kind::ExceptionType);
    }
    if (f == QLatin1String("path")) {
        term.text = v;
        term.wildcard = v.contains(QLatin1Char('*')) || v.contains(QLatin1Char('?'));
        return as(Kind::Path);
    }
    if (f == QLatin1String("message")) {
        // message:= is the exact text; message:x a part of it, in any case.
        const bool exact = w.rawValue.startsWith(QLatin1Char('='));
        term.text = exact ? v.mid(1) : v;
        if (term.text.isEmpty())
            return bad(w, QStringLiteral("'message:=' needs the text"));
        term.wildcard = term.text.contains(QLatin1Char('*')) || term.text.contains(QLatin1Char('?'));
        term.substring = !exact && !term.wildcard;
        return as(Kind::Message);
    }
    if (f == QLatin1String("issue")) {
        bool ok = false;
        term.number = v.toLongLong(&ok);
        if (!ok)
            return bad(w, QStringLiteral("bad issue id '%1'").arg(v));
        return as(Kind::Issue);
    }
    if (f == QLatin1String("after") || f == QLatin1String("before")) {
        const auto t = moment(v);
        if (!t)
            return bad(w, QStringLiteral("bad date '%1' (2026-11-20, 2026-11-20T12:00, a Z or +02:00 after the time, "
                                         "today, yesterday, or -7d)")
                              .arg(v));
        term.number = *t;
        return as(f == QLatin1String("after") ? Kind::After : Kind::Before);
    }
    if (f == QLatin1String("age")) {
        // As in Sentry: age:-24h is newer than a day, age:+24h older.
        const auto span = signedSpan(v.toLower());
        if (!span)
            return bad(w,
                       QStringLiteral("bad age '%1' (-24h: newer than 24 hours; +7d: older than 7 days; s, m, h, d, w)").arg(v));
        term.number = m_now - span->second;
        return as(span->first == QLatin1Char('-') ? Kind::After : Kind::Before);
    }
    // is:
    const QString s = v.toLower();
    if (s == QLatin1String("hidden")) {
        showHidden = true;
        return as(Kind::Hidden);
    }
    if (s == QLatin1String("regression") || s == QLatin1String("regressed"))
        return as(Kind::Regression);
    // IssueStatus: Unresolved 0, Resolved 1, Ignored 2 (store/ReportStore.h).
    const QStringList statuses{QStringLiteral("unresolved"), QStringLiteral("resolved"), QStringLiteral("ignored")};
    if (!statuses.contains(s)) {
        const QString near = search::closest(s, statuses + QStringList{QStringLiteral("regression"), QStringLiteral("hidden")});
        return bad(w, QStringLiteral("unknown 'is:%1' (unresolved, resolved, ignored, regression, hidden)").arg(v),
                   near.isEmpty() ? QString() : QStringLiteral("is:") + near);
    }
    term.number = statuses.indexOf(s);
    return as(Kind::IssueStatus);
}

std::variant<ParsedSearch, SearchProblem> parseText(const SearchQuery &q)
{
    const int64_t now = q.now ? *q.now : QDateTime::currentMSecsSinceEpoch();
    return search::parse(q.text, FieldReader(q.zone, now));
}

} // namespace

QString SearchProblem::text() const
{
    QString out = QStringLiteral("column %1: %2").arg(start + 1).arg(message);
    if (!suggestion.isEmpty())
        out += QStringLiteral("; did you mean %1?").arg(suggestion);
    return out;
}

Result<ParsedSearch> SearchQuery::parse() const
{
    ParsedSearch out;
    if (checked && checked->text == text && checked->zone == zone) {
        out = checked->parsed;
    } else {
        auto parsed = parseText(*this);
        if (auto *p = std::get_if<SearchProblem>(&parsed))
            return Error{p->text(), ErrorKind::InvalidInput};
        out = std::move(std::get<ParsedSearch>(parsed));
    }
    out.showHidden = out.showHidden || includeHidden;
    return out;
}

Result<void> SearchQuery::check()
{
    problem.reset();
    if (checked && checked->text == text && checked->zone == zone)
        return {};
    auto parsed = parseText(*this);
    if (auto *p = std::get_if<SearchProblem>(&parsed)) {
        problem = *p;
        return Error{p->text(), ErrorKind::InvalidInput};
    }
    checked = std::make_shared<const Checked>(Checked{text, std::move(std::get<ParsedSearch>(parsed)), zone});
    return {};
}

std::optional<int64_t> spanMs(const QString &text)
{
    const auto span = signedSpan(QLatin1Char('+') + text.trimmed().toLower());
    if (!span || span->second <= 0)
        return std::nullopt;
    return span->second;
}

QString issueViewName(IssueView v)
{
    switch (v) {
    case IssueView::Unresolved: return QStringLiteral("unresolved");
    case IssueView::ForReview: return QStringLiteral("review");
    case IssueView::Resolved: return QStringLiteral("resolved");
    case IssueView::Ignored: return QStringLiteral("ignored");
    case IssueView::All: return QStringLiteral("all");
    }
    return {};
}

std::optional<IssueView> issueViewFromName(const QString &name)
{
    for (IssueView v : kAllIssueViews)
        if (name.compare(issueViewName(v), Qt::CaseInsensitive) == 0)
            return v;
    return std::nullopt;
}

QStringList SearchQuery::fieldNames()
{
    return {QStringLiteral("level"), QStringLiteral("status"), QStringLiteral("logger"),  QStringLiteral("path"),
            QStringLiteral("type"),  QStringLiteral("is"),     QStringLiteral("site"),    QStringLiteral("issue"),
            QStringLiteral("after"), QStringLiteral("before"), QStringLiteral("message"), QStringLiteral("event"),
            QStringLiteral("age")};
}

} // namespace ed
