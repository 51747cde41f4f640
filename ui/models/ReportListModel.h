#pragma once
// The reports matching the search, lazily: see PagedModel. For sorts on a
// NOT NULL column (time, level, issue, message, id) pages are read by keyset
// ("after the last row of the previous page"), which costs the same at row
// 900,000 as at row 0; a jump far down starts from the nearest page boundary
// already known and skips forward with OFFSET from there.
#include "models/PagedModel.h"
#include "store/ReportStore.h"
#include "store/SearchQuery.h"

#include <QMap>

namespace ed {

class ReportListModel : public PagedRowModel<ReportRow> {
    Q_OBJECT
public:
    enum Column { Time, Level, Status, Exception, Message, Path, Logger, Issue, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1, IssueIdRole, LevelRole, TimestampRole };

    explicit ReportListModel(const QString &dbPath, QObject *parent = nullptr);

    // An invalid query shows nothing and reports its error (queryFailed).
    void setQuery(const SearchQuery &q);
    const SearchQuery &query() const { return m_query; }
    ReportSort sortKey() const { return m_sort; }
    bool sortDescending() const { return m_descending; }
    // The report on a row, when loaded.
    const ReportRow *report(int row) const { return rowAt(row); }

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;
    void sort(int column, Qt::SortOrder order) override;

    static ReportSort sortForColumn(int column);

protected:
    CountJob makeCountJob() const override;
    RowsJob makeRowsJob(int page) const override;
    void onRowsStored(int page, const std::vector<ReportRow> &rows) override;
    int64_t rowId(const ReportRow &row) const override { return row.id; }
    // New rows may have come before the known page starts: read by OFFSET.
    void onRefreshStarted() override { m_boundaries.clear(); }

private:
    bool keysetSort() const;

    SearchQuery m_query;
    bool m_valid = true; // false: the query does not parse, nothing is listed
    ReportSort m_sort = ReportSort::Timestamp;
    bool m_descending = true;
    QMap<int, ReportKey> m_boundaries; // page -> the last row before it
};

} // namespace ed
