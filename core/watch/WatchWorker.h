#pragma once
// The thread-side half of FolderWatcher: looks at the folders, decides which
// files changed, and imports them. Lives in FolderWatcher's QThread; see
// FolderWatcher.h for the rules it follows.
#include "watch/FolderWatcher.h"
#include "watch/RotationFollower.h"

#include <QElapsedTimer>
#include <QFileSystemWatcher>
#include <QMutex>
#include <QSet>
#include <QTimer>
#include <map>
#include <memory>
#include <optional>

namespace ed {

class WatchWorker : public QObject {
    Q_OBJECT
public:
    WatchWorker(QString dbPath, ImportFiltersFactory filters, bool followOutsideLinks = false);
    ~WatchWorker() override;

    // Any thread: stop the import in progress after its batch.
    void cancelRunning();

public Q_SLOTS:
    void begin(const QStringList &folders, int pollMs, int settleMs);
    void setFolders(const QStringList &folders);
    void setPollInterval(int ms);
    void setSettleTime(int ms);
    void check();

Q_SIGNALS:
    void imported(const ed::WatchBatch &batch);
    void newIssue(qint64 issueId);
    void regression(qint64 issueId);
    void error(const QString &message);
    void checked();

private:
    struct Look {
        int64_t size = -1;
        qint64 mtimeMs = 0;
        uint64_t inode = 0;
        bool operator==(const Look &) const = default;
    };
    struct Known {
        std::optional<Look> done; // as it was when last imported (or set aside)
        Look last; // as it was at the last look
        qint64 changedAt = 0; // m_clock time the last change was seen
        FileForm form = FileForm::Unknown;
    };

    bool openDatabase();
    void scheduleCheck(int ms);
    void syncWatches(const QStringList &files);
    void report(const QString &message);
    static Look lookAt(const QString &path);

    QString m_dbPath;
    ImportFiltersFactory m_filtersFactory;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<RotationFollower> m_rotation;
    QStringList m_folders;
    int m_settleMs = 1000;
    QFileSystemWatcher *m_fsWatcher = nullptr;
    QTimer *m_poll = nullptr;
    QTimer *m_soon = nullptr; // a check soon after a notification or to let a file settle
    QElapsedTimer m_clock;
    std::map<QString, Known> m_files;
    bool m_followOutsideLinks = false;
    QString m_lastError; // not repeated every poll
    QSet<QString> m_toldFileProblems; // links leaving a folder, FIFOs: said once each
    bool m_checking = false;

    QMutex m_runningMutex;
    Importer *m_running = nullptr;
    std::atomic<bool> m_cancelled{false};
};

} // namespace ed
