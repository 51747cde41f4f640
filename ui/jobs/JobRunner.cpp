#include "jobs/JobRunner.h"

#include "store/ConnectionPool.h"

#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QSet>
#include <QThreadPool>
#include <QWaitCondition>

namespace ed {

// The jobs not yet delivered, by receiver: what cancel() and staleness find.
// Shared with the queued deliveries, which may outlive the runner.
struct JobRunner::Registry {
    struct Entry {
        QString name;
        CancelTokenPtr token;
    };
    mutable QMutex mutex;
    QHash<QObject *, QList<Entry>> jobs;
    QSet<QObject *> watched; // receivers whose destroyed() cancels their jobs
    // Jobs whose task has not ended yet (wait() waits for one to leave).
    QSet<const CancelToken *> unfinished;
    QWaitCondition finished;

    void begin(const CancelToken *token)
    {
        QMutexLocker lock(&mutex);
        unfinished.insert(token);
    }
    void end(const CancelToken *token)
    {
        QMutexLocker lock(&mutex);
        unfinished.remove(token);
        finished.wakeAll();
    }
    void wait(const CancelToken *token)
    {
        QMutexLocker lock(&mutex);
        while (unfinished.contains(token))
            finished.wait(&mutex);
    }

    void add(QObject *receiver, const QString &name, const CancelTokenPtr &token, bool &watchIt)
    {
        QMutexLocker lock(&mutex);
        auto &list = jobs[receiver];
        if (!name.isEmpty()) {
            for (qsizetype i = list.size(); i-- > 0;) {
                if (list[i].name == name) {
                    list[i].token->cancel(); // stale now: a newer one of the same name comes
                    list.removeAt(i);
                }
            }
        }
        list.append({name, token});
        watchIt = !watched.contains(receiver);
        watched.insert(receiver);
    }
    // Takes the receiver's jobs that `match` out of the registry, cancelling them when asked.
    template <typename Match> void take(QObject *receiver, Match match, bool cancelThem)
    {
        QMutexLocker lock(&mutex);
        auto it = jobs.find(receiver);
        if (it == jobs.end())
            return;
        it->removeIf([&](const Entry &e) {
            if (!match(e))
                return false;
            if (cancelThem)
                e.token->cancel();
            return true;
        });
        if (it->isEmpty())
            jobs.erase(it);
    }
    void remove(QObject *receiver, const CancelToken *token)
    {
        take(
            receiver, [token](const Entry &e) { return e.token.get() == token; }, false);
    }
    void cancel(QObject *receiver, const QString *name)
    {
        take(
            receiver, [name](const Entry &e) { return !name || e.name == *name; }, true);
    }
    void forget(QObject *receiver)
    {
        cancel(receiver, nullptr);
        QMutexLocker lock(&mutex);
        watched.remove(receiver);
    }
    void cancelEverything()
    {
        QMutexLocker lock(&mutex);
        for (const auto &list : std::as_const(jobs))
            for (const Entry &e : list)
                e.token->cancel();
        jobs.clear();
    }
    int size() const
    {
        QMutexLocker lock(&mutex);
        int n = 0;
        for (const auto &list : jobs)
            n += int(list.size());
        return n;
    }
};

void JobContext::progress(qint64 done, qint64 total) const
{
    if (m_progress)
        m_progress(done, total);
}

std::shared_ptr<JobRunner> JobRunner::forDatabase(const QString &path)
{
    static QMutex mutex;
    static QHash<QString, std::weak_ptr<JobRunner>> runners;
    const QString key = QFileInfo(path).absoluteFilePath();
    QMutexLocker lock(&mutex);
    if (auto existing = runners.value(key).lock())
        return existing;
    auto runner = std::make_shared<JobRunner>(path);
    runners.insert(key, runner);
    return runner;
}

JobRunner::JobRunner(const QString &dbPath, int readConnections)
    : m_path(dbPath),
      m_registry(std::make_shared<Registry>()),
      m_connections(std::make_unique<ConnectionPool>(dbPath, readConnections)),
      m_readThreads(std::make_unique<QThreadPool>()),
      m_writeThreads(std::make_unique<QThreadPool>()),
      m_taskThreads(std::make_unique<QThreadPool>())
{
    m_readThreads->setMaxThreadCount(readConnections);
    m_readThreads->setObjectName(QStringLiteral("errordeck-read"));
    // One writing thread: writes happen in the order they were asked for.
    m_writeThreads->setMaxThreadCount(1);
    m_writeThreads->setObjectName(QStringLiteral("errordeck-write"));
    m_taskThreads->setMaxThreadCount(2);
    m_taskThreads->setObjectName(QStringLiteral("errordeck-tasks"));
}

JobRunner::~JobRunner()
{
    for (QThreadPool *threads : {m_readThreads.get(), m_writeThreads.get(), m_taskThreads.get()})
        threads->clear(); // not started yet: never will
    m_registry->cancelEverything();
    {
        QMutexLocker lock(&m_registry->mutex); // the cleared ones never end: nobody waits for them
        m_registry->unfinished.clear();
        m_registry->finished.wakeAll();
    }
    for (QThreadPool *threads : {m_readThreads.get(), m_writeThreads.get(), m_taskThreads.get()})
        threads->waitForDone();
}

void JobRunner::cancel(QObject *receiver, const QString &name) { m_registry->cancel(receiver, &name); }
void JobRunner::cancelAll(QObject *receiver) { m_registry->cancel(receiver, nullptr); }
int JobRunner::pending() const { return m_registry->size(); }
void JobRunner::wait(const CancelTokenPtr &job) const
{
    if (job)
        m_registry->wait(job.get());
}

CancelTokenPtr JobRunner::submit(QObject *receiver, Job job, Body body, Deliver deliver)
{
    auto token = std::make_shared<CancelToken>();
    bool watchIt = false;
    m_registry->add(receiver, job.name, token, watchIt);
    m_registry->begin(token.get());
    if (watchIt) {
        // Direct: runs in ~QObject before the receiver is gone, so no worker
        // posts to it after (they post under the token's lock, see below).
        QObject::connect(receiver, &QObject::destroyed, [registry = m_registry](QObject *gone) { registry->forget(gone); });
    }
    std::function<void(qint64, qint64)> progress;
    if (job.onProgress) {
        progress = [receiver, token, cb = std::move(job.onProgress)](qint64 done, qint64 total) {
            token->unlessCancelled([&] {
                QMetaObject::invokeMethod(
                    receiver,
                    [token, cb, done, total] {
                        if (!token->isCancelled())
                            cb(done, total);
                    },
                    Qt::QueuedConnection);
            });
        };
    }
    const Access access = job.access;
    ConnectionPool *connections = m_connections.get();
    auto task = [registry = m_registry, receiver, token, access, connections, body = std::move(body),
                 deliver = std::move(deliver), progress = std::move(progress)]() mutable {
        if (!token->isCancelled()) {
            JobContext ctx;
            ctx.m_token = token.get();
            ctx.m_progress = std::move(progress);
            std::optional<ConnectionPool::Lease> lease;
            std::optional<Error> openError;
            if (access != Access::None) {
                auto got = access == Access::Read ? connections->read(token.get()) : connections->write(token.get());
                if (got) {
                    lease.emplace(std::move(*got));
                    ctx.m_db = &lease->db();
                } else {
                    openError = got.failure();
                }
            }
            if (!token->isCancelled())
                body(ctx, openError ? &*openError : nullptr);
            lease.reset(); // back in the pool before the result is seen
        }
        const bool posted = token->unlessCancelled([&] {
            QMetaObject::invokeMethod(
                receiver,
                [registry, receiver, token, deliver = std::move(deliver)]() mutable {
                    registry->remove(receiver, token.get());
                    if (!token->isCancelled())
                        deliver();
                },
                Qt::QueuedConnection);
        });
        if (!posted)
            registry->remove(receiver, token.get());
        registry->end(token.get());
    };
    QThreadPool *threads = access == Access::Read    ? m_readThreads.get()
                           : access == Access::Write ? m_writeThreads.get()
                                                     : m_taskThreads.get();
    threads->start(QRunnable::create(std::move(task)), job.priority);
    return token;
}

} // namespace ed
