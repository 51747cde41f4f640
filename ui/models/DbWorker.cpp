#include "models/DbWorker.h"

#include "base/AppLog.h"

namespace ed {

DbWorker::DbWorker(QString path, QObject *parent) : QThread(parent), m_path(std::move(path))
{
    start(QThread::LowPriority);
}

DbWorker::~DbWorker()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stop = true;
        m_jobs.clear();
        if (m_conn)
            m_conn->interrupt();
        m_wake.wakeAll();
    }
    wait();
}

void DbWorker::post(Job job, bool urgent)
{
    QMutexLocker lock(&m_mutex);
    if (urgent)
        m_jobs.push_front(std::move(job));
    else
        m_jobs.push_back(std::move(job));
    m_wake.wakeOne();
}

void DbWorker::cancelAll()
{
    QMutexLocker lock(&m_mutex);
    m_jobs.clear();
    if (m_conn)
        m_conn->interrupt(); // a no-op when no statement runs
}

size_t DbWorker::pending() const
{
    QMutexLocker lock(&m_mutex);
    return m_jobs.size();
}

void DbWorker::run()
{
    // The connection is opened here, on the thread that uses it.
    auto db = Database::open(m_path, /*readOnly=*/true);
    if (!db) {
        applog::error(QStringLiteral("query thread: %1").arg(db.error()));
        return;
    }
    {
        QMutexLocker lock(&m_mutex);
        m_conn = &*db;
    }
    for (;;) {
        Job job;
        {
            QMutexLocker lock(&m_mutex);
            while (!m_stop && m_jobs.empty())
                m_wake.wait(&m_mutex);
            if (m_stop)
                break;
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        job(*db);
    }
    QMutexLocker lock(&m_mutex);
    m_conn = nullptr;
}

} // namespace ed
