#pragma once
// Django's error e-mails as a RecordSource: a single message (.eml), an mbox,
// or a file of Django's file-based e-mail backend; each message becomes one v1
// record (see core/mail/ for the parsing).
#include "base/Result.h"
#include "model/RecordSource.h"

#include <memory>

namespace ed {

Result<std::unique_ptr<RecordSource>> openMailSource(const QString &path);

} // namespace ed
