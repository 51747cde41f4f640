#pragma once
// A Sentry endpoint for SDKs: POST /api/<n>/store/ and /api/<n>/envelope/ on
// cpp-httplib. Each request is bounded in size (compressed, decompressed, per
// event, per header line) and time (read and write timeouts, a deadline for
// the whole body); its key is checked against the site's; its events become
// v1 records (core/sentry) and go to the ReceiveWriter, which scrubs, filters,
// groups and stores them like any import. Loopback by default: the DSN's key
// is the only secret, so any other address is the caller's explicit choice.
#include "receive/ReceiveWriter.h"
#include "store/SiteStore.h"

#include <QString>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ed::receive {

struct ReceiverLimits {
    size_t maxCompressedBytes = 20u << 20;
    size_t maxDecompressedBytes = 100u << 20;
    size_t maxEventBytes = 1u << 20;
    size_t maxAttachmentTextBytes = 64u << 10; // text attachments kept with their event
    int readTimeoutSeconds = 5, writeTimeoutSeconds = 5;
    int bodyDeadlineSeconds = 30; // the whole body, however slowly it trickles
    int threads = 8;
    // Connections waiting for a thread at most; past them, up to maxOverflow
    // more are answered 429 by a thread of their own (receive/ConnectionQueue.h).
    size_t maxQueuedConnections = 64, maxOverflowConnections = 256;
};

struct ReceiverStats {
    std::atomic<int64_t> requests{0}, events{0}, rejected{0}, throttled{0};
    // The connections (receive/ConnectionQueue.h): waiting for a thread now and
    // at most, served now, and answered 429 for being over the bound.
    std::atomic<int64_t> queuedConnections{0}, peakQueuedConnections{0}, busyThreads{0}, overflowedConnections{0};
};

class Receiver {
public:
    static constexpr int kDefaultPort = 8765;

    Receiver(ReceiveWriter &writer, ReceiverLimits limits = {});
    ~Receiver(); // stop()

    // The sites accepted and their keys; may change while running.
    void setSites(std::vector<Site> sites);
    // Binds (port 0: any free one) and serves on a thread of its own.
    Result<void> start(const QString &host, int port);
    void stop();

    QString host() const { return m_host; }
    int port() const { return m_port; }
    bool loopback() const;
    QString dsnFor(const Site &site) const;
    const ReceiverStats &stats() const { return m_stats; }

private:
    struct Impl;
    std::unique_ptr<Impl> d;
    ReceiveWriter &m_writer;
    ReceiverLimits m_limits;
    ReceiverStats m_stats;
    QString m_host;
    int m_port = 0;
    std::thread m_thread;
    friend struct Handlers;
};

} // namespace ed::receive
