#include "views/ColumnFitter.h"

#include <QAbstractItemModel>
#include <QEvent>
#include <QHeaderView>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <climits>
#include <cmath>

namespace ed {
namespace {
constexpr int kRowsMeasured = 100; // the first rows tell a column's width well enough
constexpr int kPad = 18;
} // namespace

ColumnFitter::ColumnFitter(QTableView *view, QList<Column> columns) : QObject(view), m_view(view), m_columns(std::move(columns))
{
    QHeaderView *h = view->horizontalHeader();
    h->setStretchLastSection(false);
    h->setSectionResizeMode(QHeaderView::Interactive);
    view->viewport()->installEventFilter(this);
    h->viewport()->installEventFilter(this);
    // A width the user drags is theirs from then on.
    connect(h, &QHeaderView::sectionResized, this, [this] {
        if (!m_fitting && m_pressed)
            m_active = false;
    });
    // Rows arrive page by page; one refit after a burst of them.
    auto *later = new QTimer(this);
    later->setSingleShot(true);
    later->setInterval(0);
    connect(later, &QTimer::timeout, this, &ColumnFitter::fit);
    QAbstractItemModel *m = view->model();
    connect(m, &QAbstractItemModel::modelReset, later, qOverload<>(&QTimer::start));
    connect(m, &QAbstractItemModel::layoutChanged, later, qOverload<>(&QTimer::start));
    // Only the first rows are measured: pages arriving further down (every
    // scroll step over a large list) leave the widths as they are. Measuring
    // 100 rows' texts and repainting for new widths took 8 ms and more a page.
    connect(m, &QAbstractItemModel::rowsInserted, later, [later](const QModelIndex &, int first, int) {
        if (first < kRowsMeasured)
            later->start();
    });
    connect(m, &QAbstractItemModel::dataChanged, later, [later](const QModelIndex &topLeft, const QModelIndex &) {
        if (topLeft.row() < kRowsMeasured)
            later->start();
    });
}

bool ColumnFitter::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        fit();
    else if (watched == m_view->horizontalHeader()->viewport() &&
             (event->type() == QEvent::MouseButtonPress || event->type() == QEvent::MouseButtonRelease))
        m_pressed = event->type() == QEvent::MouseButtonPress;
    return QObject::eventFilter(watched, event);
}

int ColumnFitter::contentWidth(int column) const
{
    const QAbstractItemModel *m = m_view->model();
    const QFontMetrics fm = m_view->fontMetrics();
    const QString header = m->headerData(column, Qt::Horizontal).toString();
    int widest = fm.horizontalAdvance(header) + kPad + 12; // and the sort arrow
    const int rows = std::min(m->rowCount(), kRowsMeasured);
    for (int r = 0; r < rows; ++r) {
        const QString text = m->index(r, column).data(Qt::DisplayRole).toString();
        if (!text.isEmpty())
            widest = std::max(widest, fm.horizontalAdvance(text) + kPad);
    }
    return widest;
}

void ColumnFitter::fit()
{
    if (!m_active || m_fitting)
        return;
    m_fitting = true;
    const int avail = m_view->viewport()->width();
    QList<Column> cols = m_columns;
    for (Column &c : cols) {
        if (c.measureContent)
            c.ideal = std::max(c.ideal, contentWidth(c.column));
        if (c.share > 0 && c.ideal > 0) // short texts: no wider than they need, even at the minimum
            c.min = std::min(c.min, c.ideal);
    }
    // Hide the least important columns while even the minimums do not fit.
    QList<bool> shown(cols.size(), true);
    const auto needed = [&] {
        int sum = 0;
        for (qsizetype i = 0; i < cols.size(); ++i)
            if (shown[i])
                sum += cols[i].share > 0 ? cols[i].min : std::max(cols[i].min, cols[i].ideal);
        return sum;
    };
    for (int order = 1; needed() > avail; ++order) {
        bool any = false;
        for (qsizetype i = 0; i < cols.size(); ++i)
            if (cols[i].hideOrder == order) {
                shown[i] = false;
                any = true;
            }
        if (!any && std::none_of(cols.begin(), cols.end(), [order](const Column &c) { return c.hideOrder > order; }))
            break; // nothing more to hide: a scroll bar it is
    }
    // Still too narrow with every hideable column hidden (a side panel shown
    // beside a small window): the flexible columns give up their readable
    // minimums alike, down to a few characters, before a scroll bar appears.
    if (const int over = needed() - avail; over > 0) {
        const int floor = 4 * m_view->fontMetrics().averageCharWidth();
        int slack = 0;
        for (qsizetype i = 0; i < cols.size(); ++i)
            if (shown[i] && cols[i].share > 0)
                slack += std::max(0, cols[i].min - floor);
        if (slack > 0)
            for (qsizetype i = 0; i < cols.size(); ++i)
                if (shown[i] && cols[i].share > 0 && cols[i].min > floor)
                    cols[i].min -= int(std::ceil(double(cols[i].min - floor) * std::min(1.0, double(over) / slack)));
    }
    // Fixed columns first; flexible ones from their minimum up, by share, each up to its ideal.
    QList<int> width(cols.size(), 0);
    int left = avail;
    for (qsizetype i = 0; i < cols.size(); ++i)
        if (shown[i]) {
            width[i] = cols[i].share > 0 ? cols[i].min : std::max(cols[i].min, cols[i].ideal);
            left -= width[i];
        }
    for (int round = 0; round < 4 && left > 0; ++round) {
        double shares = 0;
        for (qsizetype i = 0; i < cols.size(); ++i)
            if (shown[i] && cols[i].share > 0 && (cols[i].ideal == 0 || width[i] < cols[i].ideal))
                shares += cols[i].share;
        if (shares <= 0)
            break;
        const int pool = left;
        for (qsizetype i = 0; i < cols.size(); ++i) {
            if (!shown[i] || cols[i].share <= 0 || (cols[i].ideal != 0 && width[i] >= cols[i].ideal))
                continue;
            int add = int(pool * cols[i].share / shares);
            if (cols[i].ideal != 0)
                add = std::min(add, cols[i].ideal - width[i]);
            width[i] += add;
            left -= add;
        }
    }
    // What rounding left goes to the main column (the one without a limit), or the last shown.
    if (left > 0) {
        qsizetype main = -1;
        for (qsizetype i = 0; i < cols.size(); ++i)
            if (shown[i] && (main < 0 || (cols[i].share > 0 && cols[i].ideal == 0)))
                main = i;
        if (main >= 0)
            width[main] += left;
    }
    for (qsizetype i = 0; i < cols.size(); ++i) {
        m_view->setColumnHidden(cols[i].column, !shown[i]);
        if (shown[i])
            m_view->setColumnWidth(cols[i].column, width[i]);
    }
    m_fitting = false;
}

} // namespace ed
