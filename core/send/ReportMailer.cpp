#include "send/ReportMailer.h"

#include "base/AppLog.h"
#include "store/ReportStore.h"
#include "filters/FilterSet.h"

#include <QDateTime>

namespace ed {

Result<MailDraft> ReportMailer::draftForReport(int64_t reportId, MailAudience audience)
{
    auto report = ReportStore(m_db).loadReport(reportId);
    if (!report)
        return report.failure();
    Config config(m_db);
    return MailComposer(ComposerSettings::fromConfig(config)).compose(*report, audience);
}

Result<MailDraft> ReportMailer::draftForIssue(int64_t issueId, MailAudience audience)
{
    auto latest = ReportStore(m_db).latestReportOfIssue(issueId);
    if (!latest)
        return latest.failure();
    return draftForReport(*latest, audience);
}

MailDraft ReportMailer::draftTest(const QStringList &to)
{
    Config config(m_db);
    return MailComposer(ComposerSettings::fromConfig(config)).composeTest(to);
}

Result<PreparedMail> ReportMailer::prepare(const MailDraft &draft)
{
    auto addresses = parseDraftAddresses(draft);
    if (!addresses)
        return addresses.failure();
    if (addresses->to.isEmpty())
        return Error{draft.audience == MailAudience::Managers
                         ? QStringLiteral("No recipients: MANAGERS is empty (errordeck-cli config set MANAGERS '[[\"Name\", "
                                          "\"addr\"]]') and none were given")
                         : QStringLiteral("No recipients: ADMINS is empty (errordeck-cli config set ADMINS '[[\"Name\", "
                                          "\"addr\"]]') and none were given")};
    auto message = renderMessage(draft, *addresses);
    if (!message)
        return message.failure();
    PreparedMail p;
    p.draft = draft;
    p.message = std::move(*message);
    p.envelopeFrom = addresses->from.address;
    for (const Mailbox &m : addresses->to)
        if (!p.envelopeTo.contains(m.address, Qt::CaseInsensitive))
            p.envelopeTo << m.address;
    return p;
}

Result<PreparedMail> ReportMailer::prepareResend(int64_t logId)
{
    SendLog log(m_db);
    auto entry = log.entry(logId);
    if (!entry)
        return entry.failure();
    auto stored = log.message(logId);
    if (!stored)
        return stored.failure();
    auto message = restampMessage(*stored);
    if (!message)
        return Error{QStringLiteral("send log entry #%1: %2").arg(logId).arg(message.error())};
    PreparedMail p;
    p.draft.audience = entry->audience;
    p.draft.reportId = entry->reportId;
    p.draft.issueId = entry->issueId;
    p.draft.from = entry->sender;
    p.draft.to = entry->recipients;
    p.draft.subject = entry->subject;
    p.draft.alertRule = entry->alertRule;
    p.message = std::move(*message);
    p.envelopeFrom = entry->sender;
    p.envelopeTo = entry->recipients;
    p.resendOf = logId;
    return p;
}

Result<MailSender> ReportMailer::sender()
{
    Config config(m_db);
    auto options = deliveryOptionsFromConfig(config);
    if (!options)
        return options.failure();
    MailSender s(std::move(*options), m_passwords);
    if (m_console)
        s.setConsole(m_console);
    return s;
}

Result<SendResult> ReportMailer::record(const PreparedMail &mail, const MailSender &sender, const Delivery &delivery)
{
    SendLogEntry e;
    e.createdAt = QDateTime::currentMSecsSinceEpoch();
    e.reportId = mail.draft.reportId;
    e.issueId = mail.draft.issueId;
    e.audience = mail.draft.audience;
    e.backend = emailBackendName(sender.options().backend);
    e.destination = delivery.destination.isEmpty() ? sender.describe() : delivery.destination;
    e.sender = mail.envelopeFrom;
    e.recipients = mail.envelopeTo;
    e.subject = mail.draft.subject;
    e.messageId = mail.message.messageId;
    e.outcome = delivery.ok ? SendOutcome::Sent : delivery.cancelled ? SendOutcome::Cancelled : SendOutcome::Failed;
    e.responseCode = delivery.responseCode;
    e.reply = delivery.reply;
    e.error = delivery.error;
    e.transcript = delivery.transcript;
    e.resendOf = mail.resendOf;
    e.messageBytes = mail.message.bytes.size();
    e.alertRule = mail.draft.alertRule;
    // The log keeps nothing the scrubbing rules would mask: when they cannot be
    // read, the attempt is not logged rather than logged unscrubbed.
    auto filters = FilterSet::load(m_db);
    auto id = filters ? SendLog(m_db, filters->get()).add(e, mail.message.bytes) : Result<int64_t>(filters.failure());
    if (!id)
        return Error{QStringLiteral("%1; and it could not be logged: %2")
                         .arg(delivery.ok ? QStringLiteral("The message was sent") : delivery.error, id.error())};
    e.id = *id;
    // Our own log names the attempt, never the report's content.
    if (delivery.ok)
        applog::info(
            QStringLiteral("mail #%1 sent via %2 to %3 recipient(s)").arg(e.id).arg(e.destination).arg(e.recipients.size()));
    else
        applog::warn(QStringLiteral("mail #%1 not sent: %2").arg(e.id).arg(e.error));
    return SendResult{e.id, e};
}

Result<SendResult> ReportMailer::deliverAndRecord(const PreparedMail &mail, SendControl *control)
{
    auto s = sender();
    if (!s)
        return s.failure();
    const Delivery d = s->deliver(mail.envelopeFrom, mail.envelopeTo, mail.message.bytes, control);
    return record(mail, *s, d);
}

Result<SendResult> ReportMailer::send(const MailDraft &draft, SendControl *control)
{
    auto p = prepare(draft);
    if (!p)
        return p.failure();
    return deliverAndRecord(*p, control);
}

Result<SendResult> ReportMailer::resend(int64_t logId, SendControl *control)
{
    auto p = prepareResend(logId);
    if (!p)
        return p.failure();
    return deliverAndRecord(*p, control);
}

Result<SendResult> ReportMailer::resendLatestOfReport(int64_t reportId, SendControl *control)
{
    auto entries = SendLog(m_db).list(1, reportId);
    if (!entries)
        return entries.failure();
    if (entries->empty())
        return Error{QStringLiteral("report #%1 has not been e-mailed yet").arg(reportId)};
    return resend(entries->front().id, control);
}

Result<SendResult> ReportMailer::sendTest(const QStringList &to, SendControl *control) { return send(draftTest(to), control); }

} // namespace ed
