// RuleApplier::preview (what apply would hide, written nowhere) and apply's
// batches and cancel token (issue 14): the preview's counts are what apply
// then leaves; a cancel midway leaves every report either as it was or as the
// rules make it, every issue count right, and a re-scrub cancelled midway
// still marked as needed until one completes (then no secret is left).
#include "SecretScanner.h"
#include "TestSupport.h"

#include "filters/FilterSet.h"
#include "filters/RuleApplier.h"
#include "store/Config.h"
#include "store/sqlite/Sqlite.h"

using namespace ed;
using namespace edtest;

namespace {

// Issue counts agree with the reports they group (counted here by SQL).
void checkIssueCounts(Database &db)
{
    Statement st = connectionOf(db).prepare(
        "SELECT i.id, i.count, i.hidden_count,"
        " (SELECT count(*) FROM reports r WHERE r.issue_id = i.id AND r.hidden_by IS NULL),"
        " (SELECT count(*) FROM reports r WHERE r.issue_id = i.id AND r.hidden_by IS NOT NULL) FROM issues i");
    int n = 0;
    while (st.step()) {
        QCOMPARE(st.int64(1), st.int64(3));
        QCOMPARE(st.int64(2), st.int64(4));
        ++n;
    }
    QVERIFY(n > 0);
}

// hidden_by -> reports, read by SQL.
QHash<QString, int64_t> storedLabels(Database &db)
{
    QHash<QString, int64_t> out;
    Statement st = connectionOf(db).prepare(
        "SELECT hidden_by, count(*) FROM reports WHERE hidden_by IS NOT NULL GROUP BY hidden_by");
    while (st.step())
        out.insert(st.qtext(0), st.int64(1));
    return out;
}

std::unique_ptr<FilterSet> loadFilters(Database &db)
{
    auto fs = FilterSet::load(db);
    if (!fs)
        qFatal("%s", qPrintable(fs.error()));
    return std::move(*fs);
}

void addPaymentsRule(Database &db)
{
    FilterRule hide;
    hide.name = QStringLiteral("payments");
    hide.logger = QStringLiteral("shop.payments");
    QVERIFY(RuleStore(db).add(hide));
}

} // namespace

class TestRulesPreview : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The preview writes nothing, and apply then leaves exactly its counts.
    void previewEqualsApply()
    {
        QTemporaryDir dir;
        auto db = Database::open(corpusDatabase(dir));
        QVERIFY(db);
        const int64_t payments = scalar(*db, "SELECT count(*) FROM reports WHERE logger = 'shop.payments'");
        QCOMPARE(payments, int64_t(6)); // the corpus's webhook failures
        const int64_t products404 = scalar(
            *db, "SELECT count(*) FROM reports WHERE status_code = 404 AND path LIKE '/products/%' AND hidden_by IS NULL");
        QVERIFY(products404 > 0);
        addPaymentsRule(*db);
        QVERIFY(Config(*db).set(ConfigKey::Hidden404Prefixes, QJsonArray{QStringLiteral("/products/")}));
        const QHash<QString, int64_t> before = storedLabels(*db);
        QCOMPARE(before.value(QStringLiteral("rule: payments")), int64_t(0));

        auto fs = loadFilters(*db);
        auto preview = RuleApplier::preview(*db, *fs);
        QVERIFY2(preview, qPrintable(preview ? QString() : preview.error()));
        QCOMPARE(preview->reports, scalar(*db, "SELECT count(*) FROM reports"));
        QCOMPARE(preview->hiddenBy(QStringLiteral("rule: payments")), payments);
        QCOMPARE(preview->hiddenBy(QStringLiteral("404: ERRORDECK_HIDDEN_404_PREFIXES '/products/'")), products404);
        QCOMPARE(preview->failed, int64_t(0));
        QCOMPARE(storedLabels(*db), before); // nothing written

        auto applied = RuleApplier::apply(*db, *fs);
        QVERIFY2(applied, qPrintable(applied ? QString() : applied.error()));
        QVERIFY(!applied->cancelled);
        QCOMPARE(storedLabels(*db), preview->byLabel);
        QCOMPARE(applied->hidden, preview->hidden);
        QCOMPARE(applied->newlyHidden, preview->newlyHidden);
        QCOMPARE(applied->newlyShown, preview->newlyShown);
        QCOMPARE(applied->relabelled, preview->relabelled);
        checkIssueCounts(*db);

        // After apply, the preview of the same rules foresees no change.
        auto again = RuleApplier::preview(*db, *fs);
        QVERIFY(again);
        QCOMPARE(again->newlyHidden + again->newlyShown + again->relabelled, int64_t(0));
    }

    // Cancelled after some reports: those are applied and committed, the rest
    // as they were; counts right; the next apply finishes the job.
    void cancelMidwayLeavesConsistentStore()
    {
        QTemporaryDir dir;
        auto db = Database::open(corpusDatabase(dir));
        QVERIFY(db);
        addPaymentsRule(*db);
        auto fs = loadFilters(*db);
        int64_t asked = 0;
        ApplyOptions opts;
        opts.batchSize = 7;
        constexpr int64_t stopAt = 40; // reports looked at before the cancel
        opts.cancelled = [&asked] { return ++asked > stopAt; };
        auto applied = RuleApplier::apply(*db, *fs, opts);
        QVERIFY2(applied, qPrintable(applied ? QString() : applied.error()));
        QVERIFY(applied->cancelled);
        QCOMPARE(applied->reports, stopAt);
        // The first 40 reports (by id) follow the rule, the others do not yet.
        const int64_t lastDone = scalar(*db, "SELECT id FROM reports ORDER BY id LIMIT 1 OFFSET 39");
        Statement st = connectionOf(*db).prepare(
            "SELECT sum(CASE WHEN hidden_by = 'rule: payments' AND id <= ?1 THEN 1 ELSE 0 END),"
            " sum(CASE WHEN hidden_by = 'rule: payments' AND id > ?1 THEN 1 ELSE 0 END),"
            " sum(CASE WHEN logger = 'shop.payments' AND id <= ?1 THEN 1 ELSE 0 END) FROM reports");
        st.bind(1, lastDone);
        QVERIFY(st.step());
        QCOMPARE(st.int64(0), st.int64(2));
        QCOMPARE(st.int64(1), int64_t(0));
        const int64_t doneFirst = st.int64(0);
        QVERIFY(doneFirst > 0 && doneFirst < 6); // the cancel fell between the webhook failures
        st.reset();
        checkIssueCounts(*db);
        if (!onPostgres()) // the file is whole (a server's pages are not the test's to check)
            QCOMPARE(scalar(*db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"), int64_t(0));

        auto rest = RuleApplier::apply(*db, *fs);
        QVERIFY(rest);
        QVERIFY(!rest->cancelled);
        QCOMPARE(scalar(*db, "SELECT count(*) FROM reports WHERE hidden_by = 'rule: payments'"), int64_t(6));
        QCOMPARE(rest->newlyHidden + rest->relabelled, int64_t(6) - doneFirst);
        checkIssueCounts(*db);
    }

    // A new scrubbing pattern: a re-scrub cancelled midway stays "needed" and
    // the value is still stored; the next apply removes it from everything.
    void cancelledRescrubStaysNeeded()
    {
        QTemporaryDir dir;
        const QString path = corpusDatabase(dir);
        auto db = Database::open(path);
        QVERIFY(db);
        const QStringList value{QStringLiteral("division by zero")};
        QVERIFY(!SecretScanner(value).scan(path).found.isEmpty()); // the test can fail
        // Written so that the setting itself does not hold the value searched for.
        QVERIFY(Config(*db).set(ConfigKey::SensitiveValues, QJsonArray{QStringLiteral("division b[y] zero")}));
        auto fs = loadFilters(*db);
        QVERIFY(*RuleApplier::needsRescrub(*db, *fs));
        int64_t asked = 0;
        ApplyOptions opts;
        opts.batchSize = 10;
        opts.cancelled = [&asked] { return ++asked > 30; };
        auto part = RuleApplier::apply(*db, *fs, opts);
        QVERIFY2(part, qPrintable(part ? QString() : part.error()));
        QVERIFY(part->cancelled);
        QVERIFY(part->scrubbed);
        QVERIFY(*RuleApplier::needsRescrub(*db, *fs));
        checkIssueCounts(*db);
        QVERIFY(!SecretScanner(value).scan(path).found.isEmpty()); // the rest of the reports, the issue titles

        auto whole = RuleApplier::apply(*db, *fs);
        QVERIFY(whole);
        QVERIFY(!whole->cancelled);
        QVERIFY(whole->rescrubbed > 0);
        QVERIFY(!*RuleApplier::needsRescrub(*db, *fs));
        const QStringList found = SecretScanner(value).scan(path).found;
        QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
        checkIssueCounts(*db);
    }
};

QTEST_GUILESS_MAIN(TestRulesPreview)
#include "tst_rules_preview.moc"
