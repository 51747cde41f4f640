#pragma once
// A message about to be sent: what the preview shows and the user may edit
// (recipients) before it becomes MIME (MimeMessage.h) and goes out (MailSender.h).
#include "model/MailAudience.h"

#include <QString>
#include <QStringList>
#include <cstdint>

namespace ed {

struct MailDraft {
    MailAudience audience = MailAudience::Admins;
    int64_t reportId = 0; // 0 for a test message
    int64_t issueId = 0; // the report's issue, when known
    QString from; // SERVER_EMAIL: "addr" or "Name <addr>"
    QStringList to; // "addr" or "Name <addr>", one or more per entry
    QString subject; // complete: prefix included, CR and LF escaped as Django does
    QString text; // the text/plain body
    QString html; // the text/html alternative; empty for none
    QString alertRule; // the alert rule that sends it (core/alert): kept in the send log
};

} // namespace ed
