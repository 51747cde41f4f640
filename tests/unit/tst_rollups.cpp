// The per-issue counts by hour and by day (schema 7, issue_hours and
// issue_days) after every path that changes reports: import, delete, resolve,
// rules apply (hide, then show again), re-import. Each time they are compared
// with the reports counted here in SQL, and the searches they answer (the
// count, the issue list, the chart) with the same searches written here as SQL
// over the reports.
#include "filters/FilterSet.h"
#include "filters/RuleApplier.h"
#include "store/Config.h"
#include "store/ListQueries.h"
#include "store/ReportStore.h"
#include "store/RuleStore.h"
#include "store/TimelineQueries.h"
#include "store/sqlite/SqlDialect.h"
#include "store/sqlite/Sqlite.h"
#include "TestEngine.h"
#include "TestSupport.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QTimeZone>
#include <algorithm>
#include <map>

using namespace ed;
using namespace edtest;

namespace {

const QDateTime kBase(QDate(2026, 10, 1), QTime(0, 0), Qt::UTC);

int64_t at(int64_t hours, int64_t minutes = 0, int64_t ms = 0)
{
    return kBase.toMSecsSinceEpoch() + hours * 3'600'000 + minutes * 60'000 + ms;
}

// The corpus records `copies` times with fresh event ids and times spread over
// four days (some in the last hours of 1969: days and hours before the epoch).
QString spreadRecords(const QTemporaryDir &dir, const QString &name, int copies, quint32 seed)
{
    QRandomGenerator rng(seed);
    QByteArray out;
    int n = 0;
    for (int c = 0; c < copies; ++c) {
        for (QJsonObject r : corpusRecords()) {
            r.insert(QStringLiteral("event_id"),
                     QStringLiteral("%1%2").arg(seed, 8, 16, QLatin1Char('0')).arg(n++, 24, 16, QLatin1Char('0')));
            const int64_t ms = n % 50 == 0 ? -int64_t(rng.bounded(3 * 3'600'000)) - 1
                                           : at(0) + int64_t(rng.bounded(4 * 86'400'000));
            const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
            r.insert(QStringLiteral("timestamp"), t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz+00:00")));
            out += QJsonDocument(r).toJson(QJsonDocument::Compact) + '\n';
        }
    }
    const QString path = dir.filePath(name);
    writeFile(path, out);
    return path;
}

// The rows where a rollup table and a count of the reports by the same keys differ
// (floor division written differently from the schema's triggers; a missing
// status code, logger or type is the engine's "none" key, SqlDialect.h). The SQL
// is written for both engines.
QString rollupMismatches(Database &db)
{
    QStringList bad;
    const QString keys = QStringLiteral("issue_id, level, status_code, logger, exception_type");
    const SqlDialect d = dialectOf(connectionOf(db));
    for (const auto &[table, unit, ms] :
         {std::tuple("issue_hours", "hour", 3600000.0), std::tuple("issue_days", "day", 86400000.0)}) {
        const QString sql =
            QStringLiteral("SELECT coalesce(r.issue_id, x.issue_id), coalesce(r.u, x.%2), coalesce(r.level, x.level),"
                           " r.v, r.h, x.visible, x.hidden FROM (SELECT issue_id, CAST(floor(timestamp / %3) AS BIGINT) AS u,"
                           " level, coalesce(status_code, %4) AS status_code, coalesce(logger, %5) AS logger,"
                           " coalesce(exception_type, %5) AS exception_type,"
                           " sum(CASE WHEN hidden_by IS NULL THEN 1 ELSE 0 END) AS v,"
                           " sum(CASE WHEN hidden_by IS NULL THEN 0 ELSE 1 END) AS h FROM reports GROUP BY 1, 2, 3, 4, 5, 6) r"
                           " FULL JOIN (SELECT * FROM %1 WHERE visible <> 0 OR hidden <> 0) x"
                           " ON x.issue_id = r.issue_id AND x.%2 = r.u AND x.level = r.level AND x.status_code = r.status_code"
                           " AND x.logger = r.logger AND x.exception_type = r.exception_type"
                           " WHERE x.visible IS DISTINCT FROM r.v OR x.hidden IS DISTINCT FROM r.h")
                .arg(QLatin1String(table), QLatin1String(unit))
                .arg(ms, 0, 'f', 1)
                .arg(sqldialect::rollupNoStatus(d), sqldialect::rollupNoText(d));
        Statement st = connectionOf(db).prepare(sql.toStdString());
        if (!st.valid())
            return st.prepareError();
        while (st.step() && bad.size() < 5)
            bad << QStringLiteral("%1 issue %2 unit %3 level %4: reports %5/%6, rollup %7/%8")
                       .arg(QLatin1String(table), st.qtext(0), st.qtext(1), st.qtext(2), st.qtext(3), st.qtext(4), st.qtext(5),
                            st.qtext(6));
        // The keys are kept as the reports hold them: an integer status code, text
        // names. Only SQLite's columns can hold a value of another type; PostgreSQL's are typed.
        if (onPostgres())
            continue;
        const QString types = QStringLiteral("SELECT count(*) FROM %1 WHERE typeof(status_code) NOT IN ('integer', 'blob')"
                                             " OR typeof(logger) NOT IN ('text', 'blob') OR typeof(exception_type) NOT IN"
                                             " ('text', 'blob') OR (typeof(status_code) = 'blob' AND length(status_code) > 0)")
                                  .arg(QLatin1String(table));
        if (*connectionOf(db).scalar(types.toStdString()) != 0)
            bad << QStringLiteral("%1: keys of the wrong type").arg(QLatin1String(table));
    }
    if (*connectionOf(db).scalar("SELECT count(*) FROM issue_hours WHERE visible < 0 OR hidden < 0") != 0)
        bad << QStringLiteral("negative counts");
    // A key whose counts reached zero is gone (a scrubbed logger leaves no copy).
    if (*connectionOf(db).scalar("SELECT (SELECT count(*) FROM issue_hours WHERE visible = 0 AND hidden = 0) +"
                                 " (SELECT count(*) FROM issue_days WHERE visible = 0 AND hidden = 0)") != 0)
        bad << QStringLiteral("keys left with no reports");
    (void)keys;
    return bad.join(u'\n');
}

struct Search {
    const char *name;
    QString text;
    std::optional<int64_t> since, until;
    bool includeHidden = false;
    QString sql; // the same search as a condition over reports
};

std::vector<Search> searches()
{
    const QString visible = QStringLiteral(" AND hidden_by IS NULL");
    const int64_t s1 = at(1, 30, 123), u1 = at(55, 5, 7), s2 = at(10, 5), u2 = at(11, 20);
    const QString between = QStringLiteral("timestamp >= %1 AND timestamp < %2");
    return {
        {"everything", {}, {}, {}, false, QStringLiteral("TRUE") + visible},
        {"hidden too", {}, {}, {}, true, QStringLiteral("TRUE")},
        {"is:hidden", QStringLiteral("is:hidden"), {}, {}, false, QStringLiteral("hidden_by IS NOT NULL")},
        {"-is:hidden", QStringLiteral("-is:hidden"), {}, {}, false, QStringLiteral("hidden_by IS NULL")},
        {"level:error", QStringLiteral("level:error"), {}, {}, false, QStringLiteral("level = 40") + visible},
        {"level:>=warning", QStringLiteral("level:>=warning"), {}, {}, false, QStringLiteral("level >= 30") + visible},
        {"-level:error", QStringLiteral("-level:error"), {}, {}, false, QStringLiteral("level <> 40") + visible},
        {"is:resolved",
         QStringLiteral("is:resolved"),
         {},
         {},
         false,
         QStringLiteral("issue_id IN (SELECT id FROM issues WHERE status = 1)") + visible},
        {"is:unresolved level:error",
         QStringLiteral("is:unresolved level:error"),
         {},
         {},
         false,
         QStringLiteral("level = 40 AND issue_id IN (SELECT id FROM issues WHERE status = 0)") + visible},
        {"days and part-hours", {}, s1, u1, false, between.arg(s1).arg(u1) + visible},
        {"after: before: typed",
         QStringLiteral("after:2026-10-01T01:30 before:2026-10-03T07:45 level:error"),
         {},
         {},
         false,
         between.arg(at(1, 30)).arg(at(55, 45)) + QStringLiteral(" AND level = 40") + visible},
        {"-after: (before)",
         QStringLiteral("-after:2026-10-02T05:30"),
         {},
         {},
         false,
         QStringLiteral("timestamp < %1").arg(at(29, 30)) + visible},
        {"under two hours", {}, s2, u2, true, between.arg(s2).arg(u2)},
        {"since only", {}, s1, {}, false, QStringLiteral("timestamp >= %1").arg(s1) + visible},
        {"before the epoch", {}, {}, at(0) - 3'600'000 - 17, true, QStringLiteral("timestamp < %1").arg(at(0) - 3'600'000 - 17)},
        // The fields the counts are keyed by since schema 8 (a missing value
        // matches no term, so its negation matches).
        {"type:KeyError",
         QStringLiteral("type:KeyError"),
         {},
         {},
         false,
         QStringLiteral("exception_type = 'KeyError'") + visible},
        {"-type:KeyError",
         QStringLiteral("-type:KeyError"),
         {},
         {},
         false,
         QStringLiteral("exception_type IS DISTINCT FROM 'KeyError'") + visible},
        {"status:404 (hidden too)", QStringLiteral("status:404"), {}, {}, true, QStringLiteral("status_code = 404")},
        {"status:5xx", QStringLiteral("status:5xx"), {}, {}, false, QStringLiteral("status_code BETWEEN 500 AND 599") + visible},
        {"status:>=400", QStringLiteral("status:>=400"), {}, {}, false, QStringLiteral("status_code >= 400") + visible},
        {"-status:404", QStringLiteral("-status:404"), {}, {}, true, QStringLiteral("status_code IS DISTINCT FROM 404")},
        {"logger:django",
         QStringLiteral("logger:django"),
         {},
         {},
         false,
         QStringLiteral("(logger = 'django' OR substr(logger, 1, 7) = 'django.')") + visible},
        {"logger:django.request is:hidden",
         QStringLiteral("logger:django.request is:hidden"),
         {},
         {},
         false,
         QStringLiteral("(logger = 'django.request' OR substr(logger, 1, 15) = 'django.request.') AND hidden_by IS NOT NULL")},
        {"-logger:django",
         QStringLiteral("-logger:django"),
         {},
         {},
         false,
         QStringLiteral("NOT coalesce(logger = 'django' OR substr(logger, 1, 7) = 'django.', FALSE)") + visible},
        {"level, status, type, logger, time", QStringLiteral("level:error status:5xx -type:KeyError logger:django"), s1, u1,
         false,
         QStringLiteral("level = 40 AND status_code BETWEEN 500 AND 599 AND exception_type IS DISTINCT FROM 'KeyError'"
                        " AND (logger = 'django' OR substr(logger, 1, 7) = 'django.') AND ") +
             between.arg(s1).arg(u1) + visible},
        {"status, issue status, hours", QStringLiteral("status:500 is:unresolved"), s2, u2, false,
         QStringLiteral("status_code = 500 AND issue_id IN (SELECT id FROM issues WHERE status = 0) AND ") +
             between.arg(s2).arg(u2) + visible},
        // The reports answer these (not keyed): a path, a word.
        {"path:/ (the reports answer)",
         QStringLiteral("path:/PAY"),
         {},
         {},
         false,
         QStringLiteral("lower(path) LIKE '/pay%'") + visible},
        {"a word (the reports answer)",
         QStringLiteral("gateway"),
         {},
         {},
         false,
         (onPostgres()
              ? QStringLiteral("id IN (SELECT report_id FROM reports_fts WHERE document @@ to_tsquery('simple', 'gateway:*'))")
              : QStringLiteral("id IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH 'gateway*')")) +
             visible},
    };
}

SearchQuery queryOf(const Search &s)
{
    SearchQuery q;
    q.text = s.text;
    q.since = s.since;
    q.until = s.until;
    q.includeHidden = s.includeHidden;
    return q;
}

std::map<int64_t, int64_t> issueCountsInSql(Database &db, const QString &cond)
{
    std::map<int64_t, int64_t> out;
    Statement st = connectionOf(db).prepare(
        QStringLiteral("SELECT issue_id, count(*) FROM reports WHERE %1 GROUP BY 1").arg(cond).toStdString());
    while (st.step())
        out[st.int64(0)] = st.int64(1);
    return out;
}

// Every search: the count, the issue list with its counts, the issue count and
// the chart at several bar widths, against the reports counted in SQL.
void compareSearches(Database &db, const char *stage)
{
    ReportStore store(db);
    ListQueries lists(db);
    TimelineQueries timeline(db);
    for (const Search &s : searches()) {
        const QString where = QStringLiteral("%1 / %2").arg(QLatin1String(stage), QLatin1String(s.name));
        const SearchQuery q = queryOf(s);
        const auto expected = issueCountsInSql(db, s.sql);
        int64_t total = 0;
        for (const auto &[id, n] : expected)
            total += n;
        auto count = store.countReports(q);
        QVERIFY2(count, qPrintable(where));
        QVERIFY2(*count == total, qPrintable(QStringLiteral("%1: count %2, reports %3").arg(where).arg(*count).arg(total)));
        auto issues = store.listIssues(q, 100000);
        QVERIFY2(issues, qPrintable(where));
        std::map<int64_t, int64_t> got;
        for (const IssueRow &i : *issues)
            got[i.id] = i.count;
        QVERIFY2(got == expected,
                 qPrintable(
                     QStringLiteral("%1: %2 issues listed, %3 in the reports").arg(where).arg(got.size()).arg(expected.size())));
        auto nIssues = lists.countIssues(q);
        QVERIFY2(nIssues && *nIssues == int64_t(expected.size()), qPrintable(where));
        // The matching reports' times and levels, read once for all the charts
        // below (a query per bar made the PostgreSQL run a minute long).
        std::vector<std::pair<int64_t, int>> matches;
        Statement rows = connectionOf(db).prepare(
            QStringLiteral("SELECT timestamp, level FROM reports WHERE %1").arg(s.sql).toStdString());
        while (rows.step())
            matches.emplace_back(rows.int64(0), int(rows.int64(1)));
        QVERIFY2(rows.done(), qPrintable(where + QStringLiteral(": ") + rows.error()));
        // Bars of UTC days (the day rollups), of local days with daylight
        // saving (hours), of a zone at +05:30 (the reports alone).
        for (const QTimeZone &zone : {QTimeZone::utc(), QTimeZone("America/New_York"), QTimeZone("Asia/Kolkata")})
            for (int bars : {3, 5, 50, 120, 400}) {
                QVERIFY(zone.isValid());
                const QString at = QStringLiteral("%1, %2 bars in %3").arg(where).arg(bars).arg(QString::fromUtf8(zone.id()));
                auto d = timeline.buckets(q, bars, zone);
                QVERIFY2(d, qPrintable(at + (d ? QString() : d.error())));
                QVERIFY2(d->total == total,
                         qPrintable(QStringLiteral("%1: chart total %2, reports %3").arg(at).arg(d->total).arg(total)));
                if (total == 0)
                    continue;
                QVERIFY2(d->buckets <= bars, qPrintable(at));
                // Each bar against the reports counted in its span [edge i, edge i+1) here.
                std::map<int, std::vector<int64_t>> expected;
                for (const auto &[ms, level] : matches) {
                    // The bar whose [edge i, edge i+1) holds ms (edges ascend), if any.
                    const auto past = std::upper_bound(d->edges.begin(), d->edges.begin() + d->buckets + 1, ms);
                    const auto i = past - d->edges.begin() - 1;
                    if (i < 0 || i >= d->buckets)
                        continue;
                    auto &v = expected[level];
                    v.resize(size_t(d->buckets), 0);
                    ++v[size_t(i)];
                }
                QVERIFY2(d->byLevel == expected, qPrintable(at + QStringLiteral(": the bars differ")));
            }
    }
}

} // namespace

class TestRollups : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The issue list's sparklines: per issue, reports per day, from the hourly
    // counts when the days start on whole hours, else from the reports; both
    // against a count of the reports written here.
    void sparklinesPerDay()
    {
        QTemporaryDir dir;
        auto db = openTestDatabase(dir, QStringLiteral("s.sqlite3"));
        QVERIFY(db);
        auto s = importFiltered(*db, {spreadRecords(dir, QStringLiteral("a.jsonl"), 4, 7)});
        QVERIFY(s.stored > 300);
        std::vector<int64_t> issues;
        Statement st = connectionOf(*db).prepare("SELECT id FROM issues");
        while (st.step())
            issues.push_back(st.int64(0));
        QVERIFY(issues.size() > 10);
        constexpr int kDays = 5;
        for (const int64_t end : {at(96), at(100), at(100, 30, 7)}) { // two on whole hours, one not
            auto got = ReportStore(*db).issuesDailyCounts(issues, kDays, end);
            QVERIFY(got);
            int64_t seen = 0;
            for (int64_t issue : issues) {
                std::vector<int64_t> expected(kDays, 0);
                for (int k = 0; k < kDays; ++k) {
                    const int64_t from = end - int64_t(kDays - k) * 86'400'000;
                    Statement c = connectionOf(*db).prepare("SELECT count(*) FROM reports WHERE issue_id = ?1 AND hidden_by IS "
                                                            "NULL AND timestamp >= ?2 AND timestamp < ?3");
                    c.bind(1, issue).bind(2, from).bind(3, from + 86'400'000);
                    QVERIFY(c.step());
                    expected[size_t(k)] = c.int64(0);
                    seen += c.int64(0);
                }
                QCOMPARE(got->at(issue), expected);
            }
            QVERIFY(seen > 100);
        }
    }

    void followEveryChangeOfTheReports()
    {
        QTemporaryDir dir;
        auto db = openTestDatabase(dir, QStringLiteral("r.sqlite3"));
        QVERIFY(db);
        const QString first = spreadRecords(dir, QStringLiteral("a.jsonl"), 6, 1);
        auto s = importFiltered(*db, {first});
        QVERIFY2(s.stored > 500, qPrintable(problemsText(s)));
        QVERIFY(scalar(*db, "SELECT count(*) FROM reports WHERE timestamp < 0") > 0);
        QVERIFY(scalar(*db, "SELECT count(*) FROM reports WHERE hidden_by IS NOT NULL") > 0); // the corpus's 404s
        QCOMPARE(rollupMismatches(*db), QString());
        compareSearches(*db, "import");

        // Delete every seventh report, hidden or not.
        std::vector<int64_t> ids;
        Statement st = connectionOf(*db).prepare("SELECT id FROM reports WHERE id % 7 = 0");
        while (st.step())
            ids.push_back(st.int64(0));
        QVERIFY(ids.size() > 50);
        auto deleted = ReportStore(*db).deleteReports(ids);
        QVERIFY(deleted && *deleted == int64_t(ids.size()));
        QCOMPARE(rollupMismatches(*db), QString());
        compareSearches(*db, "delete");

        // Resolve a third of the issues: the issue-level searches follow.
        ReportStore store(*db);
        Statement is = connectionOf(*db).prepare("SELECT id FROM issues WHERE id % 3 = 0");
        int resolved = 0;
        while (is.step())
            resolved += store.setIssueStatus(is.int64(0), IssueStatus::Resolved) ? 1 : 0;
        QVERIFY(resolved > 3);
        compareSearches(*db, "resolve");

        // A hide rule applied to the stored reports, then removed and applied again.
        FilterRule quiet;
        quiet.name = QStringLiteral("quiet");
        quiet.belowLevel = 40;
        QVERIFY(RuleStore(*db).add(quiet));
        auto fs = FilterSet::load(*db);
        QVERIFY(fs);
        auto applied = RuleApplier::apply(*db, **fs);
        QVERIFY2(applied, qPrintable(applied ? QString() : applied.error()));
        const int64_t hiddenByRule = scalar(*db, "SELECT count(*) FROM reports WHERE hidden_by = 'rule: quiet'");
        QVERIFY(hiddenByRule > 20);
        QCOMPARE(rollupMismatches(*db), QString());
        compareSearches(*db, "rules apply");
        QVERIFY(*RuleStore(*db).remove(QStringLiteral("quiet")));
        fs = FilterSet::load(*db);
        QVERIFY(fs);
        applied = RuleApplier::apply(*db, **fs);
        QVERIFY(applied);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports WHERE hidden_by = 'rule: quiet'"), int64_t(0));
        QCOMPARE(rollupMismatches(*db), QString());
        compareSearches(*db, "rules removed");

        // Scrubbed again under a new value pattern: the stored texts, their
        // full-text rows and parts rewritten (ReportRewriter), the counts the same.
        QVERIFY(Config(*db).set(ConfigKey::SensitiveValues, QJsonArray{QStringLiteral("gate[w]ay")}));
        fs = FilterSet::load(*db);
        QVERIFY(fs);
        SearchQuery gateway;
        gateway.text = QStringLiteral("gateway");
        QVERIFY(*ReportStore(*db).countReports(gateway) > 0);
        applied = RuleApplier::apply(*db, **fs);
        QVERIFY2(applied, qPrintable(applied ? QString() : applied.error()));
        QVERIFY(applied->scrubbed);
        QVERIFY(applied->rescrubbed > 0);
        QCOMPARE(applied->checkpoint, QString()); // the log truncated (SQLite's WAL), or nothing to do (a server's)
        QCOMPARE(*ReportStore(*db).countReports(gateway), int64_t(0));
        QCOMPARE(rollupMismatches(*db), QString());

        // The same file again (all duplicates), then new reports into the same issues.
        const int64_t before = scalar(*db, "SELECT count(*) FROM reports");
        s = importFiltered(*db, {first});
        QCOMPARE(s.stored, int64_t(0));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports"), before);
        s = importFiltered(*db, {spreadRecords(dir, QStringLiteral("b.jsonl"), 3, 2)});
        QVERIFY2(s.stored > 250, qPrintable(problemsText(s)));
        QCOMPARE(rollupMismatches(*db), QString());
        compareSearches(*db, "re-import");
    }
};

QTEST_GUILESS_MAIN(TestRollups)
#include "tst_rollups.moc"
