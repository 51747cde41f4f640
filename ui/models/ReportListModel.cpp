#include "models/ReportListModel.h"

#include "look/Format.h"
#include "base/Level.h"
#include "look/Theme.h"
#include "base/Timestamp.h"

#include <QApplication>

namespace ed {
namespace {

QVariant sortValue(ReportSort s, const ReportRow &r)
{
    switch (s) {
    case ReportSort::Timestamp: return qint64(r.timestamp);
    case ReportSort::Level: return qint64(r.level);
    case ReportSort::Issue: return qint64(r.issueId);
    case ReportSort::Id: return qint64(r.id);
    case ReportSort::Message: return r.message;
    default: return {};
    }
}

} // namespace

ReportListModel::ReportListModel(const QString &dbPath, QObject *parent) : PagedRowModel(dbPath, parent) { }

void ReportListModel::setQuery(const SearchQuery &q)
{
    m_query = q;
    auto filter = m_query.check(); // to say at once what is wrong with it (parses once; the jobs reuse it)
    m_valid = filter.ok();
    m_boundaries.clear();
    restart();
    if (!filter)
        Q_EMIT queryFailed(filter.error());
}

ReportSort ReportListModel::sortForColumn(int column)
{
    switch (column) {
    case Time: return ReportSort::Timestamp;
    case Level: return ReportSort::Level;
    case Status: return ReportSort::Status;
    case Exception: return ReportSort::Type;
    case Message: return ReportSort::Message;
    case Path: return ReportSort::Path;
    case Logger: return ReportSort::Logger;
    case Issue: return ReportSort::Issue;
    }
    return ReportSort::Timestamp;
}

void ReportListModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        return;
    const ReportSort s = sortForColumn(column);
    const bool desc = order == Qt::DescendingOrder;
    if (s == m_sort && desc == m_descending)
        return;
    m_sort = s;
    m_descending = desc;
    m_boundaries.clear();
    restart();
}

bool ReportListModel::keysetSort() const { return sortValue(m_sort, ReportRow{}).isValid(); }

PagedModel::CountJob ReportListModel::makeCountJob() const
{
    if (!m_valid)
        return [](Database &) -> Result<int64_t> { return int64_t(0); };
    return [q = m_query](Database &db) { return ReportStore(db).countReports(q); };
}

ReportListModel::RowsJob ReportListModel::makeRowsJob(int page) const
{
    if (!m_valid)
        return [](Database &) -> Result<std::vector<ReportRow>> { return std::vector<ReportRow>{}; };
    // The nearest known start at or before this page.
    std::optional<ReportKey> from;
    int fromPage = 0;
    if (keysetSort()) {
        auto it = m_boundaries.upperBound(page);
        if (it != m_boundaries.begin()) {
            --it;
            from = it.value();
            fromPage = it.key();
        }
    }
    const int64_t offset = int64_t(page - fromPage) * kPageSize;
    return [q = m_query, from, offset, sort = m_sort, desc = m_descending](Database &db) {
        return ReportStore(db).listReports(q, kPageSize, offset, sort, desc, from);
    };
}

void ReportListModel::onRowsStored(int page, const std::vector<ReportRow> &rows)
{
    if (keysetSort() && rows.size() == size_t(kPageSize))
        m_boundaries.insert(page + 1, ReportKey{sortValue(m_sort, rows.back()), rows.back().id, rows.back().timestamp});
}

int ReportListModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ReportListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ReportRow *r = rowAt(index.row());
    if (!r) {
        requestRow(index.row());
        if (role == Qt::DisplayRole && index.column() == Time)
            return tr("Loading…");
        if (role == Qt::ForegroundRole)
            return theme::mutedText(QApplication::palette());
        return {};
    }
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time: return fmt::time(r->timestamp);
        case Level: return {}; // the colored dot; the name is in the tooltip
        case Status: return r->statusCode ? QVariant(*r->statusCode) : QVariant();
        case Exception: return r->exceptionType.isEmpty() ? QString() : fmt::reportTitle(*r);
        case Message: return r->message.left(300);
        case Path: return r->path;
        case Logger: return r->logger;
        case Issue: return qint64(r->issueId);
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == Level)
            return theme::levelIcon(r->level);
        break;
    case Qt::AccessibleTextRole: return index.column() == Level ? levelName(r->level) : data(index, Qt::DisplayRole);
    case Qt::ToolTipRole:
        if (index.column() == Level)
            return levelName(r->level);
        if (index.column() == Time)
            return formatIsoTimestamp(r->timestamp);
        if (index.column() == Message || index.column() == Exception)
            return fmt::reportTitle(*r).left(2000);
        if (!r->hiddenBy.isEmpty())
            return tr("Hidden by rule %1").arg(r->hiddenBy);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == Status || index.column() == Issue)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ForegroundRole:
        if (!r->hiddenBy.isEmpty())
            return theme::mutedText(QApplication::palette());
        break;
    case IdRole: return qint64(r->id);
    case IssueIdRole: return qint64(r->issueId);
    case LevelRole: return r->level;
    case TimestampRole: return qint64(r->timestamp);
    }
    return {};
}

QVariant ReportListModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, o, role);
    switch (section) {
    case Time: return tr("Time");
    case Level: return QString();
    case Status: return tr("Status");
    case Exception: return tr("Exception");
    case Message: return tr("Message");
    case Path: return tr("Path");
    case Logger: return tr("Logger");
    case Issue: return tr("Issue");
    }
    return {};
}

} // namespace ed
