#pragma once
// One e-mail in the background, through ReportMailer's split API: the message
// is prepared on the GUI thread, MailSender::deliver() (network, keychain)
// runs as a job of the database's JobRunner (no connection), and the attempt
// is recorded in the send log back on the GUI thread. The one copy of this:
// the send dialog, the settings' "Send test e-mail" and the send log's Resend.
#include "jobs/JobRunner.h"
#include "send/ReportMailer.h"

#include <QObject>
#include <memory>

namespace ed {

class MailJob : public QObject {
    Q_OBJECT
public:
    MailJob(ReportMailer &mailer, const QString &dbPath, QObject *parent = nullptr);
    ~MailJob() override; // stops a transfer in progress; its result is dropped

    bool isRunning() const { return m_running; }
    // Starts sending `mail` through `sender`; false (nothing started) while one runs.
    bool start(PreparedMail mail, MailSender sender);
    // Stops the transfer; the attempt is still recorded (as failed) and finished() follows.
    void cancel();
    // What record() answered for the last attempt (the send log entry), once finished.
    const std::optional<Result<SendResult>> &lastResult() const { return m_last; }

Q_SIGNALS:
    // Bytes of the message handed to the server so far.
    void progress(qint64 sent, qint64 total);
    // `ok`: the server accepted the message. `message`: the server's answer, or
    // the error naming the server. `logId`: the send log entry (0 if none).
    void finished(bool ok, const QString &message, qint64 logId);

private:
    ReportMailer &m_mailer;
    std::shared_ptr<JobRunner> m_jobs;
    std::shared_ptr<SendControl> m_control; // of the attempt in flight
    bool m_running = false;
    std::optional<Result<SendResult>> m_last;
};

} // namespace ed
