#pragma once
// The stored reports, newest first, read in pages as the view scrolls.
#include "Database.h"
#include "ReportStore.h"

#include <QAbstractTableModel>
#include <vector>

namespace ed {

class ReportTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Level, Status, Logger, Message, ColumnCount };

    explicit ReportTableModel(Database &db, QObject *parent = nullptr);

    void setQuery(const SearchQuery &q);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

private:
    static constexpr int kPage = 256;
    ReportStore m_store;
    SearchQuery m_query;
    std::vector<ReportRow> m_rows;
    bool m_atEnd = false;
};

} // namespace ed
