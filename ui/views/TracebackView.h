#pragma once
// The Traceback tab: the exception, its chain and frames (TracebackModel in a
// QTreeView), in-app frames open and library frames closed, a button that
// copies the traceback as Django's text, and Open in Editor for a frame's
// file in the user's checkout of the site (model/SourceLocation).
#include "model/Report.h"
#include "model/SourceLocation.h"
#include "models/TracebackModel.h"

#include <QWidget>

class QLabel;
class QToolBar;
class QTreeView;

namespace ed {

class TracebackView : public QWidget {
    Q_OBJECT
public:
    explicit TracebackView(QWidget *parent = nullptr);
    void setReport(const Report &report);
    // The same with its rows built already (TracebackModel::build, off the UI thread).
    void setReport(const Report &report, TracebackModel::Tree rows);
    const std::vector<SourceRoot> &sourceRoots() const { return m_roots; }
    // From the settings: ERRORDECK_SOURCE_ROOTS and ERRORDECK_EDITOR.
    void setSourceSettings(const QStringList &roots, const QString &editorTemplate);
    QTreeView *tree() const { return m_tree; }
    // Open all, Close all, Open in Editor, Copy as text: what does not fit is in its overflow menu.
    QToolBar *buttonRow() const { return m_buttons; }
    TracebackModel *model() const { return m_model; }
    QString tracebackText() const; // Django's, as in the error e-mail (send/DjangoRenderer)

public Q_SLOTS:
    void copyTraceback();
    void expandAllFrames();
    void collapseAllFrames();
    // The current row's frame (or the frame of the current source line) in the
    // editor; message() says what happened.
    void openCurrentFrameInEditor();

Q_SIGNALS:
    void message(const QString &text);

private:
    void openDefaultFrames();

    QModelIndex frameOf(const QModelIndex &index) const;

    Report m_report;
    std::vector<SourceRoot> m_roots;
    QString m_editor;
    QLabel *m_title;
    QLabel *m_where;
    QTreeView *m_tree;
    QToolBar *m_buttons;
    TracebackModel *m_model;
};

} // namespace ed
