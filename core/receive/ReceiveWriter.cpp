#include "receive/ReceiveWriter.h"

#include "import/ImportFilters.h"
#include "model/RecordPreparer.h"
#include "store/Database.h"
#include "store/ReportWriter.h"
#include "store/SiteStore.h"

namespace ed::receive {

struct ReceiveWriter::State {
    Database db;
    ImportFilters filters;
    std::unique_ptr<ReportWriter> writer;
    std::unique_ptr<RecordPreparer> preparer;
};

ReceiveWriter::ReceiveWriter(QString dbPath, size_t maxQueued) : m_path(std::move(dbPath)), m_max(maxQueued) { }

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
    state->preparer = std::make_unique<RecordPreparer>(*state->filters.scrubber, *state->filters.filter,
                                                       state->writer->knownParts());
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
        if (m_stopping || m_events.size() >= m_max)
            return false;
        m_events.push_back(std::move(event));
    }
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
    PreparedRecord prepared;
    std::vector<ReceivedEvent> batch;
    std::vector<ReceiveCount> counts;
    std::vector<StoredEvent> stored;
    for (;;) {
        batch.clear();
        counts.clear();
        bool last = false;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stopping || !m_events.empty() || !m_counts.empty(); });
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
                for (const ReceivedEvent &e : batch) {
                    s.preparer->prepare(e.record, false, {}, prepared);
                    const IngestResult r = s.writer->store(prepared, QStringLiteral("sentry site %1").arg(e.site));
                    if (r.fatal) {
                        failed = r.reason;
                        break;
                    }
                    StoredEvent out;
                    out.site = e.site;
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
