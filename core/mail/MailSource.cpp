#include "MailSource.h"

namespace ed {

// Replaced by the GMime-based reader of Django's e-mails (issue 3).
Result<std::unique_ptr<RecordSource>> openMailSource(const QString &path)
{
    return Error{QStringLiteral("%1 is an e-mail file; e-mail import is not available in this build").arg(path)};
}

} // namespace ed
