#pragma once
// Reports over time for the current search, stacked by level (QtCharts).
// The numbers are counted on a worker thread; clicking a bar asks for the
// search to narrow to that bar's time span.
#include "models/DbWorker.h"
#include "store/SearchQuery.h"

#include <QWidget>
#include <map>
#include <memory>

class QChart;
class QChartView;

namespace ed {

struct TimelineData {
    int64_t start = 0;  // ms of the first bucket
    int64_t bucket = 0; // ms per bar
    int buckets = 0;
    std::map<int, std::vector<int64_t>> byLevel; // level -> count per bucket
    int64_t total = 0;
};

class TimelineChart : public QWidget {
    Q_OBJECT
public:
    explicit TimelineChart(const QString &dbPath, QWidget *parent = nullptr);
    ~TimelineChart() override;

    void setQuery(const SearchQuery &q);
    const TimelineData &data() const { return m_data; }
    QChartView *chartView() const { return m_view; }
    // The time span of bar `index`, as the click on it narrows to.
    std::pair<int64_t, int64_t> barSpan(int index) const;

    // Picks the bar width for a span so that it fits in at most `maxBars` bars.
    static int64_t bucketFor(int64_t spanMs, int maxBars);
    static Result<TimelineData> compute(Database &db, const SearchQuery &q, int maxBars);

Q_SIGNALS:
    void rangeSelected(qint64 sinceMs, qint64 untilMs);
    void updated();

protected:
    void changeEvent(QEvent *e) override;

private:
    void present(int gen, Result<TimelineData> data);
    void rebuild();

    std::unique_ptr<DbWorker> m_worker;
    int m_generation = 0;
    TimelineData m_data;
    QChart *m_chart;
    QChartView *m_view;
};

} // namespace ed
