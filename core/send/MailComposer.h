#pragma once
// Composes the message Django would have sent for a stored report:
// AdminEmailHandler's (subject "LEVEL (internal IP): message", body the message
// and the text report, the HTML report as an alternative) or, for a 404,
// BrokenLinkEmailsMiddleware's ("Broken [INTERNAL ]link on HOST", Referrer /
// Requested URL / User agent / IP address). Reads only the stored, scrubbed record.
#include "store/Config.h"
#include "send/MailDraft.h"
#include "store/ReportStore.h"

#include <QStringList>

namespace ed {

struct ComposerSettings {
    QString subjectPrefix = QStringLiteral("[Django] "); // EMAIL_SUBJECT_PREFIX
    QString serverEmail = QStringLiteral("root@localhost"); // SERVER_EMAIL
    QStringList internalIps; // INTERNAL_IPS
    QStringList admins; // ADMINS addresses
    QStringList managers; // MANAGERS addresses
    bool includeHtml = true; // ERRORDECK_EMAIL_INCLUDE_HTML

    static ComposerSettings fromConfig(const Config &config);
};

class MailComposer {
public:
    explicit MailComposer(ComposerSettings settings) : m_s(std::move(settings)) { }

    // Admins: AdminEmailHandler's message to ADMINS. Managers: for a 404,
    // BrokenLinkEmailsMiddleware's message, else the same report, to MANAGERS.
    MailDraft compose(const ReportDetail &report, MailAudience audience) const;
    // Like Django's sendtestemail command.
    MailDraft composeTest(const QStringList &to) const;

    // The subjects (public for tests and previews); the bodies are
    // send/DjangoRenderer's.
    QString adminSubject(const Report &report, int level) const;
    QString brokenLinkSubject(const Report &report) const;
    static bool isNotFound(const ReportDetail &report);

private:
    ComposerSettings m_s;
};

// AdminEmailHandler.format_subject: CR and LF written as \r and \n.
QString djangoFormatSubject(QString subject);

} // namespace ed
