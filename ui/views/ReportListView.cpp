#include "views/ReportListView.h"

#include "views/ColumnFitter.h"
#include "views/ElidedTextDelegate.h"

#include <QHeaderView>

namespace ed {

ReportListView::ReportListView(ReportListModel *model, QWidget *parent) : QTableView(parent), m_model(model)
{
    setObjectName(QStringLiteral("reportList"));
    setModel(model);
    setItemDelegate(new ElidedTextDelegate(this)); // the text laid out once, not on every repaint
    setSelectionBehavior(SelectRows);
    setSelectionMode(ExtendedSelection);
    setSortingEnabled(true);
    horizontalHeader()->setSortIndicator(ReportListModel::Time, Qt::DescendingOrder);
    horizontalHeader()->setHighlightSections(false);
    verticalHeader()->hide();
    // Fixed row heights: the view never measures rows that are not loaded.
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    setShowGrid(false);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setTabKeyNavigation(false);
    // Widths from the content and the room there is (ColumnFitter): the time
    // whole (with its zone), the exception takes what is left, message, path
    // and logger share the rest up to their content; when narrow the issue
    // number, the logger, the path, the message, then the status give way, in
    // that order, before the exception is cut below some 24 characters.
    const QFontMetrics fm = fontMetrics();
    const int em = fm.horizontalAdvance(QLatin1Char('M'));
    const int pad = 20;
    const auto headerWidth = [&](int column) {
        return fm.horizontalAdvance(model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString()) + pad +
               12; // the sort arrow
    };
    using C = ColumnFitter::Column;
    const int time = fm.horizontalAdvance(QStringLiteral("2026-11-22 09:55:35")) + pad;
    const int chars = fm.averageCharWidth();
    new ColumnFitter(
        this,
        {
            C{ReportListModel::Time, time, time, 0, 0, true},
            C{ReportListModel::Level, 28, 28},
            C{ReportListModel::Status, headerWidth(ReportListModel::Status), headerWidth(ReportListModel::Status), 0, 5, true},
            C{ReportListModel::Exception, chars * 24 + pad, 0, 3.0},
            C{ReportListModel::Message, chars * 14 + pad, em * 12, 2.0, 4, true},
            C{ReportListModel::Path, chars * 10 + pad, em * 9, 1.5, 3, true},
            C{ReportListModel::Logger, chars * 10 + pad, em * 8, 1.0, 2, true},
            C{ReportListModel::Issue, headerWidth(ReportListModel::Issue), headerWidth(ReportListModel::Issue), 0, 1, true},
        });
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
