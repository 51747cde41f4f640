#pragma once
// E-mailing reports on demand: compose from the store and the settings, send
// through the configured backend, log every attempt, resend from the log.
//
// Two ways to use it:
//  - send()/resend()/sendTest(): blocking, all in one (errordeck-cli).
//  - prepare() on the GUI thread, MailSender::deliver() on a worker thread (no
//    database there), record() back on the GUI thread (ui/dialogs/SendDialog does this).
// Failures to deliver are not Result errors: they come back logged, in
// SendResult::entry (outcome Failed, error naming the server), ready for resend.
// Result errors are for what stops before an attempt (no such report, bad
// recipients, a broken setting).
#include "store/Database.h"
#include "send/MailComposer.h"
#include "send/MailDraft.h"
#include "send/MailSender.h"
#include "send/MimeMessage.h"
#include "send/SendLog.h"

namespace ed {

struct PreparedMail {
    MailDraft draft; // subject, audience, report, issue
    RenderedMessage message; // the MIME bytes, fresh Message-ID
    QString envelopeFrom; // addr-spec
    QStringList envelopeTo; // addr-specs, only from the recipient list
    int64_t resendOf = 0;
};

struct SendResult {
    int64_t logId = 0;
    SendLogEntry entry;
    bool ok() const { return entry.outcome == SendOutcome::Sent; }
    const QString &error() const { return entry.error; }
};

class ReportMailer {
public:
    explicit ReportMailer(Database &db, const PasswordSource *passwords = nullptr) : m_db(db), m_passwords(passwords) { }

    // Console backend output (default: stdout).
    void setConsole(std::function<void(const QByteArray &)> out) { m_console = std::move(out); }

    Result<MailDraft> draftForReport(int64_t reportId, MailAudience audience);
    // An issue is mailed as its latest report.
    Result<MailDraft> draftForIssue(int64_t issueId, MailAudience audience);
    MailDraft draftTest(const QStringList &to);

    Result<PreparedMail> prepare(const MailDraft &draft);
    // The logged message again, with a new Message-ID and Date, to the same recipients.
    Result<PreparedMail> prepareResend(int64_t logId);
    // The sender for the current settings; deliver() may run on any thread.
    Result<MailSender> sender();
    Result<SendResult> record(const PreparedMail &mail, const MailSender &sender, const Delivery &delivery);

    Result<SendResult> send(const MailDraft &draft, SendControl *control = nullptr);
    Result<SendResult> resend(int64_t logId, SendControl *control = nullptr);
    // The last logged message of a report, sent again.
    Result<SendResult> resendLatestOfReport(int64_t reportId, SendControl *control = nullptr);
    // "Send test e-mail" (settings dialog, `errordeck-cli test-email`): to `to`, else ADMINS.
    Result<SendResult> sendTest(const QStringList &to, SendControl *control = nullptr);

    SendLog log() { return SendLog(m_db); }
    Database &database() { return m_db; }

private:
    Result<SendResult> deliverAndRecord(const PreparedMail &mail, SendControl *control);

    Database &m_db;
    const PasswordSource *m_passwords;
    std::function<void(const QByteArray &)> m_console;
};

} // namespace ed
