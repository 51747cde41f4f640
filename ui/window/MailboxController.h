#pragma once
// The main window's IMAP mailboxes (ERRORDECK_MAILBOXES, Settings ›
// Mailboxes): one MailboxPoller polls them on its own thread while the app
// is open. Passwords come from ERRORDECK_IMAP_PASSWORD, else the keychain
// (read without blocking before the poller starts). A poll that stores
// reports refreshes the lists in place, as a watched folder's batch does
// (WatchController); each mailbox's last outcome (a failure as the importer
// words it, with the server and the message UID, and when it is tried again)
// shows in the status bar's tooltip and in the Settings page's status column.
// MainWindow owns it and only wires it up.
#include "imap/MailboxConfig.h"
#include "jobs/JobRunner.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <memory>

class QLabel;

namespace ed {

class MailboxPoller;
class MainWindow;

class MailboxController : public QObject {
    Q_OBJECT
public:
    static constexpr int kDefaultIntervalMs = 60 * 1000;
    struct Status {
        QString text; // short: "3 new at 10:42", "failing, next try at 10:45"
        QString detail; // the last error or problems, and when the next poll is
        bool failing = false;
    };

    MailboxController(MainWindow *window, std::shared_ptr<JobRunner> jobs);
    ~MailboxController() override; // stops the poller

    // Runs while ERRORDECK_MAILBOXES lists mailboxes (once their passwords are read); null otherwise.
    MailboxPoller *poller() const { return m_poller.get(); }
    QLabel *statusLabel() const { return m_label; }
    // The poll interval (the backoff doubles it per failure); restarts the poller.
    void setIntervalMs(int ms);
    // Follows the settings: starts, re-aims or stops the poller.
    void restart();
    // By mailbox URL (MailboxEntry::url.toString()).
    QHash<QString, Status> statuses() const { return m_status; }

Q_SIGNALS:
    void statusChanged(const QString &url, const QString &text, const QString &detail, bool failing);
    // A poll stored reports (the alert step looks at them).
    void stored(qint64 reports);

private:
    void startPolling(int generation);
    void onPolled(const QString &url, const MailboxSummary &s, int retryInMs);
    void setStatus(const QString &url, const Status &s);
    void updateLabel();

    MainWindow *m_window;
    std::shared_ptr<JobRunner> m_jobs;
    std::unique_ptr<MailboxPoller> m_poller;
    QLabel *m_label = nullptr;
    int m_intervalMs = kDefaultIntervalMs;
    int m_generation = 0; // passwords read for an older restart are dropped
    int m_passwordsPending = 0;
    QJsonArray m_running; // what the poller was started with (entries and filters)
    std::vector<MailboxEntry> m_entries;
    QHash<QString, QString> m_passwords; // by URL, for the mailboxes whose password was found
    QHash<QString, Status> m_status;
};

} // namespace ed
