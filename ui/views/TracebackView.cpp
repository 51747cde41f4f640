#include "views/TracebackView.h"

#include "look/Theme.h"
#include "models/TracebackModel.h"
#include "send/DjangoRenderer.h"

#include <QApplication>
#include <QBoxLayout>
#include <QClipboard>
#include <QHeaderView>
#include <QLabel>
#include <QToolButton>
#include <QTreeView>

namespace ed {

TracebackView::TracebackView(QWidget *parent) : QWidget(parent)
{
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("exceptionTitle"));
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_title->setFont(big);
    m_where = new QLabel(this);
    m_where->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_where->setWordWrap(true);

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

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_where, 1);
    buttons->addWidget(expand);
    buttons->addWidget(collapse);
    buttons->addWidget(copy);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(buttons);
    layout->addWidget(m_tree, 1);
}

void TracebackView::setReport(const Report &report)
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
    m_model->setReport(report);
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

QString TracebackView::tracebackText() const { return djangoTracebackText(m_report); }

void TracebackView::copyTraceback() { QApplication::clipboard()->setText(tracebackText()); }

} // namespace ed
