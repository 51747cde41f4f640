#pragma once
// One Django e-mail (already through GMime) as one v1 record: an error report
// from AdminEmailHandler, a broken-link mail from BrokenLinkEmailsMiddleware,
// or any other mail as a plain report of its subject and body.
#include "mail/MimeReader.h"
#include "base/Result.h"

#include <string>

namespace ed::mail {

// What the subject of a Django e-mail says.
struct MailSubject {
    std::string prefix; // EMAIL_SUBJECT_PREFIX, e.g. "[Shop] "
    std::string level; // "ERROR", ...; empty when the subject has none
    std::optional<bool> internalIp; // "(internal IP)" / "(EXTERNAL IP)"
    std::string message; // the rest: the log message, flattened to one line
    bool brokenLink = false; // "Broken [INTERNAL ]link on DOMAIN"
    bool internalLink = false;
    std::string domain;
};

MailSubject parseMailSubject(const std::string &subject);

// Writes the v1 record for `mail` into `json` (replacing its content); an Error
// when the message holds nothing usable.
Result<void> mailToV1Record(const MimeMessage &mail, std::string &json);

} // namespace ed::mail
