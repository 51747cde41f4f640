#pragma once
// Reports over time for the current search, stacked by level (QtCharts).
// The numbers are counted on the database's JobRunner (store/TimelineQueries);
// clicking a bar asks for the search to narrow to that bar's time span.
#include "jobs/JobRunner.h"
#include "store/SearchQuery.h"
#include "store/TimelineQueries.h"

#include <QWidget>
#include <map>
#include <memory>

class QChart;
class QChartView;

namespace ed {

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

Q_SIGNALS:
    void rangeSelected(qint64 sinceMs, qint64 untilMs);
    void updated();

protected:
    void changeEvent(QEvent *e) override;

private:
    void present(Result<TimelineData> data);
    void rebuild();

    std::shared_ptr<JobRunner> m_jobs;
    TimelineData m_data;
    QChart *m_chart;
    QChartView *m_view;
};

} // namespace ed
