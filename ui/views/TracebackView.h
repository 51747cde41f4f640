#pragma once
// The Traceback tab: the exception, its chain and frames (TracebackModel in a
// QTreeView), in-app frames open and library frames closed, and a button that
// copies the traceback as Django's text.
#include <QJsonObject>
#include <QWidget>

class QLabel;
class QTreeView;

namespace ed {

class TracebackModel;

class TracebackView : public QWidget {
    Q_OBJECT
public:
    explicit TracebackView(QWidget *parent = nullptr);
    void setRecord(const QJsonObject &record);
    QTreeView *tree() const { return m_tree; }
    TracebackModel *model() const { return m_model; }
    QString tracebackText() const;

public Q_SLOTS:
    void copyTraceback();
    void expandAllFrames();
    void collapseAllFrames();

private:
    void openDefaultFrames();

    QJsonObject m_record;
    QLabel *m_title;
    QLabel *m_where;
    QTreeView *m_tree;
    TracebackModel *m_model;
};

} // namespace ed
