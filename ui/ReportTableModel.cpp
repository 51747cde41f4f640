#include "ReportTableModel.h"

#include "Level.h"

#include <QDateTime>
#include <QTimeZone>

namespace ed {

ReportTableModel::ReportTableModel(Database &db, QObject *parent) : QAbstractTableModel(parent), m_store(db) {}

void ReportTableModel::setQuery(const SearchQuery &q)
{
    beginResetModel();
    m_query = q;
    m_rows.clear();
    m_atEnd = false;
    endResetModel();
}

int ReportTableModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }
int ReportTableModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

bool ReportTableModel::canFetchMore(const QModelIndex &parent) const { return !parent.isValid() && !m_atEnd; }

void ReportTableModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_atEnd)
        return;
    auto page = m_store.listReports(m_query, kPage, int64_t(m_rows.size()));
    if (!page || page->empty()) {
        m_atEnd = true;
        return;
    }
    if (page->size() < size_t(kPage))
        m_atEnd = true;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page->size() - 1));
    m_rows.insert(m_rows.end(), page->begin(), page->end());
    endInsertRows();
}

QVariant ReportTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ReportRow &r = m_rows[size_t(index.row())];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Time: return QDateTime::fromMSecsSinceEpoch(r.timestamp).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case Level: return levelName(r.level);
        case Status: return r.statusCode ? QVariant(*r.statusCode) : QVariant();
        case Logger: return r.logger;
        case Message:
            return r.exceptionType.isEmpty() ? r.message : r.exceptionType + QStringLiteral(": ") + r.exceptionValue;
        }
    }
    return {};
}

QVariant ReportTableModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, o, role);
    switch (section) {
    case Time: return tr("Time");
    case Level: return tr("Level");
    case Status: return tr("Status");
    case Logger: return tr("Logger");
    case Message: return tr("Message");
    }
    return {};
}

} // namespace ed
