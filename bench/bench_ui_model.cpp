// How the desktop app's lists behave over a large database (a benchmark, not a
// test): time until the first rows of the report and issue lists show, and the
// worst stall of the UI thread while a view scrolls through 1,000,000 reports
// (steady scrolling, page jumps and far scrollbar jumps), and the report with
// the most frames (984 in the corpus's RecursionError) shown in the detail
// pane, then with every frame opened. (The widget tests check that this works;
// how fast it is lives here.)
//
//   bench_ui_model [--reports N] [--db PATH]
//
// Without --db it asks bench/build_bench_db.sh for its N-report database (made
// through errordeck-cli import, full-text index included, cached between runs).
// The app's models write nothing: the cached database is not changed.
#include "store/Database.h"
#include "store/sqlite/Sqlite.h"
#include "views/ReportDetailView.h"
#include "views/TracebackView.h"
#include "models/TracebackModel.h"
#include "models/IssueListModel.h"
#include "views/IssueListView.h"
#include "window/MainWindow.h"
#include "views/ReportListView.h"
#include "views/TimelineChart.h"
#include "models/ReportListModel.h"
#include "look/Resources.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>
#include <QTreeView>
#include <cstdio>

using namespace ed;

namespace {

// The database of bench/build_bench_db.sh (through the real importer, cached
// between runs): its path, or empty when it could not be built.
QString benchDatabase(int64_t reports)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(QStringLiteral("bash"), {QStringLiteral(ERRORDECK_BENCH_DIR "/build_bench_db.sh"),
                                     QStringLiteral(ERRORDECK_BUILD_DIR), QStringLiteral("--reports"), QString::number(reports)});
    if (!p.waitForFinished(-1) || p.exitCode() != 0)
        return {};
    const QStringList lines = QString::fromLocal8Bit(p.readAllStandardOutput()).trimmed().split(u'\n');
    return lines.isEmpty() ? QString() : lines.last();
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
    if (dbPath.isEmpty())
        dbPath = benchDatabase(target);
    if (dbPath.isEmpty() || !QFileInfo::exists(dbPath)) {
        std::fprintf(stderr, "no database: bench/build_bench_db.sh failed\n");
        return 1;
    }
    std::printf("database: %s\n", qPrintable(dbPath));

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

        // The deepest traceback, in the detail pane and then with every frame open.
        int64_t deepest = 0;
        {
            auto side = Database::open(dbPath, true);
            Statement st = connectionOf(*side).prepare("SELECT id FROM reports ORDER BY frame_count DESC LIMIT 1");
            if (st.step())
                deepest = st.int64(0);
        }
        StallMeter meter;
        meter.start();
        t.restart();
        win.detail()->showReport(deepest);
        while (win.detail()->reportId() != deepest && t.elapsed() < 60000)
            QApplication::processEvents(QEventLoop::AllEvents, 5);
        win.repaint();
        const double shown = t.nsecsElapsed() / 1e6;
        const int frames = win.detail()->traceback()->model()->frameCount();
        t.restart();
        win.detail()->traceback()->expandAllFrames();
        // and the repeated run opened, each of its frames shown
        TracebackView *tb = win.detail()->traceback();
        for (int row : tb->model()->repeatedRows())
            tb->tree()->setExpanded(tb->model()->index(row, 0), true);
        win.repaint();
        const double opened = t.nsecsElapsed() / 1e6;
        spin(20); // the heartbeat's next tick records the gap that expandAllFrames made
        std::printf(
            "deepest report (%d frames): shown after %.1f ms (target < 300), Open all and the repeated run opened in %.1f ms; "
            "worst UI stall %.1f ms\n",
            frames, shown, opened, meter.worstMs());
    }

    // Cold-ish start as the app does it: fresh models, fresh worker connections.
    // The app's own views (their row heights, word wrap and delegates), not a
    // bare QTableView: what is timed is what the user scrolls.
    ReportListModel reports(dbPath);
    ReportListView reportView(&reports);
    reportView.resize(1200, 800);
    reportView.show();
    const double firstReports = timeToFirstRows(reports, reportView);
    IssueListModel issues(dbPath);
    IssueListView issueView(&issues);
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
    {
        QElapsedTimer paint;
        paint.start();
        for (int i = 0; i < 50; ++i)
            reportView.viewport()->repaint();
        std::printf("a full repaint of the report list: %.2f ms (the 50 repaints' mean)\n", paint.nsecsElapsed() / 1e6 / 50);
    }
    // 4. A sort change on the big table, then the first rows.
    meter.start();
    t.restart();
    reports.sort(ReportListModel::Level, Qt::DescendingOrder);
    while (!reports.isRowLoaded(0) && t.elapsed() < 60000)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    std::printf("sort by level: first rows after %.1f ms; worst UI stall %.1f ms\n", t.nsecsElapsed() / 1e6, meter.worstMs());
    return 0;
}
