#include "imap/ImapIdle.h"

#include <QRegularExpression>
#include <algorithm>
#include <chrono>
#include <curl/curl.h>
#include <poll.h>

namespace ed {
namespace {

int cancelCallback(void *userp, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    return static_cast<const std::atomic<bool> *>(userp)->load() ? 1 : 0;
}

bool hasWord(const QByteArray &line, const QByteArray &word)
{
    for (const QByteArray &w : line.split(' '))
        if (w.compare(word, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

} // namespace

bool isFolderChange(const QByteArray &line)
{
    static const QRegularExpression change(QStringLiteral("^\\* \\d+ (EXISTS|RECENT|EXPUNGE)\\b"),
                                           QRegularExpression::CaseInsensitiveOption);
    return change.match(QString::fromLatin1(line)).hasMatch();
}

ImapIdle::ImapIdle(ImapOptions options) : m_options(std::move(options)) { }

ImapIdle::~ImapIdle()
{
    if (!m_curl)
        return;
    auto *curl = static_cast<CURL *>(m_curl);
    // libcurl sends LOGOUT on cleanup and waits for its answer: in IDLE the
    // server takes only DONE, and a stop should not wait for long.
    if (m_idling)
        (void)send("DONE", QStringLiteral("ending IDLE"));
    curl_easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, 2L);
    curl_easy_cleanup(curl);
}

qint64 ImapIdle::nowMs() const
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

QByteArray ImapIdle::nextTag() { return "ed" + QByteArray::number(++m_tags); }

Error ImapIdle::dropped(const QString &what, const QString &detail) const
{
    return Error{
        QStringLiteral("IMAP server %1: the IDLE connection dropped while %2 (%3)").arg(m_options.url.server(), what, detail),
        ErrorKind::Io};
}

Result<bool> ImapIdle::open()
{
    if (m_cancel.load())
        return Error{QStringLiteral("cancelled"), ErrorKind::Interrupted};
    m_curl = curl_easy_init();
    if (!m_curl)
        return Error{QStringLiteral("could not start libcurl")};
    auto *curl = static_cast<CURL *>(m_curl);
    char errbuf[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_URL, m_options.url.serverUrl().constData());
    setImapConnectionOptions(curl, m_options);
    curl_easy_setopt(curl, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, long(m_options.timeoutSeconds));
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, cancelCallback);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &m_cancel);
    const CURLcode rc = curl_easy_perform(curl);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr); // errbuf ends here
    if (rc == CURLE_ABORTED_BY_CALLBACK)
        return Error{QStringLiteral("cancelled"), ErrorKind::Interrupted};
    if (rc != CURLE_OK)
        return imapFailure(m_options, int(rc), QString::fromUtf8(*errbuf ? errbuf : curl_easy_strerror(rc)), {},
                           QStringLiteral("logging in for IDLE"));
    curl_socket_t socket = CURL_SOCKET_BAD;
    if (curl_easy_getinfo(curl, CURLINFO_ACTIVESOCKET, &socket) != CURLE_OK || socket == CURL_SOCKET_BAD)
        return dropped(QStringLiteral("logging in"), QStringLiteral("no socket after the login"));
    m_socket = qint64(socket);

    QList<QByteArray> untagged;
    if (auto r = command("CAPABILITY", QStringLiteral("asking for capabilities"), untagged); !r)
        return r.failure();
    const bool offered = std::any_of(untagged.begin(), untagged.end(),
                                     [](const QByteArray &l) { return l.startsWith("* CAPABILITY ") && hasWord(l, "IDLE"); });
    if (!offered)
        return false;
    untagged.clear();
    if (auto r = command("EXAMINE " + ImapUrl::quoted(m_options.url.folder),
                         QStringLiteral("opening folder '%1'").arg(m_options.url.folder), untagged);
        !r)
        return r.failure();
    return true;
}

Result<void> ImapIdle::send(const QByteArray &line, const QString &what)
{
    auto *curl = static_cast<CURL *>(m_curl);
    const QByteArray bytes = line + "\r\n";
    qsizetype at = 0;
    const qint64 deadline = nowMs() + qint64(m_options.timeoutSeconds) * 1000;
    while (at < bytes.size()) {
        if (m_cancel.load())
            return Error{QStringLiteral("cancelled"), ErrorKind::Interrupted};
        size_t n = 0;
        const CURLcode rc = curl_easy_send(curl, bytes.constData() + at, size_t(bytes.size() - at), &n);
        if (rc == CURLE_AGAIN) {
            if (nowMs() > deadline)
                return dropped(what, QStringLiteral("the server took nothing for %1 s").arg(m_options.timeoutSeconds));
            pollfd p{int(m_socket), POLLOUT, 0};
            ::poll(&p, 1, kSliceMs);
            continue;
        }
        if (rc != CURLE_OK)
            return dropped(what, QString::fromUtf8(curl_easy_strerror(rc)));
        at += qsizetype(n);
    }
    return {};
}

Result<std::optional<QByteArray>> ImapIdle::readLine(qint64 deadlineMs, const QString &what)
{
    auto *curl = static_cast<CURL *>(m_curl);
    for (;;) {
        if (const qsizetype end = m_buffer.indexOf("\r\n"); end >= 0) {
            QByteArray line = m_buffer.left(end);
            m_buffer.remove(0, end + 2);
            return std::optional<QByteArray>(std::move(line));
        }
        if (m_buffer.size() > kMaxLineBytes)
            return Error{QStringLiteral("IMAP server %1 sent a line of over %2 KB while %3")
                             .arg(m_options.url.server())
                             .arg(kMaxLineBytes / 1024)
                             .arg(what),
                         ErrorKind::InvalidInput};
        if (m_cancel.load())
            return Error{QStringLiteral("cancelled"), ErrorKind::Interrupted};
        char chunk[4096];
        size_t n = 0;
        // Read until libcurl has nothing (TLS may hold decrypted bytes the socket no longer shows), then wait.
        const CURLcode rc = curl_easy_recv(curl, chunk, sizeof chunk, &n);
        if (rc == CURLE_OK && n == 0)
            return dropped(what, QStringLiteral("closed by the server"));
        if (rc == CURLE_OK) {
            m_buffer.append(chunk, qsizetype(n));
            continue;
        }
        if (rc != CURLE_AGAIN)
            return dropped(what, QString::fromUtf8(curl_easy_strerror(rc)));
        const qint64 left = deadlineMs - nowMs();
        if (left <= 0)
            return std::optional<QByteArray>();
        pollfd p{int(m_socket), POLLIN, 0};
        ::poll(&p, 1, int(std::min<qint64>(left, kSliceMs)));
    }
}

Result<void> ImapIdle::command(const QByteArray &cmd, const QString &what, QList<QByteArray> &untagged)
{
    const QByteArray tag = nextTag();
    if (auto r = send(tag + ' ' + cmd, what); !r)
        return r;
    const qint64 deadline = nowMs() + qint64(m_options.timeoutSeconds) * 1000;
    for (;;) {
        auto line = readLine(deadline, what);
        if (!line)
            return line.failure();
        if (!*line)
            return Error{QStringLiteral("IMAP server %1 did not answer within %2 s while %3")
                             .arg(m_options.url.server())
                             .arg(m_options.timeoutSeconds)
                             .arg(what),
                         ErrorKind::Io};
        const QByteArray &l = **line;
        if (!l.startsWith(tag + ' ')) {
            untagged << l;
            continue;
        }
        const QByteArray reply = l.mid(tag.size() + 1);
        if (reply.startsWith("OK"))
            return {};
        const QString said = QString::fromUtf8(reply.left(300));
        if (cmd.startsWith("EXAMINE") && reply.startsWith("NO"))
            return Error{QStringLiteral("IMAP server %1: no folder '%2' for user '%3' (the server said: %4)")
                             .arg(m_options.url.server(), m_options.url.folder, m_options.url.user, said),
                         ErrorKind::NotFound};
        return Error{QStringLiteral("IMAP server %1, folder %2: %3 failed (the server said: %4)")
                         .arg(m_options.url.server(), m_options.url.folder, what, said)};
    }
}

Result<bool> ImapIdle::waitForChange(int maxWaitMs)
{
    if (!m_curl || m_socket < 0)
        return Error{QStringLiteral("IMAP IDLE: not connected")};
    const QString what = QStringLiteral("waiting in IDLE");
    const QByteArray tag = nextTag();
    if (auto r = send(tag + " IDLE", what); !r)
        return r.failure();
    m_idling = true;
    bool changed = false, continued = false;
    const qint64 answerBy = nowMs() + qint64(m_options.timeoutSeconds) * 1000;
    const qint64 waitUntil = nowMs() + std::clamp(maxWaitMs, 0, kMaxIdleMs);
    // Until the "+" that says IDLE runs, then until a change or the wait is over
    // ("* OK Still here" and other untagged lines pass).
    while (!changed) {
        auto line = readLine(continued ? waitUntil : answerBy, what);
        if (!line)
            return line.failure();
        if (!*line) {
            if (!continued)
                return Error{QStringLiteral("IMAP server %1 did not start IDLE within %2 s")
                                 .arg(m_options.url.server())
                                 .arg(m_options.timeoutSeconds),
                             ErrorKind::Io};
            break;
        }
        const QByteArray &l = **line;
        if (l.startsWith("+"))
            continued = true;
        else if (l.startsWith(tag + ' ')) // refused (NO, BAD) before the "+"
            return Error{QStringLiteral("IMAP server %1 refused IDLE (the server said: %2)")
                             .arg(m_options.url.server(), QString::fromUtf8(l.mid(tag.size() + 1).left(300)))};
        else if (l.startsWith("* BYE"))
            return dropped(what, QString::fromUtf8(l.left(300)));
        else
            changed = isFolderChange(l);
    }
    if (!continued) { // the change came before the "+": it still comes, then DONE
        for (;;) {
            auto line = readLine(answerBy, what);
            if (!line)
                return line.failure();
            if (!*line || (*line)->startsWith("+"))
                break;
        }
    }
    if (auto r = send("DONE", what); !r)
        return r.failure();
    m_idling = false;
    const qint64 doneBy = nowMs() + qint64(m_options.timeoutSeconds) * 1000;
    for (;;) {
        auto line = readLine(doneBy, what);
        if (!line)
            return line.failure();
        if (!*line)
            return Error{QStringLiteral("IMAP server %1 did not end IDLE within %2 s")
                             .arg(m_options.url.server())
                             .arg(m_options.timeoutSeconds),
                         ErrorKind::Io};
        if ((*line)->startsWith(tag + ' '))
            return changed;
        changed = changed || isFolderChange(**line);
    }
}

} // namespace ed
