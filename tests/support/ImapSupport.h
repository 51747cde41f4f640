#pragma once
// A real Dovecot (Debian's dovecot-imapd) for the IMAP tests, started by the
// test on 127.0.0.1 on free ports with a configuration of its own in a
// temporary folder: a self-signed certificate made with openssl, one
// passwd-file user, Maildir storage, '/' between folder levels. imaps:// on one port, imap:// (STARTTLS)
// on another; plain-text login refused without TLS. Stops when it goes out of
// scope. The test's side of the mailbox (APPEND, CREATE, DELETE, flags) goes
// through libcurl too, as a mail client would.
#include "base/Result.h"
#include "imap/MailboxImporter.h"

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <vector>

namespace edtest {

class DovecotServer {
public:
    static constexpr const char *kUser = "errors";
    static constexpr const char *kPassword = "imap-pw-7Qx2";

    struct Options {
        // false: IDLE left out of the CAPABILITY Dovecot announces after the
        // login (its imap_capability setting), as servers without IDLE answer.
        bool idle = true;
    };
    DovecotServer() : DovecotServer(Options{}) { }
    explicit DovecotServer(Options options);
    ~DovecotServer();
    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }

    int imapsPort() const { return m_imapsPort; }
    int imapPort() const { return m_imapPort; }
    QString caFile() const; // the server's self-signed certificate
    QString keyFile() const; // its key (for a test's proxy that speaks TLS as the server)
    // imaps://errors@127.0.0.1:PORT/Folder (imap:// with STARTTLS when `startTls`).
    QString url(const QString &folder, bool startTls = false) const;

    // The test's own IMAP requests.
    ed::Result<void> append(const QString &folder, const QByteArray &message);
    ed::Result<void> create(const QString &folder);
    ed::Result<void> remove(const QString &folder); // DELETE
    ed::Result<std::vector<uint>> search(const QString &folder, const QByteArray &criteria = "ALL"); // UIDs
    ed::Result<void> markAllUnread(const QString &folder);
    QString log() const; // Dovecot's log, for failure messages

    void stop();

private:
    ed::Result<QByteArray> request(const QString &folder, const QByteArray &command, const QByteArray *upload = nullptr);
    QTemporaryDir m_dir;
    QProcess m_proc;
    int m_imapsPort = 0, m_imapPort = 0;
    QString m_error;
};

// tests/support/imap_cutting_proxy.py in front of `server`'s imaps port: the
// first "UID FETCH <uid>" gets `afterBytes` bytes of its answer, then the
// connection is aborted. Stops when it goes out of scope.
class CuttingImapProxy {
public:
    CuttingImapProxy(const DovecotServer &server, uint uid, int afterBytes);
    ~CuttingImapProxy();
    int port() const { return m_port; } // 0 when it did not start
    QString url(const QString &folder) const; // imaps://errors@127.0.0.1:PORT/Folder
    bool hasCut(); // it printed "CUT"

private:
    QProcess m_proc;
    int m_port = 0;
    bool m_cut = false;
};

// What the IMAP tests share: the settings of the mailbox `url` on `server`
// (its password, its certificate as the CA file, a 30 s timeout); one import
// of it, with the database's scrubbing and rules; a summary's problems and
// errors on one line, for failure messages.
ed::MailboxSettings mailboxSettings(const DovecotServer &server, const QString &url);
ed::MailboxSummary importMailbox(ed::Database &db, const ed::MailboxSettings &settings);
QString mailboxProblems(const ed::MailboxSummary &summary);
// A Django-like error e-mail, unique by its Message-ID <imap-LABEL-N@shop.example.com>
// (subject "[Shop] ERROR: LABEL N"); `padding` lines make it long enough to be cut in the middle.
QByteArray imapErrorMail(const QString &label, int n, int padding = 0);

// The corpus's 69 e-mails as single messages with CRLF line ends, as a mail
// server holds them: the 12 .eml files, then the 57 of reports.mbox (split at
// its "From " lines, ">From " unescaped).
std::vector<QByteArray> corpusMessages();

} // namespace edtest
