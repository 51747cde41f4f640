#pragma once
// The receiver's one database writer: events the HTTP threads converted to v1
// records wait in a bounded queue; this thread takes what has gathered,
// prepares it (model/RecordPreparer: scrubbing, filter verdict, grouping —
// the same pipeline as every import, with the database's rules) and stores it
// in one transaction per batch (store/ReportWriter). A full queue is the flood
// guard: offer() says no and the receiver answers 429.
#include "base/Result.h"

#include <QString>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
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

    // `maxQueued` events (and counts) may wait; more are refused.
    ReceiveWriter(QString dbPath, size_t maxQueued);
    ~ReceiveWriter(); // stop()

    // Opens the database and reads its rules; then the thread runs.
    Result<void> start();
    // Stores what is queued, commits and ends the thread.
    void stop();

    bool offer(ReceivedEvent &&event); // false: the queue is full
    bool offerCount(ReceiveCount &&count);

    // Called on the writer's thread after each batch is committed.
    void setStoredHandler(std::function<void(const std::vector<StoredEvent> &)> handler) { m_onStored = std::move(handler); }
    // A database error: the batch was lost (called on the writer's thread).
    void setErrorHandler(std::function<void(const QString &)> handler) { m_onError = std::move(handler); }

    size_t queued() const;

private:
    void run();
    QString m_path;
    size_t m_max;
    std::function<void(const std::vector<StoredEvent> &)> m_onStored;
    std::function<void(const QString &)> m_onError;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<ReceivedEvent> m_events;
    std::vector<ReceiveCount> m_counts;
    bool m_stopping = false;
    std::thread m_thread;
    struct State; // the database, filters, preparer and writer, owned by the thread
    std::unique_ptr<State> m_state;
};

} // namespace ed::receive
