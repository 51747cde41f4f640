#include "views/TimelineChart.h"

#include "base/Level.h"
#include "look/Theme.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QBoxLayout>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QEvent>
#include <QLabel>
#include <QStackedBarSeries>
#include <QValueAxis>

namespace ed {

namespace {
constexpr int kMaxBars = 36;
} // namespace

TimelineChart::TimelineChart(const QString &dbPath, QWidget *parent) : QWidget(parent), m_jobs(JobRunner::forDatabase(dbPath))
{
    setObjectName(QStringLiteral("timelineChart"));
    m_chart = new QChart;
    m_chart->legend()->setAlignment(Qt::AlignRight);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->setBackgroundRoundness(0);
    m_view = new QChartView(m_chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(150);
    m_view->setToolTip(tr("Click a bar to narrow the time range to it"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_view, 1);
}

TimelineChart::~TimelineChart() = default;

void TimelineChart::setQuery(const SearchQuery &q)
{
    // A newer search makes the one counting now stale: it is interrupted, its numbers dropped.
    m_jobs->run(
        this, {QStringLiteral("timeline")}, [q](JobContext &ctx) { return TimelineQueries(ctx.db()).buckets(q, kMaxBars); },
        [this](Result<TimelineData> data) { present(std::move(data)); });
}

void TimelineChart::present(Result<TimelineData> data)
{
    m_data = data ? std::move(*data) : TimelineData{};
    rebuild();
    Q_EMIT updated();
}

std::pair<int64_t, int64_t> TimelineChart::barSpan(int index) const
{
    const int64_t from = m_data.start + int64_t(index) * m_data.bucket;
    return {from, from + m_data.bucket};
}

void TimelineChart::rebuild()
{
    m_chart->removeAllSeries();
    for (QAbstractAxis *a : m_chart->axes())
        m_chart->removeAxis(a);
    const QPalette pal = palette();
    m_chart->setBackgroundBrush(pal.brush(QPalette::Base));
    m_chart->setPlotAreaBackgroundVisible(false);
    m_chart->legend()->setLabelColor(pal.color(QPalette::Text));
    m_chart->setTitleBrush(pal.brush(QPalette::Text));
    if (m_data.buckets == 0) {
        m_chart->setTitle(tr("No reports match"));
        return;
    }
    m_chart->setTitle(QString());
    auto *series = new QStackedBarSeries;
    series->setBarWidth(0.85);
    // Most severe on top of the stack, listed first in the legend.
    for (auto it = m_data.byLevel.begin(); it != m_data.byLevel.end(); ++it) {
        auto *set = new QBarSet(levelName(it->first));
        const QColor c = theme::levelColor(it->first, pal);
        set->setColor(c);
        set->setBorderColor(c);
        for (int64_t n : it->second)
            *set << qreal(n);
        connect(set, &QBarSet::clicked, this, [this](int index) {
            const auto [from, to] = barSpan(index);
            Q_EMIT rangeSelected(from, to);
        });
        series->append(set);
    }
    m_chart->addSeries(series);

    const bool days = m_data.bucket >= 86'400'000;
    const bool sameDay = QDateTime::fromMSecsSinceEpoch(m_data.start).date() ==
                         QDateTime::fromMSecsSinceEpoch(m_data.start + int64_t(m_data.buckets) * m_data.bucket - 1).date();
    const bool seconds = m_data.bucket < 60'000;
    const QString format = days      ? QStringLiteral("MMM d")
                           : seconds ? QStringLiteral("HH:mm:ss")
                           : sameDay ? QStringLiteral("HH:mm")
                                     : QStringLiteral("MMM d HH:mm");
    QStringList labels;
    for (int i = 0; i < m_data.buckets; ++i) {
        // Every label must differ (QBarCategoryAxis); blank ones get distinct widths of spaces.
        const bool shown = m_data.buckets <= 12 || i % ((m_data.buckets + 11) / 12) == 0;
        labels << (shown ? QDateTime::fromMSecsSinceEpoch(barSpan(i).first).toString(format) : QString(i + 1, QLatin1Char(' ')));
    }
    auto *x = new QBarCategoryAxis;
    x->append(labels);
    x->setLabelsColor(pal.color(QPalette::Text));
    x->setGridLineVisible(false);
    x->setLinePenColor(theme::mutedText(pal));
    auto *y = new QValueAxis;
    y->setLabelFormat(QStringLiteral("%d"));
    y->setLabelsColor(pal.color(QPalette::Text));
    QColor grid = theme::mutedText(pal);
    grid.setAlphaF(0.25f);
    y->setGridLineColor(grid);
    y->setLinePenColor(theme::mutedText(pal));
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    y->applyNiceNumbers();
    y->setMin(0);
}

void TimelineChart::changeEvent(QEvent *e)
{
    if (e->type() == QEvent::PaletteChange)
        rebuild(); // follow a switch between light and dark
    QWidget::changeEvent(e);
}

} // namespace ed
