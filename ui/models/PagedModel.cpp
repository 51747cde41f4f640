#include "models/PagedModel.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <optional>

namespace ed {

PagedModel::PagedModel(const QString &dbPath, QObject *parent)
    : QAbstractTableModel(parent), m_jobs(JobRunner::forDatabase(dbPath))
{
}

PagedModel::~PagedModel()
{
    // Outdated now: stops the model's running queries; nothing is delivered to it.
    m_generation->fetch_add(1);
    m_jobs->cancelAll(this);
}

int PagedModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : m_rowCount; }

void PagedModel::restart()
{
    const int gen = m_generation->fetch_add(1) + 1;
    m_jobs->cancelAll(this);
    beginResetModel();
    dropAllPages();
    m_loaded.clear();
    m_requested.clear();
    m_rowCount = 0;
    m_countKnown = false;
    m_firstRowsSignalled = false;
    m_refreshing = false;
    m_staged.clear();
    endResetModel();
    Q_EMIT loadingChanged(true);

    postCount(gen);
    requestPage(0);
}

void PagedModel::requestRow(int row) const { requestPage(row / kPageSize); }

void PagedModel::requestPage(int page) const
{
    if (page < 0 || m_loaded.contains(page) || m_requested.contains(page))
        return;
    postPage(page);
}

void PagedModel::postPage(int page) const
{
    m_requested.insert(page);
    m_latestPage->store(page);
    const int gen = m_generation->load();
    auto *self = const_cast<PagedModel *>(this);
    using PageResult = std::optional<Result<std::pair<std::any, int>>>; // nullopt: skipped
    m_jobs->run(
        self, {QStringLiteral("page %1").arg(page), JobRunner::Access::Read, ++self->m_pageSerial},
        [latest = m_latestPage, page, job = makePageJob(page)](JobContext &ctx) -> PageResult {
            // A fast scroll asks for many pages on its way; by the time this one
            // is due the view may be far off. Skip it: painting asks again.
            if (std::abs(latest->load() - page) > 2)
                return std::nullopt;
            return job(ctx.db());
        },
        [self, gen, page](PageResult rows) {
            if (!rows)
                self->onPageSkipped(gen, page);
            else
                self->onPage(gen, page, std::move(*rows));
        });
}

void PagedModel::onPageSkipped(int gen, int page)
{
    if (gen != m_generation->load())
        return;
    m_requested.remove(page);
    maybeCommitRefresh();
}

// The COUNT of query generation `gen`; dropped when a newer query has
// replaced it (restart() cancels it, interrupting the running COUNT).
void PagedModel::postCount(int gen)
{
    // Before the pages queued after it: the scroll bar's size depends on it.
    m_jobs->run(
        this, {QStringLiteral("count"), JobRunner::Access::Read, std::numeric_limits<int>::max()},
        [job = makeCountJob()](JobContext &ctx) { return job(ctx.db()); },
        [this, gen](Result<int64_t> count) { onCount(gen, std::move(count)); });
}

void PagedModel::onCount(int gen, Result<int64_t> count)
{
    if (gen != m_generation->load())
        return;
    if (m_refreshing) {
        if (!count) {
            // Keep the rows shown; the next refresh tries again.
            m_refreshing = false;
            m_staged.clear();
            Q_EMIT queryFailed(count.error());
            Q_EMIT loadingChanged(false);
            return;
        }
        m_stagedCountKnown = true;
        m_stagedCount = int(std::min<int64_t>(*count, std::numeric_limits<int>::max()));
        maybeCommitRefresh();
        return;
    }
    if (!count) {
        Q_EMIT queryFailed(count.error());
        m_countKnown = true;
        Q_EMIT loadingChanged(false);
        return;
    }
    m_countKnown = true;
    setRowCount(int(std::min<int64_t>(*count, std::numeric_limits<int>::max())));
    Q_EMIT countKnown(*count);
    if (m_requested.isEmpty())
        Q_EMIT loadingChanged(false);
}

void PagedModel::onPage(int gen, int page, Result<std::pair<std::any, int>> rows)
{
    if (gen != m_generation->load())
        return;
    m_requested.remove(page);
    if (!rows) {
        // An interrupted or failed page: painting the rows asks again.
        if (rows.errorKind() != ErrorKind::Interrupted)
            Q_EMIT queryFailed(rows.error());
        maybeCommitRefresh();
        return;
    }
    if (m_refreshing) {
        m_staged.insert(page, std::move(*rows));
        maybeCommitRefresh();
        return;
    }
    const int n = rows->second;
    storePage(page, std::move(rows->first));
    m_loaded.insert(page);
    evictFarPages(page);
    const int first = page * kPageSize;
    if (!m_countKnown && first + n > m_rowCount)
        setRowCount(first + n); // show the first rows before the COUNT is done
    const int last = std::min(m_rowCount, first + kPageSize) - 1;
    if (last >= first)
        Q_EMIT dataChanged(index(first, 0), index(last, columnCount() - 1));
    Q_EMIT pageLoaded(page);
    if (page == 0 && !m_firstRowsSignalled) {
        m_firstRowsSignalled = true;
        Q_EMIT firstRowsLoaded();
    }
    if (m_countKnown && m_requested.isEmpty())
        Q_EMIT loadingChanged(false);
}

void PagedModel::refreshKeepingRows()
{
    if (!m_countKnown) {
        restart(); // nothing shown to keep yet
        return;
    }
    const int gen = m_generation->fetch_add(1) + 1;
    m_jobs->cancelAll(this);
    m_requested.clear();
    m_staged.clear();
    m_refreshing = true;
    m_stagedCountKnown = false;
    onRefreshStarted();
    Q_EMIT loadingChanged(true);

    postCount(gen);
    // The pages around the one asked for last are the ones on screen; the
    // nearest is asked for last, so it stays the "latest" page.
    const int around = m_latestPage->load();
    QList<int> pages;
    for (int p : std::as_const(m_loaded))
        if (std::abs(p - around) <= 2)
            pages << p;
    std::sort(pages.begin(), pages.end(), [around](int a, int b) { return std::abs(a - around) > std::abs(b - around); });
    for (int p : std::as_const(pages))
        postPage(p);
}

void PagedModel::maybeCommitRefresh()
{
    if (m_refreshing && m_stagedCountKnown && m_requested.isEmpty())
        commitRefresh();
}

void PagedModel::commitRefresh()
{
    m_refreshing = false;
    const int oldCount = m_rowCount, newCount = m_stagedCount;
    // Where each id of the new pages is now.
    QHash<int64_t, int> rowOfId;
    for (auto it = m_staged.cbegin(); it != m_staged.cend(); ++it)
        for (int i = 0; i < it->second; ++i)
            if (const int64_t id = pageRowId(it->first, i); id >= 0)
                rowOfId.insert(id, it.key() * kPageSize + i);

    // Rows only ever appear or go at the end; in between, one layout change
    // with persistent indexes moved by id.
    if (newCount > oldCount) {
        beginInsertRows({}, oldCount, newCount - 1);
        m_rowCount = newCount;
        endInsertRows();
    }
    Q_EMIT layoutAboutToBeChanged();
    const QModelIndexList before = persistentIndexList();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex &i : before) {
        const int64_t id = loadedRowId(i.row());
        const auto found = id >= 0 ? rowOfId.constFind(id) : rowOfId.constEnd();
        // An id not among the new pages (gone, or far off): the same row, if any.
        const int row = found != rowOfId.constEnd() ? *found : i.row() < newCount ? i.row() : -1;
        after << (row >= 0 ? index(row, i.column()) : QModelIndex());
    }
    dropAllPages();
    m_loaded.clear();
    for (auto it = m_staged.begin(); it != m_staged.end(); ++it) {
        storePage(it.key(), std::move(it->first));
        m_loaded.insert(it.key());
    }
    m_staged.clear();
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged();
    if (newCount < oldCount) {
        beginRemoveRows({}, newCount, oldCount - 1);
        m_rowCount = newCount;
        endRemoveRows();
    }
    Q_EMIT countKnown(newCount);
    Q_EMIT rowsRefreshed();
    Q_EMIT loadingChanged(false);
}

void PagedModel::setRowCount(int n)
{
    if (n > m_rowCount) {
        beginInsertRows({}, m_rowCount, n - 1);
        m_rowCount = n;
        endInsertRows();
    } else if (n < m_rowCount) {
        beginRemoveRows({}, n, m_rowCount - 1);
        m_rowCount = n;
        endRemoveRows();
    }
}

void PagedModel::evictFarPages(int around)
{
    while (m_loaded.size() > kMaxPages) {
        int far = around;
        for (int p : std::as_const(m_loaded))
            if (std::abs(p - around) > std::abs(far - around))
                far = p;
        if (far == around)
            return;
        m_loaded.remove(far);
        dropPage(far);
    }
}

} // namespace ed
