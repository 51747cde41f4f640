// The desktop app's models: QAbstractItemModelTester on each, lazy paging over
// the job runner (count, pages, keyset boundaries, stale generations); the
// runner itself, and its interrupting of an outdated query, in tst_ui_jobs.
#include "look/Format.h"
#include "models/IssueListModel.h"
#include "views/KeyValueTable.h"
#include "models/ReportListModel.h"
#include "store/ReportStore.h"
#include "store/sqlite/Sqlite.h"
#include "models/SavedSearches.h"
#include "models/TracebackModel.h"
#include "UiSupport.h"
#include "model/ReportJson.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QLocale>
#include <QTemporaryDir>
#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>

using namespace ed;

class TestUiModels : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_corpusDb, m_bigDb;

    // Reads every row of the model (asking for pages as a view would).
    static bool loadAll(PagedModel *m)
    {
        if (!QTest::qWaitFor([m] { return m->isCountKnown(); }, 10000))
            return false;
        for (int row = 0; row < m->rowCount(); row += PagedModel::kPageSize) {
            m->data(m->index(row, 0), Qt::DisplayRole);
            if (!QTest::qWaitFor([m, row] { return m->isRowLoaded(row); }, 10000))
                return false;
        }
        return true;
    }

    static QList<qint64> ids(Database &db, const QString &sql)
    {
        const edtest::TestSideDb testSide;
        QList<qint64> out;
        Statement st = connectionOf(db).prepare(sql.toStdString());
        while (st.step())
            out << st.int64(0);
        if (!st.valid() || st.errorCode() != 101 /* SQLITE_DONE */)
            qFatal("%s: %s", qPrintable(sql), qPrintable(st.error()));
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        edtest::isolate();
        QVERIFY(m_dir.isValid());
        m_corpusDb = edtest::corpusDatabase(m_dir);
        // More rows than a few pages, to exercise keyset paging.
        m_bigDb = m_dir.filePath(QStringLiteral("big.sqlite3"));
        auto db = edtest::onTestSide([&] { return Database::open(m_bigDb); });
        QVERIFY(db.ok());
        const auto s = edtest::importFiltered(*db, {edtest::generatedReports(m_dir, 1500)});
        QCOMPARE(s.stored, 1500);
    }

    void reportModelPagesAndCount()
    {
        ReportListModel model(m_bigDb);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy first(&model, &PagedModel::firstRowsLoaded);
        model.setQuery({});
        QVERIFY(first.wait(5000) || first.count() > 0);
        QVERIFY(loadAll(&model));
        auto db = edtest::onTestSide([&] { return Database::open(m_bigDb); });
        const edtest::TestSideDb testSide; // the checks only, after the model loaded
        ReportStore store(*db);
        QCOMPARE(int64_t(model.rowCount()), *store.countReports({}));
        // Pages read by keyset give the same rows, in the same order, as OFFSET paging.
        auto all = store.listReports({}, 100000, 0);
        QVERIFY(all.ok());
        QCOMPARE(size_t(model.rowCount()), all->size());
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.data(model.index(row, 0), ReportListModel::IdRole).toLongLong(), (*all)[size_t(row)].id);
    }

    // The expected order of every column comes from SQL written here, not from
    // the model's own column-to-sort mapping.
    void reportModelSortsEveryColumn()
    {
        const QMap<int, QString> sqlColumn{
            {ReportListModel::Time, QStringLiteral("timestamp")},
            {ReportListModel::Level, QStringLiteral("level")},
            {ReportListModel::Status, QStringLiteral("status_code")},
            {ReportListModel::Exception, QStringLiteral("exception_type")},
            {ReportListModel::Message, QStringLiteral("message")},
            {ReportListModel::Path, QStringLiteral("path")},
            {ReportListModel::Logger, QStringLiteral("logger")},
            {ReportListModel::Issue, QStringLiteral("issue_id")},
        };
        QCOMPARE(sqlColumn.size(), int(ReportListModel::ColumnCount));
        ReportListModel model(m_bigDb);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setQuery({});
        auto db = edtest::onTestSide([&] { return Database::open(m_bigDb); });
        for (int col = 0; col < ReportListModel::ColumnCount; ++col) {
            for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
                model.sort(col, order);
                QVERIFY(loadAll(&model));
                const QString dir = order == Qt::DescendingOrder ? QStringLiteral("DESC") : QStringLiteral("ASC");
                // Ties by time, then id (the order of the column's index), except under time itself.
                const QString tie = col == ReportListModel::Time ? QString() : QStringLiteral(", timestamp %1").arg(dir);
                const QList<qint64> expect = ids(
                    *db, QStringLiteral("SELECT id FROM reports WHERE hidden_by IS NULL ORDER BY %1 %2%3, id %2")
                             .arg(sqlColumn.value(col), dir, tie));
                QCOMPARE(model.rowCount(), int(expect.size()));
                // Every row, across page boundaries (keyset and OFFSET paths).
                for (int row = 0; row < model.rowCount(); ++row)
                    QCOMPARE(model.data(model.index(row, 0), ReportListModel::IdRole).toLongLong(), expect[row]);
            }
        }
    }

    void reportModelJumpFarDown()
    {
        // Rows far from any loaded page: OFFSET from the nearest boundary.
        ReportListModel model(m_bigDb);
        model.setQuery({});
        QVERIFY(QTest::qWaitFor([&] { return model.isCountKnown(); }, 5000));
        const int row = model.rowCount() - 3;
        QVERIFY(!model.isRowLoaded(row));
        QCOMPARE(model.data(model.index(row, 0), Qt::DisplayRole).toString(), QStringLiteral("Loading…"));
        QVERIFY(QTest::qWaitFor([&] { return model.isRowLoaded(row); }, 5000));
        auto db = edtest::onTestSide([&] { return Database::open(m_bigDb); });
        auto expect = edtest::onTestSide([&] { return ReportStore(*db).listReports({}, 1, row); });
        QCOMPARE(model.data(model.index(row, 0), ReportListModel::IdRole).toLongLong(), expect->front().id);
    }

    void staleResultsAreDropped()
    {
        ReportListModel model(m_bigDb);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Many queries in a row: only the last one's rows may arrive.
        for (const char *q : {"level:error", "level:warning", "type:KeyError", "status:404", "level:critical"}) {
            SearchQuery sq;
            sq.text = QString::fromLatin1(q);
            model.setQuery(sq);
        }
        SearchQuery last;
        last.text = QStringLiteral("status:404");
        model.setQuery(last);
        QVERIFY(loadAll(&model));
        auto db = edtest::onTestSide([&] { return Database::open(m_bigDb); });
        QCOMPARE(int64_t(model.rowCount()), *edtest::onTestSide([&] { return ReportStore(*db).countReports(last); }));
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.report(row)->statusCode.value_or(0), 404);
    }

    void invalidQueryShowsNothing()
    {
        ReportListModel model(m_corpusDb);
        QSignalSpy failed(&model, &PagedModel::queryFailed);
        SearchQuery q;
        q.text = QStringLiteral("level:loud");
        model.setQuery(q);
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("loud")));
        QVERIFY(QTest::qWaitFor([&] { return model.isCountKnown(); }, 5000));
        QCOMPARE(model.rowCount(), 0);
    }

    void issueModel()
    {
        IssueListModel model(m_bigDb);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setQuery({});
        QVERIFY(loadAll(&model));
        auto db = edtest::onTestSide([&] { return Database::open(m_bigDb); });
        QCOMPARE(int64_t(model.rowCount()), edtest::scalar(*db, "SELECT count(*) FROM issues WHERE count > 0"));
        // Sorting by each column: the expected order from SQL written here.
        const QMap<int, QString> sqlColumn{
            {IssueListModel::Level, QStringLiteral("level")},          {IssueListModel::Title, QStringLiteral("title")},
            {IssueListModel::Culprit, QStringLiteral("culprit")},      {IssueListModel::Events, QStringLiteral("count")},
            {IssueListModel::FirstSeen, QStringLiteral("first_seen")}, {IssueListModel::LastSeen, QStringLiteral("last_seen")},
            {IssueListModel::Trend, QStringLiteral("count")},          {IssueListModel::Status, QStringLiteral("status")},
        };
        QCOMPARE(sqlColumn.size(), int(IssueListModel::ColumnCount));
        for (int col = 0; col < IssueListModel::ColumnCount; ++col) {
            for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
                model.sort(col, order);
                QVERIFY(loadAll(&model));
                const QString dir = order == Qt::DescendingOrder ? QStringLiteral("DESC") : QStringLiteral("ASC");
                const QList<qint64> expect = ids(
                    *db,
                    QStringLiteral("SELECT id FROM issues WHERE count > 0 ORDER BY %1 %2, id %2").arg(sqlColumn.value(col), dir));
                QCOMPARE(model.rowCount(), int(expect.size()));
                for (int row = 0; row < model.rowCount(); ++row)
                    QCOMPARE(model.data(model.index(row, 0), IssueListModel::IdRole).toLongLong(), expect[row]);
            }
        }
        // A filtered query counts the issues that have a matching report.
        SearchQuery q;
        q.text = QStringLiteral("status:404");
        model.setQuery(q);
        QVERIFY(loadAll(&model));
        QCOMPARE(
            int64_t(model.rowCount()),
            edtest::scalar(*db, "SELECT count(DISTINCT issue_id) FROM reports WHERE status_code = 404 AND hidden_by IS NULL"));
    }

    // The sparkline's 14 days: reports of known days, written here relative to
    // today, land in their day's bucket; older ones and hidden ones are not counted.
    void issueSparklineCountsEachDay()
    {
        // Three failures of the corpus (different issues), copied at these many days ago.
        struct Plan {
            int templateLine;
            QList<int> daysAgo;
        };
        const QList<Plan> plans{{1, {0, 0, 1, 5, 13, 20}}, {2, {3, 3, 3, 40}}, {8, {15, 30}}};
        QList<QJsonObject> templates;
        {
            QFile f(edtest::corpus(QStringLiteral("records.jsonl")));
            QVERIFY(f.open(QIODevice::ReadOnly));
            while (!f.atEnd())
                templates << QJsonDocument::fromJson(f.readLine()).object();
        }
        QByteArray lines;
        const QDateTime now = QDateTime::currentDateTime();
        int n = 0;
        for (const Plan &p : plans) {
            for (int d : p.daysAgo) {
                QJsonObject r = templates.at(p.templateLine);
                r[QStringLiteral("event_id")] = QStringLiteral("spark-%1").arg(n++);
                // Noon of that day, local time (the model's days are local days).
                r[QStringLiteral("timestamp")] =
                    QDateTime(now.date().addDays(-d), QTime(12, 0)).toUTC().toString(Qt::ISODateWithMs);
                lines += QJsonDocument(r).toJson(QJsonDocument::Compact) + '\n';
            }
        }
        const QString input = m_dir.filePath(QStringLiteral("spark.jsonl"));
        QFile out(input);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(lines);
        out.close();
        const QString path = m_dir.filePath(QStringLiteral("spark.sqlite3"));
        {
            auto db = edtest::onTestSide([&] { return Database::open(path); });
            QVERIFY(db.ok());
            QCOMPARE(edtest::importFiltered(*db, {input}).stored, int64_t(n)); // a test-side scope itself
        }
        IssueListModel model(path);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setQuery({});
        QVERIFY(loadAll(&model));
        QCOMPARE(model.rowCount(), plans.size());
        auto db = edtest::onTestSide([&] { return Database::open(path); });
        int firstId = 0;
        for (const Plan &p : plans) {
            QList<qint64> expect(IssueListModel::kTrendDays, 0);
            for (int d : p.daysAgo)
                if (d < IssueListModel::kTrendDays)
                    ++expect[IssueListModel::kTrendDays - 1 - d]; // the last bucket is today
            const qint64 issue = ids(*db, QStringLiteral("SELECT issue_id FROM reports WHERE event_id = 'spark-%1'").arg(firstId))
                                     .value(0, -1);
            firstId += int(p.daysAgo.size());
            int row = -1;
            for (int r = 0; r < model.rowCount(); ++r)
                if (model.data(model.index(r, 0), IssueListModel::IdRole).toLongLong() == issue)
                    row = r;
            QVERIFY2(row >= 0, qPrintable(QString::number(issue)));
            const auto daily = model.data(model.index(row, IssueListModel::Trend), IssueListModel::DailyCountsRole)
                                   .value<QList<qint64>>();
            QCOMPARE(daily, expect);
        }
    }

    // Plural texts read as English does, the count in the user's locale.
    void englishPlurals()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QCOMPARE(QCoreApplication::translate("IssuePage", "%n report(s)", nullptr, 1), QStringLiteral("1 report"));
        QCOMPARE(QCoreApplication::translate("IssuePage", "%n report(s)", nullptr, 0), QStringLiteral("0 reports"));
        QCOMPARE(QCoreApplication::translate("IssuePage", "%n report(s)", nullptr, 50000), QStringLiteral("50,000 reports"));
        QCOMPARE(QCoreApplication::translate("Format", "%n day(s) ago", nullptr, 9), QStringLiteral("9 days ago"));
        QCOMPARE(QCoreApplication::translate("X", "(none)"), QStringLiteral("(none)")); // not a plural: as written
        QLocale::setDefault(QLocale::c());
    }

    // Sizes and durations a person reads (the import summary): never "0.0 MB in 0.0 s".
    void sizesAndDurations()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QCOMPARE(fmt::bytes(1), QStringLiteral("1 byte"));
        QCOMPARE(fmt::bytes(812), QStringLiteral("812 bytes"));
        QCOMPARE(fmt::bytes(14'200), QStringLiteral("14.2 KB"));
        QCOMPARE(fmt::bytes(999'999), QStringLiteral("1.0 MB"));
        QCOMPARE(fmt::bytes(296'400'000), QStringLiteral("296 MB"));
        QCOMPARE(fmt::bytes(1'234'000'000), QStringLiteral("1.2 GB"));
        QCOMPARE(fmt::seconds(0.004), QStringLiteral("< 0.01 s"));
        QCOMPARE(fmt::seconds(0.0423), QStringLiteral("0.042 s"));
        QCOMPARE(fmt::seconds(2.345), QStringLiteral("2.3 s"));
        QCOMPARE(fmt::seconds(65.2), QStringLiteral("1 min 5 s"));
        QLocale::setDefault(QLocale::c());
    }

    // A frame whose report has no source (the server could not read the file)
    // shows the lines of the user's checkout, marked; with none, nothing.
    void tracebackModelReadsLocalSource()
    {
        QTemporaryDir dir;
        QFile src(dir.filePath(QStringLiteral("views.py")));
        QVERIFY(src.open(QIODevice::WriteOnly));
        src.write("import os\n\ndef checkout(request):\n    total = 1 / 0\n    return total\n");
        src.close();
        Report r;
        ExceptionInfo e;
        e.type = QStringLiteral("ZeroDivisionError");
        Frame f;
        f.filename = QStringLiteral("/srv/shop/views.py");
        f.function = QStringLiteral("checkout");
        f.lineno = 4;
        f.inApp = true;
        e.frames.push_back(f);
        r.exceptions.push_back(e);
        TracebackModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setReport(r);
        QModelIndex frame = model.index(model.frameRows().first(), 0);
        QCOMPARE(model.rowCount(frame), 0);
        model.setReport(r, parseSourceRoots({QStringLiteral("/srv/shop=") + dir.path()}));
        frame = model.index(model.frameRows().first(), 0);
        QCOMPARE(frame.data(TracebackModel::FileRole).toString(), QStringLiteral("/srv/shop/views.py"));
        QCOMPARE(frame.data(TracebackModel::LineRole).toInt(), 4);
        QVERIFY(frame.data().toString().endsWith(QStringLiteral("total = 1 / 0")));
        QCOMPARE(model.rowCount(frame), 5);
        const QModelIndex failing = model.index(3, TracebackModel::Text, frame);
        QCOMPARE(failing.data().toString(), QStringLiteral("    total = 1 / 0"));
        QVERIFY(failing.data(TracebackModel::FailingLineRole).toBool());
        QVERIFY(failing.data(TracebackModel::LocalSourceRole).toBool());
        QCOMPARE(model.index(0, TracebackModel::Label, frame).data().toString(), QStringLiteral("1"));
    }

    void tracebackModelChainAndRecursion()
    {
        const edtest::TestSideDb testSide; // the model gets its reports from the test: no job here
        auto db = Database::open(m_corpusDb);
        ReportStore store(*db);
        // The deepest traceback (a RecursionError) and a chained one.
        const int64_t deep = edtest::scalar(*db, "SELECT id FROM reports ORDER BY frame_count DESC LIMIT 1");
        auto d = store.loadReport(deep);
        QVERIFY(d.ok());
        TracebackModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setReport(d->report); // how fast: bench/bench_ui_model ("deepest report")
        // /tree/: inner, _get_response, view_recursion, then _recurse at line 152
        // 981 times: cut as Python prints it, three frames and one line for 978.
        QCOMPARE(model.frameCount(), 984);
        QCOMPARE(model.frameRows().size(), 6);
        QCOMPARE(model.repeatedRows().size(), 1);
        const QModelIndex run = model.index(model.repeatedRows().first(), 0);
        QCOMPARE(run.data().toString(), QStringLiteral("[Previous line repeated 978 more times]"));
        QCOMPARE(model.rowCount(run), 978);
        QCOMPARE(model.index(0, 0, run).data(TracebackModel::KindRole).toInt(), int(TracebackModel::Frame));
        QVERIFY(model.index(977, 0, run).data().toString().contains(QStringLiteral(":152 in _recurse")));
        QCOMPARE(model.repeatedRows().first(), model.frameRows().last() + 1);

        // A chain: a Cause row with Django's sentence between the two exceptions.
        bool foundChain = false;
        Statement st = connectionOf(*db).prepare("SELECT id FROM reports WHERE message LIKE '%/payments/charge/%' LIMIT 1");
        QVERIFY(st.step());
        auto chained = store.loadReport(st.int64(0));
        model.setReport(chained->report);
        for (int row = 0; row < model.rowCount(); ++row) {
            const QModelIndex i = model.index(row, 0);
            if (i.data(TracebackModel::KindRole).toInt() == TracebackModel::Cause) {
                QVERIFY(i.data().toString().startsWith(QStringLiteral("The above exception (")));
                QVERIFY(i.data().toString().endsWith(QStringLiteral("was the direct cause of the following exception:")));
                foundChain = true;
                // Django's order: the earlier exception's frames, the sentence, then
                // the next exception's heading.
                QVERIFY(row > 0);
                QCOMPARE(model.index(row - 1, 0).data(TracebackModel::KindRole).toInt(), int(TracebackModel::Frame));
                QVERIFY(row + 1 < model.rowCount());
                QCOMPARE(model.index(row + 1, 0).data(TracebackModel::KindRole).toInt(), int(TracebackModel::Heading));
            }
        }
        QVERIFY(foundChain);
        // Source lines and the failing line marked, local variables under each frame.
        const QModelIndex frame = model.index(model.frameRows().last(), 0);
        bool failing = false, vars = false;
        for (int r = 0; r < model.rowCount(frame); ++r) {
            const QModelIndex c = model.index(r, 0, frame);
            failing |= c.data(TracebackModel::FailingLineRole).toBool();
            vars |= c.data(TracebackModel::KindRole).toInt() == TracebackModel::VarsGroup && model.rowCount(c) > 0;
        }
        QVERIFY(failing);
        QVERIFY(vars);
    }

    void keyValueModelMarksScrubbed()
    {
        KeyValueModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setEntries(
            reportFromRecord(
                QJsonObject{{QStringLiteral("settings"),
                             QJsonObject{{QStringLiteral("SECRET_KEY"), QStringLiteral("********************")},
                                         {QStringLiteral("DEBUG"), QStringLiteral("False")},
                                         {QStringLiteral("q"), QJsonArray{QStringLiteral("a"), QStringLiteral("b")}}}}})
                .settings);
        QCOMPARE(model.rowCount(), 3);
        int scrubbed = 0;
        for (int r = 0; r < 3; ++r)
            scrubbed += model.index(r, 1).data(KeyValueModel::ScrubbedRole).toBool() ? 1 : 0;
        QCOMPARE(scrubbed, 1);
    }

    void savedSearchModel()
    {
        SavedSearchModel model(m_corpusDb);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy failed(&model, &SavedSearchModel::failed);
        // Written on the job runner, one after another; the list is read again after each.
        model.save(QStringLiteral("Server errors"), QStringLiteral("status:5xx"));
        model.save(QStringLiteral("404s"), QStringLiteral("status:404"));
        model.save(QStringLiteral("404s"), QStringLiteral("status:404 -path:/favicon.ico")); // replaces
        QTRY_COMPARE(model.rowCount(), 2);
        QTRY_COMPARE(model.index(0, 0).data(SavedSearchModel::QueryRole).toString(),
                     QStringLiteral("status:404 -path:/favicon.ico"));
        model.remove(model.index(0, 0).data(SavedSearchModel::IdRole).toLongLong());
        QTRY_COMPARE(model.rowCount(), 1);
        QCOMPARE(failed.count(), 0);
    }
};

QTEST_MAIN(TestUiModels)
#include "tst_ui_models.moc"
