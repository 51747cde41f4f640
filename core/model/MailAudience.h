#pragma once
// Who an e-mailed report is for: the send path composes by it, the send log stores it.
#include <QString>
#include <string_view>

namespace ed {

enum class MailAudience {
    Admins, // AdminEmailHandler's report, to ADMINS
    Managers, // BrokenLinkEmailsMiddleware's message for a 404 (else the report), to MANAGERS
    Test, // a test message from the settings dialog or `errordeck-cli test-email`
};

QString audienceName(MailAudience a); // "admins", "managers", "test"
MailAudience audienceFromName(std::string_view name); // Admins for anything unknown

} // namespace ed
