#include "views/TracebackView.h"

#include "look/Theme.h"
#include "models/TracebackModel.h"
#include "send/DjangoRenderer.h"

#include <QAction>
#include <QApplication>
#include <QDesktopServices>
#include <QProcess>
#include <QUrl>
#include <QBoxLayout>
#include <QClipboard>
#include <QHeaderView>
#include <QLabel>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>

namespace ed {

TracebackView::TracebackView(QWidget *parent) : QWidget(parent)
{
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("exceptionTitle"));
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setFont(theme::titleFont(m_title->font()));
    m_where = new QLabel(this);
    m_where->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *copy = new QToolButton(this);
    copy->setObjectName(QStringLiteral("copyTraceback"));
    copy->setText(tr("Copy as text"));
    copy->setToolTip(tr("Copy the traceback as Django prints it"));
    copy->setIcon(theme::icon(QStringLiteral("copy")));
    copy->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    connect(copy, &QToolButton::clicked, this, &TracebackView::copyTraceback);
    auto *expand = new QToolButton(this);
    expand->setText(tr("Open all"));
    connect(expand, &QToolButton::clicked, this, &TracebackView::expandAllFrames);
    auto *collapse = new QToolButton(this);
    collapse->setText(tr("Close all"));
    connect(collapse, &QToolButton::clicked, this, &TracebackView::collapseAllFrames);

    m_model = new TracebackModel(this);
    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("tracebackTree"));
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true); // cheap layout with thousands of rows
    m_tree->setAlternatingRowColors(false);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setTextElideMode(Qt::ElideRight);
    m_tree->setAllColumnsShowFocus(true);

    // The "Local variables" row spans both columns once its frame is open, and
    // so do the frames of a repeated run once it is.
    connect(m_tree, &QTreeView::expanded, this, [this](const QModelIndex &frame) {
        const int kind = frame.data(TracebackModel::KindRole).toInt();
        if (kind == TracebackModel::RepeatedFrames) {
            for (int row = 0; row < m_model->rowCount(frame); ++row)
                m_tree->setFirstColumnSpanned(row, frame, true);
            return;
        }
        if (kind != TracebackModel::Frame)
            return;
        const int n = m_model->rowCount(frame);
        if (n > 0 && m_model->index(n - 1, 0, frame).data(TracebackModel::KindRole).toInt() == TracebackModel::VarsGroup)
            m_tree->setFirstColumnSpanned(n - 1, frame, true);
    });

    auto *openInEditor = new QAction(theme::icon(QStringLiteral("bug")), tr("Open in &Editor"), this);
    openInEditor->setObjectName(QStringLiteral("openInEditor"));
    openInEditor->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    openInEditor->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(openInEditor, &QAction::triggered, this, &TracebackView::openCurrentFrameInEditor);
    auto *copyLocation = new QAction(tr("Copy File:Line"), this);
    connect(copyLocation, &QAction::triggered, this, [this] {
        const QModelIndex f = frameOf(m_tree->currentIndex());
        if (!f.isValid())
            return;
        const QString location = QStringLiteral("%1:%2").arg(f.data(TracebackModel::FileRole).toString(),
                                                             f.data(TracebackModel::LineRole).toString());
        QApplication::clipboard()->setText(location);
        Q_EMIT message(tr("Copied %1 to the clipboard.").arg(location));
    });
    m_tree->addAction(openInEditor);
    m_tree->addAction(copyLocation);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *editButton = new QToolButton(this);
    editButton->setObjectName(QStringLiteral("openInEditorButton"));
    editButton->setDefaultAction(openInEditor);
    editButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    // The buttons in a tool bar: in a narrow detail pane those that do not
    // fit go to its overflow menu ("⋯") instead of holding the pane (and so
    // the window) wider than the lists can spare.
    m_buttons = new QToolBar(this);
    m_buttons->setObjectName(QStringLiteral("tracebackButtons"));
    m_buttons->setIconSize(QSize(16, 16));
    m_buttons->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_buttons->setMovable(false);
    m_buttons->setFloatable(false);
    for (QToolButton *b : {expand, collapse, editButton, copy})
        m_buttons->addWidget(b);
    // The overflow button as "⋯" drawn in the palette's text colour at each
    // paint (theme::icon): Fusion's own "»" is a fixed light grey, near
    // invisible on a dark palette. (Qt sets its icon again only when the
    // tool bar's orientation or layout direction changes: neither does here.)
    if (auto *more = m_buttons->findChild<QToolButton *>(QStringLiteral("qt_toolbar_ext_button"))) {
        more->setIcon(theme::icon(QStringLiteral("more")));
        more->setToolTip(tr("More"));
    }
    m_where->setWordWrap(false); // the count in one line; the tool bar gives way
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_where);
    buttons->addStretch(1);
    buttons->addWidget(m_buttons, 0, Qt::AlignRight);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(buttons);
    layout->addWidget(m_tree, 1);
}

void TracebackView::setReport(const Report &report) { setReport(report, TracebackModel::build(report, m_roots)); }

void TracebackView::setReport(const Report &report, TracebackModel::Tree rows)
{
    m_report = report;
    const ExceptionInfo *e = report.raised();
    if (!e) {
        m_title->setText(report.message); // plain text: nothing to escape
        m_where->setText(tr("This report has no exception."));
    } else {
        m_title->setText(QStringLiteral("%1: %2").arg(e->type, e->value));
    }
    m_title->setTextFormat(Qt::PlainText);
    m_model->setTree(std::move(rows));
    const size_t chained = report.exceptions.size();
    if (e)
        m_where->setText(chained > 1 ? tr("%n frame(s), %1 chained exceptions", nullptr, m_model->frameCount()).arg(chained)
                                     : tr("%n frame(s)", nullptr, m_model->frameCount()));
    openDefaultFrames();
}

void TracebackView::openDefaultFrames()
{
    for (int row = 0; row < m_model->rowCount(); ++row)
        m_tree->setFirstColumnSpanned(row, {}, true); // headings, sentences, frames and runs
    // Django's page opens in-app frames. A deep recursion has hundreds of them:
    // then only those near the failure (the end of the list) open.
    QList<int> rows = m_model->inAppFrameRows();
    constexpr int kOpenLimit = 40;
    if (rows.size() > kOpenLimit)
        rows = rows.mid(rows.size() - 10);
    for (int row : rows) {
        const QModelIndex frame = m_model->index(row, 0);
        m_tree->setExpanded(frame, true);
        const int n = m_model->rowCount(frame);
        if (n > 0)
            m_tree->setExpanded(m_model->index(n - 1, 0, frame), true); // the local variables
    }
    const QFontMetrics fm(theme::codeFont());
    // Line numbers and variable names; the code and values get the rest.
    m_tree->setColumnWidth(TracebackModel::Label, fm.horizontalAdvance(QLatin1Char('M')) * 18);
    // Show the failing frame (the last one) first.
    const QList<int> frames = m_model->frameRows();
    if (frames.size() > kOpenLimit)
        m_tree->scrollTo(m_model->index(frames.last(), 0), QAbstractItemView::PositionAtTop);
}

// Every frame shown opens; a repeated run stays cut as Python prints it
// (its frames open on their own when the run is opened).
void TracebackView::expandAllFrames()
{
    for (int row : m_model->frameRows())
        m_tree->setExpanded(m_model->index(row, 0), true);
}

void TracebackView::collapseAllFrames() { m_tree->collapseAll(); }

void TracebackView::setSourceSettings(const QStringList &roots, const QString &editorTemplate)
{
    m_roots = parseSourceRoots(roots);
    m_editor = editorTemplate;
}

QModelIndex TracebackView::frameOf(const QModelIndex &index) const
{
    QModelIndex i = index.siblingAtColumn(0);
    while (i.isValid() && i.data(TracebackModel::KindRole).toInt() != TracebackModel::Frame)
        i = i.parent();
    return i;
}

void TracebackView::openCurrentFrameInEditor()
{
    const QModelIndex frame = frameOf(m_tree->currentIndex());
    if (!frame.isValid()) {
        Q_EMIT message(tr("Choose a frame to open."));
        return;
    }
    const QString siteFile = frame.data(TracebackModel::FileRole).toString();
    const int line = frame.data(TracebackModel::LineRole).toInt();
    const auto local = localSourceFile(siteFile, m_roots);
    if (!local) {
        Q_EMIT message(m_roots.empty()
                           ? tr("%1 is the site's path: map it to your checkout in Settings › Source code.").arg(siteFile)
                           : tr("%1 is not in any of your checkouts (Settings › Source code).").arg(siteFile));
        return;
    }
    const EditorLaunch launch = editorLaunch(m_editor, *local, line, qEnvironmentVariable("VISUAL"));
    const bool started = !launch.url.isEmpty() ? QDesktopServices::openUrl(QUrl(launch.url))
                                               : QProcess::startDetached(launch.program, launch.arguments);
    Q_EMIT message(started ? tr("Opened %1:%2.").arg(*local).arg(line)
                           : tr("The editor could not be started: %1").arg(!launch.url.isEmpty() ? launch.url : launch.program));
}

QString TracebackView::tracebackText() const { return djangoTracebackText(m_report); }

void TracebackView::copyTraceback()
{
    const QString text = tracebackText();
    if (text.isEmpty()) {
        Q_EMIT message(tr("No traceback to copy: choose a report."));
        return;
    }
    QApplication::clipboard()->setText(text);
    Q_EMIT message(tr("Copied the traceback to the clipboard (%n line(s)).", nullptr, int(text.count(QLatin1Char('\n')) + 1)));
}

} // namespace ed
