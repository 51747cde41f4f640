#pragma once
// Watched folders: imports new report files, and lines or e-mails appended to
// files, as they arrive.
//
// Threading: FolderWatcher lives in the thread that creates it (the UI thread)
// and does no file or database work there. It owns a QThread running a worker
// that has its own Database connection (opened from the path, in that thread),
// its own QFileSystemWatcher and poll timer, and runs every import. Signals
// reach FolderWatcher's thread queued, so slots connected to them may touch
// widgets. Other connections to the same database (the UI's) keep reading
// while it writes: SQLite's WAL mode allows that.
//
// Why its own thread and not the app's JobRunner (ui/jobs), the one way the
// app otherwise works off the UI thread: it is a long-lived service with an
// event loop of its own (the file system watcher, the poll and settle timers
// fire in that thread for as long as folders are watched), not a job that
// runs and answers; a job would hold a pool thread, and the one writer, for
// the whole session. It is also core (core/watch), used by `errordeck-cli
// watch` where there is no JobRunner. Its imports write through its own
// connection; SQLite's lock orders them with the JobRunner's writer.
//
// What it reads, and how often:
//  - v1 JSON Lines files (plain or .gz) through ed::Importer, which resumes
//    each file from the offset import_files keeps, so a line is read once. A
//    last line without its newline is held back quietly until it is complete.
//  - Django's e-mails (file-based backend folders, .eml, mbox): read whole
//    again when their size changes (Message-ID makes the read messages
//    duplicates), and only once the size has stayed the same for the settle
//    time, so a message half written is not read.
//  - Rotated files (renamed to .1, a new file in their place) keep their
//    progress under the new name: see RotationFollower.
//  - Change notifications come from QFileSystemWatcher; a poll every interval
//    (2 s by default) compares sizes and times too, because notifications do
//    not arrive on some filesystems (network mounts, some containers).
//  - What is not read: files that are not regular (a FIFO, a device, or a link
//    to one: opened without blocking, then skipped) and, unless allowed, files
//    whose links lead outside the folder; each is said once as a problem.
//  - stop() is honoured within a second: the import stops at the record, line
//    or e-mail it is in, and a wait for another process's lock gives up.
// On start every file in the folders is looked at once (new lines of v1 files
// since the last run are imported; e-mail files are read again and their
// messages counted as duplicates).
#include "import/Importer.h"
#include "import/ImportFilters.h"

#include <QDateTime>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QThread>

namespace ed {

class WatchWorker;

// One import run of the watcher.
struct WatchBatch {
    ImportSummary summary;
    QStringList files; // the files read (absolute paths)
    QStringList rotated; // "old -> new": rotated files that kept their progress
    QStringList skipped; // files first seen in this run that are not reports
    QDateTime at; // when the run ended (UTC)
};

class FolderWatcher : public QObject {
    Q_OBJECT
public:
    // `filters` builds the scrubber and filter for each import run (default:
    // makeImportFilters, the database's configured rules).
    explicit FolderWatcher(const QString &dbPath, ImportFiltersFactory filters = {}, QObject *parent = nullptr);
    ~FolderWatcher() override; // stops

    // May be changed while running; files of folders removed are let be.
    void setFolders(const QStringList &folders);
    QStringList folders() const { return m_folders; }
    void setPollInterval(int ms);
    int pollInterval() const { return m_pollMs; }
    // How long an e-mail file's size must stay the same before it is read.
    void setSettleTime(int ms);
    // Also read files whose links lead outside the watched folders (default off:
    // such links are skipped and said once). Takes effect at the next start().
    void setFollowOutsideLinks(bool on) { m_followOutsideLinks = on; }

    void start();
    // Asks an import in progress to stop after the record it is at (what was
    // read is committed and resumed next time) and waits for the worker: at
    // most `timeoutMs` when given. False when the worker has not finished by
    // then (it is left running: the caller may only end the process).
    bool stop(int timeoutMs = -1);
    bool isRunning() const { return m_thread && m_thread->isRunning(); }
    // Looks at the folders now instead of at the next poll.
    void checkNow();

Q_SIGNALS:
    void imported(const ed::WatchBatch &batch);
    void newIssue(qint64 issueId);
    void regression(qint64 issueId);
    // The database failed or a folder cannot be read; the watcher goes on trying.
    void error(const QString &message);
    // After every look at the folders, also when nothing had changed.
    void checked();

private:
    QString m_dbPath;
    ImportFiltersFactory m_filters;
    QStringList m_folders;
    int m_pollMs = 2000;
    int m_settleMs = 1000;
    bool m_followOutsideLinks = false;
    QThread *m_thread = nullptr;
    QPointer<WatchWorker> m_worker;
};

} // namespace ed

Q_DECLARE_METATYPE(ed::WatchBatch)
