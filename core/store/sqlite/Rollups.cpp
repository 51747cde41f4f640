#include "store/sqlite/Rollups.h"

#include "store/sqlite/IssueViews.h"
#include "store/sqlite/SearchSql.h"

#include <QStringList>
#include <algorithm>
#include <limits>

namespace ed {
namespace {

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

constexpr int64_t ceilDiv(int64_t a, int64_t b) { return -floorDiv(-a, b); }

const char *comparator(SearchTerm::Compare c)
{
    switch (c) {
    case SearchTerm::Compare::Equal: return "=";
    case SearchTerm::Compare::AtLeast: return ">=";
    case SearchTerm::Compare::AtMost: return "<=";
    case SearchTerm::Compare::Above: return ">";
    case SearchTerm::Compare::Below: return "<";
    }
    return "=";
}

// What a search asks of the rollups: conditions over h (issue_hours or
// issue_days) and i (issues), which counts, and the time range [since, until).
struct Plan {
    QStringList conds;
    std::vector<QVariant> binds;
    bool joinsIssues = false;
    bool visible = true, hidden = false;
    int64_t since = kMin, until = kMax;
};

std::optional<Plan> planFor(const SearchQuery &q, SqlDialect d)
{
    auto parsed = q.parse();
    if (!parsed)
        return std::nullopt; // the scan of the reports says what is wrong
    using Kind = SearchTerm::Kind;
    Plan p;
    p.hidden = parsed->showHidden;
    for (const SearchTerm &t : parsed->terms) {
        // The same negation as store/sqlite/SearchSql.cpp.
        auto add = [&](const QString &cond) {
            p.conds << (t.negated ? QStringLiteral("NOT coalesce((%1), FALSE)").arg(cond) : QStringLiteral("(%1)").arg(cond));
        };
        const QString noStatus = sqldialect::rollupNoStatus(d), noText = sqldialect::rollupNoText(d);
        switch (t.kind) {
        case Kind::Level:
            add(QStringLiteral("h.level %1 ?").arg(QLatin1String(comparator(t.compare))));
            p.binds.push_back(qint64(t.number));
            break;
        // The report fields the counts are keyed by (schema 8), written as
        // store/sqlite/SearchSql.cpp writes them over the reports: X'' is a
        // missing value (sqldialect::rollupNoStatus, rollupNoText), NULL again
        // here, so it matches nothing and its negation matches.
        case Kind::Status:
            add(QStringLiteral("nullif(h.status_code, %1) %2 ?").arg(noStatus, QLatin1String(comparator(t.compare))));
            p.binds.push_back(qint64(t.number));
            break;
        case Kind::StatusRange:
            add(QStringLiteral("nullif(h.status_code, %1) BETWEEN ? AND ?").arg(noStatus));
            p.binds.push_back(qint64(t.number));
            p.binds.push_back(qint64(t.upTo));
            break;
        case Kind::Logger:
            // The logger and its children, as in Python logging.
            add(QStringLiteral("nullif(h.logger, %1) = ? OR (nullif(h.logger, %1) > ? AND nullif(h.logger, %1) < ?)")
                    .arg(noText));
            p.binds.push_back(t.text);
            p.binds.push_back(t.text + QLatin1Char('.'));
            p.binds.push_back(t.text + QLatin1Char('/'));
            break;
        case Kind::ExceptionType:
            // type: ignores case (SearchSql)
            add(sqldialect::equalsIgnoringCase(d, QStringLiteral("nullif(h.exception_type, %1)").arg(noText)));
            p.binds.push_back(t.text);
            break;
        case Kind::Issue:
            add(QStringLiteral("h.issue_id = ?"));
            p.binds.push_back(qint64(t.number));
            break;
        case Kind::IssueStatus:
            p.joinsIssues = true;
            add(issueStatusCondition(t.number, queryNow(q)));
            break;
        case Kind::Regression:
            p.joinsIssues = true;
            add(QStringLiteral("i.regression = 1"));
            break;
        case Kind::Hidden: (t.negated ? p.hidden : p.visible) = false; break;
        case Kind::After:
        case Kind::Before:
            if ((t.kind == Kind::After) != t.negated)
                p.since = std::max(p.since, t.number);
            else
                p.until = std::min(p.until, t.number);
            break;
        default: return std::nullopt; // a field of the reports themselves
        }
    }
    if (q.since)
        p.since = std::max(p.since, *q.since);
    if (q.until)
        p.until = std::min(p.until, *q.until);
    if (q.issueId) {
        p.conds << QStringLiteral("h.issue_id = ?");
        p.binds.push_back(qint64(*q.issueId));
    }
    return p;
}

class Builder {
public:
    Builder(const Plan &p, const SearchQuery &q, SqlDialect d) : m_plan(p), m_query(q), m_dialect(d) { }

    // Units [lo, hi) of a rollup table; kMin / kMax leave a side open.
    void rollup(bool days, int64_t lo, int64_t hi)
    {
        if (lo != kMin && hi != kMax && lo >= hi)
            return;
        const QString unit = days ? QStringLiteral("day") : QStringLiteral("hour");
        QString n = m_plan.visible && m_plan.hidden ? QStringLiteral("h.visible + h.hidden")
                    : m_plan.visible                ? QStringLiteral("h.visible")
                    : m_plan.hidden                 ? QStringLiteral("h.hidden")
                                                    : QStringLiteral("0");
        QString sql = QStringLiteral("SELECT h.%1 * %2 AS t, h.issue_id AS issue_id, h.level AS level, %3 AS n FROM issue_%1s h")
                          .arg(unit)
                          .arg(days ? kDayMs : kHourMs)
                          .arg(n);
        if (m_plan.joinsIssues)
            sql += QStringLiteral(" JOIN issues i ON i.id = h.issue_id");
        QStringList conds = m_plan.conds;
        m_out.binds.insert(m_out.binds.end(), m_plan.binds.begin(), m_plan.binds.end());
        if (lo != kMin) {
            conds << QStringLiteral("h.%1 >= ?").arg(unit);
            m_out.binds.push_back(qint64(lo));
        }
        if (hi != kMax) {
            conds << QStringLiteral("h.%1 < ?").arg(unit);
            m_out.binds.push_back(qint64(hi));
        }
        if (!conds.isEmpty())
            sql += QStringLiteral(" WHERE ") + conds.join(QStringLiteral(" AND "));
        m_parts << sql;
    }

    // The reports themselves in [lo, hi) ms (a part of an hour), under the whole search.
    bool reports(int64_t lo, int64_t hi)
    {
        if (lo >= hi)
            return true;
        SearchQuery edge = m_query;
        edge.since = lo;
        edge.until = hi;
        auto f = searchSql(edge, m_dialect);
        if (!f)
            return false;
        m_parts << QStringLiteral("SELECT r.timestamp AS t, r.issue_id AS issue_id, r.level AS level, 1 AS n") +
                       f->aggregateFromClause();
        m_out.binds.insert(m_out.binds.end(), f->binds.begin(), f->binds.end());
        return true;
    }

    RollupRows done()
    {
        if (m_parts.isEmpty())
            m_parts << QStringLiteral("SELECT 0 AS t, 0 AS issue_id, 0 AS level, 0 AS n WHERE FALSE");
        m_out.sql = m_parts.join(QStringLiteral(" UNION ALL "));
        return std::move(m_out);
    }

private:
    const Plan &m_plan;
    const SearchQuery &m_query;
    SqlDialect m_dialect;
    QStringList m_parts;
    RollupRows m_out;
};

} // namespace

std::optional<RollupRows> rollupRows(const SearchQuery &q, SqlDialect dialect, int64_t coarsest)
{
    const auto plan = planFor(q, dialect);
    if (!plan)
        return std::nullopt;
    Builder b(*plan, q, dialect);
    const int64_t s = plan->since, u = plan->until;
    if (s != kMin && u != kMax && s >= u)
        return b.done(); // an empty range
    // Whole hours inside [s, u), then whole days inside those hours.
    const int64_t hLo = s == kMin ? kMin : ceilDiv(s, kHourMs);
    const int64_t hHi = u == kMax ? kMax : floorDiv(u, kHourMs);
    if (hLo != kMin && hHi != kMax && hLo >= hHi) {
        if (!b.reports(s, u)) // less than two hours: the reports answer
            return std::nullopt;
        return b.done();
    }
    if ((s != kMin && !b.reports(s, hLo * kHourMs)) || (u != kMax && !b.reports(hHi * kHourMs, u)))
        return std::nullopt;
    if (coarsest % kDayMs != 0) {
        b.rollup(false, hLo, hHi);
        return b.done();
    }
    const int64_t dLo = hLo == kMin ? kMin : ceilDiv(hLo, 24);
    const int64_t dHi = hHi == kMax ? kMax : floorDiv(hHi, 24);
    if (dLo != kMin && dHi != kMax && dLo >= dHi) {
        b.rollup(false, hLo, hHi);
        return b.done();
    }
    if (hLo != kMin)
        b.rollup(false, hLo, dLo * 24);
    if (hHi != kMax)
        b.rollup(false, dHi * 24, hHi);
    b.rollup(true, dLo, dHi);
    return b.done();
}

} // namespace ed
