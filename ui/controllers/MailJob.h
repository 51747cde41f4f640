#pragma once
// One e-mail in the background, through ReportMailer's split API: the message
// is prepared on the GUI thread, MailSender::deliver() (network, keychain)
// runs on a worker thread, and the attempt is recorded in the send log back on
// the GUI thread. Used by the settings' "Send test e-mail" and the send log's
// Resend (SendDialog has its own, with progress).
#include "send/ReportMailer.h"

#include <QObject>
#include <memory>

class QThread;

namespace ed {

class MailJob : public QObject {
    Q_OBJECT
public:
    explicit MailJob(ReportMailer &mailer, QObject *parent = nullptr);
    ~MailJob() override; // stops a transfer in progress and waits for it

    bool isRunning() const { return m_thread != nullptr; }
    // Starts sending `mail` through `sender`; false (nothing started) while one runs.
    bool start(PreparedMail mail, MailSender sender);
    void cancel();

Q_SIGNALS:
    // `ok`: the server accepted the message. `message`: the server's answer, or
    // the error naming the server. `logId`: the send log entry (0 if none).
    void finished(bool ok, const QString &message, qint64 logId);

private:
    void onThreadFinished();

    ReportMailer &m_mailer;
    std::unique_ptr<PreparedMail> m_mail;
    std::unique_ptr<MailSender> m_sender;
    std::unique_ptr<SendControl> m_control;
    std::unique_ptr<Delivery> m_delivery;
    QThread *m_thread = nullptr;
};

} // namespace ed
