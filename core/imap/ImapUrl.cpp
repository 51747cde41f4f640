#include "imap/ImapUrl.h"

#include "imap/ModifiedUtf7.h"

#include <QUrl>

namespace ed {

bool ImapUrl::looksLikeImap(const QString &text)
{
    return text.startsWith(QLatin1String("imap://"), Qt::CaseInsensitive) ||
           text.startsWith(QLatin1String("imaps://"), Qt::CaseInsensitive);
}

Result<ImapUrl> ImapUrl::parse(const QString &text)
{
    auto bad = [&text](const QString &why) {
        // The text may hold a password: only its scheme and host are repeated.
        const QUrl u(text);
        const QString shown = u.isValid() ? u.toString(QUrl::RemoveUserInfo) : QStringLiteral("the mailbox URL");
        return Error{
            QStringLiteral("%1: %2 (expected imaps://user@host[:port]/Folder or imap://user@host[:port]/Folder)").arg(shown, why),
            ErrorKind::InvalidInput};
    };
    const QUrl u(text, QUrl::StrictMode);
    if (!u.isValid())
        return bad(QStringLiteral("not a valid URL"));
    ImapUrl r;
    const QString scheme = u.scheme().toLower();
    if (scheme == QLatin1String("imaps")) {
        r.security = Security::Tls;
        r.port = 993;
    } else if (scheme == QLatin1String("imap")) {
        r.security = Security::StartTls;
        r.port = 143;
    } else {
        return bad(QStringLiteral("the scheme must be imaps or imap"));
    }
    if (!u.password().isEmpty())
        return bad(QStringLiteral("a password in the URL is refused (it would show in logs and the database); "
                                  "keep it in the keychain or ERRORDECK_IMAP_PASSWORD"));
    r.user = u.userName(QUrl::FullyDecoded);
    r.host = u.host(QUrl::FullyDecoded);
    if (r.host.isEmpty())
        return bad(QStringLiteral("no host"));
    if (r.user.isEmpty())
        return bad(QStringLiteral("no user (user@host)"));
    if (u.port() != -1) {
        if (u.port() < 1 || u.port() > 65535)
            return bad(QStringLiteral("the port must be 1 to 65535"));
        r.port = u.port();
    }
    if (u.hasQuery() || u.hasFragment())
        return bad(QStringLiteral("a query or fragment is not allowed"));
    r.folder = u.path(QUrl::FullyDecoded);
    while (r.folder.startsWith(QLatin1Char('/')))
        r.folder.remove(0, 1);
    while (r.folder.endsWith(QLatin1Char('/')))
        r.folder.chop(1);
    if (r.folder.isEmpty())
        return bad(QStringLiteral("no folder (…/INBOX)"));
    if (r.folder.contains(QLatin1Char(';')) || r.folder.contains(QLatin1Char('\r')) || r.folder.contains(QLatin1Char('\n')) ||
        r.folder.contains(QChar(0)))
        return bad(QStringLiteral("the folder name holds ';' or a control character"));
    return r;
}

QString ImapUrl::toString() const
{
    QUrl u;
    u.setScheme(security == Security::Tls ? QStringLiteral("imaps") : QStringLiteral("imap"));
    u.setUserName(user);
    u.setHost(host);
    u.setPort(port);
    u.setPath(QLatin1Char('/') + folder);
    return u.toString(QUrl::FullyEncoded);
}

QByteArray ImapUrl::serverUrl() const
{
    QUrl u;
    u.setScheme(security == Security::Tls ? QStringLiteral("imaps") : QStringLiteral("imap"));
    u.setHost(host);
    u.setPort(port);
    u.setPath(QStringLiteral("/"));
    return u.toEncoded();
}

QByteArray ImapUrl::folderUrl(quint32 uidValidity, quint32 uid) const
{
    // libcurl sends the mailbox of the URL as it is (percent-decoded): the
    // server's modified UTF-7 name goes in, not the UTF-8 one.
    QByteArray url = serverUrl();
    url += QUrl::toPercentEncoding(QString::fromLatin1(mutf7::encode(folder)), "/");
    if (uidValidity)
        url += ";UIDVALIDITY=" + QByteArray::number(uidValidity);
    if (uid)
        url += "/;UID=" + QByteArray::number(uid);
    return url;
}

QByteArray ImapUrl::quoted(const QString &folder)
{
    QByteArray q = mutf7::encode(folder);
    q.replace('\\', "\\\\").replace('"', "\\\"");
    return '"' + q + '"';
}

} // namespace ed
