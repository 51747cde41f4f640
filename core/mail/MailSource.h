#pragma once
// Django's error e-mails as a RecordSource: a single message (.eml), an mbox,
// or a file of Django's file-based e-mail backend; each message becomes one v1
// record (see core/mail/ for the parsing).
#include "base/Result.h"
#include "model/RecordSource.h"

#include <memory>

namespace ed {

// With `deferConversion`, the source only splits the file: its items carry
// each message whole (SourceItem::message) for convertMailMessage, so that the
// MIME and report parsing can run on several threads while one reads.
Result<std::unique_ptr<RecordSource>> openMailSource(const QString &path, bool deferConversion = false);

// One message of a file as its v1 record and its decoded raw text; else why it
// is unusable ("message N: ..."). Thread-safe.
QString convertMailMessage(std::string_view message, std::string_view fromLine, int64_t number, std::string &json,
                           std::string &raw);

} // namespace ed
