#pragma once
// The main window's watched folders (ERRORDECK_WATCHED_FOLDERS): one
// FolderWatcher imports on its own thread; each batch that stores reports
// refreshes the lists in place (selection and scroll position kept), and a new
// issue or a regression raises a notification (tray message, else the status
// bar; and QApplication::alert). MainWindow owns it and only wires it up.
#include "jobs/JobRunner.h"

#include <QObject>
#include <QStringList>
#include <memory>

class QLabel;
class QSystemTrayIcon;
class QTimer;

namespace ed {

class FolderWatcher;
class MainWindow;
struct WatchBatch;

class WatchController : public QObject {
    Q_OBJECT
public:
    WatchController(MainWindow *window, std::shared_ptr<JobRunner> jobs);
    ~WatchController() override; // stops the watcher

    // Runs while ERRORDECK_WATCHED_FOLDERS names folders; null otherwise.
    FolderWatcher *folderWatcher() const { return m_watcher; }
    QLabel *statusLabel() const { return m_label; }
    // Follows the setting: starts, re-aims or stops the watcher.
    void restart();

Q_SIGNALS:
    // A notification was shown (new issue or regression in a watched folder).
    void notified(const QString &title, const QString &message);
    // A watched-folder batch stored reports (the alert step looks at them).
    void stored(qint64 reports);

private:
    void onImported(const WatchBatch &batch);
    void refreshLive();
    void showNotice();
    void notify(const QString &title, const QString &message);

    MainWindow *m_window;
    std::shared_ptr<JobRunner> m_jobs;
    FolderWatcher *m_watcher = nullptr;
    QLabel *m_label = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    QTimer *m_noticeTimer = nullptr;
    QList<qint64> m_newIssues, m_regressions; // since the last notification
    int m_issueScroll = 0, m_reportScroll = 0; // kept across a live refresh
};

} // namespace ed
