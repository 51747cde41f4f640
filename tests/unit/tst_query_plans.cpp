// How the store answers issue 13's searches, as SQLite plans them: every
// statement a store call runs is caught (sqlite3_trace_v2, with its values) and
// EXPLAIN QUERY PLAN says what it reads. Plans, not times: a search on a field
// the per-issue counts are keyed by reads no report; a path: prefix reads its
// index only; the sort by message reads its index, with no sort of all rows;
// is:unresolved walks the reports first; a word's newest rows come from the
// newest window of reports (and are the whole search's newest, checked here).
// That the other answers are right is tst_rollups' and tst_search_language's business.
#include "store/ListQueries.h"
#include "store/ReportStore.h"
#include "store/TimelineQueries.h"
#include "store/sqlite/Sqlite.h"
#include "TestSupport.h"

#include <QRegularExpression>
#include <algorithm>
#include <cstring>
#include <sqlite3.h>

using namespace ed;

namespace {

// The statements run on a connection while a call runs, values filled in.
class CaughtStatements {
public:
    explicit CaughtStatements(Connection &c) : m_c(c)
    {
        sqlite3_trace_v2(c.handle(), SQLITE_TRACE_STMT, &CaughtStatements::onStatement, this);
    }
    ~CaughtStatements() { sqlite3_trace_v2(m_c.handle(), 0, nullptr, nullptr); }
    CaughtStatements(const CaughtStatements &) = delete;
    CaughtStatements &operator=(const CaughtStatements &) = delete;

    // The statements that name the reports table (not its full-text index).
    QStringList readingReports() const
    {
        static const QRegularExpression reports(QStringLiteral("\\breports\\b(?!_)"));
        QStringList out;
        for (const QString &s : m_sql)
            if (reports.match(s).hasMatch())
                out << s;
        return out;
    }

    QStringList all() const { return m_sql; }

private:
    static int onStatement(unsigned, void *self, void *stmt, void *)
    {
        char *sql = sqlite3_expanded_sql(static_cast<sqlite3_stmt *>(stmt));
        if (sql && std::strncmp(sql, "--", 2) != 0) // not a trigger's statement
            static_cast<CaughtStatements *>(self)->m_sql << QString::fromUtf8(sql);
        sqlite3_free(sql);
        return 0;
    }
    Connection &m_c;
    QStringList m_sql;
};

QString planOf(Connection &c, const QString &sql)
{
    Statement st = c.prepare((QStringLiteral("EXPLAIN QUERY PLAN ") + sql).toStdString());
    if (!st.valid())
        return QStringLiteral("cannot plan: ") + st.prepareError();
    QStringList lines;
    while (st.step())
        lines << st.qtext(3);
    return lines.join(QStringLiteral(" | "));
}

SearchQuery search(const QString &text)
{
    SearchQuery q;
    q.text = text;
    return q;
}

} // namespace

class TestQueryPlans : public QObject {
    Q_OBJECT

    // The count, issue list, issue count and chart of a search run; the plan
    // of each statement they ran on the reports ("SQL\n  plan: ..."), and the
    // count in `n` (the chart's total must agree), or no plans on a failure.
    QStringList aggregatePlans(const SearchQuery &q, int64_t &n)
    {
        CaughtStatements caught(connectionOf(m_db));
        auto count = ReportStore(m_db).countReports(q);
        auto issues = ReportStore(m_db).listIssues(q, 1000);
        auto nIssues = ListQueries(m_db).countIssues(q);
        auto chart = TimelineQueries(m_db).buckets(q, 36);
        if (!count || !issues || !nIssues || !chart || chart->total != *count)
            return {};
        n = *count;
        QStringList plans;
        for (const QString &sql : caught.readingReports())
            plans << sql + QStringLiteral("\n  plan: ") + planOf(connectionOf(m_db), sql);
        return plans;
    }
private Q_SLOTS:
    void initTestCase()
    {
        auto db = Database::open(edtest::corpusDatabase(m_dir));
        QVERIFY2(db, qPrintable(db ? QString() : db.error()));
        m_db = std::move(*db);
        QVERIFY(edtest::scalar(m_db, "SELECT count(*) FROM reports WHERE status_code = 500") > 0);
        QVERIFY(edtest::scalar(m_db, "SELECT count(*) FROM reports WHERE path LIKE '/pay%'") > 0);
    }

    // status:, logger:, type: alone or with the level, the issue status and
    // hidden: the count, the issue list and the issue count read the counts only.
    void keyedFieldsReadNoReport_data()
    {
        QTest::addColumn<QString>("text");
        for (const char *t :
             {"status:500", "status:4xx", "-status:404", "status:>=400", "logger:django", "logger:django.request level:warning",
              "type:KeyError", "-type:KeyError is:unresolved", "is:hidden status:404 logger:django"})
            QTest::newRow(t) << QString::fromLatin1(t);
    }
    void keyedFieldsReadNoReport()
    {
        QFETCH(QString, text);
        const SearchQuery q = search(text);
        CaughtStatements caught(connectionOf(m_db));
        auto n = ReportStore(m_db).countReports(q);
        auto issues = ReportStore(m_db).listIssues(q, 1000);
        auto nIssues = ListQueries(m_db).countIssues(q);
        QVERIFY(n && issues && nIssues);
        QVERIFY(*n > 0 || text.startsWith(QLatin1String("is:hidden")));
        QCOMPARE(caught.readingReports(), QStringList());
    }

    // path: (a prefix, or a glob with a literal start): the count, the issue
    // list, the issue count and the chart read the partial index of visible
    // reports by path, range-bounded, and never the reports' rows.
    void pathPrefixReadsItsIndex_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("prefix") << QStringLiteral("path:/pay");
        QTest::newRow("prefix, other case") << QStringLiteral("path:/PAYMENTS/");
        QTest::newRow("glob") << QStringLiteral("path:/pay*/charge/");
        QTest::newRow("with level") << QStringLiteral("path:/pay level:error");
    }
    void pathPrefixReadsItsIndex()
    {
        QFETCH(QString, text);
        int64_t n = 0;
        const QStringList plans = aggregatePlans(search(text), n);
        QVERIFY(n > 0);
        QVERIFY(plans.size() >= 4);
        for (const QString &plan : plans) {
            QVERIFY2(plan.contains(QLatin1String("USING COVERING INDEX reports_path_prefix (")) &&
                         plan.contains(QLatin1String("path>? AND path<?")),
                     qPrintable(plan));
            // No bound on time the search did not ask for (the chart's bars span
            // its reports anyway): with one, SQLite's planner at 1,000,000
            // reports took reports_visible_time and read 700,000 rows (2.4 s)
            // where this small file's statistics still pick the path index.
            static const QRegularExpression timeBound(QStringLiteral("r\\.timestamp [<>]=? "));
            QVERIFY2(!plan.contains(timeBound), qPrintable(plan));
        }
    }

    // A word's count, issue list, issue count and chart read the reports'
    // small index by id, never their rows.
    void wordAggregatesReadTheCoveringIndex_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("word") << QStringLiteral("checkout");
        QTest::newRow("word and level") << QStringLiteral("checkout level:error");
        QTest::newRow("word, hidden too") << QStringLiteral("checkout is:hidden");
    }
    void wordAggregatesReadTheCoveringIndex()
    {
        QFETCH(QString, text);
        int64_t n = 0;
        const QStringList plans = aggregatePlans(search(text), n);
        QVERIFY(plans.size() >= 4);
        for (const QString &plan : plans)
            QVERIFY2(plan.contains(QLatin1String("USING COVERING INDEX reports_fts_cover (id=?)")), qPrintable(plan));
    }

    // The sort by message, both ways: its index gives the first rows, no sort of all.
    void sortByMessageReadsItsIndex()
    {
        for (bool descending : {true, false}) {
            CaughtStatements caught(connectionOf(m_db));
            auto rows = ReportStore(m_db).listReports(SearchQuery{}, 100, 0, ReportSort::Message, descending);
            QVERIFY(rows && !rows->empty());
            const QStringList statements = caught.readingReports();
            QCOMPARE(statements.size(), qsizetype(1));
            const QString plan = planOf(connectionOf(m_db), statements.first());
            QVERIFY2(plan.contains(QLatin1String("reports_message")) && !plan.contains(QLatin1String("TEMP B-TREE")),
                     qPrintable(plan));
        }
    }

    // The newest rows under a word, from the newest window of reports (more
    // reports than the window here, so both ways run): the same rows as the
    // whole search written here in SQL, for a common word, a prefix, rare
    // words (the window falls short and the whole search runs), a time range,
    // the next page (keyset) and hidden reports; the common word is matched as
    // a whole term inside the window, walked by time.
    void newestUnderAWordAreTheWholeSearchsNewest()
    {
        QTemporaryDir dir;
        auto opened = Database::open(dir.filePath(QStringLiteral("big.sqlite3")));
        QVERIFY(opened);
        Database &db = *opened;
        auto s = edtest::importFiltered(db, {edtest::generatedReports(dir, 24'000, 3)});
        QVERIFY2(s.stored > 20'000, qPrintable(edtest::problemsText(s)));
        Connection &c = connectionOf(db);
        const int64_t middle = edtest::scalar(db, "SELECT timestamp FROM reports ORDER BY timestamp LIMIT 1 OFFSET 12000");
        // Rare words: terms in at most 20 reports, read from the index here.
        QStringList rare;
        {
            QVERIFY(c.exec("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, reports_fts, row)"));
            Statement st = c.prepare(
                "SELECT term FROM temp.vocab WHERE doc BETWEEN 1 AND 20 AND NOT term GLOB '*[^a-z0-9]*' LIMIT 3");
            while (st.step())
                rare << st.qtext(0);
        }
        QCOMPARE(rare.size(), qsizetype(3));
        QVERIFY(edtest::scalar(db, "SELECT count(*) FROM reports_fts WHERE reports_fts MATCH 'django'") > 5'000);
        struct Case {
            QString word;
            std::optional<int64_t> until;
            bool hidden = false;
        };
        std::vector<Case> cases{{QStringLiteral("django")},
                                {QStringLiteral("Djan")},
                                {QStringLiteral("django"), middle},
                                {QStringLiteral("django"), {}, true},
                                {QStringLiteral("django views")}};
        for (const QString &w : rare)
            cases.push_back({w});
        for (const Case &k : cases) {
            const QString name = k.word + (k.until ? QStringLiteral(" until") : QString()) +
                                 (k.hidden ? QStringLiteral(" +hidden") : QString());
            QString cond = k.hidden ? QStringLiteral("1") : QStringLiteral("hidden_by IS NULL");
            for (const QString &w : k.word.split(u' '))
                cond += QStringLiteral(" AND id IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH '\"%1\"*')").arg(w);
            if (k.until)
                cond += QStringLiteral(" AND timestamp < %1").arg(*k.until);
            auto expected = [&](int offset) {
                QList<int64_t> ids;
                Statement st = c.prepare(
                    QStringLiteral("SELECT id FROM reports WHERE %1 ORDER BY timestamp DESC, id DESC LIMIT 100 OFFSET %2")
                        .arg(cond)
                        .arg(offset)
                        .toStdString());
                while (st.step())
                    ids << st.int64(0);
                return ids;
            };
            SearchQuery q = search(k.word);
            q.until = k.until;
            q.includeHidden = k.hidden;
            CaughtStatements caught(c);
            auto page = ReportStore(db).listReports(q, 100);
            QVERIFY2(page, qPrintable(name));
            QList<int64_t> got;
            for (const ReportRow &r : *page)
                got << r.id;
            QCOMPARE(got, expected(0));
            if (k.word == QLatin1String("django") && !k.until) {
                QCOMPARE(got.size(), qsizetype(100));
                const QString index = k.hidden ? QStringLiteral("INDEXED BY reports_time ")
                                               : QStringLiteral("INDEXED BY reports_visible_time ");
                const QStringList run = caught.readingReports();
                QVERIFY2(std::any_of(run.begin(), run.end(),
                                     [&](const QString &sql) {
                                         return sql.contains(index) &&
                                                sql.contains(QLatin1String("MATCH '\"django\"' AND rowid >= "));
                                     }),
                         qPrintable(run.join(u'\n')));
            }
            if (got.size() == 100) { // the next page, after the last row
                const ReportRow &last = page->back();
                auto next = ReportStore(db).listReports(q, 100, 0, ReportSort::Timestamp, true,
                                                        ReportKey{qint64(last.timestamp), last.id, last.timestamp});
                QVERIFY(next);
                QList<int64_t> nextIds;
                for (const ReportRow &r : *next)
                    nextIds << r.id;
                QCOMPARE(nextIds, expected(100));
            }
        }
    }

    // is:unresolved, whose issues hold most reports: the reports are walked by
    // time and each one's issue looked up (CROSS JOIN), not every report of
    // every unresolved issue gathered and sorted; the rows are the same.
    void unresolvedWalksTheReportsFirst()
    {
        CaughtStatements caught(connectionOf(m_db));
        auto rows = ReportStore(m_db).listReports(search(QStringLiteral("is:unresolved")), 100);
        QVERIFY(rows && !rows->empty());
        const QStringList run = caught.readingReports();
        QCOMPARE(run.size(), qsizetype(1));
        QVERIFY2(run.first().contains(QLatin1String("CROSS JOIN issues i")), qPrintable(run.first()));
        const QString plan = planOf(connectionOf(m_db), run.first());
        QVERIFY2(!plan.contains(QLatin1String("TEMP B-TREE")), qPrintable(plan));
        QList<int64_t> got, expected;
        for (const ReportRow &r : *rows)
            got << r.id;
        Statement st = connectionOf(m_db).prepare(
            "SELECT id FROM reports WHERE hidden_by IS NULL AND issue_id IN (SELECT id FROM issues WHERE status = 0)"
            " ORDER BY timestamp DESC, id DESC LIMIT 100");
        while (st.step())
            expected << st.int64(0);
        QCOMPARE(got, expected);
    }

    // The issue list's views (issue 14): the list and the count of a view
    // without a search find its issues through issues_status (status first),
    // never by reading every issue; with a search, no scan of the issues
    // either (each matching one by id, or the view's through issues_status). The rows are the ones the view's rule gives, written
    // here.
    void viewsUseTheStatusIndex()
    {
        QVERIFY(connectionOf(m_db).exec("UPDATE issues SET status = 1 WHERE id % 3 = 1"));
        QVERIFY(connectionOf(m_db).exec("UPDATE issues SET status = 2 WHERE id % 3 = 2"));
        const std::pair<IssueView, const char *> views[] = {
            {IssueView::Unresolved, "status = 0"},
            {IssueView::ForReview, "status = 0 AND reviewed = 0 AND (regression = 1 OR first_seen >= %1)"},
            {IssueView::Resolved, "status = 1"},
            {IssueView::Ignored, "status = 2"},
        };
        for (const auto &[view, rule] : views) {
            SearchQuery q;
            q.view = view;
            q.now = edtest::scalar(m_db, "SELECT max(last_seen) FROM issues") + 1;
            CaughtStatements caught(connectionOf(m_db));
            auto rows = ReportStore(m_db).listIssues(q, 1000);
            auto n = ListQueries(m_db).countIssues(q);
            QVERIFY(rows && n);
            const QStringList run = caught.all();
            QList<int64_t> got, expected;
            for (const IssueRow &r : *rows)
                got << r.id;
            std::sort(got.begin(), got.end());
            Statement st = connectionOf(m_db).prepare(
                QStringLiteral("SELECT id FROM issues WHERE count > 0 AND %1 ORDER BY id")
                    .arg(QString::fromLatin1(rule).replace(QLatin1String("%1"), QString::number(*q.now - 7 * 86'400'000LL)))
                    .toStdString());
            while (st.step())
                expected << st.int64(0);
            QCOMPARE(got, expected);
            QCOMPARE(*n, int64_t(expected.size()));
            QVERIFY(!expected.isEmpty() || view == IssueView::ForReview);
            for (const QString &sql : run) {
                const QString plan = planOf(connectionOf(m_db), sql);
                QVERIFY2(plan.contains(QLatin1String("USING INDEX issues_status (status=?)")) ||
                             plan.contains(QLatin1String("USING INDEX issues_status (status=?")),
                         qPrintable(sql + QStringLiteral("\n  plan: ") + plan));
            }
            // With a search: the matching issues by id, or the view's by status; never all issues.
            q.text = QStringLiteral("level:error");
            CaughtStatements searched(connectionOf(m_db));
            QVERIFY(ReportStore(m_db).listIssues(q, 1000));
            for (const QString &sql : searched.all()) {
                const QString plan = planOf(connectionOf(m_db), sql);
                QVERIFY2(!plan.split(QStringLiteral(" | ")).contains(QStringLiteral("SCAN i")),
                         qPrintable(sql + QStringLiteral("\n  plan: ") + plan));
            }
        }
        QVERIFY(connectionOf(m_db).exec("UPDATE issues SET status = 0"));
    }

private:
    QTemporaryDir m_dir;
    Database m_db;
};

QTEST_GUILESS_MAIN(TestQueryPlans)
#include "tst_query_plans.moc"
