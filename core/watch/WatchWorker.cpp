#include "watch/WatchWorker.h"

#include "base/AppLog.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>
#include <QThread>
#include <algorithm>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

namespace ed {

namespace {

// inotify watches are a per-user resource: the newest files get one, the rest
// are found by the poll (Django's e-mail folder only ever appends to its newest).
constexpr int kMaxWatchedFiles = 500;
// A burst of writes gives one import, a moment after it.
constexpr int kNotificationDelayMs = 150;
// Waiting for a lock held by another process: 10 s in steps short enough to stop.
constexpr int kBusySleepMs = 10;
constexpr int kBusyTries = 1000;

} // namespace

WatchWorker::WatchWorker(QString dbPath, ImportFiltersFactory filters, bool followOutsideLinks)
    : m_dbPath(std::move(dbPath)), m_filtersFactory(std::move(filters)), m_followOutsideLinks(followOutsideLinks)
{
}

WatchWorker::~WatchWorker() = default;

void WatchWorker::cancelRunning()
{
    m_cancelled.store(true);
    QMutexLocker lock(&m_runningMutex);
    if (m_running)
        m_running->cancel();
}

void WatchWorker::begin(const QStringList &folders, int pollMs, int settleMs)
{
    m_clock.start();
    m_folders = folders;
    m_settleMs = settleMs;
    m_fsWatcher = new QFileSystemWatcher(this);
    connect(m_fsWatcher, &QFileSystemWatcher::fileChanged, this, [this] { scheduleCheck(kNotificationDelayMs); });
    connect(m_fsWatcher, &QFileSystemWatcher::directoryChanged, this, [this] { scheduleCheck(kNotificationDelayMs); });
    m_poll = new QTimer(this);
    connect(m_poll, &QTimer::timeout, this, &WatchWorker::check);
    m_poll->start(std::max(pollMs, 50));
    m_soon = new QTimer(this);
    m_soon->setSingleShot(true);
    connect(m_soon, &QTimer::timeout, this, &WatchWorker::check);
    check();
}

void WatchWorker::setFolders(const QStringList &folders)
{
    m_folders = folders;
    scheduleCheck(0);
}

void WatchWorker::setPollInterval(int ms)
{
    if (m_poll)
        m_poll->start(std::max(ms, 50));
}

void WatchWorker::setSettleTime(int ms) { m_settleMs = std::max(ms, 0); }

void WatchWorker::scheduleCheck(int ms)
{
    if (!m_soon)
        return;
    if (!m_soon->isActive() || m_soon->remainingTime() > ms)
        m_soon->start(ms);
}

bool WatchWorker::openDatabase()
{
    if (m_db)
        return true;
    auto db = Database::open(m_dbPath);
    if (!db) {
        report(db.error());
        return false;
    }
    m_db = std::make_unique<Database>(std::move(*db));
    // Waits for another process's write lock as SQLite's busy timeout would
    // (10 s), but gives up at once when asked to stop: a stop is honoured
    // within a second whatever the worker waits for.
    m_db->setBusyWait([this](int tries) {
        if (m_cancelled.load() || tries >= kBusyTries)
            return false;
        QThread::msleep(kBusySleepMs);
        return true;
    });
    m_rotation = std::make_unique<RotationFollower>(*m_db);
    return true;
}

void WatchWorker::report(const QString &message)
{
    // The same failure at every poll is said once, until it goes away.
    if (message == m_lastError)
        return;
    m_lastError = message;
    applog::warn(QStringLiteral("watch: %1").arg(message));
    Q_EMIT error(message);
}

WatchWorker::Look WatchWorker::lookAt(const QString &path)
{
    Look l;
#ifdef Q_OS_UNIX
    struct stat st;
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return l;
    l.size = int64_t(st.st_size);
    l.mtimeMs = qint64(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
    l.inode = uint64_t(st.st_ino);
#else
    const QFileInfo info(path);
    if (!info.exists())
        return l;
    l.size = info.size();
    l.mtimeMs = info.lastModified().toMSecsSinceEpoch();
#endif
    return l;
}

void WatchWorker::syncWatches(const QStringList &files)
{
    QSet<QString> dirs;
    for (const QString &f : m_folders)
        if (QFileInfo(f).isDir())
            dirs.insert(QDir::cleanPath(f));
    for (const QString &f : files)
        dirs.insert(QFileInfo(f).path());
    QStringList newest = files;
    if (newest.size() > kMaxWatchedFiles) {
        std::sort(newest.begin(), newest.end(),
                  [this](const QString &a, const QString &b) { return m_files[a].last.mtimeMs > m_files[b].last.mtimeMs; });
        newest.resize(kMaxWatchedFiles);
    }
    const QSet<QString> wantFiles(newest.begin(), newest.end());

    QStringList drop;
    for (const QString &d : m_fsWatcher->directories())
        if (!dirs.contains(d))
            drop << d;
    for (const QString &f : m_fsWatcher->files())
        if (!wantFiles.contains(f))
            drop << f;
    if (!drop.isEmpty())
        m_fsWatcher->removePaths(drop);
    const QStringList haveDirs = m_fsWatcher->directories(), haveFiles = m_fsWatcher->files();
    QStringList add;
    for (const QString &d : std::as_const(dirs))
        if (!haveDirs.contains(d))
            add << d;
    for (const QString &f : std::as_const(wantFiles))
        if (!haveFiles.contains(f))
            add << f;
    if (!add.isEmpty())
        (void)m_fsWatcher->addPaths(add); // what cannot be watched is still polled
}

void WatchWorker::check()
{
    if (m_checking)
        return;
    m_checking = true;
    struct Done {
        WatchWorker *w;
        ~Done()
        {
            w->m_checking = false;
            Q_EMIT w->checked();
        }
    } done{this};

    if (m_cancelled.load() || !openDatabase())
        return;

    std::vector<ImportProblem> folderProblems;
    const QStringList listing = Importer::expandPaths(m_folders, folderProblems, m_followOutsideLinks);
    // A folder that is gone (unmounted?) is said once; the others go on. A file
    // that is not read (a link leaving its folder, a FIFO) is said once too.
    QStringList folderErrors;
    std::vector<ImportProblem> fileProblems;
    auto tellOnce = [this, &fileProblems](const ImportProblem &p) {
        const QString key = p.file + QLatin1Char('\n') + p.reason;
        if (!m_toldFileProblems.contains(key)) {
            m_toldFileProblems.insert(key);
            fileProblems.push_back(p);
        }
    };
    for (const ImportProblem &p : folderProblems) {
        if (m_folders.contains(p.file))
            folderErrors << QStringLiteral("%1: %2").arg(p.file, p.reason);
        else
            tellOnce(p);
    }
    if (!folderErrors.isEmpty())
        report(folderErrors.join(QStringLiteral("; ")));

    const qint64 now = m_clock.elapsed();
    QStringList v1, mail, skipped;
    std::vector<std::pair<QString, Look>> toMark;
    qint64 settleWait = -1;
    QSet<QString> present;
    for (const QString &path : listing) {
        const Look look = lookAt(path);
        if (look.size < 0)
            continue; // gone since the listing
        present.insert(path);
        Known &k = m_files[path];
        if (!(look == k.last))
            k.changedAt = now;
        k.last = look;
        if (k.done) {
            // E-mail files are read again only when their size changes.
            const bool same = k.form == FileForm::Mail ? k.done->size == look.size && k.done->inode == look.inode
                                                       : *k.done == look;
            if (same)
                continue;
        }
        QString err;
        k.form = sniffFileForm(path, &err);
        switch (k.form) {
        case FileForm::Empty: break; // read once it has something
        case FileForm::Special:
            tellOnce({path, 0, err + QStringLiteral(": skipped")});
            k.done = look; // looked at again when it changes
            break;
        case FileForm::Unknown:
            if (!err.isEmpty())
                break; // unreadable for now: try again
            [[fallthrough]];
        case FileForm::Binary:
            if (!k.done)
                skipped << path;
            k.done = look; // looked at again when it changes
            break;
        case FileForm::V1:
            v1 << path;
            toMark.emplace_back(path, look);
            break;
        case FileForm::Mail: {
            const qint64 quiet = now - k.changedAt;
            if (quiet >= m_settleMs) {
                mail << path;
                toMark.emplace_back(path, look);
            } else {
                const qint64 wait = m_settleMs - quiet;
                settleWait = settleWait < 0 ? wait : std::min(settleWait, wait);
            }
            break;
        }
        }
    }
    for (auto it = m_files.begin(); it != m_files.end();)
        it = present.contains(it->first) ? std::next(it) : m_files.erase(it);
    syncWatches(listing);
    if (settleWait >= 0)
        scheduleCheck(int(settleWait) + 20);

    WatchBatch batch;
    batch.skipped = skipped;
    batch.summary.problems = fileProblems;
    if (!v1.isEmpty() || !mail.isEmpty()) {
        auto filters = m_filtersFactory ? m_filtersFactory(*m_db) : makeImportFilters(*m_db);
        if (!filters) {
            report(filters.error());
            return;
        }
        if (!v1.isEmpty()) {
            auto rotated = m_rotation->adopt(v1);
            if (!rotated) {
                report(rotated.error());
                return;
            }
            batch.rotated = *rotated;
        }
        Importer importer(*m_db, *filters->scrubber, *filters->filter);
        importer.setHoldIncompleteLastLine(true);
        // Importer::run clears a cancel made before it started; this catches it.
        importer.setProgressHandler(
            [this, &importer](const ImportProgress &) {
                if (m_cancelled.load())
                    importer.cancel();
            },
            0);
        {
            QMutexLocker lock(&m_runningMutex);
            if (m_cancelled.load())
                return;
            m_running = &importer;
        }
        batch.files = v1 + mail;
        batch.summary = importer.run(batch.files);
        batch.summary.problems.insert(batch.summary.problems.begin(), fileProblems.begin(), fileProblems.end());
        {
            QMutexLocker lock(&m_runningMutex);
            m_running = nullptr;
        }
        if (!batch.summary.fatal.isEmpty()) {
            report(batch.summary.fatal); // the files are tried again at the next look
            return;
        }
        if (batch.summary.cancelled)
            return;
        for (const auto &[path, look] : toMark) {
            const auto it = m_files.find(path);
            if (it != m_files.end())
                it->second.done = look;
        }
        m_rotation->remember(v1);
    }
    if (folderErrors.isEmpty())
        m_lastError.clear();

    const ImportSummary &s = batch.summary;
    if (s.stored || s.duplicates || s.rejected || s.dropped || !s.problems.empty() || !batch.rotated.isEmpty() ||
        !batch.skipped.isEmpty()) {
        batch.at = QDateTime::currentDateTimeUtc();
        Q_EMIT imported(batch);
        for (int64_t id : s.newIssueIds)
            Q_EMIT newIssue(qint64(id));
        for (int64_t id : s.regressionIds)
            Q_EMIT regression(qint64(id));
    }
}

} // namespace ed
