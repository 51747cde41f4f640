#include "store/SearchQuery.h"

#include "base/Level.h"
#include "base/Timestamp.h"

namespace ed {
bool fieldNamesContain(const QString &word);
namespace {

struct Term {
    bool negated = false;
    QString field; // empty for free text
    QString value;
};

// Splits on spaces, keeping "quoted text" together (quotes removed). Control
// characters (a NUL pasted in, a tab) separate words as spaces do: FTS5 and
// SQLite's C strings end at a NUL, and no report text holds one to match.
QList<Term> tokenize(const QString &typed)
{
    QString text = typed;
    for (QChar &c : text)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QLatin1Char(' ');
    QList<Term> terms;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && text[i].isSpace())
            ++i;
        if (i >= n)
            break;
        Term t;
        if (text[i] == QLatin1Char('-') || text[i] == QLatin1Char('!')) {
            t.negated = true;
            ++i;
        }
        QString word;
        bool inQuote = false;
        while (i < n && (inQuote || !text[i].isSpace())) {
            if (text[i] == QLatin1Char('"')) {
                inQuote = !inQuote;
            } else if (!inQuote && text[i] == QLatin1Char(':') && t.field.isEmpty() && !word.isEmpty() &&
                       fieldNamesContain(word)) {
                t.field = word.toLower();
                word.clear();
            } else {
                word += text[i];
            }
            ++i;
        }
        t.value = word;
        if (!t.value.isEmpty() || !t.field.isEmpty())
            terms.append(t);
    }
    return terms;
}

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

Error invalid(const QString &message) { return Error{message, ErrorKind::InvalidInput}; }

// The terms of `text`; showHidden says whether one of them is is:hidden.
Result<ParsedSearch> parseText(const QString &text);

} // namespace

Result<ParsedSearch> SearchQuery::parse() const
{
    ParsedSearch out;
    if (checked && checked->text == text) {
        out = checked->parsed;
    } else {
        auto parsed = parseText(text);
        if (!parsed)
            return parsed;
        out = std::move(*parsed);
    }
    out.showHidden = out.showHidden || includeHidden;
    return out;
}

Result<void> SearchQuery::check()
{
    if (checked && checked->text == text)
        return {};
    auto parsed = parseText(text);
    if (!parsed)
        return parsed.failure();
    checked = std::make_shared<const Checked>(Checked{text, std::move(*parsed)});
    return {};
}

QStringList SearchQuery::fieldNames()
{
    return {QStringLiteral("level"), QStringLiteral("status"), QStringLiteral("logger"),  QStringLiteral("path"),
            QStringLiteral("type"),  QStringLiteral("is"),     QStringLiteral("site"),    QStringLiteral("issue"),
            QStringLiteral("after"), QStringLiteral("before"), QStringLiteral("message"), QStringLiteral("event")};
}

bool fieldNamesContain(const QString &word) { return SearchQuery::fieldNames().contains(word.toLower()); }

namespace {

Result<ParsedSearch> parseText(const QString &text)
{
    using Kind = SearchTerm::Kind;
    ParsedSearch out;
    for (const Term &t : tokenize(text)) {
        const QString &f = t.field;
        QString v = t.value;
        SearchTerm term;
        term.negated = t.negated;
        auto add = [&](Kind kind) {
            term.kind = kind;
            out.terms.push_back(term);
        };
        if (f.isEmpty()) {
            term.text = v;
            add(Kind::Text);
            continue;
        }
        if (v.isEmpty())
            return invalid(QStringLiteral("'%1:' needs a value").arg(f));
        if (f == QLatin1String("level")) {
            term.compare = splitComparator(v);
            const auto level = parseLevel(v.toStdString());
            if (!level)
                return invalid(QStringLiteral("unknown level '%1' (debug, info, warning, error, critical)").arg(v));
            term.number = *level;
            add(Kind::Level);
        } else if (f == QLatin1String("status")) {
            term.compare = splitComparator(v);
            bool ok = false;
            if (term.compare == SearchTerm::Compare::Equal && v.size() == 3 &&
                v.endsWith(QLatin1String("xx"), Qt::CaseInsensitive)) {
                const int hundreds = v.left(1).toInt(&ok);
                if (!ok)
                    return invalid(QStringLiteral("bad status '%1'").arg(v));
                term.number = hundreds * 100;
                term.upTo = hundreds * 100 + 99;
                add(Kind::StatusRange);
                continue;
            }
            term.number = v.toInt(&ok);
            if (!ok)
                return invalid(QStringLiteral("bad status '%1' (a code like 500, a class like 5xx, or >=400)").arg(v));
            add(Kind::Status);
        } else if (f == QLatin1String("logger")) {
            term.text = v;
            add(Kind::Logger);
        } else if (f == QLatin1String("path") || f == QLatin1String("message")) {
            term.text = v;
            term.wildcard = v.contains(QLatin1Char('*')) || v.contains(QLatin1Char('?'));
            add(f == QLatin1String("path") ? Kind::Path : Kind::Message);
        } else if (f == QLatin1String("type") || f == QLatin1String("site") || f == QLatin1String("event")) {
            term.text = v;
            add(f == QLatin1String("type") ? Kind::ExceptionType : f == QLatin1String("site") ? Kind::Site : Kind::EventId);
        } else if (f == QLatin1String("issue")) {
            bool ok = false;
            term.number = v.toLongLong(&ok);
            if (!ok)
                return invalid(QStringLiteral("bad issue id '%1'").arg(v));
            add(Kind::Issue);
        } else if (f == QLatin1String("after") || f == QLatin1String("before")) {
            const auto ts = parseIsoTimestamp(v.toStdString());
            if (!ts)
                return invalid(QStringLiteral("bad date '%1' (use 2026-11-20 or 2026-11-20T12:00)").arg(v));
            term.number = *ts;
            add(f == QLatin1String("after") ? Kind::After : Kind::Before);
        } else if (f == QLatin1String("is")) {
            const QString s = v.toLower();
            if (s == QLatin1String("hidden")) {
                out.showHidden = true;
                add(Kind::Hidden);
            } else if (s == QLatin1String("regression") || s == QLatin1String("regressed")) {
                add(Kind::Regression);
            } else {
                // IssueStatus: Unresolved 0, Resolved 1, Ignored 2 (store/ReportStore.h).
                const QStringList statuses{QStringLiteral("unresolved"), QStringLiteral("resolved"), QStringLiteral("ignored")};
                if (!statuses.contains(s))
                    return invalid(QStringLiteral("unknown 'is:%1' (unresolved, resolved, ignored, regression, hidden)").arg(v));
                term.number = statuses.indexOf(s);
                add(Kind::IssueStatus);
            }
        }
    }
    return out;
}

} // namespace

} // namespace ed
