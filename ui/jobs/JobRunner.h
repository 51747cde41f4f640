#pragma once
// One way to do work off the UI thread, after Hotspot's JobTracker: named jobs
// run on a small thread pool with a small pool of connections (store/
// ConnectionPool) instead of a thread per widget; each has a cancel token
// that also interrupts its running query; results and progress are posted
// back to the receiver's thread (queued) and dropped when stale: cancelled,
// replaced by a newer job of the same name and receiver, or the receiver gone.
//
//   m_jobs->run(this, {QStringLiteral("timeline")},
//       [q](JobContext &ctx) { return TimelineQueries(ctx.db()).buckets(q, 36); },
//       [this](Result<TimelineData> data) { present(std::move(data)); });
//
// Every widget and model of one database file shares its runner (forDatabase()).
#include "base/CancelToken.h"
#include "base/Result.h"
#include "store/Database.h"

#include <QObject>
#include <QString>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>

class QThreadPool;

namespace ed {

class ConnectionPool;

// What a job's work sees: its connection, its token, a way to report progress.
class JobContext {
public:
    // The job's connection (a read one, or the one writer); only for jobs that asked for one.
    Database &db() const { return *m_db; }
    CancelToken &token() const { return *m_token; }
    bool isCancelled() const { return m_token->isCancelled(); }
    // Posted to the job's onProgress on the receiver's thread, unless cancelled.
    void progress(qint64 done, qint64 total) const;

private:
    friend class JobRunner;
    Database *m_db = nullptr;
    CancelToken *m_token = nullptr;
    std::function<void(qint64, qint64)> m_progress;
};

class JobRunner {
public:
    enum class Access { Read, Write, None };
    static constexpr int kReadConnections = 3;

    struct Job {
        QString name; // a newer job of this name (same receiver) makes this one stale
        Access access = Access::Read; // Write: one at a time, in the order started; None: no connection (e-mail)
        int priority = 0; // higher starts first; equal ones in order
        std::function<void(qint64, qint64)> onProgress = {}; // on the receiver's thread
    };

    // The runner of a database file, made on first use, shared while anyone holds it.
    static std::shared_ptr<JobRunner> forDatabase(const QString &path);
    explicit JobRunner(const QString &dbPath, int readConnections = kReadConnections);
    ~JobRunner(); // cancels every job and waits for the running ones
    JobRunner(const JobRunner &) = delete;
    JobRunner &operator=(const JobRunner &) = delete;

    // Runs `work(JobContext &)` on a pool thread, then `done(result)` on the
    // receiver's thread unless the job went stale meanwhile. When no connection
    // can be opened, a work returning Result<T> is answered with that Error
    // (other kinds of work are not run, nor their done).
    template <typename Work, typename Done> CancelTokenPtr run(QObject *receiver, Job job, Work work, Done done)
    {
        using R = std::invoke_result_t<Work &, JobContext &>;
        auto result = std::make_shared<std::optional<R>>();
        return submit(
            receiver, std::move(job),
            [result, work = std::move(work)](JobContext &ctx, const Error *openError) mutable {
                if (!openError)
                    result->emplace(work(ctx));
                else if constexpr (std::is_constructible_v<R, Error>)
                    result->emplace(*openError);
            },
            [result, done = std::move(done)]() mutable {
                if (*result)
                    done(std::move(**result));
            });
    }

    // Makes the receiver's job of that name stale (its query interrupted).
    void cancel(QObject *receiver, const QString &name);
    // Every job of the receiver.
    void cancelAll(QObject *receiver);
    // Blocks until the job's work has ended (or the job was dropped before it
    // ran); its result is still delivered queued, or dropped, as any other.
    // For teardown only: a window waiting at quit for its checkpoint, the
    // import controller for its import. Never wait on the UI thread for a job
    // that itself waits on the UI thread.
    void wait(const CancelTokenPtr &job) const;
    // Jobs started and not yet delivered or dropped (for tests).
    int pending() const;
    const QString &path() const { return m_path; }

private:
    struct Registry;
    using Body = std::function<void(JobContext &, const Error *)>;
    using Deliver = std::function<void()>;
    CancelTokenPtr submit(QObject *receiver, Job job, Body body, Deliver deliver);

    QString m_path;
    std::shared_ptr<Registry> m_registry;
    std::unique_ptr<ConnectionPool> m_connections;
    std::unique_ptr<QThreadPool> m_readThreads, m_writeThreads, m_taskThreads;
};

} // namespace ed
