#pragma once
// The issue list: one row per issue, sortable by every column.
#include "models/IssueListModel.h"

#include <QTableView>

namespace ed {

class IssueListView : public QTableView {
    Q_OBJECT
public:
    explicit IssueListView(IssueListModel *model, QWidget *parent = nullptr);
    IssueListModel *issueModel() const { return m_model; }
    // The selected issues' ids (loaded rows only).
    QList<int64_t> selectedIssueIds() const;
    std::optional<int64_t> currentIssueId() const;

Q_SIGNALS:
    void currentIssueChanged(std::optional<int64_t> issueId);

private:
    IssueListModel *m_model;
};

} // namespace ed
