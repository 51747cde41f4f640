#pragma once
// The SMTP password in the system keychain (Secret Service / KWallet through
// qtkeychain), service "ErrorDeck", key "smtp:<user>@<host>". qtkeychain needs
// only QtCore and D-Bus, so errordeck-cli and the desktop app share this class
// (both link the small `keychain` target). Blocking: each call runs a local event loop,
// so it works on the GUI thread or a worker thread that has no loop of its own.
#include "send/PasswordSource.h"

namespace ed {

class KeychainPasswords final : public PasswordSource {
public:
    // Gives up after `timeoutMs` (a keychain that never answers).
    explicit KeychainPasswords(int timeoutMs = 15000) : m_timeoutMs(timeoutMs) {}

    Result<QString> smtpPassword(const QString &user, const QString &host) const override;

    // For the settings dialog: keep or forget the password of user@host.
    Result<void> store(const QString &user, const QString &host, const QString &password) const;
    Result<void> remove(const QString &user, const QString &host) const;

private:
    int m_timeoutMs;
};

} // namespace ed
