#include "PagedModel.h"

#include <QPointer>
#include <cstdlib>

namespace ed {

PagedModel::PagedModel(const QString &dbPath, QObject *parent)
    : QAbstractTableModel(parent),
      m_rowWorker(std::make_unique<DbWorker>(dbPath)),
      m_countWorker(std::make_unique<DbWorker>(dbPath))
{
}

PagedModel::~PagedModel()
{
    // Join the workers before the model goes: their jobs post results to it.
    m_generation->fetch_add(1);
    m_rowWorker.reset();
    m_countWorker.reset();
}

int PagedModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : m_rowCount; }

void PagedModel::restart()
{
    const int gen = m_generation->fetch_add(1) + 1;
    m_rowWorker->cancelAll();
    m_countWorker->cancelAll();
    beginResetModel();
    dropAllPages();
    m_loaded.clear();
    m_requested.clear();
    m_rowCount = 0;
    m_countKnown = false;
    m_firstRowsSignalled = false;
    endResetModel();
    Q_EMIT loadingChanged(true);

    auto genNow = m_generation;
    QPointer<PagedModel> self(this);
    m_countWorker->post([gen, genNow, self, job = makeCountJob()](Database &db) {
        if (genNow->load() != gen)
            return; // a newer query replaced this one while it waited
        auto count = job(db);
        if (genNow->load() != gen)
            return;
        QMetaObject::invokeMethod(
            self.data(), [self, gen, count = std::move(count)]() mutable {
                if (self)
                    self->onCount(gen, std::move(count));
            },
            Qt::QueuedConnection);
    });
    requestPage(0);
}

void PagedModel::requestRow(int row) const { requestPage(row / kPageSize); }

void PagedModel::requestPage(int page) const
{
    if (page < 0 || m_loaded.contains(page) || m_requested.contains(page))
        return;
    m_requested.insert(page);
    m_latestPage->store(page);
    const int gen = m_generation->load();
    auto genNow = m_generation;
    auto latest = m_latestPage;
    QPointer<PagedModel> self(const_cast<PagedModel *>(this));
    m_rowWorker->post(
        [gen, genNow, latest, self, page, job = makePageJob(page)](Database &db) {
            if (genNow->load() != gen)
                return;
            // A fast scroll asks for many pages on its way; by the time this one
            // is due the view may be far off. Skip it: painting asks again.
            if (std::abs(latest->load() - page) > 2) {
                QMetaObject::invokeMethod(
                    self.data(), [self, gen, page] {
                        if (self && gen == self->m_generation->load())
                            self->m_requested.remove(page);
                    },
                    Qt::QueuedConnection);
                return;
            }
            auto rows = job(db);
            if (genNow->load() != gen)
                return;
            QMetaObject::invokeMethod(
                self.data(), [self, gen, page, rows = std::move(rows)]() mutable {
                    if (self)
                        self->onPage(gen, page, std::move(rows));
                },
                Qt::QueuedConnection);
        },
        /*urgent=*/true); // newest request first: it is the one on screen
}

void PagedModel::onCount(int gen, Result<int64_t> count)
{
    if (gen != m_generation->load())
        return;
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
        if (!rows.error().contains(QLatin1String("interrupt")))
            Q_EMIT queryFailed(rows.error());
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
