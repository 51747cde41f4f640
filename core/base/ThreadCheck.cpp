#include "base/ThreadCheck.h"

#include <QMutex>
#include <QThread>
#include <algorithm>
#include <atomic>
#include <utility>

namespace ed::dbthread {

namespace {
std::atomic<QThread *> g_uiThread{nullptr};
thread_local int t_allowDepth = 0;

QMutex &handlerMutex()
{
    static QMutex m;
    return m;
}
ViolationHandler &handler()
{
    static ViolationHandler h;
    return h;
}
} // namespace

void setUiThread(QThread *thread) { g_uiThread.store(thread); }

bool isUiThread()
{
    QThread *ui = g_uiThread.load();
    return ui && QThread::currentThread() == ui;
}

bool checksEnabled()
{
#ifdef ERRORDECK_ASSERT_THREADS
    return true;
#else
    return false;
#endif
}

void checkNotUiThread(std::string_view what)
{
#ifdef ERRORDECK_ASSERT_THREADS
    if (t_allowDepth > 0 || !isUiThread())
        return;
    const QString message = QStringLiteral("SQLite on the UI thread: %1")
                                .arg(QString::fromUtf8(what.data(), qsizetype(std::min<size_t>(what.size(), 200))));
    ViolationHandler h;
    {
        QMutexLocker lock(&handlerMutex());
        h = handler();
    }
    if (h)
        h(message);
    else
        qFatal("%s", qPrintable(message));
#else
    Q_UNUSED(what);
#endif
}

ViolationHandler setViolationHandler(ViolationHandler h)
{
    QMutexLocker lock(&handlerMutex());
    return std::exchange(handler(), std::move(h));
}

AllowOnUiThread::AllowOnUiThread(const char *) { ++t_allowDepth; }
AllowOnUiThread::~AllowOnUiThread() { --t_allowDepth; }

} // namespace ed::dbthread
