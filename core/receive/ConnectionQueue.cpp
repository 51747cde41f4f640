#include "receive/ConnectionQueue.h"

namespace ed::receive {

namespace {
thread_local bool t_overflowing = false;
} // namespace

ConnectionQueue::ConnectionQueue(int threads, size_t maxQueued, size_t maxOverflow, ReceiverStats &stats)
    : m_maxQueued(maxQueued), m_maxOverflow(maxOverflow), m_stats(stats)
{
    for (int i = 0; i < threads; ++i)
        m_threads.emplace_back([this] { work(); });
    m_threads.emplace_back([this] { answerOverflow(); });
}

ConnectionQueue::~ConnectionQueue() { shutdown(); }

bool ConnectionQueue::overflowing() { return t_overflowing; }

void ConnectionQueue::enqueue(std::function<void()> fn)
{
    {
        std::unique_lock lock(m_mutex);
        // Both full: the accept loop waits here, and the kernel's backlog holds the rest.
        m_room.wait(lock, [this] { return m_shutdown || m_jobs.size() < m_maxQueued || m_extra.size() < m_maxOverflow; });
        if (m_jobs.size() < m_maxQueued || m_shutdown) {
            m_jobs.push_back(std::move(fn));
            const auto n = int64_t(m_jobs.size());
            m_stats.queuedConnections = n;
            if (n > m_stats.peakQueuedConnections)
                m_stats.peakQueuedConnections = n;
        } else {
            m_extra.push_back(std::move(fn));
        }
    }
    // Both: which one has work is not known outside the lock, and there are few waiters.
    m_work.notify_one();
    m_overflow.notify_one();
}

void ConnectionQueue::shutdown()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_shutdown && m_threads.empty())
            return;
        m_shutdown = true;
    }
    m_work.notify_all();
    m_overflow.notify_all();
    m_room.notify_all();
    for (std::thread &t : m_threads)
        t.join();
    m_threads.clear();
}

// Every queued connection is served (and so closed), even at shutdown.
void ConnectionQueue::work()
{
    for (;;) {
        std::function<void()> fn;
        {
            std::unique_lock lock(m_mutex);
            m_work.wait(lock, [this] { return m_shutdown || !m_jobs.empty(); });
            if (m_jobs.empty())
                return;
            fn = std::move(m_jobs.front());
            m_jobs.pop_front();
            m_stats.queuedConnections = int64_t(m_jobs.size());
        }
        m_room.notify_one();
        ++m_stats.busyThreads;
        fn();
        --m_stats.busyThreads;
    }
}

void ConnectionQueue::answerOverflow()
{
    t_overflowing = true;
    for (;;) {
        std::function<void()> fn;
        {
            std::unique_lock lock(m_mutex);
            m_overflow.wait(lock, [this] { return m_shutdown || !m_extra.empty(); });
            if (m_extra.empty())
                return;
            fn = std::move(m_extra.front());
            m_extra.pop_front();
        }
        m_room.notify_one();
        ++m_stats.overflowedConnections;
        fn();
    }
}

} // namespace ed::receive
