#include "import/Importer.h"

#include "base/FileAccess.h"
#include "base/Hash.h"
#include "store/ImportFileStore.h"
#include "store/ReportWriter.h"
#include "import/ImportPipeline.h"
#include "import/WorkerFilters.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QThread>

#include <algorithm>
#include <ctime>

namespace ed {

namespace {

constexpr int kHeadBytes = 4096;

// Binary when over 1 in 32 bytes of the head are control bytes that no text
// has (NUL and the like; tabs, newlines, form feeds, backspace, and ESC and BEL
// of terminal escapes, which logs carry, are text): an image
// or a database has about one in nine, a log with one stray NUL in a line one
// in thousands, and that line alone is rejected.
bool looksBinary(const QByteArray &head)
{
    qsizetype control = 0;
    for (const char ch : head) {
        const uchar c = uchar(ch);
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != '\a' && c != '\b' && c != 0x1b) ||
            c == 0x7f)
            ++control;
    }
    return control * 32 > head.size();
}

bool looksLikeHeaderLine(const QByteArray &line)
{
    // "Name: value" with an RFC 5322 field name.
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return false;
    for (qsizetype i = 0; i < colon; ++i) {
        const char c = line[i];
        if (c <= 32 || c >= 127)
            return false;
    }
    return true;
}

// Seconds since `clock` started, for the summary.
double secondsSince(const QElapsedTimer &clock) { return double(clock.elapsed()) / 1000.0; }

double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

} // namespace

QByteArray fileHeadHash(const QString &path, int64_t upTo)
{
    auto head = readFileHead(path, qsizetype(std::clamp<int64_t>(upTo, 0, kHeadBytes)));
    if (!head)
        return {};
    return toBytes(hash128(std::string_view(head->constData(), size_t(head->size()))));
}

FileForm sniffFileForm(const QString &path, QString *error)
{
    bool special = false;
    auto read = readFileHead(path, kHeadBytes, &special);
    if (!read) {
        if (error)
            *error = read.error();
        return special ? FileForm::Special : FileForm::Unknown;
    }
    QByteArray head = std::move(*read);
    if (head.isEmpty())
        return FileForm::Empty;
    if (head.size() >= 2 && uchar(head[0]) == 0x1f && uchar(head[1]) == 0x8b)
        return FileForm::V1; // gzip: the compressed form of v1 files
    if (head.startsWith("\xEF\xBB\xBF"))
        head.remove(0, 3);
    if (looksBinary(head))
        return FileForm::Binary;
    const QByteArray trimmed = head.trimmed();
    if (trimmed.isEmpty())
        return FileForm::Empty;
    if (trimmed.startsWith('{'))
        return FileForm::V1;
    if (trimmed.startsWith("From "))
        return FileForm::Mail; // mbox
    const QByteArray firstLine = trimmed.left(trimmed.indexOf('\n')).trimmed();
    if (looksLikeHeaderLine(firstLine))
        return FileForm::Mail;
    // JSON Lines whose first lines are damaged: the records further on still count.
    for (const QByteArray &line : trimmed.split('\n'))
        if (line.trimmed().startsWith('{'))
            return FileForm::V1;
    return FileForm::Unknown;
}

Importer::Importer(Database &db, const Scrubber &scrubber, const RecordFilter &filter)
    : m_db(db), m_scrubber(scrubber), m_filter(filter)
{
}

QStringList Importer::expandPaths(const QStringList &paths, std::vector<ImportProblem> &problems, bool followOutsideLinks)
{
    QStringList files;
    for (const QString &p : paths) {
        const QFileInfo info(p);
        if (!info.exists()) {
            problems.push_back({p, 0, QStringLiteral("no such file or folder")});
        } else if (info.isDir()) {
            QStringList inDir;
            const QString folder = info.canonicalFilePath();
            // QDir::System: links to FIFOs and devices are listed too, to be named and skipped.
            QDirIterator it(p, QDir::Files | QDir::System | QDir::NoDotAndDotDot | QDir::Readable, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString f = it.next();
                const QFileInfo fi = it.fileInfo();
                const QString name = fi.fileName();
                if (name.startsWith(QLatin1Char('.')) || name.contains(QLatin1String(".sqlite3")))
                    continue;
                if (fi.isSymLink() && !fi.exists())
                    continue; // a dangling link: nothing to read
                // A link may lead anywhere (another user's file, /proc/self/environ):
                // only what lies inside the folder is read unless allowed.
                if (!followOutsideLinks && !resolvesInside(f, folder)) {
                    problems.push_back({f, 0,
                                        QStringLiteral("a link to %1, outside the folder %2: not read "
                                                       "(links leaving the folder are followed only when allowed)")
                                            .arg(fi.canonicalFilePath(), p)});
                    continue;
                }
                inDir << f;
            }
            std::sort(inDir.begin(), inDir.end());
            files << inDir;
        } else {
            files << p;
        }
    }
    return files;
}

ImportSummary Importer::run(const QStringList &paths)
{
    ImportSummary sum;
    QElapsedTimer clock;
    clock.start();
    m_cancel.store(false);

    const QStringList files = expandPaths(paths, sum.problems, m_followOutsideLinks);
    QSet<QString> explicitFiles;
    for (const QString &p : paths)
        if (QFileInfo(p).isFile())
            explicitFiles.insert(p);

    ImportProgress progress;
    progress.filesTotal = int(files.size());
    for (const QString &f : files)
        progress.bytesTotal += QFileInfo(f).size();
    int64_t bytesBefore = 0; // of the files finished
    QElapsedTimer sinceProgress;
    sinceProgress.start();
    auto report = [&](bool force) {
        if (!m_progress || (!force && sinceProgress.elapsed() < m_progressIntervalMs))
            return;
        sinceProgress.restart();
        const double secs = double(std::max(clock.elapsed(), qint64(1))) / 1000.0;
        progress.mbPerSecond = double(progress.bytesDone) / (1 << 20) / secs;
        progress.reports = sum.stored;
        m_progress(progress);
    };
    auto problem = [&](const QString &file, int64_t line, const QString &reason) {
        if (sum.problems.size() < ImportSummary::kMaxProblems)
            sum.problems.push_back({file, line, reason});
        else
            ++sum.moreProblems;
    };

    // What each file is, and where an earlier import of it stopped: decided
    // here, on the thread of the connection, before the reader starts.
    struct Planned {
        FileForm form = FileForm::Unknown;
        QString error;
        FileProgress fp; // v1: canonical path, size, resume point
    };
    std::vector<Planned> plan(size_t(files.size()));
    std::vector<PipelineFile> toRead;
    int64_t expectedReports = 0;
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString &path = files[i];
        Planned &pl = plan[size_t(i)];
        pl.form = sniffFileForm(path, &pl.error);
        if (pl.form == FileForm::V1) {
            pl.fp.path = QFileInfo(path).canonicalFilePath();
            pl.fp.size = QFileInfo(path).size();
            if (m_resume) {
                // Unreadable progress: the file is read from its start (duplicates are skipped).
                auto stored = ImportFileStore(m_db).find(pl.fp.path);
                if (stored && *stored && fileHeadHash(path, (*stored)->offset) == (*stored)->headHash) {
                    pl.fp.offset = (*stored)->offset;
                    pl.fp.line = (*stored)->line;
                }
            }
            toRead.push_back({path, false, pl.fp.offset, pl.fp.line});
            expectedReports += std::max<int64_t>(0, pl.fp.size - pl.fp.offset) / kBytesPerV1Report;
        } else if (pl.form == FileForm::Mail) {
            toRead.push_back({path, true, 0, 0});
            expectedReports += QFileInfo(path).size() / kBytesPerMail;
        }
    }

    const double writerCpuStart = threadCpuSeconds();
    ReportWriter writer(m_db);
    if (auto r = writer.begin(); !r) {
        sum.fatal = r.error();
        return sum;
    }
    if (m_deferral != IndexDeferral::Never) {
        if (auto r = writer.deferIndexes(expectedReports, m_deferral == IndexDeferral::Always); !r) {
            sum.fatal = r.error();
            return sum;
        }
    }
    const int wanted = m_workers > 0 ? m_workers : std::max(1, QThread::idealThreadCount());
    const WorkerFilters filters = WorkerFilters::make(m_scrubber, m_filter, wanted);
    int inBatch = 0;
    auto commitBatch = [&]() -> bool {
        if (auto c = writer.commit(); !c) {
            sum.fatal = c.error();
            return false;
        }
        if (auto b = writer.begin(); !b) {
            sum.fatal = b.error();
            return false;
        }
        inBatch = 0;
        return true;
    };
    {
        ImportPipeline pipeline(std::move(toRead), filters, writer.knownParts(), &m_cancel, m_holdIncomplete);
        auto fail = [&] {
            if (writer.inTransaction())
                writer.rollback();
            (void)writer.restoreIndexes(); // what earlier batches stored is searched as fast as before
            sum.seconds = secondsSince(clock);
            return sum;
        };
        for (qsizetype fileIndex = 0; fileIndex < files.size(); ++fileIndex) {
            if (m_cancel.load())
                break;
            const QString &path = files[fileIndex];
            Planned &pl = plan[size_t(fileIndex)];
            progress.currentFile = path;
            const bool explicitFile = explicitFiles.contains(path);
            switch (pl.form) {
            case FileForm::Empty:
                if (explicitFile)
                    problem(path, 0, QStringLiteral("empty file, nothing to import"));
                break;
            case FileForm::Binary:
                if (explicitFile)
                    problem(path, 0, QStringLiteral("binary file: neither v1 JSON Lines nor an e-mail"));
                else
                    sum.skippedFiles << path;
                break;
            case FileForm::Special: problem(path, 0, pl.error + QStringLiteral(": skipped")); break;
            case FileForm::Unknown:
                if (!pl.error.isEmpty())
                    problem(path, 0, pl.error);
                else if (explicitFile)
                    problem(path, 0, QStringLiteral("not a report file: neither v1 JSON Lines nor an e-mail"));
                else
                    sum.skippedFiles << path;
                break;
            case FileForm::V1:
            case FileForm::Mail: break;
            }
            std::unique_ptr<Chunk> opened;
            if (pl.form == FileForm::V1 || pl.form == FileForm::Mail) {
                opened = pipeline.next();
                if (!opened)
                    break; // cancelled before the reader got to it
                if (!opened->openError.isEmpty()) {
                    problem(path, 0, opened->openError);
                    opened.reset();
                }
            }
            if (!opened) {
                progress.filesDone++;
                bytesBefore += QFileInfo(path).size();
                progress.bytesDone = bytesBefore;
                continue;
            }
            ++sum.files;
            FileProgress fp = pl.fp;
            fp.offset = opened->offset;
            fp.line = opened->line;
            sum.resumedLines += opened->line;
            const bool resumable = opened->resumable;
            const QString unit = opened->unit;
            auto withHead = [&path](FileProgress p) {
                p.headHash = fileHeadHash(path, p.offset);
                return p;
            };
            int64_t bytesRead = 0;
            QString endError;
            bool stop = false;
            while (!stop) {
                std::unique_ptr<Chunk> chunk = pipeline.next();
                if (!chunk)
                    break; // cancelled
                bytesRead = chunk->bytesRead;
                if (chunk->kind == Chunk::Kind::Ended) {
                    endError = chunk->endError;
                    break;
                }
                std::vector<Hash128> keys;
                keys.reserve(chunk->items.size());
                for (const ChunkItem &item : chunk->items)
                    if (!item.skip && item.error.isEmpty() && item.prepared.error.isEmpty())
                        keys.push_back(item.prepared.rec.dedupKey);
                writer.expect(keys);
                for (const ChunkItem &item : chunk->items) {
                    bool rejectedNow = false;
                    if (item.skip) {
                        if (resumable && item.terminated) {
                            fp.offset = item.endOffset;
                            fp.line = item.number;
                        }
                        continue;
                    }
                    if (!item.error.isEmpty()) {
                        rejectedNow = true;
                        ++sum.rejected;
                        problem(path, item.number, item.error);
                    } else {
                        const IngestResult r = writer.store(item.prepared, path);
                        switch (r.outcome) {
                        case IngestOutcome::Stored:
                            ++sum.stored;
                            sum.hidden += r.hiddenBy.isEmpty() ? 0 : 1;
                            sum.newIssues += r.newIssue ? 1 : 0;
                            sum.regressions += r.regression ? 1 : 0;
                            if (r.newIssue)
                                sum.newIssueIds.push_back(r.issueId);
                            if (r.regression)
                                sum.regressionIds.push_back(r.issueId);
                            break;
                        case IngestOutcome::Duplicate: ++sum.duplicates; break;
                        case IngestOutcome::Dropped: ++sum.dropped; break;
                        case IngestOutcome::Rejected:
                            if (r.fatal) {
                                writer.rollback();
                                sum.fatal = QStringLiteral(
                                                "%1: %2 (the batch in progress was rolled back; earlier batches are stored)")
                                                .arg(m_db.path(), r.reason);
                                return fail();
                            }
                            ++sum.rejected;
                            rejectedNow = true;
                            if (!item.terminated)
                                problem(path, item.number,
                                        QStringLiteral(
                                            "%1; the last %2 has no newline: the file may be cut short or still being written")
                                            .arg(r.reason, unit));
                            else
                                problem(path, item.number, r.reason);
                            break;
                        }
                    }
                    // An unterminated last line that failed may still be completing: resume before it.
                    if (resumable && (item.terminated || !rejectedNow)) {
                        fp.offset = item.endOffset;
                        fp.line = item.number;
                    }
                    if (++inBatch >= m_batchSize || m_cancel.load()) {
                        if (resumable)
                            writer.setFileProgress(withHead(fp));
                        if (!commitBatch())
                            return fail();
                        if (m_cancel.load()) {
                            stop = true;
                            break;
                        }
                    }
                    if ((sum.stored & 255) == 0)
                        report(false);
                }
                progress.bytesDone = bytesBefore + bytesRead;
            }
            if (!endError.isEmpty())
                problem(path, 0, endError);
            if (resumable)
                writer.setFileProgress(withHead(fp));
            sum.bytes += bytesRead;
            bytesBefore += QFileInfo(path).size();
            progress.bytesDone = bytesBefore;
            progress.filesDone++;
            report(false);
        }
        pipeline.join();
        sum.workers = pipeline.workers();
        sum.readerCpuSeconds = pipeline.readerCpuSeconds();
        sum.workerCpuSeconds = pipeline.workerCpuSeconds();
    }
    filters.absorbIntoOriginals();
    if (auto c = writer.commit(); !c)
        sum.fatal = c.error();
    if (auto r = writer.restoreIndexes(); !r && sum.fatal.isEmpty())
        sum.fatal = QStringLiteral("%1: the reports are stored, but building their indexes failed: %2 (the next open "
                                   "builds them)")
                        .arg(m_db.path(), r.error());
    if (sum.stored > 0 && sum.fatal.isEmpty()) {
        // Fresh statistics let the planner pick the time index for "newest 100
        // matching X".
        (void)m_db.refreshQueryStatistics(sum.stored);
    }
    sum.writerCpuSeconds = threadCpuSeconds() - writerCpuStart;
    sum.cancelled = m_cancel.load();
    sum.seconds = secondsSince(clock);
    report(true);
    return sum;
}

} // namespace ed
