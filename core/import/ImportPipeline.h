#pragma once
// The threads of an import: one reader cuts the files into chunks of whole
// records (lines of v1 files, messages of e-mail files), N workers prepare the
// records of a chunk (model/RecordPreparer: parse, transform, scrub, filter
// verdict, compression; e-mails are converted to v1 first), and the thread
// that owns the database takes the chunks back strictly in the order they were
// read (next()) and stores them. Order within a file is what makes a resume
// offset mean "everything before it is stored".
//
// Memory is bounded: at most kMaxChunks chunks and about kMaxBytes of text
// are read and not yet taken by next(); the reader waits for the writer.
#include "import/WorkerFilters.h"
#include "model/RecordPreparer.h"

#include <QString>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ed {

// A file for the reader, as the importer planned it.
struct PipelineFile {
    QString path;
    bool mail = false; // else v1 JSON Lines
    int64_t offset = 0, line = 0; // v1: where an earlier import stopped
};

struct ChunkItem {
    int64_t number = 0, endOffset = 0;
    bool terminated = true, skip = false;
    QString error; // unusable (from the source, or the e-mail's conversion): rejected
    PreparedRecord prepared; // by a worker, when neither skip nor error
    // Where the item's text lies in Chunk::text.
    size_t textAt = 0, textLen = 0, rawAt = 0, rawLen = 0, fromAt = 0, fromLen = 0;
    bool message = false; // the text is an e-mail still to convert
};

struct Chunk {
    enum class Kind {
        Opened, // the file's first chunk: opened (or openError), where it starts
        Records,
        Ended, // the file's last chunk (none follows an Opened with an error)
    };
    Kind kind = Kind::Records;
    uint64_t seq = 0;
    size_t file = 0; // index in the files given
    QString openError, endError;
    int64_t offset = 0, line = 0; // Opened: where reading starts (0 when a v1 file was replaced)
    bool resumable = false;
    QString unit; // "line" or "message"
    int64_t bytesRead = 0; // of the file on disk, through this chunk
    std::string text; // the items' text, followed by simdjson's padding
    std::vector<ChunkItem> items;
};

class ImportPipeline {
public:
    static constexpr size_t kMaxChunkItems = 256;
    static constexpr size_t kMaxChunkBytes = 1u << 20;
    static constexpr size_t kMaxBytes = 32u << 20;
    static constexpr size_t kMaxChunks = 16;

    // `cancel` stops the reader at once, also inside a long line; `known` is
    // the writer's, read by the workers. With `holdIncomplete`, a v1 file's last
    // line without its newline ends that file unread (a file still being written).
    ImportPipeline(std::vector<PipelineFile> files, const WorkerFilters &filters, const KnownParts &known,
                   const std::atomic<bool> *cancel, bool holdIncomplete);
    ~ImportPipeline(); // join()

    // The next chunk in reading order, prepared; blocks. Null after the last.
    std::unique_ptr<Chunk> next();

    int workers() const { return int(m_workers.size()); }
    // CPU seconds the reader and the workers (together) used; final once joined.
    double readerCpuSeconds() const { return m_readerCpu; }
    double workerCpuSeconds() const { return m_workerCpu; }
    void join(); // stops the threads and waits for them

private:
    void readFiles();
    void readFile(size_t index);
    bool push(std::unique_ptr<Chunk> chunk); // false: stopping
    void work(int index);
    void stop();
    std::atomic<bool> m_halt{false};
    double m_readerCpu = 0, m_workerCpu = 0; // under m_mutex
    bool m_joined = false;

    std::vector<PipelineFile> m_files;
    const WorkerFilters &m_filters;
    const KnownParts &m_known;
    const std::atomic<bool> *m_cancel;
    bool m_hold;

    std::mutex m_mutex;
    std::condition_variable m_readerWait, m_workerWait, m_writerWait;
    struct Slot {
        std::unique_ptr<Chunk> chunk;
        bool ready = false; // prepared
    };
    std::deque<Chunk *> m_todo; // read, waiting for a worker (owned by m_inFlight)
    std::map<uint64_t, Slot> m_inFlight; // read, not yet taken by next(), by seq
    uint64_t m_nextSeq = 0, m_nextOut = 0;
    size_t m_bytes = 0; // text of the chunks in flight
    bool m_readDone = false, m_stopping = false;
    std::thread m_reader;
    std::vector<std::thread> m_workers;
};

} // namespace ed
