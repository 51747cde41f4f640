#pragma once
// Sizes a table view's columns from their content and the width there is, so
// that nothing important sits behind a horizontal scroll bar: fixed columns
// get their content's width, flexible ones share the rest (each up to its
// content, the main one takes what is left), and when even the minimums do
// not fit, the least important columns are hidden until they do. Refits on
// resize and when the model's rows change; a column the user drags by hand
// keeps its width from then on (the fitter stops for that view).
#include <QList>
#include <QObject>
#include <functional>

class QTableView;

namespace ed {

class ColumnFitter : public QObject {
    Q_OBJECT
public:
    struct Column {
        int column = 0;
        int min = 0; // pixels
        // Fixed columns: their width. Flexible ones (share > 0): the most they
        // need (0: no limit, the main column), raised to the content's width.
        int ideal = 0;
        double share = 0; // of the flexible space; 0: fixed
        int hideOrder = 0; // 1 is hidden first when space runs out; 0: never hidden
        bool measureContent = false; // widen `ideal` to the loaded rows' text (not for the main column)
    };

    ColumnFitter(QTableView *view, QList<Column> columns);
    // Fits now (also done on resize and row changes).
    void fit();
    // Stops fitting (the user sized a column by hand); tests ask.
    bool isActive() const { return m_active; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    int contentWidth(int column) const;

    QTableView *m_view;
    QList<Column> m_columns;
    bool m_active = true;
    bool m_fitting = false;
    bool m_pressed = false; // a mouse button is down on the header
};

} // namespace ed
