#pragma once
// Issues (reports grouped by fingerprint) with at least one report matching the
// search, read in pages off the UI thread (see PagedModel), each with its
// reports per day over the last 14 days for the sparkline.
#include "models/PagedModel.h"
#include "store/ReportStore.h"
#include "store/SearchQuery.h"

namespace ed {

struct IssueItem {
    IssueRow issue;
    std::vector<int64_t> daily; // reports per day, oldest first
};

class IssueListModel : public PagedRowModel<IssueItem> {
    Q_OBJECT
public:
    enum Column { Level, Title, Culprit, Events, FirstSeen, LastSeen, Trend, Status, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1, DailyCountsRole, StatusRole };
    static constexpr int kTrendDays = 14;

    explicit IssueListModel(const QString &dbPath, QObject *parent = nullptr);

    // The issue id in `q` is ignored: the list shows every matching issue.
    void setQuery(const SearchQuery &q);
    const IssueRow *issue(int row) const;
    // Updates a row in place after a status change made elsewhere.
    void setLocalStatus(int64_t issueId, IssueStatus status);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;
    void sort(int column, Qt::SortOrder order) override;

    static IssueSort sortForColumn(int column);

protected:
    CountJob makeCountJob() const override;
    RowsJob makeRowsJob(int page) const override;
    int64_t rowId(const IssueItem &item) const override { return item.issue.id; }

private:
    SearchQuery m_query;
    bool m_valid = true;
    IssueSort m_sort = IssueSort::LastSeen;
    bool m_descending = true;
    int64_t m_trendEnd = 0; // ms: the end of today, local time
    QHash<int64_t, IssueStatus> m_localStatus;
};

} // namespace ed
