#pragma once
// One IMAP connection to one folder, through libcurl's IMAP (never a
// hand-written client). libcurl logs in on the first request and keeps the
// connection (and the folder it SELECTed) for the next ones. Every failure is
// an Error naming the server, the folder and the message UID where one is
// concerned. Certificates are verified, with an extra CA file when given.
// Blocking; one thread at a time. cancel() may be called from any thread.
#include "base/Result.h"
#include "imap/ImapUrl.h"

#include <QByteArray>
#include <QString>
#include <atomic>
#include <memory>
#include <vector>

namespace ed {

struct ImapOptions {
    ImapUrl url;
    QString password;
    QString caFile; // trusted besides the system's CAs; empty: the system's only
    int timeoutSeconds = 60; // connecting, and the longest silence of the server
};

// What every libcurl connection to the server is given (ImapSession, ImapIdle):
// the login, TLS (STARTTLS required on imap://) with certificate verification
// and the extra CA file, the connect timeout. `curl` is a CURL *.
void setImapConnectionOptions(void *curl, const ImapOptions &options);
// A failed libcurl call (a CURLcode) as a message naming the server: refused,
// TLS, login, timeout, a dropped connection. `reply`: the server's last answer.
Error imapFailure(const ImapOptions &options, int curlCode, const QString &detail, const QString &reply, const QString &what,
                  bool tooLarge = false);

struct FolderStatus {
    quint32 uidValidity = 0, uidNext = 0, messages = 0;
};

class ImapSession {
public:
    explicit ImapSession(ImapOptions options);
    ~ImapSession();
    ImapSession(const ImapSession &) = delete;
    ImapSession &operator=(const ImapSession &) = delete;

    // STATUS of the folder (this logs in on the first call): a missing folder,
    // a refused login or an untrusted certificate fail here.
    Result<FolderStatus> status();
    // UID SEARCH: the UIDs above `lastUid`, ascending. With `unseenOnly`, only
    // those without \Seen.
    Result<std::vector<quint32>> uidsAbove(quint32 uidValidity, quint32 lastUid, bool unseenOnly = false);
    // The whole message. libcurl fetches BODY[], not BODY.PEEK[]: the server
    // sets \Seen, which setSeen(false) takes back when the mailbox is to be left as it was.
    Result<QByteArray> fetch(quint32 uidValidity, quint32 uid);
    Result<void> setSeen(quint32 uidValidity, quint32 uid, bool seen);
    // MOVE when the server offers it, else COPY, \Deleted and EXPUNGE.
    Result<void> moveTo(quint32 uidValidity, quint32 uid, const QString &folder);

    void cancel() { m_cancel.store(true); }
    const ImapOptions &options() const { return m_options; }

    static constexpr qsizetype kMaxMessageBytes = 64 << 20; // as MailSplitter's limit for one e-mail

    struct Exchange; // what libcurl's callbacks fill (ImapSession.cpp)

private:
    // One request: `command` empty for libcurl's own FETCH of `url`; the
    // untagged responses (or the message) land in `out`.
    Result<void> perform(const QByteArray &url, const QByteArray &command, QByteArray &out, const QString &what);
    Result<bool> offersMove();

    ImapOptions m_options;
    void *m_curl = nullptr; // CURL *
    std::unique_ptr<Exchange> m_exchange;
    std::atomic<bool> m_cancel{false};
    int m_move = -1; // -1 unknown, else whether CAPABILITY lists MOVE
};

} // namespace ed
