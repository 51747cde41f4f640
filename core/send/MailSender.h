#pragma once
// Delivers a composed message like Django's e-mail backends: smtp (libcurl:
// plain, STARTTLS, implicit TLS, AUTH, verified certificates, timeouts), file
// (one .eml per message in EMAIL_FILE_PATH) or console (printed).
// deliver() blocks and touches no database, so the desktop app runs it on a
// worker thread; SendControl lets another thread cancel it and see progress.
#include "store/Config.h"
#include "send/PasswordSource.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <atomic>
#include <functional>

namespace ed {

enum class EmailBackend { Smtp, File, Console };

// "smtp", "file", "console" or Django's dotted names
// (django.core.mail.backends.filebased.EmailBackend, ...).
std::optional<EmailBackend> parseEmailBackend(const QString &name);
QString emailBackendName(EmailBackend b);

struct SmtpOptions {
    QString host = QStringLiteral("localhost");
    int port = 25;
    QString user; // empty: no AUTH
    QString password; // empty with a user: asked of the PasswordSource
    bool startTls = false; // EMAIL_USE_TLS: STARTTLS, required
    bool implicitTls = false; // EMAIL_USE_SSL: smtps://
    QString caFile; // trust this CA file (instead of the system store)
    double timeoutSeconds = 30; // 0: none
    QString server() const { return QStringLiteral("%1:%2").arg(host).arg(port); }
    // With a user and neither STARTTLS nor TLS, AUTH sends the password in
    // clear (Django's backend does the same, silently): the warning to show.
    // Empty when the connection is encrypted or there is no AUTH.
    QString cleartextAuthWarning() const;
};

struct DeliveryOptions {
    EmailBackend backend = EmailBackend::Smtp;
    SmtpOptions smtp;
    QString filePath; // EMAIL_FILE_PATH
};

// From the per-database settings (EMAIL_*).
Result<DeliveryOptions> deliveryOptionsFromConfig(const Config &config);

struct SendProgress {
    enum Stage { Connecting, Transferring, Finished } stage = Connecting;
    qint64 bytesSent = 0, bytesTotal = 0;
};

class SendControl {
public:
    void cancel() { m_cancelled.store(true); }
    bool cancelled() const { return m_cancelled.load(); }
    // Called on the sending thread.
    std::function<void(const SendProgress &)> onProgress;

private:
    std::atomic<bool> m_cancelled{false};
};

struct Delivery {
    bool ok = false;
    bool cancelled = false;
    QString destination; // "host:port", the file written, or "console"
    long responseCode = 0; // the last SMTP reply code
    QString reply; // the server's last reply ("250 2.0.0 Ok: queued as ...")
    QString error; // a clear message naming the server; empty on success
    QString transcript; // the SMTP dialogue without credentials or message content
    QString warning; // SmtpOptions::cleartextAuthWarning() of the attempt, if any
};

class MailSender {
public:
    explicit MailSender(DeliveryOptions options, const PasswordSource *passwords = nullptr)
        : m_o(std::move(options)), m_passwords(passwords)
    {
    }

    // Where console output goes (default: stdout).
    void setConsole(std::function<void(const QByteArray &)> out) { m_console = std::move(out); }

    // `message` has LF line ends (as renderMessage makes it). The envelope comes
    // only from these arguments, never from the message's headers.
    Delivery deliver(const QString &envelopeFrom, const QStringList &envelopeTo, const QByteArray &message,
                     SendControl *control = nullptr) const;

    const DeliveryOptions &options() const { return m_o; }
    // "smtp host:port (STARTTLS)", "file /path", "console": for logs and dialogs.
    QString describe() const;
    // What the user should know before sending: the SMTP password going in clear.
    QString securityWarning() const;

private:
    Delivery deliverSmtp(const QString &from, const QStringList &to, const QByteArray &message, SendControl *control) const;
    Delivery deliverFile(const QByteArray &message) const;
    Delivery deliverConsole(const QByteArray &message) const;

    DeliveryOptions m_o;
    const PasswordSource *m_passwords;
    std::function<void(const QByteArray &)> m_console;
};

} // namespace ed
