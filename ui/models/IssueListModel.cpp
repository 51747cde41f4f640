#include "models/IssueListModel.h"

#include "look/Format.h"
#include "base/Level.h"
#include "store/ListQueries.h"
#include "look/Theme.h"

#include <QApplication>
#include <QDateTime>

namespace ed {

IssueListModel::IssueListModel(const QString &dbPath, QObject *parent) : PagedRowModel(dbPath, parent) { }

void IssueListModel::setQuery(const SearchQuery &q)
{
    m_query = q;
    m_query.issueId.reset();
    auto filter = m_query.check();
    m_valid = filter.ok();
    m_localStatus.clear();
    const QDateTime tomorrow(QDate::currentDate().addDays(1), QTime(0, 0));
    m_trendEnd = tomorrow.toMSecsSinceEpoch();
    restart();
    if (!filter)
        Q_EMIT queryFailed(filter.error());
}

const IssueRow *IssueListModel::issue(int row) const
{
    const IssueItem *item = rowAt(row);
    return item ? &item->issue : nullptr;
}

void IssueListModel::setLocalStatus(int64_t issueId, IssueStatus status)
{
    m_localStatus.insert(issueId, status);
    for (int row = 0; row < rowCount(); ++row) {
        const IssueItem *item = rowAt(row);
        if (item && item->issue.id == issueId)
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
}

IssueSort IssueListModel::sortForColumn(int column)
{
    switch (column) {
    case Level: return IssueSort::Level;
    case Title: return IssueSort::Title;
    case Culprit: return IssueSort::Culprit;
    case Events: return IssueSort::Count;
    case FirstSeen: return IssueSort::FirstSeen;
    case LastSeen: return IssueSort::LastSeen;
    case Trend: return IssueSort::Count; // the busiest first, as the sparkline shows
    case Status: return IssueSort::Status;
    }
    return IssueSort::LastSeen;
}

void IssueListModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        return;
    const IssueSort s = sortForColumn(column);
    const bool desc = order == Qt::DescendingOrder;
    if (s == m_sort && desc == m_descending)
        return;
    m_sort = s;
    m_descending = desc;
    restart();
}

PagedModel::CountJob IssueListModel::makeCountJob() const
{
    if (!m_valid)
        return [](Database &) -> Result<int64_t> { return int64_t(0); };
    return [q = m_query](Database &db) { return ListQueries(db).countIssues(q); };
}

IssueListModel::RowsJob IssueListModel::makeRowsJob(int page) const
{
    if (!m_valid)
        return [](Database &) -> Result<std::vector<IssueItem>> { return std::vector<IssueItem>{}; };
    return [q = m_query, page, sort = m_sort, desc = m_descending,
            end = m_trendEnd](Database &db) -> Result<std::vector<IssueItem>> {
        ReportStore store(db);
        auto issues = store.listIssues(q, kPageSize, int64_t(page) * kPageSize, sort, desc);
        if (!issues)
            return issues.failure();
        std::vector<int64_t> ids;
        for (const IssueRow &row : *issues)
            ids.push_back(row.id);
        // The page's sparklines in one query (from the hourly counts).
        auto daily = store.issuesDailyCounts(ids, kTrendDays, end);
        std::vector<IssueItem> items;
        items.reserve(issues->size());
        for (IssueRow &row : *issues) {
            IssueItem item{std::move(row), {}};
            if (daily)
                item.daily = std::move((*daily)[item.issue.id]);
            items.push_back(std::move(item));
        }
        return items;
    };
}

int IssueListModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant IssueListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const IssueItem *item = rowAt(index.row());
    if (!item) {
        requestRow(index.row());
        if (role == Qt::DisplayRole && index.column() == Title)
            return tr("Loading…");
        if (role == Qt::ForegroundRole)
            return theme::mutedText(QApplication::palette());
        return {};
    }
    const IssueRow &i = item->issue;
    const IssueStatus status = m_localStatus.value(i.id, i.status);
    const bool regression = i.regression && !m_localStatus.contains(i.id);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Level: return {}; // the colored dot says it; the name is in the tooltip
        case Title: return i.title.left(300);
        case Culprit: return i.culprit;
        case Events: return qint64(i.count);
        case FirstSeen: return fmt::age(i.firstSeen, QDateTime::currentMSecsSinceEpoch());
        case LastSeen: return fmt::age(i.lastSeen, QDateTime::currentMSecsSinceEpoch());
        case Trend: return {};
        case Status: return fmt::issueStatusName(status, regression);
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == Level)
            return theme::levelIcon(i.level);
        break;
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Level: return levelName(i.level);
        case Title: return i.title.left(2000) + (i.culprit.isEmpty() ? QString() : QStringLiteral("\n") + i.culprit);
        case FirstSeen: return fmt::time(i.firstSeen);
        case LastSeen: return fmt::time(i.lastSeen);
        case Trend: {
            int64_t sum = 0;
            for (int64_t n : item->daily)
                sum += n;
            return tr("%n report(s) in the last 14 days", nullptr, int(sum));
        }
        default: break;
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == Events)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ForegroundRole:
        if (status != IssueStatus::Unresolved && index.column() != Level)
            return theme::mutedText(QApplication::palette());
        break;
    case Qt::AccessibleTextRole: return index.column() == Level ? levelName(i.level) : data(index, Qt::DisplayRole);
    case IdRole: return qint64(i.id);
    case StatusRole: return int(status);
    case DailyCountsRole: {
        QList<qint64> v;
        for (int64_t n : item->daily)
            v.append(n);
        return QVariant::fromValue(v);
    }
    }
    return {};
}

QVariant IssueListModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, o, role);
    switch (section) {
    case Level: return QString();
    case Title: return tr("Issue");
    case Culprit: return tr("Culprit");
    case Events: return tr("Events");
    case FirstSeen: return tr("First seen");
    case LastSeen: return tr("Last seen");
    case Trend: return tr("14 days");
    case Status: return tr("Status");
    }
    return {};
}

} // namespace ed
