#pragma once
// The report list: the reports of the selected issue, or all reports.
#include "models/ReportListModel.h"

#include <QTableView>

namespace ed {

class ReportListView : public QTableView {
    Q_OBJECT
public:
    explicit ReportListView(ReportListModel *model, QWidget *parent = nullptr);
    ReportListModel *reportModel() const { return m_model; }
    QList<int64_t> selectedReportIds() const;
    std::optional<int64_t> currentReportId() const;

Q_SIGNALS:
    void currentReportChanged(std::optional<int64_t> reportId);

private:
    ReportListModel *m_model;
};

} // namespace ed
