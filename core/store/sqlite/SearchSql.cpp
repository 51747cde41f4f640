#include "store/sqlite/SearchSql.h"

#include <QStringList>

namespace ed {
namespace {

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

QString ftsPhrase(const QString &word)
{
    QString w = word;
    w.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + w + QStringLiteral("\"*");
}

QString comparator(SearchTerm::Compare c)
{
    switch (c) {
    case SearchTerm::Compare::Equal: return QStringLiteral("=");
    case SearchTerm::Compare::AtLeast: return QStringLiteral(">=");
    case SearchTerm::Compare::AtMost: return QStringLiteral("<=");
    case SearchTerm::Compare::Above: return QStringLiteral(">");
    case SearchTerm::Compare::Below: return QStringLiteral("<");
    }
    return QStringLiteral("=");
}

// An equality can use the column's index; a range of values is usually broad:
// scan by time (unary + keeps the column's index out).
QString compared(const char *column, SearchTerm::Compare c)
{
    return c == SearchTerm::Compare::Equal ? QStringLiteral("%1 = ?").arg(QLatin1String(column))
                                           : QStringLiteral("+%1 %2 ?").arg(QLatin1String(column), comparator(c));
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

Result<SqlFilter> searchSql(const SearchQuery &query, const std::function<double(const QString &)> &loggerShare)
{
    auto parsed = query.parse();
    if (!parsed)
        return parsed.failure();
    using Kind = SearchTerm::Kind;
    SqlFilter out;
    QStringList conds;
    QStringList fts;
    for (const SearchTerm &t : parsed->terms) {
        auto add = [&](QString cond) {
            // A NULL column (no exception type, no status) does not match, so its negation does.
            conds << (t.negated ? QStringLiteral("NOT coalesce((%1), 0)").arg(cond) : QStringLiteral("(%1)").arg(cond));
        };
        switch (t.kind) {
        case Kind::Text:
            if (t.negated) {
                conds << QStringLiteral("r.id NOT IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH ?)");
                out.binds.push_back(ftsPhrase(t.text));
            } else {
                fts << ftsPhrase(t.text);
            }
            break;
        case Kind::Level:
            add(compared("r.level", t.compare));
            out.binds.push_back(qint64(t.number));
            break;
        case Kind::Status:
            add(compared("r.status_code", t.compare));
            out.binds.push_back(qint64(t.number));
            break;
        case Kind::StatusRange:
            add(QStringLiteral("+r.status_code BETWEEN ? AND ?"));
            out.binds.push_back(qint64(t.number));
            out.binds.push_back(qint64(t.upTo));
            break;
        case Kind::Logger: {
            // The logger and its children, as in Python logging; a range keeps the index usable.
            const bool broad = loggerShare && loggerShare(t.text) > 0.05;
            add(broad ? QStringLiteral("+r.logger = ? OR (+r.logger > ? AND +r.logger < ?)")
                      : QStringLiteral("r.logger = ? OR (r.logger > ? AND r.logger < ?)"));
            out.binds.push_back(t.text);
            out.binds.push_back(t.text + QLatin1Char('.'));
            out.binds.push_back(t.text + QLatin1Char('/'));
            break;
        }
        case Kind::Path:
        case Kind::Message: {
            const QString col = t.kind == Kind::Path ? QStringLiteral("r.path") : QStringLiteral("r.message");
            if (t.substring) {
                add(col + QStringLiteral(" LIKE ? ESCAPE '\\'")); // SQLite's LIKE: any case (ASCII)
                out.binds.push_back(QLatin1Char('%') + likeEscape(t.text) + QLatin1Char('%'));
            } else if (t.wildcard) {
                QString like = likeEscape(t.text);
                like.replace(QLatin1Char('*'), QLatin1Char('%')).replace(QLatin1Char('?'), QLatin1Char('_'));
                add(col + QStringLiteral(" LIKE ? ESCAPE '\\'"));
                out.binds.push_back(like);
            } else {
                add(col + QStringLiteral(" = ?"));
                out.binds.push_back(t.text);
            }
            break;
        }
        case Kind::ExceptionType:
        case Kind::Site:
        case Kind::EventId:
            add(t.kind == Kind::ExceptionType ? QStringLiteral("r.exception_type = ? COLLATE NOCASE")
                : t.kind == Kind::Site        ? QStringLiteral("r.site = ?")
                                              : QStringLiteral("r.event_id = ?"));
            out.binds.push_back(t.text);
            break;
        case Kind::Issue:
            add(QStringLiteral("r.issue_id = ?"));
            out.binds.push_back(qint64(t.number));
            break;
        case Kind::After:
        case Kind::Before:
            add(t.kind == Kind::After ? QStringLiteral("r.timestamp >= ?") : QStringLiteral("r.timestamp < ?"));
            out.binds.push_back(qint64(t.number));
            break;
        case Kind::Hidden: add(QStringLiteral("r.hidden_by IS NOT NULL")); break;
        case Kind::IssueStatus:
            out.joinsIssues = true;
            add(QStringLiteral("i.status = %1").arg(t.number));
            break;
        case Kind::Regression:
            out.joinsIssues = true;
            add(QStringLiteral("i.regression = 1"));
            break;
        case Kind::AnyOf: {
            // OR: each alternative translated as a search of its own (its free
            // text a subquery of the index), hidden reports left to this one.
            QStringList alternatives;
            for (const auto &terms : t.anyOf) {
                SearchQuery alternative;
                alternative.checked = std::make_shared<const SearchQuery::Checked>(
                    SearchQuery::Checked{QString(), ParsedSearch{terms, true}, alternative.zone});
                auto sql = searchSql(alternative, loggerShare);
                if (!sql)
                    return sql.failure();
                alternatives << (sql->where.isEmpty() ? QStringLiteral("1") : QStringLiteral("(%1)").arg(sql->where));
                out.binds.insert(out.binds.end(), sql->binds.begin(), sql->binds.end());
                out.joinsIssues = out.joinsIssues || sql->joinsIssues;
            }
            add(alternatives.join(QStringLiteral(" OR ")));
            break;
        }
        }
    }
    if (!parsed->showHidden)
        conds << QStringLiteral("r.hidden_by IS NULL");
    if (query.since) {
        conds << QStringLiteral("r.timestamp >= ?");
        out.binds.push_back(qint64(*query.since));
    }
    if (query.until) {
        conds << QStringLiteral("r.timestamp < ?");
        out.binds.push_back(qint64(*query.until));
    }
    if (query.issueId) {
        conds << QStringLiteral("r.issue_id = ?");
        out.binds.push_back(qint64(*query.issueId));
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
