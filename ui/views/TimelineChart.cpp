#include "views/TimelineChart.h"

#include "base/Level.h"
#include "store/ReportStore.h"
#include "views/Theme.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QBoxLayout>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QEvent>
#include <QLabel>
#include <QPointer>
#include <QStackedBarSeries>
#include <QValueAxis>
#include <sqlite3.h>

namespace ed {

namespace {
constexpr int kMaxBars = 36;
} // namespace

TimelineChart::TimelineChart(const QString &dbPath, QWidget *parent)
    : QWidget(parent), m_worker(std::make_unique<DbWorker>(dbPath))
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

int64_t TimelineChart::bucketFor(int64_t spanMs, int maxBars)
{
    static const int64_t steps[] = {1'000, 5'000, 10'000, 30'000, 60'000, 300'000, 900'000, 1'800'000, 3'600'000, 3 * 3'600'000, 6 * 3'600'000,
                                    12 * 3'600'000, 86'400'000, 7 * 86'400'000, 30 * 86'400'000LL};
    for (int64_t s : steps)
        if (spanMs / s < maxBars)
            return s;
    return (spanMs / maxBars / 86'400'000 + 1) * 86'400'000;
}

Result<TimelineData> TimelineChart::compute(Database &db, const SearchQuery &q, int maxBars)
{
    auto f = q.toSql();
    if (!f)
        return f.failure();
    TimelineData d;
    int64_t lo = q.since.value_or(0), hi = q.until.value_or(0);
    if (!q.since || !q.until) {
        Statement st = db.conn().prepare((QStringLiteral("SELECT min(r.timestamp), max(r.timestamp)") + f->fromClause()).toStdString());
        if (!st.valid())
            return st.failure();
        bindVariants(st, f->binds);
        if (!st.step())
            return st.failure();
        if (st.isNull(0))
            return d; // nothing matches
        if (!q.since)
            lo = st.int64(0);
        if (!q.until)
            hi = q.since ? QDateTime::currentMSecsSinceEpoch() : st.int64(1) + 1;
    }
    d.bucket = bucketFor(std::max<int64_t>(hi - lo, 1), maxBars);
    d.start = lo / d.bucket * d.bucket;
    d.buckets = int((hi - 1 - d.start) / d.bucket) + 1;
    // A few bars at least, ending with the last report, so one burst does not fill the chart.
    constexpr int kMinBars = 12;
    if (d.buckets < kMinBars && !q.since) {
        d.start -= int64_t(kMinBars - d.buckets) * d.bucket;
        d.buckets = kMinBars;
    }
    const QString sql = QStringLiteral("SELECT (r.timestamp - ?) / ?, r.level, count(*)%1 GROUP BY 1, 2").arg(f->fromClause());
    Statement st = db.conn().prepare(sql.toStdString());
    if (!st.valid())
        return st.failure();
    st.bind(1, d.start).bind(2, d.bucket);
    bindVariants(st, f->binds, 3);
    while (st.step()) {
        const int64_t k = st.int64(0);
        if (k < 0 || k >= d.buckets)
            continue;
        auto &counts = d.byLevel[int(st.int64(1))];
        counts.resize(size_t(d.buckets), 0);
        counts[size_t(k)] += st.int64(2);
        d.total += st.int64(2);
    }
    if (st.errorCode() != SQLITE_DONE)
        return st.failure();
    return d;
}

void TimelineChart::setQuery(const SearchQuery &q)
{
    const int gen = ++m_generation;
    QPointer<TimelineChart> self(this);
    m_worker->cancelAll();
    m_worker->post([self, gen, q](Database &db) {
        auto data = compute(db, q, kMaxBars);
        QMetaObject::invokeMethod(
            self.data(), [self, gen, data = std::move(data)]() mutable {
                if (self)
                    self->present(gen, std::move(data));
            },
            Qt::QueuedConnection);
    });
}

void TimelineChart::present(int gen, Result<TimelineData> data)
{
    if (gen != m_generation)
        return;
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
    const bool sameDay = QDateTime::fromMSecsSinceEpoch(m_data.start).date()
                         == QDateTime::fromMSecsSinceEpoch(m_data.start + int64_t(m_data.buckets) * m_data.bucket - 1).date();
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
