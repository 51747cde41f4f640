#include "views/ReportListView.h"

#include <QHeaderView>

namespace ed {

ReportListView::ReportListView(ReportListModel *model, QWidget *parent) : QTableView(parent), m_model(model)
{
    setObjectName(QStringLiteral("reportList"));
    setModel(model);
    setSelectionBehavior(SelectRows);
    setSelectionMode(ExtendedSelection);
    setSortingEnabled(true);
    horizontalHeader()->setSortIndicator(ReportListModel::Time, Qt::DescendingOrder);
    horizontalHeader()->setSectionResizeMode(ReportListModel::Exception, QHeaderView::Stretch);
    horizontalHeader()->setHighlightSections(false);
    verticalHeader()->hide();
    // Fixed row heights: the view never measures rows that are not loaded.
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    setShowGrid(false);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setTabKeyNavigation(false);
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    const int pad = 20;
    setColumnWidth(ReportListModel::Time, fontMetrics().horizontalAdvance(QStringLiteral("2026-11-22 09:55:35")) + pad);
    setColumnWidth(ReportListModel::Level, 28);
    setColumnWidth(ReportListModel::Status, fontMetrics().horizontalAdvance(tr("Status")) + pad);
    setColumnWidth(ReportListModel::Message, em * 12);
    setColumnWidth(ReportListModel::Path, em * 9);
    setColumnWidth(ReportListModel::Logger, em * 8);
    setColumnWidth(ReportListModel::Issue, em * 4);
    connect(selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { Q_EMIT currentReportChanged(currentReportId()); });
    // A row loaded after it became current: tell the detail view now.
    connect(model, &PagedModel::pageLoaded, this, [this](int page) {
        const QModelIndex i = currentIndex();
        if (i.isValid() && i.row() / PagedModel::kPageSize == page)
            Q_EMIT currentReportChanged(currentReportId());
    });
}

QList<int64_t> ReportListView::selectedReportIds() const
{
    QList<int64_t> ids;
    for (const QModelIndex &i : selectionModel()->selectedRows())
        if (const ReportRow *r = m_model->report(i.row()))
            ids << r->id;
    return ids;
}

std::optional<int64_t> ReportListView::currentReportId() const
{
    const QModelIndex i = currentIndex();
    if (!i.isValid())
        return std::nullopt;
    if (const ReportRow *r = m_model->report(i.row()))
        return r->id;
    return std::nullopt;
}

} // namespace ed
