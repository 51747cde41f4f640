#pragma once
// What `import` and `watch` share for IMAP mailboxes (imaps://user@host/Folder
// among their paths): the options, the settings they make, the summary lines.
#include "CliContext.h"
#include "imap/MailboxImporter.h"

namespace ed::cli {

void addMailboxOptions(QCommandLineParser &p);
// The settings of one mailbox URL from the options, the database's
// SERVER_EMAIL and EMAIL_SUBJECT_PREFIX, and the password from
// ERRORDECK_IMAP_PASSWORD or else the keychain. An error says what is wrong.
Result<MailboxSettings> mailboxSettings(const QCommandLineParser &p, Database &db, const QString &url);
// The problems on stderr, one line of counts on stdout.
void printMailboxSummary(Context &ctx, const QString &mailbox, const MailboxSummary &s, const QString &prefix = {});

} // namespace ed::cli
