#pragma once
// IMAP IDLE (RFC 2177) as a wake-up for MailboxPoller: a second connection
// that waits in the folder until the server says it changed, so that a new
// message is fetched at once rather than at the next poll. Fetching stays
// with MailboxImporter (ImapSession); this only says "look now".
//
// Why a class of our own: no library we may use does IDLE. libcurl has no
// IDLE command, VMime none, and bookworm's libetpan verifies no certificate
// (MailboxPoller.h). So libcurl does everything up to the login:
// CURLOPT_CONNECT_ONLY on the imap(s):// URL runs libcurl's IMAP connect phase
// (lib/imap.c: greeting, CAPABILITY, STARTTLS on imap://, LOGIN or
// AUTHENTICATE, then IMAP_STOP) with the certificate verified as for
// ImapSession (setImapConnectionOptions), and stops before a transfer. This
// class then speaks only CAPABILITY, EXAMINE (SELECT read-only: this
// connection changes no flag), IDLE and DONE over curl_easy_send/recv.
//
// Blocking, one thread at a time; cancel() from any thread ends a wait within kSliceMs.
#include "imap/ImapSession.h"

#include <QByteArray>
#include <QList>
#include <atomic>
#include <optional>

namespace ed {

class ImapIdle {
public:
    explicit ImapIdle(ImapOptions options);
    ~ImapIdle();
    ImapIdle(const ImapIdle &) = delete;
    ImapIdle &operator=(const ImapIdle &) = delete;

    // Connects, logs in and EXAMINEs the folder. false: the server's
    // CAPABILITY has no IDLE (the mailbox is polled only).
    Result<bool> open();
    // IDLE until the server announces a change of the folder (true: an
    // untagged EXISTS, RECENT or EXPUNGE), or `maxWaitMs` passed (false);
    // then DONE. A dropped connection, a BYE: an error naming the server.
    Result<bool> waitForChange(int maxWaitMs = kMaxIdleMs);
    void cancel() { m_cancel.store(true); }

    // RFC 2177: a client re-issues IDLE at least every 29 minutes, as servers log out idle clients after 30.
    static constexpr int kMaxIdleMs = 29 * 60 * 1000;
    static constexpr int kSliceMs = 200; // how often a wait looks at cancel()
    static constexpr qsizetype kMaxLineBytes = 64 * 1024; // a server's line longer than this is refused

private:
    Result<void> send(const QByteArray &line, const QString &what);
    // The next line without its CRLF; nullopt when `deadlineMs` (of m_clock) passed first.
    Result<std::optional<QByteArray>> readLine(qint64 deadlineMs, const QString &what);
    // Sends `tag command` and reads to its tagged answer, which must be OK;
    // the untagged lines before it land in `untagged`.
    Result<void> command(const QByteArray &command, const QString &what, QList<QByteArray> &untagged);
    QByteArray nextTag();
    qint64 nowMs() const;
    Error dropped(const QString &what, const QString &detail) const;

    ImapOptions m_options;
    void *m_curl = nullptr; // CURL *
    qint64 m_socket = -1; // curl_socket_t
    QByteArray m_buffer; // received, not yet a whole line
    int m_tags = 0;
    bool m_idling = false; // IDLE sent, DONE not yet
    std::atomic<bool> m_cancel{false};
};

// True for an untagged "* n EXISTS", "* n RECENT" or "* n EXPUNGE".
bool isFolderChange(const QByteArray &line);

} // namespace ed
