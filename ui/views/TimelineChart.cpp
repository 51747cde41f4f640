#include "views/TimelineChart.h"

#include "base/Level.h"
#include "look/Theme.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QBoxLayout>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QFontMetricsF>
#include <QPainter>
#include <QStyle>
#include <QEvent>
#include <QLabel>
#include <QLocale>
#include <QStackedBarSeries>
#include <QToolButton>
#include <QToolTip>
#include <QValueAxis>
#include <QFontMetrics>
#include <QResizeEvent>
#include <algorithm>
#include <algorithm>

namespace ed {

namespace {
constexpr int kMaxBars = 36;

// "1 report", "1,234 reports" (no translation loaded would leave "%n report(s)" as "report(s)").
QString reportCount(int64_t n)
{
    return n == 1 ? TimelineChart::tr("1 report") : TimelineChart::tr("%1 reports").arg(QLocale().toString(qlonglong(n)));
}
} // namespace

// The chart view that draws the time axis over the space the chart leaves
// below its bars (the category axis's own labels are hidden).
class TimelineChart::View : public QChartView {
public:
    View(QChart *chart, TimelineChart *owner) : QChartView(chart, owner), m_owner(owner) { }

protected:
    void drawForeground(QPainter *p, const QRectF &rect) override
    {
        QChartView::drawForeground(p, rect);
        p->save();
        p->setFont(font());
        for (const AxisLabel &l : m_owner->axisLabels()) {
            p->setPen(l.row == AxisLabel::Tick ? palette().color(QPalette::Text) : theme::mutedText(palette()));
            p->drawText(l.rect, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine, l.text);
        }
        p->restore();
    }

private:
    TimelineChart *m_owner;
};

TimelineChart::TimelineChart(const QString &dbPath, QWidget *parent) : QWidget(parent), m_jobs(JobRunner::forDatabase(dbPath))
{
    setObjectName(QStringLiteral("timelineChart"));
    m_chart = new QChart;
    m_chart->legend()->setAlignment(Qt::AlignRight);
    m_chart->setBackgroundRoundness(0);
    m_view = new View(m_chart, this);
    m_view->setObjectName(QStringLiteral("timelineView"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(150);
    m_view->setToolTip(tr("Click a bar to narrow the time range to it"));
    // Room under the bars for the two rows of the time axis.
    const int axis = int(TimelineAxis::height(QFontMetricsF(m_view->font())));
    m_chart->setMargins(QMargins(4, 2, 8, axis));

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("timelineTitle"));
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // a long issue title never widens the window
    m_back = new QToolButton(this);
    m_back->setObjectName(QStringLiteral("timelineBack"));
    m_back->setText(tr("Back"));
    m_back->setToolTip(tr("Back to the time range before the bar you clicked"));
    m_back->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
    m_back->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_back->setAutoRaise(true);
    m_back->hide();
    m_allIssues = new QToolButton(this);
    m_allIssues->setObjectName(QStringLiteral("timelineAllIssues"));
    m_allIssues->setText(tr("Show all issues"));
    m_allIssues->setToolTip(tr("Chart the reports of every issue of the search again"));
    m_allIssues->setAutoRaise(true);
    m_allIssues->hide();
    auto *head = new QHBoxLayout;
    head->setContentsMargins(6, 2, 6, 0);
    head->addWidget(m_title, 1);
    head->addWidget(m_back);
    head->addWidget(m_allIssues);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(head);
    layout->addWidget(m_view, 1);

    connect(m_back, &QToolButton::clicked, this, &TimelineChart::backRequested);
    connect(m_allIssues, &QToolButton::clicked, this, [this] { setIssue(std::nullopt); });
    updateTitle();
}

TimelineChart::~TimelineChart() = default;

QChartView *TimelineChart::chartView() const { return m_view; }

void TimelineChart::setQuery(const SearchQuery &q)
{
    m_query = q;
    reload();
}

void TimelineChart::setIssue(std::optional<int64_t> issueId, const QString &title)
{
    if (issueId == m_issueId)
        return;
    m_issueId = issueId;
    m_issueTitle = title;
    m_allIssues->setVisible(issueId.has_value());
    updateTitle();
    reload();
}

void TimelineChart::setTimeZone(const QTimeZone &zone)
{
    m_zone = zone;
    reload();
}

void TimelineChart::setBackAvailable(bool available) { m_back->setVisible(available); }

void TimelineChart::reload()
{
    SearchQuery q = m_query;
    if (m_issueId)
        q.issueId = m_issueId;
    // A newer search makes the one counting now stale: it is interrupted, its numbers dropped.
    m_jobs->run(
        this, {QStringLiteral("timeline")},
        [q, zone = m_zone](JobContext &ctx) { return TimelineQueries(ctx.db()).buckets(q, kMaxBars, zone); },
        [this](Result<TimelineData> data) { present(std::move(data)); });
}

void TimelineChart::present(Result<TimelineData> data)
{
    m_data = data ? std::move(*data) : TimelineData{};
    rebuild();
    updateTitle();
    Q_EMIT updated();
}

void TimelineChart::updateTitle()
{
    const QString reports = m_data.buckets > 0 ? reportCount(m_data.total) : QString();
    const QString whose = m_issueId ? tr("Issue %1: %2").arg(*m_issueId).arg(m_issueTitle) : tr("All issues");
    m_title->setText(reports.isEmpty() ? whose : QStringLiteral("%1 · %2").arg(whose, reports));
    m_title->setToolTip(m_title->text());
}

QString TimelineChart::barToolTip(int index) const
{
    if (index < 0 || index >= m_data.buckets)
        return {};
    QStringList lines{TimelineAxis::spanText(m_data, index)};
    int64_t total = 0;
    QStringList levels;
    // Most severe first.
    for (auto it = m_data.byLevel.rbegin(); it != m_data.byLevel.rend(); ++it) {
        const int64_t n = it->second[size_t(index)];
        total += n;
        if (n > 0)
            levels << QStringLiteral("%1 %2").arg(QLocale().toString(qlonglong(n)), levelName(it->first));
    }
    lines << reportCount(total) + (levels.isEmpty() ? QString() : QStringLiteral(": ") + levels.join(QStringLiteral(", ")));
    lines << tr("Click to show only this time");
    return lines.join(QLatin1Char('\n'));
}

QList<AxisLabel> TimelineChart::axisLabels() const
{
    const QRectF plot = m_chart->plotArea();
    const QRectF bounds(0, 0, m_view->viewport()->width(), m_view->viewport()->height());
    return TimelineAxis::layout(m_data, plot, bounds, QFontMetricsF(m_view->font()));
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
        m_view->viewport()->update();
        return;
    }
    m_chart->setTitle(QString());
    auto *series = new QStackedBarSeries;
    // A handful of bars (a short burst) stay bars, not blocks across the chart.
    series->setBarWidth(std::min(0.85, 0.85 * m_data.buckets / 8.0));
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
        connect(set, &QBarSet::hovered, this, [this](bool on, int index) {
            if (on)
                QToolTip::showText(QCursor::pos(), barToolTip(index), m_view);
            else
                QToolTip::hideText();
        });
        series->append(set);
    }
    m_chart->addSeries(series);

    // One category per bar; their labels are hidden, TimelineAxis draws the axis.
    QStringList categories;
    for (int i = 0; i < m_data.buckets; ++i)
        categories << QString::number(i);
    auto *x = new QBarCategoryAxis;
    x->append(categories);
    x->setLabelsVisible(false);
    x->setGridLineVisible(false);
    x->setLinePenColor(theme::mutedText(pal));
    auto *y = new QValueAxis;
    y->setLabelFormat(QStringLiteral("%.0f"));
    y->setLabelsColor(pal.color(QPalette::Text));
    QColor grid = theme::mutedText(pal);
    grid.setAlphaF(0.25f);
    y->setGridLineColor(grid);
    y->setLinePenColor(theme::mutedText(pal));
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    m_tallest = 1;
    for (int i = 0; i < m_data.buckets; ++i) {
        int64_t n = 0;
        for (const auto &[level, counts] : m_data.byLevel)
            n += counts[size_t(i)];
        m_tallest = std::max(m_tallest, n);
    }
    updateCountAxis();
    m_view->viewport()->update();
}

// Whole numbers on the count axis: steps of 1, 2, 5, 10, 20... to the tallest
// bar, and no more ticks than fit the chart's height with a line of room
// between labels (QtCharts cuts labels to "..." when they crowd each other).
void TimelineChart::updateCountAxis()
{
    const auto axes = m_chart->axes(Qt::Vertical);
    auto *y = axes.isEmpty() ? nullptr : qobject_cast<QValueAxis *>(axes.first());
    if (!y)
        return;
    const int lineHeight = QFontMetrics(y->labelsFont()).height();
    const int plotHeight = int(m_chart->plotArea().height() > 0 ? m_chart->plotArea().height() : m_view->height() * 0.6);
    const int64_t maxTicks = std::clamp<int64_t>(plotHeight / (2 * lineHeight) + 1, 2, 6);
    auto stepFor = [maxTicks](int64_t n) {
        for (int64_t base = 1;; base *= 10)
            for (int64_t m : {1, 2, 5})
                if (n <= (maxTicks - 1) * base * m)
                    return base * m;
    };
    const int64_t step = stepFor(m_tallest);
    const int64_t top = (m_tallest + step - 1) / step * step;
    y->setRange(0, qreal(top));
    y->setTickCount(int(top / step) + 1);
}

void TimelineChart::resizeEvent(QResizeEvent *e)
{
    QWidget::resizeEvent(e);
    updateCountAxis();
}

void TimelineChart::changeEvent(QEvent *e)
{
    if (e->type() == QEvent::PaletteChange)
        rebuild(); // follow a switch between light and dark
    QWidget::changeEvent(e);
}

} // namespace ed
