#pragma once
// Where the SMTP password comes from. Core links QtCore only, so the keychain
// (qtkeychain) lives behind this interface: keychain/KeychainPasswords.h implements
// it without widgets, and the desktop app can use the same class. For headless
// use the ERRORDECK_EMAIL_PASSWORD environment variable wins over the keychain.
#include "base/Result.h"

#include <QString>
#include <optional>

namespace ed {

// The keychain entry: service "ErrorDeck", key "smtp:<user>@<host>".
inline constexpr const char *kKeychainService = "ErrorDeck";
inline QString smtpKeychainKey(const QString &user, const QString &host) { return QStringLiteral("smtp:%1@%2").arg(user, host); }
inline constexpr const char *kPasswordEnvVar = "ERRORDECK_EMAIL_PASSWORD";
// IMAP mailboxes (core/imap): key "imap:<user>@<host>", and their own variable.
inline QString imapKeychainKey(const QString &user, const QString &host) { return QStringLiteral("imap:%1@%2").arg(user, host); }
inline constexpr const char *kImapPasswordEnvVar = "ERRORDECK_IMAP_PASSWORD";

class PasswordSource {
public:
    virtual ~PasswordSource() = default;
    // Blocking; may be called on a worker thread. An error says why there is none.
    virtual Result<QString> smtpPassword(const QString &user, const QString &host) const = 0;
};

// ERRORDECK_EMAIL_PASSWORD, when set (even empty: an explicit empty password).
std::optional<QString> passwordFromEnvironment();

} // namespace ed
