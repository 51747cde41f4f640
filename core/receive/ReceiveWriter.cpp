#include "receive/ReceiveWriter.h"

#include "import/ImportFilters.h"
#include "import/WorkerFilters.h"
#include "model/RecordPreparer.h"
#include "store/Database.h"
#include "store/ReportWriter.h"
#include "store/SiteStore.h"

#include <simdjson.h>

#include <algorithm>

namespace ed::receive {

struct ReceiveWriter::State {
    Database db;
    ImportFilters filters;
    std::unique_ptr<ReportWriter> writer;
};

struct ReceiveWriter::Prepared {
    int64_t site = 0;
    PreparedRecord record;
};

// FilterSet and SecretScrubber are for one thread at a time: each preparer has
// its own copy (import/WorkerFilters). offer() borrows a free one, waiting when
// every one is in use (only when more requests run at once than there are).
struct ReceiveWriter::PreparerPool {
    WorkerFilters filters;
    std::vector<std::unique_ptr<RecordPreparer>> all;
    std::mutex mutex;
    std::condition_variable freed;
    std::vector<RecordPreparer *> free;

    RecordPreparer *acquire()
    {
        std::unique_lock lock(mutex);
        freed.wait(lock, [this] { return !free.empty(); });
        RecordPreparer *p = free.back();
        free.pop_back();
        return p;
    }
    void release(RecordPreparer *p)
    {
        {
            std::lock_guard lock(mutex);
            free.push_back(p);
        }
        freed.notify_one();
    }
};

ReceiveWriter::ReceiveWriter(QString dbPath, size_t maxQueued, int preparers)
    : m_path(std::move(dbPath)), m_max(maxQueued), m_preparers(std::max(1, preparers))
{
}

ReceiveWriter::~ReceiveWriter() { stop(); }

Result<void> ReceiveWriter::start()
{
    auto state = std::make_unique<State>();
    auto db = Database::open(m_path);
    if (!db)
        return db.failure();
    state->db = std::move(*db);
    auto filters = makeImportFilters(state->db);
    if (!filters)
        return filters.failure();
    state->filters = std::move(*filters);
    state->writer = std::make_unique<ReportWriter>(state->db);
    auto pool = std::make_unique<PreparerPool>();
    pool->filters = WorkerFilters::make(*state->filters.scrubber, *state->filters.filter, m_preparers);
    for (int i = 0; i < pool->filters.count(); ++i) {
        pool->all.push_back(
            std::make_unique<RecordPreparer>(pool->filters.scrubber(i), pool->filters.filter(i), state->writer->knownParts()));
        pool->free.push_back(pool->all.back().get());
    }
    m_pool = std::move(pool);
    m_state = std::move(state);
    m_thread = std::thread([this] { run(); });
    return {};
}

void ReceiveWriter::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    if (m_state && m_state->db.isOpen())
        (void)m_state->db.close();
}

bool ReceiveWriter::offer(ReceivedEvent &&event)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping || m_events.size() >= m_max || !m_pool)
            return false; // no work spent on what would be refused
    }
    auto prepared = std::make_unique<Prepared>();
    prepared->site = event.site;
    // Padded, the record is parsed in place (no copy into simdjson's buffer).
    const size_t size = event.record.size();
    event.record.append(simdjson::SIMDJSON_PADDING, '\0');
    RecordPreparer *preparer = m_pool->acquire();
    preparer->prepare(std::string_view(event.record.data(), size), true, {}, prepared->record);
    m_pool->release(preparer);
    bool wake = false;
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping || m_events.size() >= m_max)
            return false;
        m_events.push_back(std::move(prepared));
        // The writer waits for a first event, then gathers for a moment (run()):
        // it needs waking only for the first and for a full batch.
        wake = m_events.size() == 1 || m_events.size() == kGatherEnough;
    }
    if (wake)
        m_wake.notify_one();
    return true;
}

bool ReceiveWriter::offerCount(ReceiveCount &&count)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping || m_counts.size() >= m_max)
            return false;
        m_counts.push_back(std::move(count));
    }
    m_wake.notify_one();
    return true;
}

size_t ReceiveWriter::queued() const
{
    std::lock_guard lock(m_mutex);
    return m_events.size();
}

void ReceiveWriter::run()
{
    State &s = *m_state;
    SiteStore sites(s.db);
    std::vector<std::unique_ptr<Prepared>> batch;
    std::vector<ReceiveCount> counts;
    std::vector<StoredEvent> stored;
    for (;;) {
        batch.clear();
        counts.clear();
        bool last = false;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stopping || !m_events.empty() || !m_counts.empty(); });
            // A commit costs as much as storing dozens of events: under load, a
            // few milliseconds' more events go into the same transaction. The
            // SDK has its answer already; only the stored line comes later.
            m_wake.wait_for(lock, kGather, [&] { return m_stopping || m_events.size() >= kGatherEnough; });
            while (!m_events.empty() && batch.size() < kMaxBatch) {
                batch.push_back(std::move(m_events.front()));
                m_events.pop_front();
            }
            counts.swap(m_counts);
            last = m_stopping && m_events.empty();
        }
        if (!batch.empty() || !counts.empty()) {
            stored.clear();
            QString failed;
            if (auto b = s.writer->begin(); !b) {
                failed = b.error();
            } else {
                std::vector<Hash128> keys;
                for (const std::unique_ptr<Prepared> &e : batch)
                    if (e->record.error.isEmpty())
                        keys.push_back(e->record.rec.dedupKey);
                s.writer->expect(keys);
                for (const std::unique_ptr<Prepared> &e : batch) {
                    const IngestResult r = s.writer->store(e->record, QStringLiteral("sentry site %1").arg(e->site));
                    if (r.fatal) {
                        failed = r.reason;
                        break;
                    }
                    StoredEvent out;
                    out.site = e->site;
                    out.reportId = r.reportId;
                    out.issueId = r.issueId;
                    out.newIssue = r.newIssue;
                    out.duplicate = r.outcome == IngestOutcome::Duplicate;
                    out.dropped = r.outcome == IngestOutcome::Dropped;
                    out.hidden = !r.hiddenBy.isEmpty();
                    if (r.outcome == IngestOutcome::Rejected)
                        out.rejected = r.reason;
                    stored.push_back(std::move(out));
                }
                for (const ReceiveCount &c : counts) {
                    if (!failed.isEmpty())
                        break;
                    if (auto r = sites.addCount(c.site, c.kind, c.reason, c.count); !r)
                        failed = r.error();
                }
                if (failed.isEmpty()) {
                    if (auto c = s.writer->commit(); !c)
                        failed = c.error();
                } else {
                    s.writer->rollback();
                }
            }
            if (!failed.isEmpty()) {
                if (m_onError)
                    m_onError(QStringLiteral("%1: %2 events not stored: %3").arg(s.db.path()).arg(batch.size()).arg(failed));
            } else if (m_onStored) {
                m_onStored(stored);
            }
        }
        if (last)
            return;
    }
}

} // namespace ed::receive
