#include "controllers/MailJob.h"

#include <QThread>

namespace ed {

MailJob::MailJob(ReportMailer &mailer, QObject *parent) : QObject(parent), m_mailer(mailer) {}

MailJob::~MailJob()
{
    if (m_thread) {
        m_control->cancel();
        m_thread->wait();
        delete m_thread;
    }
}

bool MailJob::start(PreparedMail mail, MailSender sender)
{
    if (m_thread)
        return false;
    m_mail = std::make_unique<PreparedMail>(std::move(mail));
    m_sender = std::make_unique<MailSender>(std::move(sender));
    m_control = std::make_unique<SendControl>();
    m_delivery = std::make_unique<Delivery>();
    // The worker only reads these; they stay until onThreadFinished().
    const PreparedMail *m = m_mail.get();
    const MailSender *s = m_sender.get();
    SendControl *c = m_control.get();
    Delivery *d = m_delivery.get();
    m_thread = QThread::create([m, s, c, d] { *d = s->deliver(m->envelopeFrom, m->envelopeTo, m->message.bytes, c); });
    m_thread->setObjectName(QStringLiteral("errordeck-mail"));
    connect(m_thread, &QThread::finished, this, &MailJob::onThreadFinished);
    m_thread->start();
    return true;
}

void MailJob::cancel()
{
    if (m_control)
        m_control->cancel();
}

void MailJob::onThreadFinished()
{
    m_thread->deleteLater();
    m_thread = nullptr;
    auto result = m_mailer.record(*m_mail, *m_sender, *m_delivery);
    m_mail.reset();
    m_sender.reset();
    m_control.reset();
    m_delivery.reset();
    if (!result) {
        Q_EMIT finished(false, result.error(), 0);
        return;
    }
    if (result->ok())
        Q_EMIT finished(true, result->entry.reply.isEmpty() ? tr("OK") : result->entry.reply, result->logId);
    else
        Q_EMIT finished(false, result->entry.error, result->logId);
}

} // namespace ed
