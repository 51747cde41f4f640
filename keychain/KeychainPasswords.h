#pragma once
// The SMTP password in the system keychain (Secret Service / KWallet through
// qtkeychain), service "ErrorDeck", key "smtp:<user>@<host>"; an IMAP
// mailbox's ("imap:<user>@<host>") and a PostgreSQL server's
// ("postgresql:<user>@<host>:<port>", store/DatabaseLocation.h's ServerAccount). qtkeychain needs
// only QtCore and D-Bus, so errordeck-cli and the desktop app share this class
// (both link the small `keychain` target). Every qtkeychain job runs on one
// thread of this class's own (qtkeychain's job queue is not thread-safe); the
// blocking calls wait for it, from any thread, the GUI's included.
#include "send/PasswordSource.h"

#include <functional>

class QObject;

namespace ed {

class KeychainPasswords final : public PasswordSource {
public:
    // Whose password: the SMTP server's ("smtp:user@host") or an IMAP mailbox's ("imap:user@host").
    // A PostgreSQL server's is named by its URL (storeServerPasswordLater).
    enum class Account { Smtp, Imap };

    // Gives up after `timeoutMs` (a keychain that never answers).
    explicit KeychainPasswords(int timeoutMs = 15000) : m_timeoutMs(timeoutMs) { }

    Result<QString> smtpPassword(const QString &user, const QString &host) const override;
    // An IMAP mailbox's password (key "imap:<user>@<host>").
    Result<QString> imapPassword(const QString &user, const QString &host) const;

    // The password of the PostgreSQL account a postgresql:// URL names
    // (ErrorKind::NotFound when none is kept). Blocking, as smtpPassword.
    Result<QString> serverPassword(const QString &url) const;
    // Keeps (an empty one: forgets) the password of that account. Blocking.
    Result<void> storeServerPassword(const QString &url, const QString &password) const;

    // For the settings page, without blocking: `done` runs once on `context`'s
    // thread when the keychain answers, or with a failure ("the system keychain
    // did not answer within N s") once answerTimeoutMs() has passed (a stopped or hung Secret
    // Service: the page says so instead of "reading…" for ever); never once
    // `context` is gone. A failed read is ErrorKind::NotFound when no password
    // is stored; the message is the keychain's own reason.
    static void readLater(const QString &user, const QString &host, QObject *context, std::function<void(Result<QString>)> done,
                          Account account = Account::Smtp);
    // Keeps `password` for user@host; an empty one forgets it (forgetting a
    // password that is not there succeeds).
    static void storeLater(const QString &user, const QString &host, const QString &password, QObject *context,
                           std::function<void(Result<void>)> done, Account account = Account::Smtp);

    // storeLater for the PostgreSQL account a postgresql:// URL names, under
    // ServerAccount::key() as serverPassword, storeServerPassword and
    // `errordeck-cli db-password` have it (the app's "remember").
    static void storeServerPasswordLater(const QString &url, const QString &password, QObject *context,
                                         std::function<void(Result<void>)> done);

    // The bound of readLater and storeLater (15 s; tests set a short one).
    static int answerTimeoutMs();
    static void setAnswerTimeoutMs(int ms);

private:
    int m_timeoutMs;
};

} // namespace ed
