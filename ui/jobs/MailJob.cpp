#include "jobs/MailJob.h"

#include "jobs/JobFailure.h"

#include <QCoreApplication>
#include <QPointer>

namespace ed {

MailJob::MailJob(const QString &dbPath, const PasswordSource *passwords, QObject *parent)
    : QObject(parent), m_passwords(passwords), m_jobs(JobRunner::forDatabase(dbPath))
{
}

MailJob::~MailJob() { m_jobs->cancelAll(this); } // the token's hook stops the transfer

void MailJob::prepare(QObject *context, std::function<Result<PreparedMail>(ReportMailer &)> prepare,
                      std::function<void(Result<MailToSend>)> done)
{
    compose<MailToSend>(
        context, QStringLiteral("prepare mail"),
        [prepare = std::move(prepare)](ReportMailer &mailer) -> Result<MailToSend> {
            auto prepared = prepare(mailer);
            if (!prepared)
                return prepared.failure();
            auto sender = mailer.sender();
            if (!sender)
                return sender.failure();
            return MailToSend{std::move(*prepared), std::move(*sender)};
        },
        std::move(done));
}

bool MailJob::start(PreparedMail mail, MailSender sender)
{
    if (m_running)
        return false;
    m_running = true;
    m_last.reset();
    auto prepared = std::make_shared<const PreparedMail>(std::move(mail));
    auto through = std::make_shared<const MailSender>(std::move(sender));
    auto control = std::make_shared<SendControl>();
    m_control = control;
    m_jobs->run(
        this,
        {QStringLiteral("send"), JobRunner::Access::None, 0, [this](qint64 sent, qint64 total) { Q_EMIT progress(sent, total); }},
        [prepared, through, control](JobContext &ctx) {
            control->onProgress = [&ctx](const SendProgress &p) {
                if (p.stage == SendProgress::Transferring && p.bytesTotal > 0)
                    ctx.progress(qint64(p.bytesSent), qint64(p.bytesTotal));
            };
            ctx.token().setOnCancel([control] { control->cancel(); });
            Delivery delivery = through->deliver(prepared->envelopeFrom, prepared->envelopeTo, prepared->message.bytes,
                                                 control.get());
            ctx.token().clearOnCancel();
            return delivery;
        },
        [this, prepared, through](Delivery delivery) {
            m_control.reset();
            record(prepared, through, std::move(delivery));
        });
    return true;
}

void MailJob::record(std::shared_ptr<const PreparedMail> mail, std::shared_ptr<const MailSender> sender, Delivery delivery)
{
    // The send itself holds no connection (a slow server must not hold up the
    // writer); the send log's entry is one Write job after it. The message is
    // out: its entry is written even when this job (its dialog) is gone before
    // the writer gets to it (behind an import, say), so the job is the
    // application's, and only the answer is this object's.
    QObject *owner = QCoreApplication::instance() ? QCoreApplication::instance() : static_cast<QObject *>(this);
    m_jobs->run(
        owner, {QString(), JobRunner::Access::Write},
        [mail, sender, delivery = std::move(delivery)](JobContext &ctx) {
            return ReportMailer(ctx.db()).record(*mail, *sender, delivery); // no password needed to log
        },
        [self = QPointer<MailJob>(this)](Result<SendResult> result) {
            if (self)
                self->answer(std::move(result));
        });
}

void MailJob::answer(Result<SendResult> recorded)
{
    m_running = false;
    m_last = std::move(recorded);
    const Result<SendResult> &result = *m_last;
    if (!result)
        Q_EMIT finished(false, failureText(result), 0);
    else if (result->ok())
        Q_EMIT finished(true, result->entry.reply.isEmpty() ? tr("OK") : result->entry.reply, result->logId);
    else
        Q_EMIT finished(false, result->entry.error, result->logId);
}

void MailJob::cancel()
{
    if (m_control)
        m_control->cancel();
}

} // namespace ed
