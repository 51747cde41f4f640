#pragma once
// The alert step and the outbox's sends on a thread of their own, with their
// own connection, for long-running commands (errordeck-cli watch and serve):
// every `intervalMs`, and at once after nudge() (an import committed). The
// imports never wait for it: it reads what they committed, and a slow or
// absent SMTP server holds up only this thread.
#include "alert/AlertClock.h"
#include "send/MailSender.h"
#include "send/PasswordSource.h"

#include <QString>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace ed {

class AlertService {
public:
    AlertService(QString dbPath, AlertClock clock, const PasswordSource *passwords, int intervalMs);
    ~AlertService();

    // Called on the service's thread with a line for people ("2 alert mails
    // queued", "alert mail #3 (...): ...; trying again later").
    void setReporter(std::function<void(const QString &)> report) { m_report = std::move(report); }
    void setConsole(std::function<void(const QByteArray &)> out) { m_console = std::move(out); }
    // Called on the service's thread after each round (the app shows the outbox
    // state again; its tests know the step after an import has run).
    void setRoundDone(std::function<void()> done) { m_roundDone = std::move(done); }

    void start();
    void nudge();
    // Waits for the thread, and for a transfer in progress (at most EMAIL_TIMEOUT):
    // cancelling one the server may have taken would send it twice.
    void stop();
    // One round on the calling thread, with its own connection (tests, `alerts run`).
    // With `stopping`, a wait for another process's write lock ends when it is set.
    static QStringList runOnce(const QString &dbPath, const AlertClock &clock, const PasswordSource *passwords,
                               const std::function<void(const QByteArray &)> &console, SendControl *control = nullptr,
                               const std::atomic<bool> *stopping = nullptr);

private:
    void loop();

    QString m_path;
    AlertClock m_clock;
    const PasswordSource *m_passwords;
    int m_intervalMs;
    std::function<void(const QString &)> m_report;
    std::function<void(const QByteArray &)> m_console;
    std::function<void()> m_roundDone;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false, m_nudged = false;
    std::atomic<bool> m_stopping{false}; // m_stop, for the busy wait that does not hold the mutex
    SendControl m_control; // never cancelled; for a later caller that can tell taken from not
};

} // namespace ed
