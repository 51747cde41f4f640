#pragma once
// A mailbox named as a URL: imaps://user@host[:port]/Folder (TLS from the
// start, port 993) or imap://user@host[:port]/Folder (port 143, STARTTLS
// required: ErrorDeck never logs in over a plain connection). The URL never
// carries a password: it is what logs, messages and the database show.
#include "base/Result.h"

#include <QString>

namespace ed {

struct ImapUrl {
    enum class Security { Tls, StartTls };
    Security security = Security::Tls;
    QString user, host, folder;
    int port = 993;

    static bool looksLikeImap(const QString &text); // imap:// or imaps://, any case
    // Rejects a password in the URL, a missing user, host or folder, a bad port.
    static Result<ImapUrl> parse(const QString &text);

    // imaps://user@host:993/Folder, the port always written: the key of the
    // mailbox in the database, and how messages name it.
    QString toString() const;
    // "host:port" for messages about the server.
    QString server() const { return QStringLiteral("%1:%2").arg(host).arg(port); }
    // The URL libcurl is given for the server (no folder), ending in '/'.
    QByteArray serverUrl() const;
    // The URL of the folder (its modified UTF-7 name), with its UIDVALIDITY when known (libcurl then
    // refuses to act on a folder whose UIDVALIDITY changed), and a UID.
    QByteArray folderUrl(quint32 uidValidity = 0, quint32 uid = 0) const;
    // A folder name as an IMAP quoted string of its modified UTF-7 name
    // ("Django \"errors\"", "Gr&APYA3w-e").
    static QByteArray quoted(const QString &folder);
};

} // namespace ed
