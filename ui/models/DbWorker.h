#pragma once
// A thread with its own read connection to the database. The models' queries
// run here so the UI thread never waits on SQLite: SQLite's WAL mode lets this
// reader run beside the importer's writer. Jobs are plain functions; they post
// their results back to the UI thread themselves (queued calls), after checking
// that the query they answer is still the current one.
#include "store/Database.h"

#include <QMutex>
#include <QThread>
#include <QWaitCondition>
#include <deque>
#include <functional>

namespace ed {

class DbWorker : public QThread {
    Q_OBJECT
public:
    using Job = std::function<void(Database &)>;

    explicit DbWorker(QString path, QObject *parent = nullptr);
    ~DbWorker() override; // drops waiting jobs, interrupts the running one, joins

    // Queues a job. An urgent job runs before those already waiting: the page the
    // view shows now matters more than pages it showed a moment ago.
    void post(Job job, bool urgent = false);
    // Drops waiting jobs and stops the running query (sqlite3_interrupt); used
    // when the query changes, so a slow outdated COUNT does not delay the new one.
    void cancelAll();
    size_t pending() const;

protected:
    void run() override;

private:
    QString m_path;
    mutable QMutex m_mutex;
    QWaitCondition m_wake;
    std::deque<Job> m_jobs; // front runs first
    bool m_stop = false;
    Database *m_conn = nullptr; // the open database, for interrupt(); guarded by m_mutex
};

} // namespace ed
