#pragma once
// A few connections to one database file for the job runner's threads: read
// connections (WAL lets them read beside the importer's writer), opened on
// first use and kept, and one read-write connection that writing jobs take in
// turn. A lease ties its connection to a job's CancelToken: cancelling the
// job interrupts the statement running on it (sqlite3_interrupt).
#include "base/CancelToken.h"
#include "base/Result.h"
#include "store/Database.h"

#include <QMutex>
#include <QString>
#include <QWaitCondition>
#include <memory>
#include <vector>

namespace ed {

class ConnectionPool {
public:
    ConnectionPool(QString path, int readers);
    ~ConnectionPool(); // every lease must be back

    class Lease {
    public:
        Lease() = default;
        Lease(Lease &&other) noexcept;
        Lease &operator=(Lease &&) = delete;
        ~Lease();
        Database &db() const { return *m_db; }

    private:
        friend class ConnectionPool;
        ConnectionPool *m_pool = nullptr;
        Database *m_db = nullptr;
        bool m_writer = false;
        CancelToken *m_token = nullptr;
    };

    // Waits for a free connection (opening one when fewer than `readers` are
    // open); an Error when the file cannot be opened.
    Result<Lease> read(CancelToken *token = nullptr);
    Result<Lease> write(CancelToken *token = nullptr);
    const QString &path() const { return m_path; }

private:
    Result<Lease> lease(Database *db, bool writer, CancelToken *token);
    void giveBack(Database *db, bool writer);

    const QString m_path;
    const int m_maxReaders;
    QMutex m_mutex;
    QWaitCondition m_freed;
    std::vector<std::unique_ptr<Database>> m_readers; // every open read connection
    std::vector<Database *> m_idle; // the ones not leased
    std::unique_ptr<Database> m_writer;
    bool m_writerBusy = false;
};

} // namespace ed
