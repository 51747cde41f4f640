#include "imap/ImapSession.h"

#include <QRegularExpression>
#include <curl/curl.h>

namespace ed {

// What one request heard from the server: the last response lines (never what
// we sent: LOGIN carries the password), for the error messages.
struct ImapSession::Exchange {
    QByteArray *out = nullptr;
    bool tooLarge = false;
    QString lastLine, lastTagged;
    const std::atomic<bool> *cancel = nullptr;
    int code = 0; // the last CURLcode
};

namespace {

size_t writeCallback(char *data, size_t size, size_t n, void *userp)
{
    auto *x = static_cast<ImapSession::Exchange *>(userp);
    const size_t bytes = size * n;
    if (x->out->size() + qsizetype(bytes) > ImapSession::kMaxMessageBytes) {
        x->tooLarge = true;
        return 0; // CURLE_WRITE_ERROR
    }
    x->out->append(data, qsizetype(bytes));
    return bytes;
}

int debugCallback(CURL *, curl_infotype type, char *data, size_t size, void *userp)
{
    if (type != CURLINFO_HEADER_IN)
        return 0; // neither what we send (the password) nor message content
    auto *x = static_cast<ImapSession::Exchange *>(userp);
    for (const QString &raw : QString::fromUtf8(data, qsizetype(size)).split(u'\n')) {
        const QString line = raw.trimmed().left(300);
        if (line.isEmpty())
            continue;
        x->lastLine = line;
        if (line.startsWith(u'*') || line.startsWith(u'+'))
            continue;
        // Without the tag: "NO [AUTHENTICATIONFAILED] ...". The first NO or BAD
        // is kept: libcurl's LOGOUT after a failure answers OK.
        const QString reply = line.section(u' ', 1);
        if (x->lastTagged.startsWith(QLatin1String("NO")) || x->lastTagged.startsWith(QLatin1String("BAD")))
            continue;
        x->lastTagged = reply;
    }
    return 0;
}

int progressCallback(void *userp, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    const auto *x = static_cast<ImapSession::Exchange *>(userp);
    return x->cancel && x->cancel->load() ? 1 : 0;
}

std::vector<quint32> searchResult(const QByteArray &out)
{
    std::vector<quint32> uids;
    for (const QByteArray &line : out.split('\n')) {
        const QByteArray l = line.trimmed();
        if (!l.startsWith("* SEARCH"))
            continue;
        for (const QByteArray &w : l.mid(8).split(' ')) {
            bool ok = false;
            const quint32 uid = w.toUInt(&ok);
            if (ok && uid > 0)
                uids.push_back(uid);
        }
    }
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    return uids;
}

} // namespace

void setImapConnectionOptions(void *handle, const ImapOptions &options)
{
    auto *curl = static_cast<CURL *>(handle);
    // libcurl copies the strings.
    curl_easy_setopt(curl, CURLOPT_USERNAME, options.url.user.toUtf8().constData());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options.password.toUtf8().constData());
    curl_easy_setopt(curl, CURLOPT_USE_SSL, long(CURLUSESSL_ALL)); // imap://: STARTTLS or nothing
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options.caFile.isEmpty())
        curl_easy_setopt(curl, CURLOPT_CAINFO, options.caFile.toUtf8().constData());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, long(options.timeoutSeconds));
}

Error imapFailure(const ImapOptions &options, int code, const QString &detail, const QString &reply, const QString &what,
                  bool tooLarge)
{
    const ImapUrl &u = options.url;
    const QString server = u.server();
    const QString said = reply.isEmpty() ? detail : QStringLiteral("%1 (the server said: %2)").arg(detail, reply);
    switch (CURLcode(code)) {
    case CURLE_COULDNT_RESOLVE_HOST:
        return Error{QStringLiteral("IMAP server %1: the host name '%2' does not resolve").arg(server, u.host), ErrorKind::Io};
    case CURLE_COULDNT_CONNECT:
        return Error{QStringLiteral("IMAP server %1: could not connect, refused or unreachable (%2)").arg(server, detail),
                     ErrorKind::Io};
    case CURLE_OPERATION_TIMEDOUT:
        return Error{QStringLiteral("IMAP server %1 did not answer within %2 s while %3: %4")
                         .arg(server)
                         .arg(options.timeoutSeconds)
                         .arg(what, detail),
                     ErrorKind::Io};
    case CURLE_PEER_FAILED_VERIFICATION:
        return Error{QStringLiteral("IMAP server %1: TLS refused, its certificate could not be verified (%2); if it is "
                                    "signed by your own CA, give that CA file (--imap-ca-file)")
                         .arg(server, detail)};
    case CURLE_SSL_CACERT_BADFILE:
        return Error{
            QStringLiteral("IMAP server %1: the CA file '%2' could not be read (%3)").arg(server, options.caFile, detail),
            ErrorKind::InvalidInput};
    case CURLE_SSL_CONNECT_ERROR:
        return Error{QStringLiteral("IMAP server %1: the TLS handshake did not complete (%2)%3")
                         .arg(server, detail,
                              u.security == ImapUrl::Security::Tls
                                  ? QStringLiteral("; does it speak TLS from the start on this port (imaps://)?")
                                  : QString())};
    case CURLE_USE_SSL_FAILED:
        return Error{QStringLiteral("IMAP server %1 does not offer STARTTLS; ErrorDeck does not log in without TLS").arg(server)};
    case CURLE_LOGIN_DENIED:
        return Error{QStringLiteral("IMAP server %1 refused the login of user '%2': %3")
                         .arg(server, u.user, reply.isEmpty() ? detail : reply)};
    case CURLE_ABORTED_BY_CALLBACK: return Error{QStringLiteral("cancelled"), ErrorKind::Interrupted};
    case CURLE_WRITE_ERROR:
        if (tooLarge)
            return Error{QStringLiteral("IMAP server %1, folder %2: %3: over the %4 MB limit for one e-mail")
                             .arg(server, u.folder, what)
                             .arg(ImapSession::kMaxMessageBytes >> 20),
                         ErrorKind::InvalidInput};
        break;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
        return Error{QStringLiteral("IMAP server %1: the connection dropped while %2 (%3)").arg(server, what, detail),
                     ErrorKind::Io};
    default: break;
    }
    return Error{QStringLiteral("IMAP server %1, folder %2: %3 failed: %4").arg(server, u.folder, what, said)};
}

ImapSession::ImapSession(ImapOptions options) : m_options(std::move(options)), m_exchange(std::make_unique<Exchange>())
{
    m_exchange->cancel = &m_cancel;
}

ImapSession::~ImapSession()
{
    if (m_curl)
        curl_easy_cleanup(static_cast<CURL *>(m_curl));
}

Result<void> ImapSession::perform(const QByteArray &url, const QByteArray &command, QByteArray &out, const QString &what)
{
    if (m_cancel.load())
        return Error{QStringLiteral("cancelled"), ErrorKind::Interrupted};
    if (!m_curl) {
        m_curl = curl_easy_init();
        if (!m_curl)
            return Error{QStringLiteral("could not start libcurl")};
    }
    auto *curl = static_cast<CURL *>(m_curl);
    char errbuf[CURL_ERROR_SIZE] = {};
    Exchange &x = *m_exchange;
    x.out = &out;
    x.tooLarge = false;
    x.lastLine.clear();
    x.lastTagged.clear();
    // The options are set again for each request: curl_easy_reset keeps the connection.
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url.constData());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, command.isEmpty() ? nullptr : command.constData());
    setImapConnectionOptions(curl, m_options);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, writeCallback);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, debugCallback);
    curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &x);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, progressCallback);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &x);
    // A slow large message is fine; a server silent for the timeout is not.
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, long(m_options.timeoutSeconds));
    const CURLcode rc = curl_easy_perform(curl);
    x.code = int(rc);
    if (rc == CURLE_OK)
        return {};

    const QString detail = QString::fromUtf8(*errbuf ? errbuf : curl_easy_strerror(rc));
    const QString reply = x.lastTagged.isEmpty() ? x.lastLine : x.lastTagged;
    return imapFailure(m_options, int(rc), detail, reply, what, x.tooLarge);
}

Result<FolderStatus> ImapSession::status()
{
    const ImapUrl &u = m_options.url;
    QByteArray out;
    const QByteArray cmd = "STATUS " + ImapUrl::quoted(u.folder) + " (MESSAGES UIDNEXT UIDVALIDITY)";
    if (auto r = perform(u.serverUrl(), cmd, out, QStringLiteral("asking for the folder's status")); !r) {
        // STATUS of a folder that is not there: NO [NONEXISTENT] (RFC 5530), or a NO naming it.
        // (CURLE_QUOTE_ERROR: the command itself failed, not the login before it.)
        const QString reply = m_exchange->lastTagged;
        if (m_exchange->code == CURLE_QUOTE_ERROR && reply.startsWith(QLatin1String("NO"), Qt::CaseInsensitive))
            return Error{QStringLiteral("IMAP server %1: no folder '%2' for user '%3' (the server said: %4)")
                             .arg(u.server(), u.folder, u.user, reply),
                         ErrorKind::NotFound};
        return r.failure();
    }
    static const QRegularExpression item(QStringLiteral("\\b(MESSAGES|UIDNEXT|UIDVALIDITY)\\s+(\\d+)"),
                                         QRegularExpression::CaseInsensitiveOption);
    FolderStatus st;
    bool countGiven = false;
    auto it = item.globalMatch(QString::fromLatin1(out));
    while (it.hasNext()) {
        const auto m = it.next();
        const quint32 v = m.captured(2).toUInt();
        const QString name = m.captured(1).toUpper();
        if (name == QLatin1String("MESSAGES")) {
            st.messages = v;
            countGiven = true;
        }
        else if (name == QLatin1String("UIDNEXT"))
            st.uidNext = v;
        else
            st.uidValidity = v;
    }
    // An empty folder the server has not set up yet: Dovecot answers
    // UIDVALIDITY 0 for it until a session first opens it (seen while the IDLE
    // connection's EXAMINE ran beside a poll). Nothing to read; ask again later.
    if (st.uidValidity == 0 && countGiven && st.messages == 0)
        return st;
    if (st.uidValidity == 0)
        return Error{QStringLiteral("IMAP server %1, folder %2: the STATUS answer has no UIDVALIDITY").arg(u.server(), u.folder)};
    return st;
}

Result<std::vector<quint32>> ImapSession::uidsAbove(quint32 uidValidity, quint32 lastUid, bool unseenOnly)
{
    QByteArray out;
    // "n:*" always holds the last message, also when its UID is below n: filtered below.
    const QByteArray cmd = QByteArray("UID SEARCH ") + (unseenOnly ? "UNSEEN " : "") + "UID " + QByteArray::number(lastUid + 1) +
                           ":*";
    if (auto r = perform(m_options.url.folderUrl(uidValidity), cmd, out, QStringLiteral("searching for new messages")); !r)
        return r.failure();
    std::vector<quint32> uids = searchResult(out);
    uids.erase(std::remove_if(uids.begin(), uids.end(), [lastUid](quint32 u) { return u <= lastUid; }), uids.end());
    return uids;
}

Result<QByteArray> ImapSession::fetch(quint32 uidValidity, quint32 uid)
{
    QByteArray out;
    if (auto r = perform(m_options.url.folderUrl(uidValidity, uid), {}, out, QStringLiteral("fetching message UID %1").arg(uid));
        !r)
        return r.failure();
    return out;
}

Result<void> ImapSession::setSeen(quint32 uidValidity, quint32 uid, bool seen)
{
    QByteArray out;
    const QByteArray cmd = "UID STORE " + QByteArray::number(uid) + (seen ? " +" : " -") + "FLAGS.SILENT (\\Seen)";
    return perform(
        m_options.url.folderUrl(uidValidity), cmd, out,
        QStringLiteral("marking message UID %1 %2").arg(uid).arg(seen ? QStringLiteral("read") : QStringLiteral("unread")));
}

Result<bool> ImapSession::offersMove()
{
    if (m_move < 0) {
        QByteArray out;
        if (auto r = perform(m_options.url.serverUrl(), "CAPABILITY", out, QStringLiteral("asking for capabilities")); !r)
            return r.failure();
        m_move = QString::fromLatin1(out)
                         .split(QRegularExpression(QStringLiteral("\\s+")))
                         .contains(QStringLiteral("MOVE"), Qt::CaseInsensitive)
                     ? 1
                     : 0;
    }
    return m_move == 1;
}

Result<void> ImapSession::moveTo(quint32 uidValidity, quint32 uid, const QString &folder)
{
    const QByteArray url = m_options.url.folderUrl(uidValidity);
    const QByteArray n = QByteArray::number(uid);
    const QString what = QStringLiteral("moving message UID %1 to folder '%2'").arg(uid).arg(folder);
    auto move = offersMove();
    if (!move)
        return move.failure();
    QByteArray out;
    if (*move)
        return perform(url, "UID MOVE " + n + ' ' + ImapUrl::quoted(folder), out, what);
    if (auto r = perform(url, "UID COPY " + n + ' ' + ImapUrl::quoted(folder), out, what); !r)
        return r;
    if (auto r = perform(url, "UID STORE " + n + " +FLAGS.SILENT (\\Deleted)", out, what); !r)
        return r;
    // UID EXPUNGE (UIDPLUS) removes only this message; without it, EXPUNGE.
    if (perform(url, "UID EXPUNGE " + n, out, what))
        return {};
    return perform(url, "EXPUNGE", out, what);
}

} // namespace ed
