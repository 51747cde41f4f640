// Query timings on a large database: the newest 100 reports under a filter,
// one report with all its frames, the issue list with counts. Each figure is
// the median of several runs after one warm-up, as a user re-running a search sees it.
#include "store/Database.h"
#include "store/sqlite/Sqlite.h"
#include "store/ReportStore.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace ed;

static double medianMs(const std::function<bool()> &run, int times = 7)
{
    run(); // warm-up: the page cache, prepared plans
    std::vector<double> ms;
    for (int i = 0; i < times; ++i) {
        QElapsedTimer t;
        t.start();
        if (!run())
            return -1;
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: bench_queries DB.sqlite3\n");
        return 1;
    }
    auto db = Database::open(QString::fromLocal8Bit(argv[1]), true);
    if (!db) {
        std::fprintf(stderr, "%s\n", qPrintable(db.error()));
        return 1;
    }
    ReportStore store(*db);
    SearchQuery all;
    auto count = store.countReports(all);
    std::printf("database: %lld reports\n", count ? (long long)*count : -1LL);
    const char *filters[] = {"", "level:error", "status:500", "logger:django", "path:/api/*", "type:KeyError", "checkout"};
    for (const char *f : filters) {
        SearchQuery q;
        q.text = QString::fromLatin1(f);
        size_t n = 0;
        const double ms = medianMs([&] {
            auto rows = store.listReports(q, 100);
            n = rows ? rows->size() : 0;
            return bool(rows);
        });
        std::printf("newest 100 [%-14s] %7.2f ms  (%zu rows)  target < 50 ms\n", *f ? f : "no filter", ms, n);
    }
    // The report with the most frames.
    Statement st = connectionOf(*db).prepare("SELECT id, frame_count FROM reports ORDER BY frame_count DESC LIMIT 1");
    if (st.step()) {
        const int64_t id = st.int64(0);
        const int frames = int(st.int64(1));
        const double ms = medianMs([&] { return bool(store.loadReport(id)); });
        std::printf("one report, %d frames      %7.2f ms  target < 20 ms\n", frames, ms);
        Statement typical = connectionOf(*db).prepare("SELECT id FROM reports WHERE frame_count BETWEEN 3 AND 12 LIMIT 1");
        if (typical.step()) {
            const int64_t tid = typical.int64(0);
            std::printf("one report, typical         %7.2f ms\n", medianMs([&] { return bool(store.loadReport(tid)); }));
        }
    }
    size_t issues = 0;
    const double ms = medianMs([&] {
        auto rows = store.listIssues(SearchQuery{}, 1000);
        issues = rows ? rows->size() : 0;
        return bool(rows);
    });
    std::printf("issue list with counts     %7.2f ms  (%zu issues)  target < 50 ms\n", ms, issues);
    SearchQuery filtered;
    filtered.text = QStringLiteral("level:error");
    const double ms2 = medianMs([&] { return bool(store.listIssues(filtered, 1000)); });
    std::printf("issue list [level:error]   %7.2f ms\n", ms2);
    return 0;
}
