#pragma once
// The report and issue lists' cells: what QStyledItemDelegate draws (the
// selection, hover and alternate backgrounds, the icon, the colors and fonts of
// the model's roles), with the text drawn from a cache of laid-out, elided
// lines. QStyledItemDelegate lays a cell's text out three times on every paint
// (its size, its elision, its drawing); over 1,000,000 rows every scroll step
// and every page that arrives repaints the visible rows, and that shaping was
// most of a repaint (bench/bench_ui_model). A line is laid out once for its
// text, font and width, and drawn from the cache afterwards.
#include <QCache>
#include <QStaticText>
#include <QStyledItemDelegate>

namespace ed {

class ElidedTextDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit ElidedTextDelegate(QObject *parent = nullptr);
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    const QStaticText &line(const QString &text, const QFont &font, int width, Qt::TextElideMode mode) const;
    // Keyed by the text, the font and the room; a few screens of rows.
    mutable QCache<QString, QStaticText> m_lines;
};

} // namespace ed
