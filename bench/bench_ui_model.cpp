// How the desktop app's lists behave over a large database (a benchmark, not a
// test): time until the first rows of the report and issue lists show, and the
// worst stall of the UI thread while a view scrolls through 1,000,000 reports
// (steady scrolling, page jumps and far scrollbar jumps).
//
//   bench_ui_model [--reports N] [--db PATH]
//
// Without --db it builds a database in a temporary folder: 20,000 reports made
// by bench/gen_reports.py and imported with the real importer, then
// copied in SQL (new event ids, times shifted back an hour per copy) up to N.
// The copies are not in the full-text index. An existing --db is reused.
#include "store/Database.h"
#include "store/sqlite/Sqlite.h"
#include "import/ImportFilters.h"
#include "models/IssueListModel.h"
#include "views/IssueListView.h"
#include "window/MainWindow.h"
#include "views/ReportListView.h"
#include "views/TimelineChart.h"
#include "models/ReportListModel.h"
#include "look/Resources.h"
#include "import/Importer.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHeaderView>
#include <QProcess>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>

using namespace ed;

namespace {

constexpr int kSeedReports = 20000;

bool buildDatabase(const QString &path, int64_t target, const QString &work)
{
    auto db = Database::open(path);
    if (!db) {
        std::fprintf(stderr, "%s\n", qPrintable(db.error()));
        return false;
    }
    auto have = connectionOf(*db).scalar("SELECT count(*) FROM reports");
    if (have && *have >= target) {
        std::printf("reusing %s: %lld reports\n", qPrintable(path), static_cast<long long>(*have));
        return true;
    }
    QElapsedTimer t;
    t.start();
    const QString seed = work + QStringLiteral("/seed.jsonl");
    if (QProcess::execute(QStringLiteral("/usr/bin/python3"),
                          {QStringLiteral(ERRORDECK_BENCH_DIR "/gen_reports.py"),
                           QStringLiteral(ERRORDECK_CORPUS "/records.jsonl"), QString::number(kSeedReports), seed}) != 0) {
        std::fprintf(stderr, "gen_reports.py failed\n");
        return false;
    }
    auto filters = makeImportFilters(*db);
    if (!filters) {
        std::fprintf(stderr, "%s\n", qPrintable(filters.error()));
        return false;
    }
    Importer imp(*db, *filters->scrubber, *filters->filter);
    const ImportSummary s = imp.run({seed});
    std::printf("seed: %lld reports generated and imported in %.1f s\n", static_cast<long long>(s.stored), t.elapsed() / 1000.0);
    const int64_t base = *connectionOf(*db).scalar("SELECT max(id) FROM reports");
    Connection &c = connectionOf(*db);
    for (int64_t copy = 1; *c.scalar("SELECT count(*) FROM reports") < target; ++copy) {
        Transaction tx(c);
        Statement st = c.prepare(
            "INSERT INTO reports(dedup_key, event_id, timestamp, level, logger, message, status_code, site, method, path,"
            " exception_type, exception_value, remote_addr, issue_id, hidden_by, frame_count, source, body, raw)"
            " SELECT randomblob(16), event_id || '-' || ?1, timestamp - ?1 * 3600000, level, logger, message, status_code,"
            " site, method, path, exception_type, exception_value, remote_addr, issue_id, hidden_by, frame_count, source,"
            " body, raw FROM reports WHERE id <= ?2 LIMIT ?3");
        const int64_t left = target - *c.scalar("SELECT count(*) FROM reports");
        st.bind(1, copy).bind(2, base).bind(3, std::min<int64_t>(left, base));
        if (!st.exec() || !tx.commit()) {
            std::fprintf(stderr, "copy failed: %s\n", qPrintable(c.lastError()));
            return false;
        }
    }
    (void)c.exec(
        "UPDATE issues SET count = (SELECT count(*) FROM reports r WHERE r.issue_id = issues.id AND r.hidden_by IS NULL),"
        " hidden_count = (SELECT count(*) FROM reports r WHERE r.issue_id = issues.id AND r.hidden_by IS NOT NULL),"
        " first_seen = (SELECT min(timestamp) FROM reports r WHERE r.issue_id = issues.id); ANALYZE;");
    std::printf("database: %lld reports, %.0f MB, built in %.1f s\n",
                static_cast<long long>(*c.scalar("SELECT count(*) FROM reports")),
                double(QFileInfo(path).size() + QFileInfo(path + QStringLiteral("-wal")).size()) / 1e6, t.elapsed() / 1000.0);
    return true;
}

// The longest time the UI thread did not get back to its event loop, measured
// by a 2 ms heartbeat timer.
class StallMeter : public QObject {
public:
    StallMeter()
    {
        m_timer.setInterval(2);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last > 0)
                m_worst = std::max(m_worst, now - m_last);
            m_last = now;
        });
    }
    void start()
    {
        m_worst = 0;
        m_last = 0;
        m_clock.start();
        m_timer.start();
    }
    double worstMs() const { return m_worst / 1e6; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0, m_worst = 0;
};

void spin(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
}

template <class Model> double timeToFirstRows(Model &model, QTableView &view)
{
    QElapsedTimer t;
    t.start();
    bool shown = false;
    auto conn = QObject::connect(&model, &PagedModel::firstRowsLoaded, [&] {
        view.viewport()->repaint(); // painted, not just arrived
        shown = true;
    });
    model.setQuery({});
    while (!shown && t.elapsed() < 60000)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    QObject::disconnect(conn);
    return t.nsecsElapsed() / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    initUiResources();
    int64_t target = 1'000'000;
    QString dbPath;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--reports"))
            target = args[i + 1].toLongLong();
        else if (args[i] == QLatin1String("--db"))
            dbPath = args[i + 1];
    }
    QTemporaryDir work;
    if (dbPath.isEmpty())
        dbPath = work.filePath(QStringLiteral("bench-ui.sqlite3"));
    if (!buildDatabase(dbPath, target, work.path()))
        return 1;

    {
        // The whole main window, as the app opens: issue list, report list, chart, detail.
        QElapsedTimer t;
        t.start();
        auto db = Database::open(dbPath);
        MainWindow win(std::move(*db));
        win.resize(1500, 950);
        win.show();
        auto *issueModel = win.issueList()->issueModel();
        auto *reportModel = win.reportList()->reportModel();
        while (!(issueModel->isRowLoaded(0) && reportModel->isRowLoaded(0)) && t.elapsed() < 60000)
            QApplication::processEvents(QEventLoop::AllEvents, 5);
        win.repaint();
        const double first = t.nsecsElapsed() / 1e6;
        while (win.chart()->data().buckets == 0 && t.elapsed() < 60000)
            QApplication::processEvents(QEventLoop::AllEvents, 5);
        std::printf("main window: first issue and report rows painted after %.1f ms; chart after %.1f ms\n", first,
                    t.nsecsElapsed() / 1e6);
    }

    // Cold-ish start as the app does it: fresh models, fresh worker connections.
    ReportListModel reports(dbPath);
    QTableView reportView;
    reportView.setModel(&reports);
    reportView.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    reportView.verticalHeader()->setDefaultSectionSize(22);
    reportView.resize(1200, 800);
    reportView.show();
    const double firstReports = timeToFirstRows(reports, reportView);
    IssueListModel issues(dbPath);
    QTableView issueView;
    issueView.setModel(&issues);
    issueView.resize(1200, 500);
    issueView.show();
    const double firstIssues = timeToFirstRows(issues, issueView);
    QElapsedTimer countClock;
    countClock.start();
    while (!reports.isCountKnown() && countClock.elapsed() < 120000)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    std::printf(
        "first report rows shown after %.1f ms; first issue rows after %.1f ms; report COUNT known %.1f ms later (%d rows)\n",
        firstReports, firstIssues, countClock.nsecsElapsed() / 1e6, reports.rowCount());

    StallMeter meter;
    QScrollBar *bar = reportView.verticalScrollBar();
    // 1. Steady scrolling, a wheel step every 16 ms for 3 s.
    meter.start();
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 3000) {
        bar->setValue(bar->value() + 3 * 22);
        spin(16);
    }
    std::printf("steady scrolling: worst UI stall %.1f ms\n", meter.worstMs());
    // 2. Page Down every 50 ms for 3 s.
    meter.start();
    t.restart();
    while (t.elapsed() < 3000) {
        bar->triggerAction(QAbstractSlider::SliderPageStepAdd);
        spin(50);
    }
    std::printf("page down: worst UI stall %.1f ms\n", meter.worstMs());
    // 3. Scrollbar drags to random places, then the time until those rows are filled.
    meter.start();
    double worstFill = 0, sumFill = 0;
    constexpr int jumps = 20;
    auto *rng = QRandomGenerator::global();
    for (int i = 0; i < jumps; ++i) {
        const int row = int(rng->bounded(reports.rowCount()));
        reportView.scrollTo(reports.index(row, 0), QAbstractItemView::PositionAtTop);
        reportView.viewport()->repaint();
        QElapsedTimer fill;
        fill.start();
        while (!reports.isRowLoaded(row) && fill.elapsed() < 30000) {
            QApplication::processEvents(QEventLoop::AllEvents, 5);
            reportView.viewport()->update();
        }
        worstFill = std::max(worstFill, fill.nsecsElapsed() / 1e6);
        sumFill += fill.nsecsElapsed() / 1e6;
        spin(30);
    }
    std::printf("far jumps: worst UI stall %.1f ms; rows filled after %.0f ms on average, %.0f ms at worst\n", meter.worstMs(),
                sumFill / jumps, worstFill);
    // 4. A sort change on the big table, then the first rows.
    meter.start();
    t.restart();
    reports.sort(ReportListModel::Level, Qt::DescendingOrder);
    while (!reports.isRowLoaded(0) && t.elapsed() < 60000)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    std::printf("sort by level: first rows after %.1f ms; worst UI stall %.1f ms\n", t.nsecsElapsed() / 1e6, meter.worstMs());
    return 0;
}
