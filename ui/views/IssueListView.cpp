#include "views/IssueListView.h"

#include "views/ColumnFitter.h"
#include "views/ElidedTextDelegate.h"
#include "views/SparklineDelegate.h"

#include <QHeaderView>
#include <QStyle>

#include <algorithm>

namespace ed {

IssueListView::IssueListView(IssueListModel *model, QWidget *parent) : QTableView(parent), m_model(model)
{
    setObjectName(QStringLiteral("issueList"));
    setModel(model);
    setItemDelegate(new ElidedTextDelegate(this));
    setItemDelegateForColumn(IssueListModel::Trend, new SparklineDelegate(IssueListModel::DailyCountsRole, this));
    setSelectionBehavior(SelectRows);
    setSelectionMode(ExtendedSelection);
    setSortingEnabled(true);
    horizontalHeader()->setSortIndicator(IssueListModel::LastSeen, Qt::DescendingOrder);
    horizontalHeader()->setHighlightSections(false);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    setShowGrid(false);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setTextElideMode(Qt::ElideRight);
    setTabKeyNavigation(false);
    // Widths from the content and the room there is (ColumnFitter): the title
    // takes what is left; the culprit up to its longest loaded text, sharing
    // the room with the title. Both keep a readable minimum (some 26 and 22
    // characters: "shop_site in view_sens…" still tells one view from
    // another), so at narrow widths first seen, the sparkline and the status,
    // then last seen give way, in that order, rather than the two texts.
    const QFontMetrics fm = fontMetrics();
    const int pad = 2 * style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + 16;
    const int em = fm.horizontalAdvance(QLatin1Char('M'));
    const auto headerWidth = [&](int column) {
        return fm.horizontalAdvance(model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString()) + pad +
               12; // the sort arrow
    };
    const int ago = fm.horizontalAdvance(tr("59 min ago")) + pad;
    const int chars = fm.averageCharWidth();
    using C = ColumnFitter::Column;
    new ColumnFitter(
        this, {
                  C{IssueListModel::Level, 28, 28},
                  C{IssueListModel::Title, chars * 26 + pad, 0, 3.0},
                  C{IssueListModel::Culprit, chars * 22 + pad, em * 10, 2.5, 0, true},
                  C{IssueListModel::Events, headerWidth(IssueListModel::Events), headerWidth(IssueListModel::Events), 0, 0, true},
                  C{IssueListModel::FirstSeen, ago, std::max(ago, headerWidth(IssueListModel::FirstSeen)), 0, 1, true},
                  C{IssueListModel::LastSeen, ago, std::max(ago, headerWidth(IssueListModel::LastSeen)), 0, 4, true},
                  C{IssueListModel::Trend, 14 * 6 + 8, 14 * 6 + 8, 0, 2},
                  C{IssueListModel::Status, fm.horizontalAdvance(tr("Unresolved")) + pad,
                    fm.horizontalAdvance(tr("Unresolved")) + pad, 0, 3, true},
              });
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
