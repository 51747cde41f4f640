#pragma once
// Reports over time for the current search, stacked by level (QtCharts bars,
// the time axis drawn by TimelineAxis). The numbers are counted on the
// database's JobRunner (store/TimelineQueries); the chart shows all issues'
// reports or, once an issue is selected, that issue's history, with a button
// back to all. Clicking a bar asks for the search to narrow to that bar's
// time span; after that, "Back" asks for the range before.
#include "jobs/JobRunner.h"
#include "store/SearchQuery.h"
#include "store/TimelineQueries.h"
#include "views/TimelineAxis.h"

#include <QTimeZone>
#include <QWidget>
#include <memory>
#include <optional>

class QChart;
class QChartView;
class QLabel;
class QToolButton;

namespace ed {

class TimelineChart : public QWidget {
    Q_OBJECT
public:
    explicit TimelineChart(const QString &dbPath, QWidget *parent = nullptr);
    ~TimelineChart() override;

    void setQuery(const SearchQuery &q);
    // Follow one issue's history (nullopt: every issue of the search).
    void setIssue(std::optional<int64_t> issueId, const QString &title = QString());
    std::optional<int64_t> issueId() const { return m_issueId; }
    // The zone whose days the bars follow and the labels show (default: the system's).
    void setTimeZone(const QTimeZone &zone);
    // Shows "Back" (after a bar click narrowed the range) or hides it.
    void setBackAvailable(bool available);

    const TimelineData &data() const { return m_data; }
    QChartView *chartView() const;
    QLabel *titleLabel() const { return m_title; }
    QToolButton *allIssuesButton() const { return m_allIssues; }
    QToolButton *backButton() const { return m_back; }
    // The time span of bar `index`, as the click on it narrows to.
    std::pair<int64_t, int64_t> barSpan(int index) const { return m_data.span(index); }
    // The tooltip of bar `index`: its time span with the zone, and its counts.
    QString barToolTip(int index) const;
    // The axis labels as drawn now, in the chart view's coordinates.
    QList<AxisLabel> axisLabels() const;

Q_SIGNALS:
    void rangeSelected(qint64 sinceMs, qint64 untilMs);
    void backRequested();
    void updated();

protected:
    void changeEvent(QEvent *e) override;
    void resizeEvent(QResizeEvent *e) override;

private:
    class View;
    void reload();
    void present(Result<TimelineData> data);
    void rebuild();
    void updateTitle();
    void updateCountAxis();

    std::shared_ptr<JobRunner> m_jobs;
    SearchQuery m_query;
    std::optional<int64_t> m_issueId;
    QString m_issueTitle;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
    TimelineData m_data;
    QChart *m_chart;
    View *m_view;
    QLabel *m_title;
    QToolButton *m_back;
    QToolButton *m_allIssues;
    int64_t m_tallest = 1; // the tallest bar's count
};

} // namespace ed
