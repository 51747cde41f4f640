#pragma once
// The receiver's bounded work queue for cpp-httplib: httplib's ThreadPool
// queues every accepted connection, however many, so a flood of clients would
// grow it (and its sockets) without end. Here at most `maxQueued` connections
// wait for the `threads` workers; past that, one more thread answers each
// extra connection at once (overflowing() is true on it: the receiver answers
// 429 with Retry-After and closes), and up to `maxOverflow` wait for it. When
// that is full too, enqueue() blocks the accept loop until there is room: new
// clients then wait in (or are refused by) the kernel's listen backlog. So the
// connections held are bounded by threads + 1 + maxQueued + maxOverflow.
//
// httplib 0.11's TaskQueue::enqueue cannot refuse a connection (the task owns
// the socket and is what closes it), hence the answering thread rather than a
// dropped task.
#include "receive/Receiver.h"

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ed::receive {

class ConnectionQueue : public httplib::TaskQueue {
public:
    ConnectionQueue(int threads, size_t maxQueued, size_t maxOverflow, ReceiverStats &stats);
    ~ConnectionQueue() override;

    void enqueue(std::function<void()> fn) override;
    void shutdown() override;

    // True on the thread answering the connections over the bound.
    static bool overflowing();

private:
    void work();
    void answerOverflow();

    const size_t m_maxQueued, m_maxOverflow;
    ReceiverStats &m_stats;
    std::mutex m_mutex;
    std::condition_variable m_work, m_overflow, m_room;
    std::deque<std::function<void()>> m_jobs, m_extra;
    bool m_shutdown = false;
    std::vector<std::thread> m_threads;
};

} // namespace ed::receive
