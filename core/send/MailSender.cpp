#include "send/MailSender.h"

#include "send/MimeMessage.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QSysInfo>
#include <QUrl>
#include <cstdio>
#include <cstring>
#include <curl/curl.h>
#include <mutex>

namespace ed {
namespace {

void ensureCurl()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Upload {
    QByteArray data;
    qint64 pos = 0;
};

size_t readCallback(char *buffer, size_t size, size_t nitems, void *userp)
{
    auto *u = static_cast<Upload *>(userp);
    const qint64 n = std::min<qint64>(qint64(size * nitems), u->data.size() - u->pos);
    if (n <= 0)
        return 0;
    std::memcpy(buffer, u->data.constData() + u->pos, size_t(n));
    u->pos += n;
    return size_t(n);
}

// Keeps the SMTP dialogue, without credentials, and remembers which command a
// failing reply answered (to tell a refused recipient from a refused sender).
struct Dialogue {
    QStringList lines;
    QString lastReply;
    QString lastCommand;
    QString failedCommand, failedReply;
    bool nextIsCredentials = false;

    void serverLine(const QString &line)
    {
        if (line.isEmpty())
            return;
        lines << QStringLiteral("S: ") + line;
        lastReply = line;
        if (line.startsWith(QLatin1String("334")))
            nextIsCredentials = true; // AUTH LOGIN and friends: the client answers with secrets
        if ((line.startsWith(u'4') || line.startsWith(u'5')) && failedCommand.isEmpty()) {
            failedCommand = lastCommand;
            failedReply = line;
        }
    }
    void clientLine(const QString &line)
    {
        if (line.isEmpty())
            return;
        QString shown = line;
        if (line.startsWith(QLatin1String("AUTH "), Qt::CaseInsensitive))
            shown = line.section(u' ', 0, 1) + QStringLiteral(" [credentials removed]");
        else if (nextIsCredentials)
            shown = QStringLiteral("[credentials removed]");
        nextIsCredentials = false;
        lastCommand = shown;
        lines << QStringLiteral("C: ") + shown;
    }
};

int debugCallback(CURL *, curl_infotype type, char *data, size_t size, void *userp)
{
    auto *d = static_cast<Dialogue *>(userp);
    if (type != CURLINFO_HEADER_IN && type != CURLINFO_HEADER_OUT && type != CURLINFO_TEXT)
        return 0; // message content stays out of the transcript
    const QString text = QString::fromUtf8(data, qsizetype(size));
    for (const QString &raw : text.split(u'\n')) {
        const QString line = raw.trimmed();
        if (type == CURLINFO_HEADER_IN)
            d->serverLine(line);
        else if (type == CURLINFO_HEADER_OUT)
            d->clientLine(line);
        else if (!line.isEmpty())
            d->lines << QStringLiteral("* ") + line;
    }
    return 0;
}

struct ProgressState {
    SendControl *control = nullptr;
    qint64 total = 0;
};

int progressCallback(void *userp, curl_off_t, curl_off_t, curl_off_t, curl_off_t ulnow)
{
    auto *p = static_cast<ProgressState *>(userp);
    if (!p->control)
        return 0;
    if (p->control->cancelled())
        return 1; // CURLE_ABORTED_BY_CALLBACK
    if (p->control->onProgress)
        p->control->onProgress({ulnow > 0 ? SendProgress::Transferring : SendProgress::Connecting, qint64(ulnow), p->total});
    return 0;
}

QString explain(CURLcode rc, const SmtpOptions &o, const QString &from, const char *errbuf, const Dialogue &d)
{
    const QString where = o.server();
    const QString detail = QString::fromUtf8(*errbuf ? errbuf : curl_easy_strerror(rc));
    const QString reply = d.failedReply.isEmpty() ? d.lastReply : d.failedReply;
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        return QStringLiteral("Could not find the SMTP server %1: the host name '%2' does not resolve (check EMAIL_HOST)")
            .arg(where, o.host);
    case CURLE_COULDNT_CONNECT:
        return QStringLiteral("Could not connect to the SMTP server %1: connection refused or unreachable (%2)")
            .arg(where, detail);
    case CURLE_OPERATION_TIMEDOUT:
        return QStringLiteral("The SMTP server %1 did not answer in time (EMAIL_TIMEOUT is %2 s): %3")
            .arg(where)
            .arg(o.timeoutSeconds)
            .arg(detail);
    case CURLE_PEER_FAILED_VERIFICATION:
        return QStringLiteral("TLS failed with %1: its certificate could not be verified (%2); if it is signed by your own CA, "
                              "set ERRORDECK_EMAIL_CA_FILE")
            .arg(where, detail);
    case CURLE_SSL_CACERT_BADFILE:
        return QStringLiteral("TLS failed with %1: the CA file '%2' (ERRORDECK_EMAIL_CA_FILE) could not be read (%3)")
            .arg(where, o.caFile, detail);
    case CURLE_SSL_CONNECT_ERROR:
        return QStringLiteral("TLS failed with %1: the handshake did not complete (%2)%3")
            .arg(where, detail,
                 o.implicitTls ? QStringLiteral("; does the server speak implicit TLS (EMAIL_USE_SSL) on this port?")
                               : QString());
    case CURLE_USE_SSL_FAILED:
        return QStringLiteral("TLS failed with %1: the server does not offer STARTTLS (EMAIL_USE_TLS is on)").arg(where);
    case CURLE_LOGIN_DENIED:
        return QStringLiteral("The SMTP server %1 refused the login of user '%2': %3")
            .arg(where, o.user, reply.isEmpty() ? detail : reply);
    case CURLE_ABORTED_BY_CALLBACK: return QStringLiteral("Cancelled while sending through %1").arg(where);
    default: break;
    }
    if (d.failedCommand.startsWith(QLatin1String("RCPT"), Qt::CaseInsensitive)) {
        QString rcpt = d.failedCommand.section(u':', 1).trimmed();
        rcpt.remove(u'<').remove(u'>');
        return QStringLiteral("The SMTP server %1 rejected the recipient %2: %3 (nothing was sent)")
            .arg(where, rcpt, d.failedReply);
    }
    if (d.failedCommand.startsWith(QLatin1String("MAIL"), Qt::CaseInsensitive))
        return QStringLiteral("The SMTP server %1 refused the sender %2: %3%4")
            .arg(where, from, d.failedReply,
                 d.failedReply.startsWith(QLatin1String("530")) && o.user.isEmpty()
                     ? QStringLiteral(" (set EMAIL_HOST_USER to log in)")
                     : QString());
    if (d.failedCommand.startsWith(QLatin1String("DATA"), Qt::CaseInsensitive))
        return QStringLiteral("The SMTP server %1 refused the message: %2").arg(where, d.failedReply);
    return QStringLiteral("Sending through the SMTP server %1 failed: %2%3")
        .arg(where, detail, reply.isEmpty() ? QString() : QStringLiteral(" (the server's last reply: %1)").arg(reply));
}

QString urlHost(const QString &host) { return host.contains(u':') && !host.startsWith(u'[') ? u'[' + host + u']' : host; }

} // namespace

std::optional<QString> passwordFromEnvironment()
{
    if (!qEnvironmentVariableIsSet(kPasswordEnvVar))
        return std::nullopt;
    return qEnvironmentVariable(kPasswordEnvVar);
}

std::optional<EmailBackend> parseEmailBackend(const QString &name)
{
    QString n = name.trimmed();
    if (n.contains(u'.')) // django.core.mail.backends.smtp.EmailBackend
        n = n.section(u'.', -2, -2);
    if (n == QLatin1String("smtp"))
        return EmailBackend::Smtp;
    if (n == QLatin1String("file") || n == QLatin1String("filebased"))
        return EmailBackend::File;
    if (n == QLatin1String("console"))
        return EmailBackend::Console;
    return std::nullopt;
}

QString emailBackendName(EmailBackend b)
{
    switch (b) {
    case EmailBackend::Smtp: return QStringLiteral("smtp");
    case EmailBackend::File: return QStringLiteral("file");
    case EmailBackend::Console: return QStringLiteral("console");
    }
    return {};
}

Result<DeliveryOptions> deliveryOptionsFromConfig(const Config &config)
{
    DeliveryOptions o;
    const auto backend = parseEmailBackend(config.string(ConfigKey::EmailBackend));
    if (!backend)
        return Error{
            QStringLiteral("EMAIL_BACKEND '%1' is not smtp, file or console").arg(config.string(ConfigKey::EmailBackend))};
    o.backend = *backend;
    o.smtp.host = config.string(ConfigKey::EmailHost);
    o.smtp.port = config.integer(ConfigKey::EmailPort);
    o.smtp.user = config.string(ConfigKey::EmailHostUser);
    o.smtp.startTls = config.flag(ConfigKey::EmailUseTls);
    o.smtp.implicitTls = config.flag(ConfigKey::EmailUseSsl);
    o.smtp.caFile = config.string(ConfigKey::EmailCaFile);
    const QJsonValue t = config.value(ConfigKey::EmailTimeout);
    o.smtp.timeoutSeconds = t.isDouble() ? t.toDouble() : 0;
    o.filePath = config.string(ConfigKey::EmailFilePath);
    if (o.smtp.startTls && o.smtp.implicitTls)
        return Error{QStringLiteral("EMAIL_USE_TLS and EMAIL_USE_SSL are both on; Django allows only one")};
    if (o.backend == EmailBackend::File && o.filePath.isEmpty())
        return Error{QStringLiteral("the file backend needs EMAIL_FILE_PATH")};
    return o;
}

QString SmtpOptions::cleartextAuthWarning() const
{
    if (user.isEmpty() || startTls || implicitTls)
        return {};
    return QStringLiteral("SMTP AUTH to %1 without TLS: the password of %2 goes over the network in clear; "
                          "set EMAIL_USE_TLS (STARTTLS) or EMAIL_USE_SSL")
        .arg(server(), user);
}

QString MailSender::securityWarning() const
{
    return m_o.backend == EmailBackend::Smtp ? m_o.smtp.cleartextAuthWarning() : QString();
}

QString MailSender::describe() const
{
    switch (m_o.backend) {
    case EmailBackend::Smtp:
        return QStringLiteral("smtp %1%2")
            .arg(m_o.smtp.server(), m_o.smtp.implicitTls ? QStringLiteral(" (TLS)")
                                    : m_o.smtp.startTls  ? QStringLiteral(" (STARTTLS)")
                                                         : QString());
    case EmailBackend::File: return QStringLiteral("file %1").arg(m_o.filePath);
    case EmailBackend::Console: return QStringLiteral("console");
    }
    return {};
}

Delivery MailSender::deliver(const QString &from, const QStringList &to, const QByteArray &message, SendControl *control) const
{
    switch (m_o.backend) {
    case EmailBackend::Smtp: return deliverSmtp(from, to, message, control);
    case EmailBackend::File: return deliverFile(message);
    case EmailBackend::Console: return deliverConsole(message);
    }
    return {};
}

Delivery MailSender::deliverFile(const QByteArray &message) const
{
    Delivery d;
    QDir dir(m_o.filePath);
    if (!dir.mkpath(QStringLiteral("."))) {
        d.error = QStringLiteral("Could not create the folder %1 (EMAIL_FILE_PATH)").arg(m_o.filePath);
        return d;
    }
    // Like Django's filebased backend: a timestamp and a unique part.
    const QString name = QStringLiteral("%1-%2.eml")
                             .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")))
                             .arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'));
    d.destination = dir.absoluteFilePath(name);
    QSaveFile f(d.destination);
    if (!f.open(QIODevice::WriteOnly) || f.write(message) != message.size() || !f.commit()) {
        d.error = QStringLiteral("Could not write %1: %2").arg(d.destination, f.errorString());
        return d;
    }
    d.ok = true;
    d.reply = QStringLiteral("written to %1").arg(d.destination);
    return d;
}

Delivery MailSender::deliverConsole(const QByteArray &message) const
{
    Delivery d;
    d.destination = QStringLiteral("console");
    // Django's console backend: the message, then a line of 79 dashes.
    const QByteArray out = message + (message.endsWith('\n') ? "" : "\n") + QByteArray(79, '-') + '\n';
    if (m_console) {
        m_console(out);
    } else {
        std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
        std::fflush(stdout);
    }
    d.ok = true;
    d.reply = QStringLiteral("printed");
    return d;
}

Delivery MailSender::deliverSmtp(const QString &from, const QStringList &to, const QByteArray &message,
                                 SendControl *control) const
{
    ensureCurl();
    Delivery d;
    SmtpOptions o = m_o.smtp;
    d.destination = o.server();
    d.warning = o.cleartextAuthWarning();
    if (to.isEmpty()) {
        d.error = QStringLiteral("No recipients: nothing was sent to %1").arg(d.destination);
        return d;
    }
    if (!o.user.isEmpty() && o.password.isEmpty()) {
        if (auto env = passwordFromEnvironment()) {
            o.password = *env;
        } else if (m_passwords) {
            auto pw = m_passwords->smtpPassword(o.user, o.host);
            if (!pw) {
                d.error = QStringLiteral("No password for %1 on %2: %3 (store it in the keychain as \"%4\", or set %5)")
                              .arg(o.user, d.destination, pw.error(), smtpKeychainKey(o.user, o.host),
                                   QLatin1String(kPasswordEnvVar));
                return d;
            }
            o.password = *pw;
        } else {
            d.error = QStringLiteral("No password for %1 on %2: set %3 or store it in the keychain")
                          .arg(o.user, d.destination, QLatin1String(kPasswordEnvVar));
            return d;
        }
    }

    CURL *curl = curl_easy_init();
    if (!curl) {
        d.error = QStringLiteral("libcurl could not start a session");
        return d;
    }
    Upload upload{toCrlf(message), 0};
    Dialogue dialogue;
    ProgressState progress{control, upload.data.size()};
    char errbuf[CURL_ERROR_SIZE] = {0};

    // The URL's path is the name curl gives in EHLO.
    const QByteArray helo = QUrl::toPercentEncoding(QSysInfo::machineHostName().isEmpty() ? QStringLiteral("localhost")
                                                                                          : QSysInfo::machineHostName());
    const QByteArray url = QStringLiteral("%1://%2:%3/")
                               .arg(o.implicitTls ? QStringLiteral("smtps") : QStringLiteral("smtp"), urlHost(o.host))
                               .arg(o.port)
                               .toUtf8() +
                           helo;
    curl_slist *rcpts = nullptr;
    for (const QString &r : to)
        rcpts = curl_slist_append(rcpts, (u'<' + r + u'>').toUtf8().constData());
    const QByteArray mailFrom = (u'<' + from + u'>').toUtf8();
    const QByteArray user = o.user.toUtf8(), password = o.password.toUtf8(), caFile = o.caFile.toUtf8();

    curl_easy_setopt(curl, CURLOPT_URL, url.constData());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mailFrom.constData());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpts);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, readCallback);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t(upload.data.size()));
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, debugCallback);
    curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &dialogue);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, progressCallback);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &progress);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (o.startTls)
        curl_easy_setopt(curl, CURLOPT_USE_SSL, long(CURLUSESSL_ALL));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!o.caFile.isEmpty())
        curl_easy_setopt(curl, CURLOPT_CAINFO, caFile.constData());
    if (!o.user.isEmpty()) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, user.constData());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, password.constData());
    }
    if (o.timeoutSeconds > 0) {
        const long ms = long(o.timeoutSeconds * 1000);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, ms);
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, ms);
    }

    if (control && control->onProgress)
        control->onProgress({SendProgress::Connecting, 0, upload.data.size()});
    const CURLcode rc = curl_easy_perform(curl);
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    // Taken before cleanup, whose QUIT would add "221 Bye".
    d.responseCode = code;
    d.reply = rc == CURLE_OK ? dialogue.lastReply : (dialogue.failedReply.isEmpty() ? dialogue.lastReply : dialogue.failedReply);
    d.ok = rc == CURLE_OK;
    d.cancelled = rc == CURLE_ABORTED_BY_CALLBACK;
    if (!d.ok)
        d.error = explain(rc, o, from, errbuf, dialogue);
    curl_easy_cleanup(curl);
    curl_slist_free_all(rcpts);
    d.transcript = dialogue.lines.join(u'\n');
    if (control && control->onProgress)
        control->onProgress({SendProgress::Finished, upload.pos, upload.data.size()});
    return d;
}

} // namespace ed
