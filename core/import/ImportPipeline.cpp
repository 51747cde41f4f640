#include "import/ImportPipeline.h"

#include "import/LineReader.h"
#include "import/V1Source.h"
#include "mail/MailSource.h"

#include <QFileInfo>

#include <ctime>

namespace ed {

namespace {
constexpr size_t kPadding = 64; // simdjson::SIMDJSON_PADDING

// CPU seconds of the calling thread so far.
double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

size_t append(std::string &text, std::string_view s)
{
    const size_t at = text.size();
    text.append(s);
    return at;
}
} // namespace

ImportPipeline::ImportPipeline(std::vector<PipelineFile> files, const WorkerFilters &filters, const KnownParts &known,
                               const std::atomic<bool> *cancel, bool holdIncomplete)
    : m_files(std::move(files)), m_filters(filters), m_known(known), m_cancel(cancel), m_hold(holdIncomplete)
{
    for (int i = 0; i < filters.count(); ++i)
        m_workers.emplace_back([this, i] { work(i); });
    m_reader = std::thread([this] { readFiles(); });
}

ImportPipeline::~ImportPipeline() { join(); }

void ImportPipeline::join()
{
    if (m_joined)
        return;
    m_joined = true;
    stop();
    m_reader.join();
    for (std::thread &t : m_workers)
        t.join();
}

void ImportPipeline::stop()
{
    std::lock_guard lock(m_mutex);
    m_stopping = true;
    m_halt.store(true);
    m_readerWait.notify_all();
    m_workerWait.notify_all();
    m_writerWait.notify_all();
}

void ImportPipeline::readFiles()
{
    for (size_t i = 0; i < m_files.size() && !m_halt.load() && !m_cancel->load(); ++i)
        readFile(i);
    const double cpu = threadCpuSeconds();
    std::lock_guard lock(m_mutex);
    m_readerCpu = cpu;
    m_readDone = true;
    m_workerWait.notify_all();
    m_writerWait.notify_all();
}

void ImportPipeline::readFile(size_t index)
{
    const PipelineFile &f = m_files[index];
    auto opened = std::make_unique<Chunk>();
    opened->kind = Chunk::Kind::Opened;
    opened->file = index;
    std::unique_ptr<RecordSource> source;
    if (f.mail) {
        auto mail = openMailSource(f.path, /*deferConversion=*/true);
        if (!mail) {
            opened->openError = mail.error();
            push(std::move(opened));
            return;
        }
        source = std::move(*mail);
    } else {
        int64_t offset = f.offset, line = f.line;
        auto reader = LineReader::open(f.path, offset, line + 1);
        if (reader && offset > 0 && !(*reader)->isGzip() && QFileInfo(f.path).size() < offset) {
            // Truncated in place (copytruncate) and rewritten: read it afresh.
            offset = line = 0;
            reader = LineReader::open(f.path);
        }
        if (!reader) {
            opened->openError = reader.error();
            push(std::move(opened));
            return;
        }
        opened->offset = offset;
        opened->line = line;
        source = std::make_unique<V1Source>(std::move(*reader));
    }
    source->setStopFlag(m_cancel);
    opened->resumable = source->resumable();
    opened->unit = source->unitName();
    if (!push(std::move(opened)))
        return;

    auto fresh = [index] {
        auto c = std::make_unique<Chunk>();
        c->file = index;
        c->items.reserve(kMaxChunkItems);
        return c;
    };
    std::unique_ptr<Chunk> chunk = fresh();
    SourceItem item;
    while (!m_halt.load() && source->next(item)) {
        if (m_hold && !item.terminated && source->resumable())
            break; // still being written: the next run reads it again from the offset before it
        ChunkItem &ci = chunk->items.emplace_back();
        ci.number = item.number;
        ci.endOffset = item.endOffset;
        ci.terminated = item.terminated;
        ci.skip = item.skip;
        ci.error = std::move(item.error);
        if (!ci.skip && ci.error.isEmpty()) {
            ci.message = !item.message.empty();
            const std::string_view text = ci.message ? item.message : item.json;
            ci.textAt = append(chunk->text, text);
            ci.textLen = text.size();
            ci.rawAt = append(chunk->text, item.raw);
            ci.rawLen = item.raw.size();
            ci.fromAt = append(chunk->text, item.fromLine);
            ci.fromLen = item.fromLine.size();
        }
        if (chunk->items.size() >= kMaxChunkItems || chunk->text.size() >= kMaxChunkBytes) {
            chunk->bytesRead = source->bytesRead();
            if (!push(std::move(chunk)))
                return;
            chunk = fresh();
        }
    }
    if (!chunk->items.empty()) {
        chunk->bytesRead = source->bytesRead();
        if (!push(std::move(chunk)))
            return;
    }
    auto ended = std::make_unique<Chunk>();
    ended->kind = Chunk::Kind::Ended;
    ended->file = index;
    ended->endError = source->endError();
    ended->bytesRead = source->bytesRead();
    push(std::move(ended));
}

bool ImportPipeline::push(std::unique_ptr<Chunk> chunk)
{
    const bool toPrepare = chunk->kind == Chunk::Kind::Records;
    if (toPrepare)
        chunk->text.append(kPadding, '\0'); // every text in it may be parsed in place
    std::unique_lock lock(m_mutex);
    // One chunk may always be in flight, however large (a line of 16 MB).
    m_readerWait.wait(
        lock, [this] { return m_stopping || m_inFlight.empty() || (m_inFlight.size() < kMaxChunks && m_bytes < kMaxBytes); });
    if (m_stopping)
        return false;
    chunk->seq = m_nextSeq++;
    m_bytes += chunk->text.size();
    Chunk *raw = chunk.get();
    m_inFlight.emplace(raw->seq, Slot{std::move(chunk), !toPrepare});
    if (toPrepare) {
        m_todo.push_back(raw);
        m_workerWait.notify_one();
    } else if (raw->seq == m_nextOut) {
        m_writerWait.notify_one();
    }
    return true;
}

void ImportPipeline::work(int index)
{
    RecordPreparer preparer(m_filters.scrubber(index), m_filters.filter(index), m_known);
    std::string json, raw;
    for (;;) {
        Chunk *chunk = nullptr;
        {
            std::unique_lock lock(m_mutex);
            m_workerWait.wait(lock, [this] { return m_stopping || !m_todo.empty() || m_readDone; });
            if (m_stopping || m_todo.empty()) {
                m_workerCpu += threadCpuSeconds();
                return;
            }
            chunk = m_todo.front();
            m_todo.pop_front();
        }
        for (ChunkItem &it : chunk->items) {
            if (it.skip || !it.error.isEmpty() || m_halt.load())
                continue;
            const std::string_view text(chunk->text.data() + it.textAt, it.textLen);
            if (it.message) {
                const std::string_view from(chunk->text.data() + it.fromAt, it.fromLen);
                it.error = convertMailMessage(text, from, it.number, json, raw);
                if (it.error.isEmpty())
                    preparer.prepare(json, false, raw, it.prepared);
            } else {
                preparer.prepare(text, true, std::string_view(chunk->text.data() + it.rawAt, it.rawLen), it.prepared);
            }
        }
        std::lock_guard lock(m_mutex);
        m_inFlight[chunk->seq].ready = true;
        if (chunk->seq == m_nextOut)
            m_writerWait.notify_one();
    }
}

std::unique_ptr<Chunk> ImportPipeline::next()
{
    std::unique_lock lock(m_mutex);
    m_writerWait.wait(lock, [this] {
        const auto it = m_inFlight.find(m_nextOut);
        return m_stopping || (it != m_inFlight.end() && it->second.ready) || (m_readDone && m_inFlight.empty());
    });
    const auto it = m_inFlight.find(m_nextOut);
    if (m_stopping || it == m_inFlight.end() || !it->second.ready)
        return nullptr;
    std::unique_ptr<Chunk> chunk = std::move(it->second.chunk);
    m_inFlight.erase(it);
    ++m_nextOut;
    m_bytes -= chunk->text.size();
    m_readerWait.notify_one();
    return chunk;
}

} // namespace ed
