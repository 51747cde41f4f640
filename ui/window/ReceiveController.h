#pragma once
// The main window's Sentry endpoint (Settings › Receive from Sentry SDKs,
// ERRORDECK_RECEIVE and ERRORDECK_RECEIVE_LISTEN): while the setting is on, a
// receive::Receiver serves SDKs on its own threads and its ReceiveWriter
// stores on its own, as `errordeck-cli serve` does. Starting and stopping
// them opens and closes a database connection, so it runs in a job (never on
// the UI thread), one change at a time; the state itself is only touched
// there, under a lock. Each stored batch refreshes the lists in place as the
// watched folders' do; a failure to listen (the port in use) shows in the
// status bar and on the settings page, never as a crash.
#include "jobs/JobRunner.h"
#include "store/SiteStore.h"

#include <QObject>
#include <QString>
#include <memory>

class QLabel;

namespace ed {

class MainWindow;
namespace receive {
struct StoredEvent;
}

class ReceiveController : public QObject {
    Q_OBJECT
public:
    ReceiveController(MainWindow *window, std::shared_ptr<JobRunner> jobs);
    ~ReceiveController() override; // stops the receiver, the queued events stored

    // Follows the settings: starts, moves or stops the receiver (in a job).
    void restart();
    // The sites changed (Settings: Add site, Rotate key): the receiver takes their keys.
    void reloadSites();

    bool isReceiving() const { return m_port > 0; }
    QString host() const { return m_host; }
    int port() const { return m_port; } // the bound one (the setting may say 0: any free port)
    QString statusText() const { return m_status; }
    bool statusOk() const { return m_ok; }
    QLabel *statusLabel() const { return m_label; }
    qint64 storedCount() const { return m_stored; }

Q_SIGNALS:
    // After every start, stop or failure (text for people; port 0 when not receiving).
    void statusChanged(const QString &text, bool ok, const QString &host, int port);
    // A batch was committed: `reports` events stored (the lists asked to re-read
    // when any), or only what the SDKs counted (sessions, dropped events).
    void stored(int reports);

private:
    struct Lifecycle; // the receiver and its writer, shared with the jobs
    struct Outcome;
    void onStored(const std::vector<receive::StoredEvent> &batch);
    void present(const Outcome &outcome);

    MainWindow *m_window;
    std::shared_ptr<JobRunner> m_jobs;
    std::shared_ptr<Lifecycle> m_life;
    QLabel *m_label = nullptr;
    QString m_host, m_status;
    int m_port = 0;
    bool m_ok = true;
    qint64 m_stored = 0;
};

} // namespace ed
