#pragma once
// The desktop app's mailboxes (ERRORDECK_MAILBOXES): a JSON list of objects
//   {"url": "imaps://user@host:993/Folder", "ca_file": "", "only_server_email": false,
//    "only_subject_prefix": false, "after": "leave" | "mark-read" | "move", "move_to": "", "idle": true}
// The URL names host, port, security, user and folder (Unicode, as in
// RFC 5092 URLs); the password is never here: it is in the keychain (key
// "imap:<user>@<host>") or ERRORDECK_IMAP_PASSWORD. The two filters are
// switches: the addresses are the database's SERVER_EMAIL and
// EMAIL_SUBJECT_PREFIX when the mailbox is polled, as `import --only-…` does.
#include "imap/MailboxImporter.h"

#include <QJsonArray>
#include <QJsonObject>
#include <vector>

namespace ed {

struct MailboxEntry {
    ImapUrl url;
    QString caFile;
    bool onlyServerEmail = false, onlySubjectPrefix = false;
    AfterImport after = AfterImport::Leave;
    QString moveTo; // with AfterImport::Move
    bool useIdle = true; // IMAP IDLE where the server offers it (absent in older settings: on)

    QJsonObject toJson() const;
    // A clear error naming the mailbox (without a password) and the field.
    static Result<MailboxEntry> fromJson(const QJsonValue &value);
    // What the poller runs: the filters filled from SERVER_EMAIL and EMAIL_SUBJECT_PREFIX.
    MailboxSettings settings(const QString &serverEmail, const QString &subjectPrefix, const QString &password) const;
};

// Every entry that reads; the others each add an error to `problems`.
std::vector<MailboxEntry> mailboxEntries(const QJsonValue &list, QStringList *problems = nullptr);
QJsonArray mailboxesJson(const std::vector<MailboxEntry> &entries);
QString afterImportName(AfterImport after); // "leave", "mark-read", "move"

} // namespace ed
