#pragma once
// Polls IMAP mailboxes (MailboxImporter) at an interval, on a thread of its
// own with its own Database connection, as FolderWatcher does for folders
// (see its header for why a thread and not a job). Where the server offers
// IMAP IDLE (and the mailbox's useIdle is on), a thread per mailbox keeps an
// IDLE connection (ImapIdle.h, which says why it is our own): a change of the
// folder makes the mailbox due at once, so a new message is fetched within a
// moment, not at the next poll; the interval polling goes on besides, as the
// fallback. A dropped IDLE connection is made again with the same backoff
// as a failing poll. Not libetpan: Debian bookworm's libetpan-dev (1.9.4,
// built on GnuTLS) does not verify the server's certificate:
// mailstream_ssl_set_server_certicate returns -1, "not implemented", and the
// handshake checks nothing, so mailimap_ssl_connect accepts a self-signed
// certificate for another host name, and LOGIN would send the password over
// that connection. Its -dev package also depends on libcurl4-gnutls-dev, which
// conflicts with our libcurl4-openssl-dev. VMime (0.9.2) has no IDLE.
// A mailbox whose server fails (refused, TLS, login, a dropped connection) is
// tried again with backoff: the interval doubled per failure in a row, up to
// kMaxBackoffMs, and back to the interval once it works. Signals arrive in
// the thread that made the poller.
#include "imap/MailboxImporter.h"

#include <QObject>
#include <QThread>
#include <memory>
#include <vector>

namespace ed {

class MailboxPoller : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxBackoffMs = 15 * 60 * 1000;

    MailboxPoller(QString dbPath, std::vector<MailboxSettings> mailboxes, int intervalMs, QObject *parent = nullptr);
    ~MailboxPoller() override; // stop(0)

    void start();
    // Cancels the poll in progress (libcurl stops at once) and waits up to
    // `waitMs` for the thread; false when it is still busy.
    bool stop(int waitMs);

    // The wait before the next poll after `failures` failures in a row.
    static int backoffMs(int intervalMs, int failures);

Q_SIGNALS:
    // After each poll of a mailbox; `retryInMs` is the wait before the next one.
    void polled(const QString &mailbox, const ed::MailboxSummary &summary, int retryInMs);
    void error(const QString &message); // the database could not be opened
    // The IDLE connection of a mailbox is in place (`idling`), or it is not and
    // `why` says: the server offers no IDLE (polling only), or it failed (made again after `retryInMs`).
    void idleChanged(const QString &mailbox, bool idling, const QString &why, int retryInMs);

private:
    class Worker;
    class Idler;
    QString m_dbPath;
    std::vector<MailboxSettings> m_mailboxes;
    int m_intervalMs;
    QThread m_thread;
    Worker *m_worker = nullptr; // lives in m_thread
    std::vector<std::unique_ptr<Idler>> m_idlers; // one per mailbox with useIdle
};

} // namespace ed
