#include "watch/FolderWatcher.h"

#include "watch/WatchWorker.h"

#include <QDeadlineTimer>

namespace ed {

FolderWatcher::FolderWatcher(const QString &dbPath, ImportFiltersFactory filters, QObject *parent)
    : QObject(parent), m_dbPath(dbPath), m_filters(filters ? std::move(filters) : ImportFiltersFactory(makeImportFilters))
{
    qRegisterMetaType<ed::WatchBatch>();
}

FolderWatcher::~FolderWatcher() { stop(); }

void FolderWatcher::setFolders(const QStringList &folders)
{
    m_folders = folders;
    if (WatchWorker *w = m_worker.data())
        QMetaObject::invokeMethod(
            w, [w, folders] { w->setFolders(folders); }, Qt::QueuedConnection);
}

void FolderWatcher::setPollInterval(int ms)
{
    m_pollMs = ms;
    if (WatchWorker *w = m_worker.data())
        QMetaObject::invokeMethod(
            w, [w, ms] { w->setPollInterval(ms); }, Qt::QueuedConnection);
}

void FolderWatcher::setSettleTime(int ms)
{
    m_settleMs = ms;
    if (WatchWorker *w = m_worker.data())
        QMetaObject::invokeMethod(
            w, [w, ms] { w->setSettleTime(ms); }, Qt::QueuedConnection);
}

void FolderWatcher::start()
{
    if (isRunning())
        return;
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("errordeck-watch"));
    auto *w = new WatchWorker(m_dbPath, m_filters, m_followOutsideLinks);
    w->moveToThread(m_thread);
    m_worker = w;
    // The worker, its timers and its connection end in their own thread.
    connect(m_thread, &QThread::finished, w, &QObject::deleteLater);
    connect(w, &WatchWorker::imported, this, &FolderWatcher::imported);
    connect(w, &WatchWorker::newIssue, this, &FolderWatcher::newIssue);
    connect(w, &WatchWorker::regression, this, &FolderWatcher::regression);
    connect(w, &WatchWorker::error, this, &FolderWatcher::error);
    connect(w, &WatchWorker::checked, this, &FolderWatcher::checked);
    m_thread->start();
    QMetaObject::invokeMethod(
        w, [w, folders = m_folders, poll = m_pollMs, settle = m_settleMs] { w->begin(folders, poll, settle); },
        Qt::QueuedConnection);
}

bool FolderWatcher::stop(int timeoutMs)
{
    if (!m_thread)
        return true;
    if (WatchWorker *w = m_worker.data())
        w->cancelRunning();
    m_thread->quit();
    if (!m_thread->wait(timeoutMs < 0 ? QDeadlineTimer(QDeadlineTimer::Forever) : QDeadlineTimer(timeoutMs)))
        return false;
    delete m_thread;
    m_thread = nullptr;
    m_worker = nullptr;
    return true;
}

void FolderWatcher::checkNow()
{
    if (WatchWorker *w = m_worker.data())
        QMetaObject::invokeMethod(w, &WatchWorker::check, Qt::QueuedConnection);
}

} // namespace ed
