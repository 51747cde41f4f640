#pragma once
// The receiver's one database writer: the HTTP threads convert events to v1
// records and prepare them in offer() (model/RecordPreparer: scrubbing, filter
// verdict, compression — the same pipeline as every import, with the
// database's rules; the CPU half, so it runs on as many threads as requests
// do, each with its own copy of the filters); the prepared records wait in a
// bounded queue; this thread takes what has gathered and stores it in one
// transaction per batch (store/ReportWriter: dedup, grouping, SQL). A full
// queue is the flood guard: offer() says no and the receiver answers 429.
#include "base/Result.h"

#include <QString>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ed::receive {

struct ReceivedEvent {
    int64_t site = 0;
    std::string record; // the v1 record (sentry/SentryEvent.h)
};

struct StoredEvent {
    int64_t site = 0;
    int64_t reportId = 0, issueId = 0;
    bool newIssue = false, duplicate = false, dropped = false, hidden = false;
    QString rejected; // why it could not be stored, else empty
};

struct ReceiveCount {
    int64_t site = 0;
    QString kind, reason;
    int64_t count = 0;
};

class ReceiveWriter {
public:
    static constexpr size_t kMaxBatch = 1000;
    // How long the writer gathers events after the first before storing them,
    // unless this many are there sooner (enough to make a commit's cost small).
    static constexpr std::chrono::milliseconds kGather{5};
    static constexpr size_t kGatherEnough = 256;

    // `maxQueued` events (and counts) may wait; more are refused. Up to
    // `preparers` offer() calls prepare at once (the receiver's thread count).
    ReceiveWriter(QString dbPath, size_t maxQueued, int preparers = 8);
    ~ReceiveWriter(); // stop()

    // Opens the database and reads its rules; then the thread runs.
    Result<void> start();
    // Stores what is queued, commits and ends the thread.
    void stop();

    // Prepares the record on the calling thread, then queues it; false: the
    // queue is full (checked before the work and again after it).
    bool offer(ReceivedEvent &&event);
    bool offerCount(ReceiveCount &&count);

    // Called on the writer's thread after each batch is committed.
    void setStoredHandler(std::function<void(const std::vector<StoredEvent> &)> handler) { m_onStored = std::move(handler); }
    // A database error: the batch was lost (called on the writer's thread).
    void setErrorHandler(std::function<void(const QString &)> handler) { m_onError = std::move(handler); }

    size_t queued() const;

private:
    struct Prepared; // an event as offer() prepared it
    struct PreparerPool; // the preparers offer() borrows, one per concurrent call
    void run();
    QString m_path;
    size_t m_max;
    int m_preparers;
    std::function<void(const std::vector<StoredEvent> &)> m_onStored;
    std::function<void(const QString &)> m_onError;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::unique_ptr<Prepared>> m_events;
    std::vector<ReceiveCount> m_counts;
    bool m_stopping = false;
    std::thread m_thread;
    struct State; // the database, filters and writer, owned by the thread
    std::unique_ptr<State> m_state;
    std::unique_ptr<PreparerPool> m_pool;
};

} // namespace ed::receive
