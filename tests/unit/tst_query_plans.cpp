// How the store answers issue 13's searches, as SQLite plans them: every
// statement a store call runs is caught (sqlite3_trace_v2, with its values) and
// EXPLAIN QUERY PLAN says what it reads. Plans, not times: a search on a field
// the per-issue counts are keyed by reads no report; a path: prefix reads its
// index only; the sort by message reads its index, with no sort of all rows.
// That the answers are right is tst_rollups' and tst_search_language's business.
#include "store/ListQueries.h"
#include "store/ReportStore.h"
#include "store/TimelineQueries.h"
#include "store/sqlite/Sqlite.h"
#include "TestSupport.h"

#include <QRegularExpression>
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
        const SearchQuery q = search(text);
        CaughtStatements caught(connectionOf(m_db));
        auto n = ReportStore(m_db).countReports(q);
        auto issues = ReportStore(m_db).listIssues(q, 1000);
        auto nIssues = ListQueries(m_db).countIssues(q);
        auto chart = TimelineQueries(m_db).buckets(q, 36);
        QVERIFY(n && issues && nIssues && chart);
        QVERIFY(*n > 0);
        QCOMPARE(chart->total, *n);
        const QStringList statements = caught.readingReports();
        QVERIFY(statements.size() >= 4);
        for (const QString &sql : statements) {
            const QString plan = planOf(connectionOf(m_db), sql);
            QVERIFY2(plan.contains(QLatin1String("USING COVERING INDEX reports_path_prefix (")) &&
                         plan.contains(QLatin1String("path>? AND path<?")),
                     qPrintable(sql + QStringLiteral("\n  plan: ") + plan));
        }
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

private:
    QTemporaryDir m_dir;
    Database m_db;
};

QTEST_GUILESS_MAIN(TestQueryPlans)
#include "tst_query_plans.moc"
