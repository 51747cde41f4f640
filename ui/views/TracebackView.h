#pragma once
// The Traceback tab: the exception, its chain and frames (TracebackModel in a
// QTreeView), in-app frames open and library frames closed, and a button that
// copies the traceback as Django's text.
#include "model/Report.h"

#include <QWidget>

class QLabel;
class QTreeView;

namespace ed {

class TracebackModel;

class TracebackView : public QWidget {
    Q_OBJECT
public:
    explicit TracebackView(QWidget *parent = nullptr);
    void setReport(const Report &report);
    QTreeView *tree() const { return m_tree; }
    TracebackModel *model() const { return m_model; }
    QString tracebackText() const; // Django's, as in the error e-mail (send/DjangoRenderer)

public Q_SLOTS:
    void copyTraceback();
    void expandAllFrames();
    void collapseAllFrames();

private:
    void openDefaultFrames();

    Report m_report;
    QLabel *m_title;
    QLabel *m_where;
    QTreeView *m_tree;
    TracebackModel *m_model;
};

} // namespace ed
