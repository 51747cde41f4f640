#include "base/CancelToken.h"

namespace ed {

void CancelToken::cancel()
{
    QMutexLocker lock(&m_mutex);
    if (m_cancelled.exchange(true, std::memory_order_acq_rel))
        return;
    if (m_onCancel)
        m_onCancel();
}

void CancelToken::setOnCancel(std::function<void()> hook)
{
    QMutexLocker lock(&m_mutex);
    m_onCancel = std::move(hook);
    if (isCancelled() && m_onCancel)
        m_onCancel();
}

void CancelToken::clearOnCancel()
{
    QMutexLocker lock(&m_mutex);
    m_onCancel = nullptr;
}

} // namespace ed
