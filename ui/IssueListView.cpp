#include "IssueListView.h"

#include "SparklineDelegate.h"

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
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    setColumnWidth(IssueListModel::Level, em * 7);
    setColumnWidth(IssueListModel::Culprit, em * 14);
    setColumnWidth(IssueListModel::Events, em * 5);
    setColumnWidth(IssueListModel::FirstSeen, em * 7);
    setColumnWidth(IssueListModel::LastSeen, em * 7);
    setColumnWidth(IssueListModel::Trend, 14 * 6 + 8);
    setColumnWidth(IssueListModel::Status, em * 7);
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
