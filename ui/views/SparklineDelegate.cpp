#include "views/SparklineDelegate.h"

#include <QApplication>
#include <QPainter>

namespace ed {

void SparklineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    // The background and selection as for any cell, without text.
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QList<qint64> counts = index.data(m_role).value<QList<qint64>>();
    if (counts.isEmpty())
        return;
    qint64 max = 1;
    for (qint64 n : counts)
        max = std::max(max, n);
    const QRectF area = QRectF(option.rect).adjusted(4, 4, -4, -4);
    const qreal step = area.width() / qreal(counts.size());
    const bool selected = option.state & QStyle::State_Selected;
    QColor bar = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Highlight);
    QColor base = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    base.setAlphaF(0.25f);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setPen(Qt::NoPen);
    for (int i = 0; i < counts.size(); ++i) {
        const qreal x = area.left() + i * step;
        const qreal w = std::max<qreal>(1.0, step - 1.5);
        if (counts[i] == 0) {
            painter->fillRect(QRectF(x, area.bottom() - 1, w, 1), base); // a baseline tick for "none"
            continue;
        }
        const qreal h = std::max<qreal>(2.0, area.height() * qreal(counts[i]) / qreal(max));
        painter->fillRect(QRectF(x, area.bottom() - h, w, h), bar);
    }
    painter->restore();
}

QSize SparklineDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setWidth(std::max(s.width(), 14 * 6 + 8));
    return s;
}

} // namespace ed
