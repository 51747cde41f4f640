#include "store/sqlite/SearchSql.h"

#include "store/sqlite/IssueViews.h"

#include <QStringList>
#include <utility>

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

// The text before the first wildcard of a path: glob.
QString literalPrefix(const QString &glob)
{
    qsizetype n = 0;
    while (n < glob.size() && glob[n] != QLatin1Char('*') && glob[n] != QLatin1Char('?'))
        ++n;
    return glob.left(n);
}

// [lo, hi) under NOCASE (ASCII letters folded, then bytes compared): every
// text starting with `prefix`, any ASCII case. hi is empty when the prefix
// ends with a character that has no simple successor (not ASCII): the range
// is then open above. Only an index bound: the LIKE beside it decides.
std::pair<QString, QString> nocasePrefixRange(const QString &prefix)
{
    QString lo = prefix;
    for (QChar &c : lo)
        if (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
            c = QChar(c.unicode() + 32);
    if (lo.isEmpty() || lo.back().unicode() > 0x7f)
        return {lo, QString()};
    QString hi = lo;
    hi.back() = QChar(hi.back().unicode() + 1);
    return {lo, hi};
}

QString ftsPhrase(const QString &word)
{
    QString w = word;
    w.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + w + QStringLiteral("\"*");
}

// A free-text word as FTS5 matches it: a prefix ("word"*), or the whole terms
// it is a prefix of when the hints know them (the same reports).
QString ftsTerms(const QString &word, const SearchHints &hints)
{
    if (!hints.prefixTerms || word.isEmpty())
        return ftsPhrase(word);
    for (QChar c : word)
        if (c.unicode() > 0x7f || !c.isLetterOrNumber()) // one token of unicode61, folded as below
            return ftsPhrase(word);
    const auto terms = hints.prefixTerms(word.toLower());
    if (!terms || terms->isEmpty())
        return ftsPhrase(word);
    QStringList quoted;
    for (const QString &t : *terms)
        quoted << QLatin1Char('"') + QString(t).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return quoted.size() == 1 ? quoted.first() : QLatin1Char('(') + quoted.join(QStringLiteral(" OR ")) + QLatin1Char(')');
}

// A free-text word or quoted text as PostgreSQL's tsquery, meaning what
// ftsPhrase's "text"* means to FTS5: the text's words (runs of letters and
// digits, as unicode61 splits them; so `utils.IntegrityError` is utils, then
// integrityerror) one after the other, the last one a prefix:
// 'utils' <-> 'integrityerror':*. The document holds each text's words split
// at punctuation too (errordeck_fts_document), so a dotted name's parts are
// there in order. Each word is quoted and holds only letters and digits: no
// user's text can make a tsquery syntax error. Case is left to the 'simple'
// configuration, which folds the document the same way. A text with no word
// at all matches nothing, as FTS5's empty phrase.
QString tsPhrase(const QString &text)
{
    QStringList words;
    QString word;
    for (const char32_t u : text.toUcs4()) {
        if (QChar::isLetterOrNumber(u) || QChar::isMark(u)) {
            word += QString::fromUcs4(&u, 1);
        } else if (!word.isEmpty()) {
            words << word;
            word.clear();
        }
    }
    if (!word.isEmpty())
        words << word;
    if (words.isEmpty())
        return QStringLiteral("('x' & !'x')"); // never true: a document has 'x' or it has not
    for (QString &w : words)
        w = QLatin1Char('\'') + w + QLatin1Char('\'');
    return words.join(QStringLiteral(" <-> ")) + QStringLiteral(":*");
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
QString compared(SqlDialect d, const char *column, SearchTerm::Compare c)
{
    return c == SearchTerm::Compare::Equal
               ? QStringLiteral("%1 = ?").arg(QLatin1String(column))
               : QStringLiteral("%1 %2 ?").arg(sqldialect::unindexed(d, QLatin1String(column)), comparator(c));
}

} // namespace

// The positive full-text condition is last in `where`, with its bind last.
void SqlFilter::boundFtsRowids(int64_t minRowid)
{
    const QString plain = sqldialect::ftsMatches(dialect);
    if (ftsMatch.isEmpty() || !where.endsWith(plain))
        return;
    where.chop(plain.size());
    where += sqldialect::ftsMatchesFrom(dialect);
    binds.push_back(qint64(minRowid));
}

QString SqlFilter::fromClause() const
{
    QString sql = QStringLiteral(" FROM reports r") + sqldialect::indexedBy(dialect, indexedBy);
    if (joinsIssues)
        sql += reportsFirst ? sqldialect::reportsFirstJoin(dialect) : QStringLiteral(" JOIN issues i ON i.id = r.issue_id");
    if (!where.isEmpty())
        sql += QStringLiteral(" WHERE ") + where;
    return sql;
}

QString SqlFilter::aggregateFromClause() const
{
    if (ftsMatch.isEmpty() || !indexedBy.isEmpty())
        return fromClause();
    SqlFilter covered = *this;
    covered.indexedBy = QStringLiteral("reports_fts_cover");
    return covered.fromClause();
}

Result<SqlFilter> searchSql(const SearchQuery &query, SqlDialect dialect, const SearchHints &hints)
{
    auto parsed = query.parse();
    if (!parsed)
        return parsed.failure();
    using Kind = SearchTerm::Kind;
    using namespace sqldialect;
    SqlFilter out;
    out.dialect = dialect;
    QStringList conds;
    QStringList issueConds;
    QStringList fts;
    for (const SearchTerm &t : parsed->terms) {
        auto add = [&](QString cond) {
            // A NULL column (no exception type, no status) does not match, so its negation does.
            conds << (t.negated ? QStringLiteral("NOT coalesce((%1), FALSE)").arg(cond) : QStringLiteral("(%1)").arg(cond));
        };
        switch (t.kind) {
        case Kind::Text:
            if (t.negated) {
                conds << QStringLiteral("NOT ") + ftsMatches(dialect);
                out.binds.push_back(dialect == SqlDialect::Sqlite ? ftsPhrase(t.text) : tsPhrase(t.text));
            } else {
                fts << (dialect == SqlDialect::Sqlite ? ftsTerms(t.text, hints) : tsPhrase(t.text));
            }
            break;
        case Kind::Level:
            add(compared(dialect, "r.level", t.compare));
            out.binds.push_back(qint64(t.number));
            break;
        case Kind::Status:
            add(compared(dialect, "r.status_code", t.compare));
            out.binds.push_back(qint64(t.number));
            break;
        case Kind::StatusRange:
            add(unindexed(dialect, QStringLiteral("r.status_code")) + QStringLiteral(" BETWEEN ? AND ?"));
            out.binds.push_back(qint64(t.number));
            out.binds.push_back(qint64(t.upTo));
            break;
        case Kind::Logger: {
            // The logger and its children, as in Python logging; a range keeps the index usable.
            const bool broad = hints.loggerShare && hints.loggerShare(t.text) > 0.05;
            const QString col = broad ? unindexed(dialect, QStringLiteral("r.logger")) : QStringLiteral("r.logger");
            add(QStringLiteral("%1 = ? OR (%1 > ? AND %1 < ?)").arg(col));
            out.binds.push_back(t.text);
            out.binds.push_back(t.text + QLatin1Char('.'));
            out.binds.push_back(t.text + QLatin1Char('/'));
            break;
        }
        case Kind::Path: {
            // A case-insensitive prefix (issue 14), or a glob when it has * or ?:
            // both as LIKE (case-insensitive for ASCII, as NOCASE is), bounded by
            // the literal prefix as a range that reports_path_prefix answers.
            QString like = likeEscape(t.text);
            like.replace(QLatin1Char('*'), QLatin1Char('%')).replace(QLatin1Char('?'), QLatin1Char('_'));
            if (!t.wildcard)
                like += QLatin1Char('%');
            std::vector<QVariant> binds{like};
            const auto [lo, hi] = nocasePrefixRange(literalPrefix(t.text));
            QString cond = lo.isEmpty() ? likeIgnoringCase(dialect, QStringLiteral("r.path"))
                                        : likeWithinRange(dialect, QStringLiteral("r.path"));
            if (!lo.isEmpty()) {
                cond = comparedIgnoringCase(dialect, QStringLiteral("r.path"), ">=") + QStringLiteral(" AND ") + cond;
                binds.insert(binds.begin(), lo);
                if (!hi.isEmpty()) {
                    cond = comparedIgnoringCase(dialect, QStringLiteral("r.path"), "<") + QStringLiteral(" AND ") + cond;
                    binds.insert(binds.begin(), hi);
                }
            }
            add(cond);
            out.binds.insert(out.binds.end(), binds.begin(), binds.end());
            break;
        }
        case Kind::Message: {
            const QString col = QStringLiteral("r.message");
            if (t.substring) {
                add(likeIgnoringCase(dialect, col)); // SQLite's LIKE: any case (ASCII)
                out.binds.push_back(QLatin1Char('%') + likeEscape(t.text) + QLatin1Char('%'));
            } else if (t.wildcard) {
                QString like = likeEscape(t.text);
                like.replace(QLatin1Char('*'), QLatin1Char('%')).replace(QLatin1Char('?'), QLatin1Char('_'));
                add(likeIgnoringCase(dialect, col));
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
            add(t.kind == Kind::ExceptionType ? equalsIgnoringCase(dialect, QStringLiteral("r.exception_type"))
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
        case Kind::Regression:
            out.joinsIssues = true;
            add(t.kind == Kind::Regression ? QStringLiteral("i.regression = 1")
                                           : issueStatusCondition(t.number, queryNow(query)));
            issueConds << conds.back();
            break;
        case Kind::AnyOf: {
            // OR: each alternative translated as a search of its own (its free
            // text a subquery of the index), hidden reports left to this one.
            QStringList alternatives;
            for (const auto &terms : t.anyOf) {
                SearchQuery alternative;
                alternative.checked = std::make_shared<const SearchQuery::Checked>(
                    SearchQuery::Checked{QString(), ParsedSearch{terms, true}, alternative.zone});
                auto sql = searchSql(alternative, dialect, hints);
                if (!sql)
                    return sql.failure();
                alternatives << (sql->where.isEmpty() ? QStringLiteral("TRUE") : QStringLiteral("(%1)").arg(sql->where));
                out.binds.insert(out.binds.end(), sql->binds.begin(), sql->binds.end());
                out.joinsIssues = out.joinsIssues || sql->joinsIssues;
            }
            add(alternatives.join(QStringLiteral(" OR ")));
            break;
        }
        }
    }
    out.visibleOnly = !parsed->showHidden;
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
        out.ftsMatch = fts.join(dialect == SqlDialect::Sqlite ? QStringLiteral(" AND ") : QStringLiteral(" & "));
        conds << ftsMatches(dialect);
        out.binds.push_back(out.ftsMatch);
    }
    out.where = conds.join(QStringLiteral(" AND "));
    out.issueWhere = issueConds.join(QStringLiteral(" AND "));
    return out;
}

} // namespace ed
