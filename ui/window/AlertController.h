#pragma once
// The alert step while the app is open, as errordeck-cli watch and serve run
// it: an AlertService (a thread with its own connection) evaluates what the
// writers committed and sends the outbox, every kIntervalMs (digests, retries)
// and at once when nudged: after an import, a watched-folder batch, a mailbox
// poll or a receiver batch that stored reports (MainWindow connects them).
// Its lines ("alerts: 1 mails sent", a failure to send) go to the status bar.
// Stopped when the window closes (also for another database) or goes: the stop
// waits for a transfer in progress, which the server may have taken already.
#include <QObject>
#include <QString>
#include <memory>

namespace ed {

class AlertService;
class MainWindow;
class PasswordSource;

class AlertController : public QObject {
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 5000;

    AlertController(MainWindow *window, const PasswordSource *passwords);
    ~AlertController() override;

    bool isRunning() const { return m_service != nullptr; }
    // The last line the step reported (for tests and the status bar).
    const QString &lastLine() const { return m_lastLine; }
    // How often it was nudged (the tests check the controllers' wiring with it).
    int nudges() const { return m_nudges; }

public Q_SLOTS:
    // Reports were stored: the step runs now rather than at the next interval.
    void nudge();
    // Ends the service's thread (idempotent); nothing is nudged after.
    void stop();

Q_SIGNALS:
    // On the UI thread, for each line the step reported.
    void reported(const QString &line);
    // On the UI thread, after each round of the step (evaluate, digests, sends).
    void roundDone();

private:
    MainWindow *m_window;
    std::unique_ptr<AlertService> m_service;
    QString m_lastLine;
    int m_nudges = 0;
};

} // namespace ed
