#pragma once
// A report's traceback as a tree: for each exception of the chain (root cause
// first, as Django lists them) a heading, Django's sentence linking it to its
// cause, and its frames; under a frame its source lines and its local
// variables. A run of one line calling itself more than three times is cut
// as Python prints it: three frames, then "[Previous line repeated N more
// times]" holding the rest, to open on demand. Nodes are plain structs made
// once per report (a 1000-frame RecursionError takes a few ms); the view
// creates no widget per frame.
#include "model/Report.h"
#include "model/SentryExtra.h"
#include "model/SourceLocation.h"

#include <QAbstractItemModel>
#include <vector>

namespace ed {

class TracebackModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Kind { Heading, Cause, Frame, SourceLine, VarsGroup, Variable, RepeatedFrames };
    enum Role {
        KindRole = Qt::UserRole + 1,
        InAppRole,
        FailingLineRole,
        ScrubbedRole,
        SdkTrimmedRole, // a Sentry SDK's _meta says it cut or removed this (or some of these variables)
        FileRole, // a frame's file as the site ran it
        LineRole, // a frame's line
        LocalSourceRole, // a source line read from the local checkout (the report had none)
    };
    enum Column { Label, Text, ColumnCount };

    explicit TracebackModel(QObject *parent = nullptr);

    // `roots`: where the site's code is checked out here, for the source lines
    // of frames whose report has none.
    void setReport(const Report &report, const std::vector<SourceRoot> &roots = {});

    // The rows as plain data: build() runs anywhere (the report's job builds
    // a deep traceback off the UI thread), setTree() shows it.
    struct Node {
        Kind kind;
        int parent = -1; // node index, -1 at the top
        int row = 0; // row under its parent
        std::vector<int> children;
        QString label, text, tooltip;
        bool inApp = false, failing = false, scrubbed = false, local = false, trimmed = false;
        QString file = {}; // Frame: the site's path
        int line = 0; // Frame: its line
    };
    struct Tree {
        std::vector<Node> nodes;
        std::vector<int> top;
        int frameCount = 0;
    };
    static Tree build(const Report &report, const std::vector<SourceRoot> &roots);
    void setTree(Tree tree);
    int frameCount() const { return m_tree.frameCount; }
    // Top-level rows of frames that Django would show open (in-app frames).
    QList<int> inAppFrameRows() const;
    // Top-level rows of frames; the frames cut from a repeated run are under
    // its row (repeatedRows()).
    QList<int> frameRows() const;
    QList<int> repeatedRows() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    static int add(Tree &t, Node n);
    const Node *node(const QModelIndex &i) const;
    // Where a frame is in the Sentry event, for its _meta: the exception's
    // index in values (root cause first, as chainRootFirst()) and the frame's.
    struct FrameAt {
        const std::vector<SdkTrim> *trims;
        size_t exception, frame;
    };
    static void addFrames(Tree &t, const std::vector<ed::Frame> &frames, const std::vector<SourceRoot> &roots,
                          const std::vector<SdkTrim> &trims, size_t exception);
    // ed::Frame: Frame here is the Kind
    static void addFrame(Tree &t, const ed::Frame &frame, int parent, const std::vector<SourceRoot> &roots, FrameAt at);

    Tree m_tree;
};

} // namespace ed
