#include "views/ElidedTextDelegate.h"

#include <QApplication>
#include <QPainter>

namespace ed {

ElidedTextDelegate::ElidedTextDelegate(QObject *parent) : QStyledItemDelegate(parent) { m_lines.setMaxCost(4096); }

const QStaticText &ElidedTextDelegate::line(const QString &text, const QFont &font, int width, Qt::TextElideMode mode) const
{
    QString key = font.key();
    key += QLatin1Char('\x1f') + QString::number(width) + QLatin1Char('\x1f') + QString::number(int(mode)) + QLatin1Char('\x1f') +
           text;
    if (QStaticText *hit = m_lines.object(key))
        return *hit;
    const QFontMetrics fm(font);
    // One line as the standard delegate shows it without word wrap: line
    // breaks become spaces, then the text is elided to the room.
    QString shown = text;
    shown.replace(QLatin1Char('\n'), QChar::LineSeparator);
    shown = fm.elidedText(shown, mode, width);
    shown.replace(QChar::LineSeparator, QLatin1Char(' '));
    auto *laidOut = new QStaticText(shown);
    laidOut->setTextFormat(Qt::PlainText);
    laidOut->setPerformanceHint(QStaticText::AggressiveCaching);
    laidOut->prepare(QTransform(), font);
    m_lines.insert(key, laidOut);
    return *m_lines.object(key);
}

void ElidedTextDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    if (opt.text.isEmpty() || (opt.features & QStyleOptionViewItem::WrapText)) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    const QString text = opt.text;
    opt.text.clear();
    // Everything but the text, as the style draws it.
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
    // The text's room and color as QCommonStyle's viewItemDrawText finds them.
    const QRect room = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget);
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    const QRect textRect = room.adjusted(margin, 0, -margin, 0);
    if (textRect.width() <= 0)
        return;
    const QPalette::ColorGroup group = !(opt.state & QStyle::State_Enabled) ? QPalette::Disabled
                                       : (opt.state & QStyle::State_Active) ? QPalette::Normal
                                                                            : QPalette::Inactive;
    const QPalette::ColorRole role = (opt.state & QStyle::State_Selected) ? QPalette::HighlightedText : QPalette::Text;
    const QStaticText &laidOut = line(text, opt.font, textRect.width(), opt.textElideMode);
    const QSize size = laidOut.size().toSize();
    const Qt::Alignment align = QStyle::visualAlignment(opt.direction, opt.displayAlignment);
    const QRect at = QStyle::alignedRect(opt.direction, align, size, textRect);
    painter->save();
    painter->setFont(opt.font);
    painter->setPen(opt.palette.color(group, role));
    painter->setClipRect(textRect, Qt::IntersectClip);
    painter->drawStaticText(at.topLeft(), laidOut);
    painter->restore();
}

} // namespace ed
