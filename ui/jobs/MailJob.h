#pragma once
// One e-mail in the background, through ReportMailer's split API, all of it
// on the database's JobRunner: compose() prepares the message on a Read job
// (ReportMailer on the job's connection: the report, the settings, the send
// log), MailSender::deliver() (network, keychain) runs as a job without a
// connection, and the attempt is recorded in the send log by a Write job.
// The one copy of this: the send dialog, the settings' "Send test e-mail" and
// the send log's Resend.
#include "jobs/JobRunner.h"
#include "send/ReportMailer.h"

#include <QObject>
#include <functional>
#include <memory>

namespace ed {

// A message ready to go and the sender for the settings it was composed with.
struct MailToSend {
    PreparedMail mail;
    MailSender sender;
};

class MailJob : public QObject {
    Q_OBJECT
public:
    // `passwords` may be null (then only $ERRORDECK_EMAIL_PASSWORD is used).
    MailJob(const QString &dbPath, const PasswordSource *passwords, QObject *parent = nullptr);
    ~MailJob() override; // stops a transfer in progress; its result is dropped

    // Runs `how` on a Read job with a ReportMailer of the job's connection;
    // `done` gets its answer on the UI thread unless `context` is gone (or a
    // newer compose of the same `name` and context replaced it).
    template <typename T>
    void compose(QObject *context, const QString &name, std::function<Result<T>(ReportMailer &)> how,
                 std::function<void(Result<T>)> done)
    {
        m_jobs->run(
            context, {name},
            [how = std::move(how), passwords = m_passwords](JobContext &ctx) -> Result<T> {
                ReportMailer mailer(ctx.db(), passwords);
                return how(mailer);
            },
            std::move(done));
    }
    // The message of `prepare` with the sender of the settings, composed on a Read job.
    void prepare(QObject *context, std::function<Result<PreparedMail>(ReportMailer &)> prepare,
                 std::function<void(Result<MailToSend>)> done);

    bool isRunning() const { return m_running; }
    // Starts sending `mail` through `sender`; false (nothing started) while one runs.
    bool start(PreparedMail mail, MailSender sender);
    bool start(MailToSend send) { return start(std::move(send.mail), std::move(send.sender)); }
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
    void record(std::shared_ptr<const PreparedMail> mail, std::shared_ptr<const MailSender> sender, Delivery delivery);
    void answer(Result<SendResult> result);

    const PasswordSource *m_passwords;
    std::shared_ptr<JobRunner> m_jobs;
    std::shared_ptr<SendControl> m_control; // of the attempt in flight
    bool m_running = false;
    std::optional<Result<SendResult>> m_last;
};

} // namespace ed
