#pragma once
// MIME through GMime: building the message from a draft, giving an old one a
// new identity for resending, and the CRLF wire form SMTP needs. Headers are
// only ever set through GMime's API (never pasted together), so text from a
// report cannot add a header or a recipient.
#include "send/MailDraft.h"
#include "base/Result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace ed {

struct Mailbox {
    QString name;
    QString address; // addr-spec only: what goes into MAIL FROM / RCPT TO
};

// Parses address entries ("a@b.c", "Name <a@b.c>", several per entry separated
// by commas). Fails, naming the entry, on anything that is not a plain mailbox.
Result<QList<Mailbox>> parseMailboxes(const QStringList &entries);

struct RenderedMessage {
    QByteArray bytes; // the message, LF line ends (as stored and as .eml files hold it)
    QString messageId; // without angle brackets
};

// A draft's addresses, parsed once for both the message and the SMTP
// envelope: the sender (SERVER_EMAIL, exactly one mailbox) and the recipients,
// possibly none (the caller says why that is wrong). The errors name what is
// wrong: "SERVER_EMAIL: ..." or "Recipients: ...".
struct DraftAddresses {
    Mailbox from;
    QList<Mailbox> to;
};
Result<DraftAddresses> parseDraftAddresses(const MailDraft &draft);

// Builds the message with a fresh Message-ID and the current Date, from the
// draft's addresses as parseDraftAddresses gave them (at least one recipient).
Result<RenderedMessage> renderMessage(const MailDraft &draft, const DraftAddresses &addresses);
// The same, parsing the addresses; no recipient is an error.
Result<RenderedMessage> renderMessage(const MailDraft &draft);

// The same message with a new Message-ID and Date (for resending).
Result<RenderedMessage> restampMessage(const QByteArray &message);

// The message with CRLF line ends, as SMTP DATA wants it.
QByteArray toCrlf(const QByteArray &message);

// Header values of a stored message, decoded (for lists and previews).
struct MessageSummary {
    QString subject, from, to, messageId;
};
Result<MessageSummary> summarizeMessage(const QByteArray &message);

} // namespace ed
