// Triage that sticks (issue 14, store/IssueTriage.h): the views of the issue
// list and their counts, ignoring for a time or until N more reports, resolving
// in the next release, merging issues (and new reports of a merged fingerprint
// landing in the merged issue), splitting them again, deleting an issue with its
// reports. Real imports into real SQLite files; the counts by hour and day and
// the full-text index are compared with the reports after each change.
#include "store/IssueTriage.h"
#include "store/ListQueries.h"
#include "store/ReportStore.h"
#include "store/sqlite/SqlDialect.h"
#include "store/sqlite/Sqlite.h"
#include "TestEngine.h"
#include "TestSupport.h"

#include <QDateTime>

using namespace ed;
using namespace edtest;

namespace {

// One v1 record of a failure named by its exception type, at `ms`, with a
// release in extra when one is given.
QByteArray record(const QString &id, const char *type, int64_t ms, const char *release = nullptr)
{
    return edtest::errorRecordLine(id, QLatin1String(type), ms, QLatin1String(release));
}

constexpr int64_t kHour = 3'600'000;

class Fixture {
public:
    Fixture() { db = openTestDatabase(dir, QStringLiteral("triage.sqlite3")); }
    // Imports the lines as a file of their own; the summary.
    ImportSummary import(const QByteArray &lines)
    {
        const QString file = dir.filePath(QStringLiteral("batch%1.jsonl").arg(++m_files));
        writeFile(file, lines);
        return importPlain(*db, {file});
    }
    // The issue the report with this event id is in.
    int64_t issueOf(const QString &eventId)
    {
        ReportStore store(*db);
        auto id = store.findByEventId(eventId);
        if (!id)
            return -1;
        return store.loadReport(*id)->row.issueId;
    }
    std::vector<int64_t> listed(std::optional<IssueView> view, const QString &text = {})
    {
        SearchQuery q;
        q.text = text;
        q.view = view;
        std::vector<int64_t> ids;
        const auto rows = ReportStore(*db).listIssues(q, 100);
        if (!rows)
            qFatal("listIssues: %s", qPrintable(rows.error()));
        for (const IssueRow &i : *rows)
            ids.push_back(i.id);
        std::sort(ids.begin(), ids.end());
        return ids;
    }
    int64_t sql(const char *s) { return scalar(*db, s); }

    QTemporaryDir dir;
    std::unique_ptr<Database> db;

private:
    int m_files = 0;
};

// The counts by hour and day that differ from a count of the reports, and
// issue counters that differ from their reports: "" when all agree.
QString countsDisagree(Fixture &f)
{
    QStringList bad;
    for (const auto &[table, unit, ms] :
         {std::tuple("issue_hours", "hour", kHour), std::tuple("issue_days", "day", 24 * kHour)}) {
        // Portable SQL: the rollups' key for "none" is the engine's (SqlDialect.h).
        const SqlDialect d = dialectOf(connectionOf(*f.db));
        const QString sql =
            QStringLiteral("SELECT count(*) FROM (SELECT issue_id, timestamp / %3 AS u, level, coalesce(status_code, %4) AS s,"
                           " coalesce(logger, %5) AS l, coalesce(exception_type, %5) AS t,"
                           " sum(CASE WHEN hidden_by IS NULL THEN 1 ELSE 0 END) AS v,"
                           " sum(CASE WHEN hidden_by IS NULL THEN 0 ELSE 1 END) AS h FROM reports GROUP BY 1, 2, 3, 4, 5, 6) r"
                           " FULL JOIN (SELECT * FROM %1 WHERE visible <> 0 OR hidden <> 0) x ON x.issue_id = r.issue_id"
                           " AND x.%2 = r.u AND x.level = r.level AND x.status_code = r.s AND x.logger = r.l"
                           " AND x.exception_type = r.t WHERE x.visible IS DISTINCT FROM r.v OR x.hidden IS DISTINCT FROM r.h")
                .arg(QLatin1String(table), QLatin1String(unit))
                .arg(ms)
                .arg(sqldialect::rollupNoStatus(d), sqldialect::rollupNoText(d));
        if (const int64_t n = *connectionOf(*f.db).scalar(sql.toStdString()))
            bad << QStringLiteral("%1: %2 rows differ").arg(QLatin1String(table)).arg(n);
    }
    if (const int64_t n = f.sql("SELECT count(*) FROM issues i WHERE count <> (SELECT count(*) FROM reports"
                                " WHERE issue_id = i.id AND hidden_by IS NULL)"))
        bad << QStringLiteral("%1 issue counters differ").arg(n);
    if (f.sql("SELECT count(*) FROM reports_fts") != f.sql("SELECT count(*) FROM reports"))
        bad << QStringLiteral("the full-text index has other rows than the reports");
    return bad.join(QStringLiteral("; "));
}

} // namespace

class TestTriage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Unresolved is what the app opens on: resolved and ignored issues leave it;
    // each view holds its own; the counts of the switch say the same, with a search too.
    void viewsSplitTheIssues()
    {
        Fixture f;
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
        QCOMPARE(f.import(record(QStringLiteral("k1"), "KeyError", now - kHour) +
                          record(QStringLiteral("v1"), "ValueError", now - kHour) +
                          record(QStringLiteral("t1"), "TypeError", now - 30 * 24 * kHour) +
                          record(QStringLiteral("o1"), "OSError", now - 30 * 24 * kHour))
                     .stored,
                 int64_t(4));
        const int64_t key = f.issueOf(QStringLiteral("k1")), value = f.issueOf(QStringLiteral("v1")),
                      type = f.issueOf(QStringLiteral("t1")), os = f.issueOf(QStringLiteral("o1"));
        IssueTriage triage(*f.db);
        QVERIFY(triage.resolve({value}));
        QVERIFY(triage.ignore({type}));
        QCOMPARE(f.listed(IssueView::Unresolved), (std::vector<int64_t>{key, os}));
        QCOMPARE(f.listed(IssueView::Resolved), std::vector<int64_t>{value});
        QCOMPARE(f.listed(IssueView::Ignored), std::vector<int64_t>{type});
        QCOMPARE(f.listed(IssueView::All), (std::vector<int64_t>{key, value, type, os}));
        // For review: unresolved and new in the last 7 days (the OSError is a month old).
        QCOMPARE(f.listed(IssueView::ForReview), std::vector<int64_t>{key});
        SearchQuery all;
        QCOMPARE(*ListQueries(*f.db).viewCounts(all), (std::array<int64_t, kIssueViewCount>{2, 1, 1, 1, 4}));
        all.view = IssueView::Unresolved;
        QCOMPARE(*ListQueries(*f.db).countIssues(all), int64_t(2));
        // Marked reviewed: out of For review, still unresolved.
        QVERIFY(triage.markReviewed({key}));
        QCOMPARE(f.listed(IssueView::ForReview), std::vector<int64_t>{});
        QCOMPARE(f.listed(IssueView::Unresolved), (std::vector<int64_t>{key, os}));
        // With a search: the counts (the per-issue counts answer) and a word (the reports do).
        SearchQuery typed;
        typed.text = QStringLiteral("type:ValueError");
        QCOMPARE(*ListQueries(*f.db).viewCounts(typed), (std::array<int64_t, kIssueViewCount>{0, 0, 1, 0, 1}));
        SearchQuery word;
        word.text = QStringLiteral("boom");
        QCOMPARE(*ListQueries(*f.db).viewCounts(word), (std::array<int64_t, kIssueViewCount>{2, 0, 1, 1, 4}));
        QCOMPARE(f.listed(IssueView::Ignored, QStringLiteral("boom")), std::vector<int64_t>{type});
        QCOMPARE(f.listed(IssueView::Unresolved, QStringLiteral("type:KeyError")), std::vector<int64_t>{key});
        QCOMPARE(f.listed(IssueView::Unresolved, QStringLiteral("type:TypeError")), std::vector<int64_t>{});
        // Back to unresolved.
        QVERIFY(triage.unresolve({value, type}));
        QCOMPARE(f.listed(IssueView::Unresolved), (std::vector<int64_t>{key, value, type, os}));
        // An id that names no issue fails, naming it.
        auto none = triage.resolve({9999});
        QVERIFY(!none);
        QCOMPARE(none.errorKind(), ErrorKind::NotFound);
        QVERIFY2(none.error().contains(QStringLiteral("#9999")), qPrintable(none.error()));
    }

    // Ignored until 2 more reports: the first keeps it ignored, the second
    // brings it back as unresolved (not a regression).
    void ignoreUntilMoreReportsComesBack()
    {
        Fixture f;
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
        f.import(record(QStringLiteral("k1"), "KeyError", now - 3 * kHour));
        const int64_t key = f.issueOf(QStringLiteral("k1"));
        QVERIFY(IssueTriage(*f.db).ignore({key}, IgnoreUntil{std::nullopt, 2}));
        ReportStore store(*f.db);
        QCOMPARE(store.loadIssue(key)->ignoreUntilCount, std::optional<int64_t>(3));
        f.import(record(QStringLiteral("k2"), "KeyError", now - 2 * kHour));
        QCOMPARE(store.loadIssue(key)->status, IssueStatus::Ignored);
        QCOMPARE(f.listed(IssueView::Unresolved), std::vector<int64_t>{});
        const ImportSummary s = f.import(record(QStringLiteral("k3"), "KeyError", now - kHour));
        QCOMPARE(s.regressions, int64_t(0));
        const IssueRow back = *store.loadIssue(key);
        QCOMPARE(back.status, IssueStatus::Unresolved);
        QVERIFY(!back.regression);
        QCOMPARE(back.ignoreUntilCount, std::nullopt);
        QCOMPARE(f.listed(IssueView::Unresolved), std::vector<int64_t>{key});
    }

    // Ignored for an hour: ignored now, unresolved in every view once the hour
    // has passed (the query's time), and a report after it sets it back for good.
    void ignoreForATimeComesBack()
    {
        Fixture f;
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
        f.import(record(QStringLiteral("k1"), "KeyError", now - 3 * kHour));
        const int64_t key = f.issueOf(QStringLiteral("k1"));
        QVERIFY(IssueTriage(*f.db).ignore({key}, IgnoreUntil{kHour, std::nullopt}));
        QCOMPARE(f.listed(IssueView::Ignored), std::vector<int64_t>{key});
        QCOMPARE(f.listed(IssueView::Unresolved), std::vector<int64_t>{});
        SearchQuery later;
        later.now = now + 2 * kHour;
        // Unresolved and, new this week, For review.
        QCOMPARE(*ListQueries(*f.db).viewCounts(later), (std::array<int64_t, kIssueViewCount>{1, 1, 0, 0, 1}));
        later.view = IssueView::Unresolved;
        QCOMPARE(ReportStore(*f.db).listIssues(later, 10)->size(), size_t(1));
        later.view.reset();
        later.text = QStringLiteral("is:ignored");
        QCOMPARE(ReportStore(*f.db).listIssues(later, 10)->size(), size_t(0));
        later.text = QStringLiteral("is:unresolved");
        QCOMPARE(ReportStore(*f.db).listIssues(later, 10)->size(), size_t(1));
        // The hour passed (the test moves the stored end into the past).
        QVERIFY(connectionOf(*f.db).exec("UPDATE issues SET ignore_until = 1"));
        QCOMPARE(ReportStore(*f.db).loadIssue(key)->status, IssueStatus::Unresolved);
        f.import(record(QStringLiteral("k2"), "KeyError", now - kHour));
        QCOMPARE(f.sql("SELECT status FROM issues"), int64_t(0));
        QCOMPARE(f.sql("SELECT count(*) FROM issues WHERE ignore_until IS NOT NULL"), int64_t(0));
    }

    // Resolved in the next release: reports of the same release (or none) keep it
    // resolved, one of a release first seen later reopens it as a regression.
    void resolveInNextReleaseRegressesOnANewRelease()
    {
        Fixture f;
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
        f.import(record(QStringLiteral("k1"), "KeyError", now - 5 * kHour, "1.0") +
                 record(QStringLiteral("v1"), "ValueError", now - 5 * kHour, "0.9") +
                 record(QStringLiteral("t1"), "TypeError", now - 5 * kHour));
        const int64_t key = f.issueOf(QStringLiteral("k1")), type = f.issueOf(QStringLiteral("t1"));
        IssueTriage triage(*f.db);
        QVERIFY(triage.resolveInNextRelease({key}));
        ReportStore store(*f.db);
        QVERIFY(store.loadIssue(key)->resolvedInNextRelease);
        QVERIFY(triage.markReviewed({key}));
        // The same release, later, and an older release: still resolved.
        ImportSummary s = f.import(record(QStringLiteral("k2"), "KeyError", now - kHour, "1.0") +
                                   record(QStringLiteral("k3"), "KeyError", now - kHour, "0.9") +
                                   record(QStringLiteral("k4"), "KeyError", now - kHour));
        QCOMPARE(s.stored, int64_t(3));
        QCOMPARE(s.regressions, int64_t(0));
        QCOMPARE(store.loadIssue(key)->status, IssueStatus::Resolved);
        // A new release: a regression.
        s = f.import(record(QStringLiteral("k5"), "KeyError", now - kHour / 2, "1.1"));
        QCOMPARE(s.regressions, int64_t(1));
        const IssueRow back = *store.loadIssue(key);
        QCOMPARE(back.status, IssueStatus::Unresolved);
        QVERIFY(back.regression);
        QVERIFY(!back.resolvedInNextRelease);
        // Back in For review although reviewed before.
        QCOMPARE(f.listed(IssueView::ForReview), (std::vector<int64_t>{key, f.issueOf(QStringLiteral("v1")), type}));
        // Resolved plainly: a report after it (of any release) regresses it.
        QVERIFY(triage.resolve({key}));
        s = f.import(record(QStringLiteral("k6"), "KeyError", now + kHour, "1.1"));
        QCOMPARE(s.regressions, int64_t(1));
        // No release on its reports: refused, saying why.
        auto refused = triage.resolveInNextRelease({type});
        QVERIFY(!refused);
        QCOMPARE(refused.errorKind(), ErrorKind::InvalidInput);
        QVERIFY2(refused.error().contains(QStringLiteral("release")), qPrintable(refused.error()));
        QCOMPARE(store.loadIssue(type)->status, IssueStatus::Unresolved);
    }

    // Merged: one issue with the reports of both; a new report of either
    // fingerprint lands in it; split: each report back where it came from,
    // new ones too, and the fingerprints their own again.
    void mergeKeepsFingerprintsAndSplitRestores()
    {
        Fixture f;
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
        f.import(record(QStringLiteral("k1"), "KeyError", now - 5 * kHour) +
                 record(QStringLiteral("k2"), "KeyError", now - 4 * kHour) +
                 record(QStringLiteral("v1"), "ValueError", now - 50 * kHour) +
                 record(QStringLiteral("t1"), "TypeError", now - 3 * kHour));
        const int64_t key = f.issueOf(QStringLiteral("k1")), value = f.issueOf(QStringLiteral("v1")),
                      type = f.issueOf(QStringLiteral("t1"));
        IssueTriage triage(*f.db);
        QCOMPARE(*triage.merge(key, {value, type}), int64_t(2));
        QCOMPARE(f.listed(std::nullopt), std::vector<int64_t>{key});
        ReportStore store(*f.db);
        IssueRow merged = *store.loadIssue(key);
        QCOMPARE(merged.count, int64_t(4));
        QCOMPARE(merged.firstSeen, f.sql("SELECT min(timestamp) FROM reports"));
        QCOMPARE(f.issueOf(QStringLiteral("v1")), key);
        QCOMPARE(countsDisagree(f), QString());
        // Merged issues cannot be merged or deleted on their own.
        QVERIFY(!triage.merge(value, {key}));
        QVERIFY(!triage.deleteIssues({value}));

        // New reports of the merged fingerprints land in the merged issue.
        const ImportSummary s = f.import(record(QStringLiteral("v2"), "ValueError", now - kHour) +
                                         record(QStringLiteral("t2"), "TypeError", now - kHour));
        QCOMPARE(s.stored, int64_t(2));
        QCOMPARE(s.newIssues, int64_t(0));
        QCOMPARE(f.issueOf(QStringLiteral("v2")), key);
        QCOMPARE(f.issueOf(QStringLiteral("t2")), key);
        QCOMPARE(store.loadIssue(key)->count, int64_t(6));
        QCOMPARE(f.listed(std::nullopt, QStringLiteral("type:ValueError")), std::vector<int64_t>{key});
        QCOMPARE(countsDisagree(f), QString());

        // Split: every report in its own issue again, the new ones too.
        QCOMPARE(*triage.split(key), int64_t(4));
        for (const char *id : {"v1", "v2"})
            QCOMPARE(f.issueOf(QLatin1String(id)), value);
        for (const char *id : {"t1", "t2"})
            QCOMPARE(f.issueOf(QLatin1String(id)), type);
        QCOMPARE(store.loadIssue(key)->count, int64_t(2));
        QCOMPARE(store.loadIssue(value)->count, int64_t(2));
        QCOMPARE(store.loadIssue(value)->firstSeen, now - 50 * kHour);
        QCOMPARE(store.loadIssue(type)->count, int64_t(2));
        QCOMPARE(f.listed(std::nullopt), (std::vector<int64_t>{key, value, type}));
        QCOMPARE(countsDisagree(f), QString());
        // The fingerprints are their own again.
        f.import(record(QStringLiteral("v3"), "ValueError", now));
        QCOMPARE(f.issueOf(QStringLiteral("v3")), value);
        QVERIFY(!triage.split(key)); // nothing merged into it now
    }

    // Deleted: the issue, its reports, their full-text rows and counts by hour
    // and day; the other issues and the totals stay right.
    void deleteRemovesReportsAndKeepsCountsRight()
    {
        Fixture f;
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
        f.import(record(QStringLiteral("k1"), "KeyError", now - 5 * kHour) +
                 record(QStringLiteral("k2"), "KeyError", now - 30 * kHour) +
                 record(QStringLiteral("v1"), "ValueError", now - 3 * kHour) +
                 record(QStringLiteral("t1"), "TypeError", now - 3 * kHour));
        const int64_t key = f.issueOf(QStringLiteral("k1")), value = f.issueOf(QStringLiteral("v1")),
                      type = f.issueOf(QStringLiteral("t1"));
        IssueTriage triage(*f.db);
        QCOMPARE(*triage.merge(value, {type}), int64_t(1));
        QCOMPARE(*triage.deleteIssues({key}), int64_t(2));
        QCOMPARE(f.sql("SELECT count(*) FROM reports"), int64_t(2));
        // The index itself (each engine's own query form), not a search through the reports.
        QCOMPARE(f.sql(onPostgres() ? "SELECT count(*) FROM reports_fts WHERE document @@ to_tsquery('simple', 'keyerror')"
                                    : "SELECT count(*) FROM reports_fts WHERE reports_fts MATCH 'KeyError'"),
                 int64_t(0));
        QCOMPARE(*connectionOf(*f.db).scalar(
                     QStringLiteral("SELECT count(*) FROM issue_days WHERE issue_id = %1").arg(key).toStdString()),
                 int64_t(0));
        QCOMPARE(countsDisagree(f), QString());
        QCOMPARE(ReportStore(*f.db).stats()->issues, int64_t(1));
        QCOMPARE(ReportStore(*f.db).loadIssue(key).errorKind(), ErrorKind::NotFound);
        // A merged issue goes with the one it went into.
        QCOMPARE(*triage.deleteIssues({value}), int64_t(2));
        QCOMPARE(f.sql("SELECT count(*) FROM issues"), int64_t(0));
        QCOMPARE(f.sql("SELECT count(*) FROM issue_aliases"), int64_t(0));
        QCOMPARE(countsDisagree(f), QString());
        // Their fingerprints start new issues.
        QCOMPARE(f.import(record(QStringLiteral("t2"), "TypeError", now)).newIssues, int64_t(1));
        QCOMPARE(triage.deleteIssues({9999}).errorKind(), ErrorKind::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestTriage)
#include "tst_triage.moc"
