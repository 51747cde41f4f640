#pragma once
// A job's cancel flag, shared by whoever started the job and the thread that
// runs it. Cancelling also runs the hook the running work registered (an
// SQLite connection's interrupt(), an SMTP transfer's cancel), so a query or
// a transfer already under way stops too, not only the next step.
#include <QMutex>
#include <atomic>
#include <functional>
#include <memory>

namespace ed {

class CancelToken {
public:
    bool isCancelled() const { return m_cancelled.load(std::memory_order_acquire); }
    // Thread-safe; runs the hook (once) when one is set.
    void cancel();

    // What stops the work running now; replaced by the next call, cleared by
    // clearOnCancel(). Set after cancel(): runs at once.
    void setOnCancel(std::function<void()> hook);
    void clearOnCancel();

    // Runs `f` under the token's lock unless cancelled: a worker posting a
    // result this way cannot race a cancel() that the receiver's destruction makes.
    template <typename F> bool unlessCancelled(F &&f)
    {
        QMutexLocker lock(&m_mutex);
        if (isCancelled())
            return false;
        f();
        return true;
    }

private:
    std::atomic<bool> m_cancelled{false};
    QMutex m_mutex;
    std::function<void()> m_onCancel;
};

using CancelTokenPtr = std::shared_ptr<CancelToken>;

} // namespace ed
