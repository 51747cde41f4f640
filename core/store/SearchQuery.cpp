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
            } else if (!inQuote && text[i] == QLatin1Char(':') && t.field.isEmpty() && !word.isEmpty()
                       && fieldNamesContain(word)) {
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

QString likeEscape(const QString &s)
{
    QString out;
    for (QChar c : s) {
        if (c == QLatin1Char('%') || c == QLatin1Char('_') || c == QLatin1Char('\\'))
            out += QLatin1Char('\\');
        out += c;
    }
    return out;
}

// "<op><number>" with op one of >=, <=, >, <, = or none.
QString splitComparator(QString &value)
{
    for (const char *op : {">=", "<=", ">", "<", "="}) {
        if (value.startsWith(QLatin1String(op))) {
            value = value.mid(qsizetype(strlen(op)));
            return QString::fromLatin1(op);
        }
    }
    return QStringLiteral("=");
}

QString ftsPhrase(const QString &word)
{
    QString w = word;
    w.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + w + QStringLiteral("\"*");
}

} // namespace

QString SqlFilter::fromClause() const
{
    QString sql = QStringLiteral(" FROM reports r");
    if (joinsIssues)
        sql += QStringLiteral(" JOIN issues i ON i.id = r.issue_id");
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where;
    return sql;
}

Result<void> SearchQuery::check() const
{
    auto sql = toSql();
    if (!sql)
        return sql.failure();
    return {};
}

QStringList SearchQuery::fieldNames()
{
    return {QStringLiteral("level"), QStringLiteral("status"), QStringLiteral("logger"), QStringLiteral("path"),
            QStringLiteral("type"),  QStringLiteral("is"),     QStringLiteral("site"),   QStringLiteral("issue"),
            QStringLiteral("after"), QStringLiteral("before"), QStringLiteral("message"), QStringLiteral("event")};
}

bool fieldNamesContain(const QString &word)
{
    return SearchQuery::fieldNames().contains(word.toLower());
}

Result<SqlFilter> SearchQuery::toSql(const std::function<double(const QString &)> &loggerShare) const
{
    SqlFilter out;
    QStringList conds;
    QStringList fts;
    bool showHidden = includeHidden;
    auto add = [&](const Term &t, QString cond) {
        // A NULL column (no exception type, no status) does not match, so its negation does.
        conds << (t.negated ? QStringLiteral("NOT coalesce((%1), 0)").arg(cond) : QStringLiteral("(%1)").arg(cond));
    };
    for (const Term &t : tokenize(text)) {
        const QString &f = t.field;
        QString v = t.value;
        if (f.isEmpty()) {
            if (t.negated) {
                conds << QStringLiteral("r.id NOT IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?)");
                out.binds.push_back(ftsPhrase(v));
            } else {
                fts << ftsPhrase(v);
            }
            continue;
        }
        if (v.isEmpty())
            return Error{QStringLiteral("'%1:' needs a value").arg(f)};
        if (f == QLatin1String("level")) {
            const QString op = splitComparator(v);
            const auto level = parseLevel(v.toStdString());
            if (!level)
                return Error{QStringLiteral("unknown level '%1' (debug, info, warning, error, critical)").arg(v)};
            // A range of levels is usually broad: scan by time (unary + keeps the level index out).
            add(t, op == QLatin1String("=") ? QStringLiteral("r.level = ?") : QStringLiteral("+r.level %1 ?").arg(op));
            out.binds.push_back(qint64(*level));
        } else if (f == QLatin1String("status")) {
            const QString op = splitComparator(v);
            bool ok = false;
            if (op == QLatin1String("=") && v.size() == 3 && v.endsWith(QLatin1String("xx"), Qt::CaseInsensitive)) {
                const int hundreds = v.left(1).toInt(&ok);
                if (!ok)
                    return Error{QStringLiteral("bad status '%1'").arg(v)};
                add(t, QStringLiteral("+r.status_code BETWEEN ? AND ?"));
                out.binds.push_back(qint64(hundreds * 100));
                out.binds.push_back(qint64(hundreds * 100 + 99));
                continue;
            }
            const int code = v.toInt(&ok);
            if (!ok)
                return Error{QStringLiteral("bad status '%1' (a code like 500, a class like 5xx, or >=400)").arg(v)};
            add(t, op == QLatin1String("=") ? QStringLiteral("r.status_code = ?") : QStringLiteral("+r.status_code %1 ?").arg(op));
            out.binds.push_back(qint64(code));
        } else if (f == QLatin1String("logger")) {
            // The logger and its children, as in Python logging; a range keeps the index usable.
            const bool broad = loggerShare && loggerShare(v) > 0.05;
            add(t, broad ? QStringLiteral("+r.logger = ? OR (+r.logger > ? AND +r.logger < ?)")
                         : QStringLiteral("r.logger = ? OR (r.logger > ? AND r.logger < ?)"));
            out.binds.push_back(v);
            out.binds.push_back(v + QLatin1Char('.'));
            out.binds.push_back(v + QLatin1Char('/'));
        } else if (f == QLatin1String("path") || f == QLatin1String("message")) {
            const QString col = f == QLatin1String("path") ? QStringLiteral("r.path") : QStringLiteral("r.message");
            if (v.contains(QLatin1Char('*')) || v.contains(QLatin1Char('?'))) {
                QString like = likeEscape(v);
                like.replace(QLatin1Char('*'), QLatin1Char('%')).replace(QLatin1Char('?'), QLatin1Char('_'));
                add(t, col + QStringLiteral(" LIKE ? ESCAPE '\\'"));
                out.binds.push_back(like);
            } else {
                add(t, col + QStringLiteral(" = ?"));
                out.binds.push_back(v);
            }
        } else if (f == QLatin1String("type")) {
            add(t, QStringLiteral("r.exception_type = ?"));
            out.binds.push_back(v);
        } else if (f == QLatin1String("site")) {
            add(t, QStringLiteral("r.site = ?"));
            out.binds.push_back(v);
        } else if (f == QLatin1String("event")) {
            add(t, QStringLiteral("r.event_id = ?"));
            out.binds.push_back(v);
        } else if (f == QLatin1String("issue")) {
            bool ok = false;
            const qint64 id = v.toLongLong(&ok);
            if (!ok)
                return Error{QStringLiteral("bad issue id '%1'").arg(v)};
            add(t, QStringLiteral("r.issue_id = ?"));
            out.binds.push_back(id);
        } else if (f == QLatin1String("after") || f == QLatin1String("before")) {
            const auto ts = parseIsoTimestamp(v.toStdString());
            if (!ts)
                return Error{QStringLiteral("bad date '%1' (use 2026-11-20 or 2026-11-20T12:00)").arg(v)};
            add(t, f == QLatin1String("after") ? QStringLiteral("r.timestamp >= ?") : QStringLiteral("r.timestamp < ?"));
            out.binds.push_back(qint64(*ts));
        } else if (f == QLatin1String("is")) {
            const QString s = v.toLower();
            if (s == QLatin1String("hidden")) {
                showHidden = true;
                add(t, QStringLiteral("r.hidden_by IS NOT NULL"));
                continue;
            }
            out.joinsIssues = true;
            if (s == QLatin1String("unresolved"))
                add(t, QStringLiteral("i.status = 0"));
            else if (s == QLatin1String("resolved"))
                add(t, QStringLiteral("i.status = 1"));
            else if (s == QLatin1String("ignored"))
                add(t, QStringLiteral("i.status = 2"));
            else if (s == QLatin1String("regression") || s == QLatin1String("regressed"))
                add(t, QStringLiteral("i.regression = 1"));
            else
                return Error{QStringLiteral("unknown 'is:%1' (unresolved, resolved, ignored, regression, hidden)").arg(v)};
        }
    }
    if (!showHidden)
        conds << QStringLiteral("r.hidden_by IS NULL");
    if (since) {
        conds << QStringLiteral("r.timestamp >= ?");
        out.binds.push_back(qint64(*since));
    }
    if (until) {
        conds << QStringLiteral("r.timestamp < ?");
        out.binds.push_back(qint64(*until));
    }
    if (issueId) {
        conds << QStringLiteral("r.issue_id = ?");
        out.binds.push_back(qint64(*issueId));
    }
    if (!fts.isEmpty()) {
        out.ftsMatch = fts.join(QLatin1Char(' '));
        conds << QStringLiteral("r.id IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?)");
        out.binds.push_back(out.ftsMatch);
    }
    out.where = conds.join(QStringLiteral(" AND "));
    return out;
}

} // namespace ed
