#include "store/IssueSummary.h"

#include "store/sqlite/Sqlite.h"

#include <QHash>
#include <algorithm>

namespace ed {
namespace {

// Top values of a facet counted from a tally, most frequent first, then by value.
Facet facetFromTally(const QString &name, const QHash<QString, int64_t> &tally, int64_t total, int top)
{
    Facet f{name, {}, total, int64_t(tally.size())};
    for (auto it = tally.begin(); it != tally.end(); ++it)
        f.top.push_back({it.key(), it.value()});
    std::sort(f.top.begin(), f.top.end(), [](const FacetValue &a, const FacetValue &b) {
        return a.count != b.count ? a.count > b.count : a.value < b.value;
    });
    if (f.top.size() > size_t(top))
        f.top.resize(size_t(top));
    return f;
}

// A facet kept in a column of `reports`: counted over every visible report
// of the issue through its index (reports_issue).
Result<Facet> columnFacet(Connection &c, int64_t issueId, const char *column, const QString &name, int top)
{
    Statement st = c.prepare(QStringLiteral("SELECT coalesce(%1, ''), count(*) FROM reports"
                                            " WHERE issue_id = ?1 AND hidden_by IS NULL GROUP BY 1")
                                 .arg(QString::fromLatin1(column))
                                 .toStdString());
    st.bind(1, issueId);
    QHash<QString, int64_t> tally;
    int64_t total = 0;
    while (st.step()) {
        tally.insert(st.qtext(0), st.int64(1));
        total += st.int64(1);
    }
    if (!st.done())
        return st.failure();
    return facetFromTally(name, tally, total, top);
}

} // namespace

Result<IssueSummary> loadIssueSummary(Database &db, int64_t issueId, const IssueSummaryOptions &options)
{
    ReportStore store(db);
    auto issue = store.loadIssue(issueId);
    if (!issue)
        return issue.failure();
    IssueSummary s;
    s.issue = std::move(*issue);
    Connection &c = connectionOf(db);
    for (const auto &[column, name] :
         {std::pair{"path", "path"}, std::pair{"site", "host"}, std::pair{"remote_addr", "client"}}) {
        auto f = columnFacet(c, issueId, column, QString::fromLatin1(name), options.topValues);
        if (!f)
            return f.failure();
        s.facets.push_back(std::move(*f));
    }

    // The rest lives in the records: read the newest ones.
    Statement st = c.prepare("SELECT id FROM reports WHERE issue_id = ?1 AND hidden_by IS NULL"
                             " ORDER BY timestamp DESC, id DESC LIMIT ?2");
    st.bind(1, issueId).bind(2, options.sampleSize);
    std::vector<int64_t> ids;
    while (st.step())
        ids.push_back(st.int64(0));
    if (!st.done())
        return st.failure();
    s.latestReportId = ids.empty() ? 0 : ids.front();
    const QStringList names{QStringLiteral("user_agent"), QStringLiteral("user"), QStringLiteral("server"),
                            QStringLiteral("release"), QStringLiteral("environment")};
    std::vector<QHash<QString, int64_t>> tallies(size_t(names.size()));
    for (int64_t id : ids) {
        auto d = store.loadReport(id);
        if (!d)
            return d.failure();
        const Report &r = d->report;
        const Request req = r.request.value_or(Request{});
        const QString values[] = {entryText(req.meta, u"HTTP_USER_AGENT"), req.user, entryText(r.environment, u"hostname"),
                                  entryText(r.extra, u"release"), entryText(r.extra, u"environment")};
        for (size_t i = 0; i < tallies.size(); ++i)
            ++tallies[i][values[i]];
        ++s.sampled;
    }
    for (qsizetype i = 0; i < names.size(); ++i)
        s.facets.push_back(facetFromTally(names[i], tallies[size_t(i)], s.sampled, options.topValues));
    // In the order the page shows them.
    static const QStringList order{QStringLiteral("path"),    QStringLiteral("host"),       QStringLiteral("user_agent"),
                                   QStringLiteral("user"),    QStringLiteral("client"),     QStringLiteral("server"),
                                   QStringLiteral("release"), QStringLiteral("environment")};
    std::stable_sort(s.facets.begin(), s.facets.end(),
                     [](const Facet &a, const Facet &b) { return order.indexOf(a.name) < order.indexOf(b.name); });
    return s;
}

} // namespace ed
