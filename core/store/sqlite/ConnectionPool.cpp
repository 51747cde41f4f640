#include "store/ConnectionPool.h"

#include "store/sqlite/Rows.h"
#include "store/sqlite/SearchSql.h"
#include "store/sqlite/Sqlite.h"

#include <algorithm>

namespace ed {

ConnectionPool::ConnectionPool(QString path, int readers) : m_path(std::move(path)), m_maxReaders(std::max(1, readers)) { }

ConnectionPool::~ConnectionPool() = default;

ConnectionPool::Lease::Lease(Lease &&o) noexcept
    : m_pool(std::exchange(o.m_pool, nullptr)),
      m_db(std::exchange(o.m_db, nullptr)),
      m_writer(o.m_writer),
      m_token(std::exchange(o.m_token, nullptr))
{
}

ConnectionPool::Lease::~Lease()
{
    if (!m_pool)
        return;
    if (m_token)
        m_token->clearOnCancel();
    m_pool->giveBack(m_db, m_writer);
}

Result<ConnectionPool::Lease> ConnectionPool::read(CancelToken *token)
{
    Database *db = nullptr;
    {
        QMutexLocker lock(&m_mutex);
        while (m_idle.empty() && int(m_readers.size()) >= m_maxReaders)
            m_freed.wait(&m_mutex);
        if (!m_idle.empty()) {
            db = m_idle.back();
            m_idle.pop_back();
        } else {
            m_readers.push_back(nullptr); // the slot, taken before opening outside the lock
        }
    }
    if (!db) {
        auto opened = Database::open(m_path, /*readOnly=*/true);
        QMutexLocker lock(&m_mutex);
        auto slot = std::find(m_readers.begin(), m_readers.end(), nullptr);
        if (!opened) {
            m_readers.erase(slot);
            m_freed.wakeOne();
            return opened.failure();
        }
        *slot = std::make_unique<Database>(std::move(*opened));
        db = slot->get();
    }
    return lease(db, false, token);
}

Result<ConnectionPool::Lease> ConnectionPool::write(CancelToken *token)
{
    QMutexLocker lock(&m_mutex);
    while (m_writerBusy)
        m_freed.wait(&m_mutex);
    m_writerBusy = true;
    if (!m_writer) {
        auto opened = Database::open(m_path);
        if (!opened) {
            m_writerBusy = false;
            m_freed.wakeAll();
            return opened.failure();
        }
        m_writer = std::make_unique<Database>(std::move(*opened));
    }
    Database *db = m_writer.get();
    lock.unlock();
    return lease(db, true, token);
}

Result<ConnectionPool::Lease> ConnectionPool::lease(Database *db, bool writer, CancelToken *token)
{
    Lease l;
    l.m_pool = this;
    l.m_db = db;
    l.m_writer = writer;
    l.m_token = token;
    if (token)
        token->setOnCancel([db] { connectionOf(*db).interrupt(); });
    return Result<Lease>(std::move(l));
}

void ConnectionPool::giveBack(Database *db, bool writer)
{
    QMutexLocker lock(&m_mutex);
    if (writer)
        m_writerBusy = false;
    else
        m_idle.push_back(db);
    m_freed.wakeAll();
}

} // namespace ed
