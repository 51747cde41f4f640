#include "jobs/MailJob.h"

#include "base/ThreadCheck.h"

namespace ed {

MailJob::MailJob(ReportMailer &mailer, const QString &dbPath, QObject *parent)
    : QObject(parent), m_mailer(mailer), m_jobs(JobRunner::forDatabase(dbPath))
{
}

MailJob::~MailJob() { m_jobs->cancelAll(this); } // the token's hook stops the transfer

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
            m_running = false;
            m_control.reset();
            // The send log is still written on the UI thread (ReportMailer, core/send).
            const dbthread::AllowOnUiThread allow("the send log's record of an attempt");
            m_last = m_mailer.record(*prepared, *through, delivery);
            const Result<SendResult> &result = *m_last;
            if (!result)
                Q_EMIT finished(false, result.error(), 0);
            else if (result->ok())
                Q_EMIT finished(true, result->entry.reply.isEmpty() ? tr("OK") : result->entry.reply, result->logId);
            else
                Q_EMIT finished(false, result->entry.error, result->logId);
        });
    return true;
}

void MailJob::cancel()
{
    if (m_control)
        m_control->cancel();
}

} // namespace ed
