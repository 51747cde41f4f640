#pragma once
// Imports files and folders into a database: detects each file's form from its
// content, feeds its records through the filter pipeline into the store in
// batches, records how far each file got, and reports progress. The database
// work runs on the caller's thread, the reading and the preparing of records on
// threads of its own (ImportPipeline.h); cancel() may be called from any thread.
#include "store/Database.h"
#include "model/Filter.h"

#include <QString>
#include <QStringList>
#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

namespace ed {

// Special: not a regular file (a FIFO, a device, a socket, a link to one): never read.
enum class FileForm { Unknown, Empty, Binary, V1, Mail, Special };

// Looks at the first bytes of a file; opening it never blocks (see FileAccess.h).
// `error` says why a file could not be read (Unknown) or is not a regular file (Special).
FileForm sniffFileForm(const QString &path, QString *error = nullptr);

// The hash import_files keeps to notice a replaced file: of the file's first
// min(4096, upTo) bytes, where upTo is the offset committed. Hashing no more than
// was read keeps the hash of a small file that grows the same (a watched file).
QByteArray fileHeadHash(const QString &path, int64_t upTo);

struct ImportProblem {
    QString file;
    int64_t line = 0; // 0: about the whole file
    QString reason;
};

struct ImportSummary {
    int files = 0;
    int64_t stored = 0, duplicates = 0, rejected = 0, dropped = 0, hidden = 0;
    int64_t newIssues = 0, regressions = 0;
    std::vector<int64_t> newIssueIds, regressionIds; // the issues behind the two counts
    int64_t resumedLines = 0; // lines an earlier import of the same file had read already
    int64_t bytes = 0;
    double seconds = 0;
    // The threads: how many prepared records, and the CPU time each part took
    // (what bounds an import: the writer alone, or the preparing).
    int workers = 0;
    double readerCpuSeconds = 0, workerCpuSeconds = 0, writerCpuSeconds = 0;
    std::vector<ImportProblem> problems; // rejected lines and file errors, the first kMaxProblems
    int64_t moreProblems = 0; // how many more were not kept
    QStringList skippedFiles; // in folders: files that are not reports
    bool cancelled = false;
    QString fatal; // the database failed: the import stopped

    static constexpr size_t kMaxProblems = 200;
};

struct ImportProgress {
    int filesDone = 0, filesTotal = 0;
    int64_t bytesDone = 0, bytesTotal = 0;
    int64_t reports = 0; // stored so far
    QString currentFile;
    double mbPerSecond = 0;
};

class Importer {
public:
    Importer(Database &db, const Scrubber &scrubber, const RecordFilter &filter);

    // Called at most every `interval` ms and once at the end.
    void setProgressHandler(std::function<void(const ImportProgress &)> handler, int intervalMs = 200)
    {
        m_progress = std::move(handler);
        m_progressIntervalMs = intervalMs;
    }
    void setBatchSize(int records) { m_batchSize = records; }
    // Threads that prepare records (parse, transform, scrub, filter, compress)
    // while one reads and the caller's stores; 0 (the default): one per core.
    // Filters that cannot be copied for other threads get one (WorkerFilters.h).
    void setWorkers(int workers) { m_workers = workers; }
    // Resume from where an earlier import of the same file stopped (default on).
    void setResume(bool on) { m_resume = on; }
    // For files still being written (a watched folder): stop quietly before a last
    // line without its newline instead of rejecting it; the next run reads it from
    // the same offset once it is complete (default off: an import reports it).
    void setHoldIncompleteLastLine(bool on) { m_holdIncomplete = on; }
    void cancel() { m_cancel.store(true); }
    // A large import into a database holding fewer reports than it brings
    // builds most indexes of reports once at its end (ReportWriter::deferIndexes);
    // Always and Never are for tests and benchmarks.
    enum class IndexDeferral { Auto, Always, Never };
    void setIndexDeferral(IndexDeferral d) { m_deferral = d; }
    // What an import of this many bytes is expected to bring, for that choice:
    // a v1 record is 10 to 25 KB, an e-mail 30 to 80 KB (fewer is the safe side).
    static constexpr int64_t kBytesPerV1Report = 16 << 10, kBytesPerMail = 64 << 10;
    // In folders, also read files whose links lead outside the folder (default
    // off: such a link is skipped with a problem naming it).
    void setFollowOutsideLinks(bool on) { m_followOutsideLinks = on; }

    ImportSummary run(const QStringList &paths);

    // Files under the given paths: folders recursively, sorted; no hidden files.
    // A file of a folder that resolves outside it (a link) is left out with a
    // problem, unless `followOutsideLinks`; files named themselves are kept.
    static QStringList expandPaths(const QStringList &paths, std::vector<ImportProblem> &problems,
                                   bool followOutsideLinks = false);

private:
    Database &m_db;
    const Scrubber &m_scrubber;
    const RecordFilter &m_filter;
    std::function<void(const ImportProgress &)> m_progress;
    int m_progressIntervalMs = 200;
    int m_batchSize = 5000;
    int m_workers = 0;
    bool m_resume = true;
    bool m_holdIncomplete = false;
    bool m_followOutsideLinks = false;
    IndexDeferral m_deferral = IndexDeferral::Auto;
    std::atomic<bool> m_cancel{false};
};

} // namespace ed
