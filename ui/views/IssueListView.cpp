#include "views/IssueListView.h"

#include "views/SparklineDelegate.h"

#include <QHeaderView>

namespace ed {

IssueListView::IssueListView(IssueListModel *model, QWidget *parent) : QTableView(parent), m_model(model)
{
    setObjectName(QStringLiteral("issueList"));
    setModel(model);
    setItemDelegateForColumn(IssueListModel::Trend, new SparklineDelegate(IssueListModel::DailyCountsRole, this));
    setSelectionBehavior(SelectRows);
    setSelectionMode(ExtendedSelection);
    setSortingEnabled(true);
    horizontalHeader()->setSortIndicator(IssueListModel::LastSeen, Qt::DescendingOrder);
    horizontalHeader()->setSectionResizeMode(IssueListModel::Title, QHeaderView::Stretch);
    horizontalHeader()->setHighlightSections(false);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    setShowGrid(false);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setTextElideMode(Qt::ElideRight);
    setTabKeyNavigation(false);
    const QFontMetrics fm = fontMetrics();
    const int pad = 2 * style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + 16;
    setColumnWidth(IssueListModel::Level, 28);
    setColumnWidth(IssueListModel::Culprit, fm.horizontalAdvance(QLatin1Char('M')) * 10);
    setColumnWidth(IssueListModel::Events, fm.horizontalAdvance(tr("Events")) + pad + 8);
    setColumnWidth(IssueListModel::FirstSeen, fm.horizontalAdvance(tr("59 min ago")) + pad);
    setColumnWidth(IssueListModel::LastSeen, fm.horizontalAdvance(tr("59 min ago")) + pad);
    setColumnWidth(IssueListModel::Trend, 14 * 6 + 8);
    setColumnWidth(IssueListModel::Status, fm.horizontalAdvance(tr("Unresolved")) + pad);
    connect(selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { Q_EMIT currentIssueChanged(currentIssueId()); });
    connect(model, &QAbstractItemModel::modelReset, this, [this] { Q_EMIT currentIssueChanged(std::nullopt); });
}

QList<int64_t> IssueListView::selectedIssueIds() const
{
    QList<int64_t> ids;
    for (const QModelIndex &i : selectionModel()->selectedRows())
        if (const IssueRow *r = m_model->issue(i.row()))
            ids << r->id;
    return ids;
}

std::optional<int64_t> IssueListView::currentIssueId() const
{
    const QModelIndex i = currentIndex();
    if (!i.isValid())
        return std::nullopt;
    if (const IssueRow *r = m_model->issue(i.row()))
        return r->id;
    return std::nullopt;
}

} // namespace ed
