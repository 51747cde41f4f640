// Sending to a real SMTP server: tests/support/smtp_server.py runs aiosmtpd on
// 127.0.0.1 (plain, STARTTLS, implicit TLS, AUTH PLAIN/LOGIN, a rejecting
// recipient, a server that never answers); what it received is read back with
// Python's email package.
#include "SmtpSupport.h"

#include "send/ReportMailer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QThread>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace ed;

namespace {

const QString kUser = QStringLiteral("alice");
const QString kPassword = QStringLiteral("s3cret-Pa55");

using edtest::SmtpServer;

// Stands in for the system keychain (the interface the app and CLI implement).
class FixedPasswords final : public PasswordSource {
public:
    explicit FixedPasswords(QString pw) : m_pw(std::move(pw)) { }
    Result<QString> smtpPassword(const QString &user, const QString &host) const override
    {
        ++calls;
        lastKey = smtpKeychainKey(user, host);
        return m_pw;
    }
    mutable int calls = 0;
    mutable QString lastKey;

private:
    QString m_pw;
};

} // namespace

class TestSmtp : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    QString m_cert, m_key;
    int m_serverCount = 0;
    int64_t m_report500 = 0, m_report404 = 0, m_reportCrlf = 0;

    QString newServerDir() { return m_dir.filePath(QStringLiteral("server%1").arg(++m_serverCount)); }

    void configure(const QString &host, int port, bool startTls = false, bool ssl = false, const QString &user = {},
                   const QString &ca = {}, double timeout = 20)
    {
        Config c(*m_db);
        QVERIFY(c.set(ConfigKey::EmailBackend, QStringLiteral("smtp")).ok());
        QVERIFY(c.set(ConfigKey::EmailHost, host).ok());
        QVERIFY(c.set(ConfigKey::EmailPort, port).ok());
        QVERIFY(c.set(ConfigKey::EmailUseTls, startTls).ok());
        QVERIFY(c.set(ConfigKey::EmailUseSsl, ssl).ok());
        QVERIFY(c.set(ConfigKey::EmailHostUser, user).ok());
        QVERIFY(c.set(ConfigKey::EmailCaFile, ca).ok());
        QVERIFY(c.set(ConfigKey::EmailTimeout, timeout).ok());
    }

    SendResult sendReport(int64_t reportId, MailAudience audience, const PasswordSource *pw = nullptr, const QStringList &to = {})
    {
        ReportMailer mailer(*m_db, pw);
        auto d = mailer.draftForReport(reportId, audience);
        if (!d) {
            qWarning() << d.error();
            return {};
        }
        if (!to.isEmpty())
            d->to = to;
        auto r = mailer.send(*d);
        if (!r) {
            qWarning() << r.error();
            return {};
        }
        return *r;
    }

    void verifyLoggedFailure(const SendResult &r, const QString &server)
    {
        QVERIFY(r.logId > 0);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().contains(server), qPrintable(r.error()));
        auto e = SendLog(*m_db).entry(r.logId);
        QVERIFY(e);
        QCOMPARE(e->outcome, SendOutcome::Failed);
        QCOMPARE(e->error, r.error());
        auto msg = SendLog(*m_db).message(r.logId);
        QVERIFY(msg && msg->contains("Subject:")); // nothing lost: the message is kept for resend
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qunsetenv(kPasswordEnvVar);
        NullScrubber scrubber;
        m_db = edtest::importCorpus(m_dir.filePath(QStringLiteral("corpus.sqlite3")), scrubber);
        QVERIFY(m_db);
        QVERIFY(edtest::applyCorpusSettings(*m_db));
        for (const QJsonObject &r : edtest::corpusRecords()) {
            auto id = ReportStore(*m_db).findByEventId(r.value(QStringLiteral("event_id")).toString());
            QVERIFY(id);
            const QString path = r.value(QStringLiteral("request")).toObject().value(QStringLiteral("path")).toString();
            if (!m_report500 && r.value(QStringLiteral("status_code")).toInt() == 500)
                m_report500 = *id;
            if (!m_report404 && path == QLatin1String("/products/14/"))
                m_report404 = *id;
            if (path.contains(QStringLiteral("\r\nBcc:")))
                m_reportCrlf = *id;
        }
        QVERIFY(m_report500 && m_report404 && m_reportCrlf);
        // A self-signed certificate for localhost / 127.0.0.1, which is also its own CA.
        m_cert = m_dir.filePath(QStringLiteral("cert.pem"));
        m_key = m_dir.filePath(QStringLiteral("key.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
                      {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                       QStringLiteral("-nodes"), QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                       QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                       QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1"), QStringLiteral("-keyout"), m_key,
                       QStringLiteral("-out"), m_cert});
        QVERIFY(openssl.waitForFinished(60000));
        QCOMPARE(openssl.exitCode(), 0);
    }

    void plainSmtpDeliversDjangosMessage()
    {
        SmtpServer server(newServerDir(), {});
        QVERIFY(server.port());
        configure(QStringLiteral("127.0.0.1"), server.port());
        const SendResult r = sendReport(m_report500, MailAudience::Admins);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QCOMPARE(r.entry.responseCode, 250L);
        QVERIFY2(r.entry.reply.startsWith(QStringLiteral("250 2.0.0 Ok: queued as ED")), qPrintable(r.entry.reply));
        QVERIFY(r.entry.transcript.contains(QStringLiteral("C: RCPT TO:<ops@example.com>")));

        const QStringList got = server.messages();
        QCOMPARE(got.size(), 1);
        const QJsonObject env = SmtpServer::envelope(got[0]);
        QCOMPARE(env.value(QStringLiteral("mail_from")).toString(), QStringLiteral("errors@shop.example.com"));
        QCOMPARE(edtest::strings(env.value(QStringLiteral("rcpt_tos"))),
                 (QStringList{QStringLiteral("ops@example.com"), QStringLiteral("ana@example.com")}));
        QCOMPARE(env.value(QStringLiteral("tls")).toBool(), false);

        const QJsonObject m = edtest::parseMessage(got[0] + QStringLiteral(".eml"));
        QCOMPARE(m.value(QStringLiteral("subject")).toString(),
                 QStringLiteral("[Shop] ERROR (EXTERNAL IP): Internal Server Error: /orders/597/total/"));
        QCOMPARE(edtest::strings(m.value(QStringLiteral("from"))), QStringList{QStringLiteral("errors@shop.example.com")});
        QCOMPARE(edtest::strings(m.value(QStringLiteral("to"))),
                 (QStringList{QStringLiteral("ops@example.com"), QStringLiteral("ana@example.com")}));
        QCOMPARE(m.value(QStringLiteral("message_id")).toString(), u'<' + r.entry.messageId + u'>');
        QVERIFY(!m.value(QStringLiteral("date")).toString().isEmpty());
        QCOMPARE(m.value(QStringLiteral("defects")).toArray().size(), 0);
        const QString text = edtest::partText(m, QStringLiteral("text/plain"));
        QVERIFY(text.startsWith(QStringLiteral(
            "Internal Server Error: /orders/597/total/\n\nZeroDivisionError at /orders/597/total/\ndivision by zero\n\n"
            "Request Method: GET\nRequest URL: http://shop.example.com/orders/597/total/\n")));
        for (const char *section :
             {"\nTraceback (most recent call last):\n", "    return HttpResponse(str(amount / count))\n",
              "\nException Type: ZeroDivisionError at /orders/597/total/\nException Value: division by zero\n",
              "\nRequest information:\n", "\nGET: No GET data\n", "\nCOOKIES:\nsessionid = 'sess-5d9d1818e811'\n", "\nMETA:\n",
              "REMOTE_ADDR = '203.0.113.15'\n", "\nSettings:\n", "SERVER_EMAIL = 'errors@shop.example.com'\n"})
            QVERIFY2(text.contains(QString::fromUtf8(section)), section);
        const QString html = edtest::partText(m, QStringLiteral("text/html"));
        QVERIFY(html.contains(QStringLiteral("<h1>ZeroDivisionError at /orders/597/total/</h1>")));
        QVERIFY(html.contains(QStringLiteral("<h2>Traceback</h2>")));
        QVERIFY(html.contains(QStringLiteral("<h2>Request information</h2>")));

        // The send log has the attempt and the message as sent.
        auto entries = SendLog(*m_db).list(10, m_report500);
        QVERIFY(entries && !entries->empty());
        QCOMPARE(entries->front().id, r.logId);
        QCOMPARE(entries->front().outcome, SendOutcome::Sent);
        QCOMPARE(entries->front().destination, QStringLiteral("127.0.0.1:%1").arg(server.port()));
        QFile eml(got[0] + QStringLiteral(".eml"));
        QVERIFY(eml.open(QIODevice::ReadOnly));
        auto stored = SendLog(*m_db).message(r.logId);
        QVERIFY(stored);
        // The log keeps the message as sent, scrubbed by the database's rules
        // (this corpus was imported unscrubbed, so the sent one has the cookie):
        // line for line the same, but where the stored line masks a value.
        const QStringList sent = QString::fromUtf8(eml.readAll()).remove(u'\r').split(u'\n');
        const QStringList kept = QString::fromUtf8(*stored).split(u'\n');
        QVERIFY(sent.join(u'\n').contains(QStringLiteral("sessionid =3D 'sess-5d9d1818e811'")));
        QVERIFY(!stored->contains("sess-5d9d1818e811"));
        QCOMPARE(kept.size(), sent.size());
        int masked = 0;
        for (qsizetype i = 0; i < sent.size(); ++i) {
            if (kept[i] == sent[i])
                continue;
            QVERIFY2(kept[i].contains(QStringLiteral("***")), qPrintable(kept[i])); // a soft line break may split the mask
            ++masked;
        }
        QVERIFY(masked >= 4 && masked < 40);
    }

    void brokenLinkGoesToManagers()
    {
        SmtpServer server(newServerDir(), {});
        configure(QStringLiteral("127.0.0.1"), server.port());
        const SendResult r = sendReport(m_report404, MailAudience::Managers);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        const QStringList got = server.messages();
        QCOMPARE(got.size(), 1);
        QCOMPARE(edtest::strings(SmtpServer::envelope(got[0]).value(QStringLiteral("rcpt_tos"))),
                 QStringList{QStringLiteral("manager@example.com")});
        const QJsonObject m = edtest::parseMessage(got[0] + QStringLiteral(".eml"));
        QCOMPARE(m.value(QStringLiteral("subject")).toString(),
                 QStringLiteral("[Shop] Broken INTERNAL link on shop.example.com"));
        QCOMPARE(m.value(QStringLiteral("content_type")).toString(), QStringLiteral("text/plain"));
        QCOMPARE(edtest::partText(m, QStringLiteral("text/plain")),
                 QStringLiteral("Referrer: https://shop.example.com/docs/\nRequested URL: /products/14/\nUser agent: "
                                "curl/8.0\nIP address: 10.0.0.5\n"));
    }

    // CR LF and "Bcc: victim@example.net" in the path reach nobody but the intended recipients.
    void crlfPathReachesOnlyTheRecipients()
    {
        SmtpServer server(newServerDir(), {});
        configure(QStringLiteral("127.0.0.1"), server.port());
        for (MailAudience a : {MailAudience::Managers, MailAudience::Admins}) {
            const SendResult r = sendReport(m_reportCrlf, a);
            QVERIFY2(r.ok(), qPrintable(r.error()));
        }
        const QStringList got = server.messages();
        QCOMPARE(got.size(), 2);
        const QList<QStringList> expected = {{QStringLiteral("manager@example.com")},
                                             {QStringLiteral("ops@example.com"), QStringLiteral("ana@example.com")}};
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(edtest::strings(SmtpServer::envelope(got[i]).value(QStringLiteral("rcpt_tos"))), expected[i]);
            const QJsonObject m = edtest::parseMessage(got[i] + QStringLiteral(".eml"));
            QVERIFY(!edtest::headerNames(m).contains(QStringLiteral("bcc")));
            QVERIFY(edtest::strings(m.value(QStringLiteral("bcc"))).isEmpty());
            QCOMPARE(edtest::strings(m.value(QStringLiteral("to"))), expected[i]);
            QCOMPARE(m.value(QStringLiteral("defects")).toArray().size(), 0);
        }
    }

    void startTlsWithAuthPlain()
    {
        SmtpServer server(newServerDir(), {QStringLiteral("--cert"), m_cert, QStringLiteral("--key"), m_key,
                                           QStringLiteral("--starttls-required"), QStringLiteral("--auth"),
                                           kUser + u':' + kPassword, QStringLiteral("--mechanisms"), QStringLiteral("PLAIN")});
        QVERIFY(server.port());
        configure(QStringLiteral("localhost"), server.port(), true, false, kUser, m_cert);
        FixedPasswords keychain(kPassword);
        const SendResult r = sendReport(m_report500, MailAudience::Admins, &keychain);
        QVERIFY2(r.ok(), qPrintable(r.error() + u'\n' + r.entry.transcript));
        QCOMPARE(keychain.calls, 1);
        QCOMPARE(keychain.lastKey, QStringLiteral("smtp:alice@localhost"));
        const QJsonObject env = SmtpServer::envelope(server.messages().value(0));
        QCOMPARE(env.value(QStringLiteral("tls")).toBool(), true);
        QCOMPARE(env.value(QStringLiteral("auth_login")).toString(), kUser);
        QCOMPARE(env.value(QStringLiteral("auth_mechanism")).toString(), QStringLiteral("PLAIN"));
        // The transcript shows the dialogue but never the credentials.
        QVERIFY(r.entry.transcript.contains(QStringLiteral("STARTTLS")));
        QVERIFY(r.entry.transcript.contains(QStringLiteral("AUTH PLAIN [credentials removed]")));
        QVERIFY(!r.entry.transcript.contains(QString::fromLatin1(QByteArray("\0alice\0s3cret-Pa55", 18).toBase64())));
        QVERIFY(!r.entry.transcript.contains(kPassword));
    }

    void startTlsWithAuthLoginFromEnvironment()
    {
        SmtpServer server(newServerDir(), {QStringLiteral("--cert"), m_cert, QStringLiteral("--key"), m_key,
                                           QStringLiteral("--starttls-required"), QStringLiteral("--auth"),
                                           kUser + u':' + kPassword, QStringLiteral("--mechanisms"), QStringLiteral("LOGIN")});
        configure(QStringLiteral("127.0.0.1"), server.port(), true, false, kUser, m_cert);
        qputenv(kPasswordEnvVar, kPassword.toUtf8());
        FixedPasswords keychain(QStringLiteral("not-this-one"));
        const SendResult r = sendReport(m_report500, MailAudience::Admins, &keychain);
        qunsetenv(kPasswordEnvVar);
        QVERIFY2(r.ok(), qPrintable(r.error() + u'\n' + r.entry.transcript));
        QCOMPARE(keychain.calls, 0); // the environment wins for headless use
        const QJsonObject env = SmtpServer::envelope(server.messages().value(0));
        QCOMPARE(env.value(QStringLiteral("auth_mechanism")).toString(), QStringLiteral("LOGIN"));
        QVERIFY(!r.entry.transcript.contains(QString::fromLatin1(kPassword.toUtf8().toBase64())));
        QVERIFY(r.entry.transcript.contains(QStringLiteral("[credentials removed]")));
    }

    void implicitTls()
    {
        SmtpServer server(newServerDir(), {QStringLiteral("--cert"), m_cert, QStringLiteral("--key"), m_key,
                                           QStringLiteral("--implicit-tls"), QStringLiteral("--auth"), kUser + u':' + kPassword});
        QVERIFY(server.port());
        configure(QStringLiteral("localhost"), server.port(), false, true, kUser, m_cert);
        FixedPasswords keychain(kPassword);
        const SendResult r = sendReport(m_report500, MailAudience::Admins, &keychain);
        QVERIFY2(r.ok(), qPrintable(r.error() + u'\n' + r.entry.transcript));
        QCOMPARE(SmtpServer::envelope(server.messages().value(0)).value(QStringLiteral("tls")).toBool(), true);
    }

private:
    // A certificate made by smtp_server.py cert (python3-cryptography).
    QPair<QString, QString> makeCert(const QString &name, const QStringList &options)
    {
        const QString cert = m_dir.filePath(name + QStringLiteral("-cert.pem")),
                      key = m_dir.filePath(name + QStringLiteral("-key.pem"));
        QProcess p;
        p.start(edtest::kPython, QStringList{edtest::smtpServerScript(), QStringLiteral("cert"), QStringLiteral("--cert"), cert,
                                             QStringLiteral("--key"), key} +
                                     options);
        if (!p.waitForFinished(60000) || p.exitCode() != 0)
            qFatal("smtp_server.py cert failed: %s", p.readAllStandardError().constData());
        return {cert, key};
    }

    // Each TLS case refused: logged as failed naming the server, with `why` in
    // the error, and nothing reached the server (no fallback to plain text).
    void verifyTlsRefused(SmtpServer &server, const QString &host, bool startTls, bool ssl, const QString &ca,
                          const QStringList &why)
    {
        QVERIFY(server.port());
        configure(host, server.port(), startTls, ssl, {}, ca);
        const SendResult r = sendReport(m_report500, MailAudience::Admins);
        verifyLoggedFailure(r, QStringLiteral("%1:%2").arg(host).arg(server.port()));
        for (const QString &w : why)
            QVERIFY2(r.error().contains(w, Qt::CaseInsensitive), qPrintable(w + QStringLiteral(" not in: ") + r.error()));
        QTest::qWait(200); // a message written late would show up here
        QCOMPARE(server.messages().size(), 0);
    }

private Q_SLOTS:
    void implicitTlsRefusesAnUntrustedCertificate()
    {
        SmtpServer server(newServerDir(),
                          {QStringLiteral("--cert"), m_cert, QStringLiteral("--key"), m_key, QStringLiteral("--implicit-tls")});
        verifyTlsRefused(server, QStringLiteral("localhost"), false, true, {},
                         {QStringLiteral("TLS failed"), QStringLiteral("certificate")});
    }

    // Trusted, but issued to another host: refused for STARTTLS and implicit TLS.
    void tlsRefusesAWrongHostName()
    {
        const auto [cert, key] = makeCert(QStringLiteral("other"),
                                          {QStringLiteral("--name"), QStringLiteral("mail.other.example")});
        {
            SmtpServer server(newServerDir(), {QStringLiteral("--cert"), cert, QStringLiteral("--key"), key,
                                               QStringLiteral("--starttls-required")});
            verifyTlsRefused(server, QStringLiteral("localhost"), true, false, cert,
                             {QStringLiteral("TLS failed"), QStringLiteral("localhost")});
        }
        {
            SmtpServer server(newServerDir(),
                              {QStringLiteral("--cert"), cert, QStringLiteral("--key"), key, QStringLiteral("--implicit-tls")});
            verifyTlsRefused(server, QStringLiteral("localhost"), false, true, cert,
                             {QStringLiteral("TLS failed"), QStringLiteral("localhost")});
        }
    }

    // Trusted and for this host, but expired yesterday.
    void tlsRefusesAnExpiredCertificate()
    {
        const auto [cert, key] = makeCert(QStringLiteral("expired"),
                                          {QStringLiteral("--name"), QStringLiteral("localhost"), QStringLiteral("--ip"),
                                           QStringLiteral("127.0.0.1"), QStringLiteral("--expired")});
        {
            SmtpServer server(newServerDir(), {QStringLiteral("--cert"), cert, QStringLiteral("--key"), key,
                                               QStringLiteral("--starttls-required")});
            verifyTlsRefused(server, QStringLiteral("localhost"), true, false, cert,
                             {QStringLiteral("TLS failed"), QStringLiteral("expired")});
        }
        {
            SmtpServer server(newServerDir(),
                              {QStringLiteral("--cert"), cert, QStringLiteral("--key"), key, QStringLiteral("--implicit-tls")});
            verifyTlsRefused(server, QStringLiteral("localhost"), false, true, cert,
                             {QStringLiteral("TLS failed"), QStringLiteral("expired")});
        }
        // The same server with a valid certificate of the same make goes through:
        // what was refused is the date, not the way the certificate was made.
        const auto [good, goodKey] = makeCert(QStringLiteral("fresh"), {QStringLiteral("--name"), QStringLiteral("localhost"),
                                                                        QStringLiteral("--ip"), QStringLiteral("127.0.0.1")});
        SmtpServer server(newServerDir(), {QStringLiteral("--cert"), good, QStringLiteral("--key"), goodKey,
                                           QStringLiteral("--starttls-required")});
        configure(QStringLiteral("localhost"), server.port(), true, false, {}, good);
        const SendResult r = sendReport(m_report500, MailAudience::Admins);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        QTRY_COMPARE_WITH_TIMEOUT(server.messages().size(), 1, 10000);
    }

    // EMAIL_USE_TLS with a server that does not offer STARTTLS: not sent in
    // plain text.
    void startTlsRequiredButNotOffered()
    {
        SmtpServer server(newServerDir(), {});
        verifyTlsRefused(server, QStringLiteral("127.0.0.1"), true, false, {}, {QStringLiteral("STARTTLS")});
    }

    // Without the CA the certificate is refused; resend after trusting it goes through.
    void tlsFailureThenResend()
    {
        SmtpServer server(newServerDir(), {QStringLiteral("--cert"), m_cert, QStringLiteral("--key"), m_key,
                                           QStringLiteral("--starttls-required")});
        configure(QStringLiteral("localhost"), server.port(), true);
        const SendResult failed = sendReport(m_report500, MailAudience::Admins);
        verifyLoggedFailure(failed, QStringLiteral("localhost:%1").arg(server.port()));
        QVERIFY2(failed.error().contains(QStringLiteral("TLS failed")) && failed.error().contains(QStringLiteral("certificate")),
                 qPrintable(failed.error()));
        QCOMPARE(server.messages().size(), 0);

        configure(QStringLiteral("localhost"), server.port(), true, false, {}, m_cert);
        ReportMailer mailer(*m_db);
        auto again = mailer.resend(failed.logId);
        QVERIFY(again);
        QVERIFY2(again->ok(), qPrintable(again->error()));
        QCOMPARE(again->entry.resendOf, failed.logId);
        QVERIFY(again->entry.messageId != failed.entry.messageId);
        QCOMPARE(again->entry.subject, failed.entry.subject);
        QCOMPARE(again->entry.recipients, failed.entry.recipients);
        const QStringList got = server.messages();
        QCOMPARE(got.size(), 1);
        const QJsonObject m = edtest::parseMessage(got[0] + QStringLiteral(".eml"));
        QCOMPARE(m.value(QStringLiteral("message_id")).toString(), u'<' + again->entry.messageId + u'>');
        auto original = SendLog(*m_db).message(failed.logId);
        QVERIFY(original);
        const QJsonObject o = edtest::parseMessageBytes(*original, m_dir.path());
        QCOMPARE(edtest::partText(m, QStringLiteral("text/plain")), edtest::partText(o, QStringLiteral("text/plain")));
        QCOMPARE(edtest::partText(m, QStringLiteral("text/html")), edtest::partText(o, QStringLiteral("text/html")));

        // And "resend from the report": its latest logged message.
        auto third = mailer.resendLatestOfReport(m_report500);
        QVERIFY(third && third->ok());
        QCOMPARE(third->entry.resendOf, again->logId);
    }

    void wrongPassword()
    {
        SmtpServer server(newServerDir(), {QStringLiteral("--auth"), kUser + u':' + kPassword});
        configure(QStringLiteral("127.0.0.1"), server.port(), false, false, kUser);
        FixedPasswords keychain(QStringLiteral("wrong"));
        const SendResult r = sendReport(m_report500, MailAudience::Admins, &keychain);
        verifyLoggedFailure(r, QStringLiteral("127.0.0.1:%1").arg(server.port()));
        QVERIFY2(r.error().contains(QStringLiteral("refused the login of user 'alice'")) &&
                     r.error().contains(QStringLiteral("535")),
                 qPrintable(r.error()));
        QCOMPARE(server.messages().size(), 0);
    }

    // AUTH over a plain connection sends the password in clear (as Django's
    // backend would): it still goes, with a warning in the value, the sender's
    // check before sending, and the CLI's output.
    void authWithoutTlsWarns()
    {
        SmtpServer server(newServerDir(), {QStringLiteral("--auth"), kUser + u':' + kPassword});
        QVERIFY(server.port());
        configure(QStringLiteral("127.0.0.1"), server.port(), false, false, kUser);
        FixedPasswords keychain(kPassword);
        ReportMailer mailer(*m_db, &keychain);
        auto sender = mailer.sender();
        QVERIFY(sender);
        const QString warning = sender->securityWarning();
        QVERIFY2(warning.contains(QStringLiteral("without TLS")) && warning.contains(QStringLiteral("in clear")) &&
                     warning.contains(QStringLiteral("127.0.0.1:%1").arg(server.port())) && warning.contains(kUser),
                 qPrintable(warning));
        QVERIFY(!warning.contains(kPassword));
        const Delivery d = sender->deliver(QStringLiteral("errors@shop.example.com"), {QStringLiteral("dev@example.com")},
                                           "Subject: plain auth\nFrom: errors@shop.example.com\nTo: dev@example.com\n\nhi\n");
        QVERIFY2(d.ok, qPrintable(d.error + u'\n' + d.transcript));
        QCOMPARE(d.warning, warning);
        QCOMPARE(SmtpServer::envelope(server.messages().value(0)).value(QStringLiteral("auth_login")).toString(), kUser);

        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ERRORDECK_EMAIL_PASSWORD"), kPassword);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(ERRORDECK_CLI), {QStringLiteral("test-email"), QStringLiteral("--to"),
                                                QStringLiteral("dev@example.com"), QStringLiteral("--db"), m_db->path()});
        QVERIFY(p.waitForFinished(60000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitCode(), 0);
        QVERIFY2(err.contains(QStringLiteral("warning: SMTP AUTH to 127.0.0.1:%1 without TLS").arg(server.port())),
                 qPrintable(err));
        QCOMPARE(server.messages().size(), 2);

        // Encrypted, or no AUTH: nothing to warn about.
        configure(QStringLiteral("127.0.0.1"), server.port(), true, false, kUser);
        QVERIFY(ReportMailer(*m_db, &keychain).sender()->securityWarning().isEmpty());
        configure(QStringLiteral("127.0.0.1"), server.port(), false, true, kUser);
        QVERIFY(ReportMailer(*m_db, &keychain).sender()->securityWarning().isEmpty());
        configure(QStringLiteral("127.0.0.1"), server.port());
        QVERIFY(ReportMailer(*m_db, &keychain).sender()->securityWarning().isEmpty());
    }

    void authRequiredButNoUser()
    {
        SmtpServer server(newServerDir(), {QStringLiteral("--auth"), kUser + u':' + kPassword});
        configure(QStringLiteral("127.0.0.1"), server.port());
        const SendResult r = sendReport(m_report500, MailAudience::Admins);
        verifyLoggedFailure(r, QStringLiteral("127.0.0.1:%1").arg(server.port()));
        QVERIFY2(r.error().contains(QStringLiteral("530")) && r.error().contains(QStringLiteral("EMAIL_HOST_USER")),
                 qPrintable(r.error()));
    }

    void rejectedRecipient()
    {
        SmtpServer server(newServerDir(), {QStringLiteral("--reject"), QStringLiteral("gone@example.com")});
        configure(QStringLiteral("127.0.0.1"), server.port());
        const SendResult r = sendReport(m_report500, MailAudience::Admins, nullptr,
                                        {QStringLiteral("ops@example.com"), QStringLiteral("gone@example.com")});
        verifyLoggedFailure(r, QStringLiteral("127.0.0.1:%1").arg(server.port()));
        QVERIFY2(r.error().contains(QStringLiteral("rejected the recipient gone@example.com")) &&
                     r.error().contains(QStringLiteral("550")),
                 qPrintable(r.error()));
        QCOMPARE(r.entry.responseCode, 550L);
        QCOMPARE(server.messages().size(), 0); // all or nothing
        auto e = SendLog(*m_db).entry(r.logId);
        QCOMPARE(e->recipients, (QStringList{QStringLiteral("ops@example.com"), QStringLiteral("gone@example.com")}));
    }

    void connectionRefused()
    {
        const int port = edtest::unusedLoopbackPort();
        configure(QStringLiteral("127.0.0.1"), port);
        const SendResult r = sendReport(m_report500, MailAudience::Admins);
        verifyLoggedFailure(r, QStringLiteral("127.0.0.1:%1").arg(port));
        QVERIFY2(r.error().contains(QStringLiteral("Could not connect")), qPrintable(r.error()));
    }

    void dnsFailure()
    {
        configure(QStringLiteral("no-such-host.invalid"), 2525);
        const SendResult r = sendReport(m_report500, MailAudience::Admins);
        verifyLoggedFailure(r, QStringLiteral("no-such-host.invalid:2525"));
        QVERIFY2(r.error().contains(QStringLiteral("does not resolve")), qPrintable(r.error()));
    }

    void timeout()
    {
        SmtpServer server(newServerDir(), {QStringLiteral("--silent")});
        QVERIFY(server.port());
        configure(QStringLiteral("127.0.0.1"), server.port(), false, false, {}, {}, 1.5);
        QElapsedTimer t;
        t.start();
        const SendResult r = sendReport(m_report500, MailAudience::Admins);
        QVERIFY(t.elapsed() < 10000);
        verifyLoggedFailure(r, QStringLiteral("127.0.0.1:%1").arg(server.port()));
        QVERIFY2(r.error().contains(QStringLiteral("did not answer in time")), qPrintable(r.error()));
    }

    void cancelFromAnotherThread()
    {
        SmtpServer server(newServerDir(), {QStringLiteral("--silent")});
        configure(QStringLiteral("127.0.0.1"), server.port(), false, false, {}, {}, 60);
        ReportMailer mailer(*m_db);
        auto d = mailer.draftForReport(m_report500, MailAudience::Admins);
        QVERIFY(d);
        auto prepared = mailer.prepare(*d);
        auto sender = mailer.sender();
        QVERIFY(prepared && sender);
        SendControl control;
        std::atomic<int> progressCalls{0};
        control.onProgress = [&](const SendProgress &) { ++progressCalls; };
        QElapsedTimer t;
        t.start();
        Delivery delivery;
        // The desktop app's way: deliver() on a worker thread, cancel from the GUI.
        std::thread worker(
            [&] { delivery = sender->deliver(prepared->envelopeFrom, prepared->envelopeTo, prepared->message.bytes, &control); });
        QThread::msleep(500);
        control.cancel();
        worker.join();
        QVERIFY(t.elapsed() < 10000);
        QVERIFY(delivery.cancelled);
        QVERIFY(progressCalls > 0);
        auto r = mailer.record(*prepared, *sender, delivery);
        QVERIFY(r);
        QCOMPARE(r->entry.outcome, SendOutcome::Cancelled);
    }

    void fileBackend()
    {
        const QString folder = m_dir.filePath(QStringLiteral("outbox"));
        Config c(*m_db);
        QVERIFY(c.set(ConfigKey::EmailBackend, QStringLiteral("django.core.mail.backends.filebased.EmailBackend")).ok());
        QVERIFY(c.set(ConfigKey::EmailFilePath, folder).ok());
        const SendResult r = sendReport(m_report404, MailAudience::Managers);
        QVERIFY2(r.ok(), qPrintable(r.error()));
        const QStringList files = QDir(folder).entryList({QStringLiteral("*.eml")}, QDir::Files);
        QCOMPARE(files.size(), 1);
        QCOMPARE(r.entry.destination, QDir(folder).absoluteFilePath(files[0]));
        QCOMPARE(r.entry.backend, QStringLiteral("file"));
        const QJsonObject m = edtest::parseMessage(QDir(folder).absoluteFilePath(files[0]));
        QCOMPARE(m.value(QStringLiteral("subject")).toString(),
                 QStringLiteral("[Shop] Broken INTERNAL link on shop.example.com"));
        QVERIFY(c.set(ConfigKey::EmailBackend, QStringLiteral("smtp")).ok());
    }

    void consoleBackend()
    {
        Config c(*m_db);
        QVERIFY(c.set(ConfigKey::EmailBackend, QStringLiteral("console")).ok());
        ReportMailer mailer(*m_db);
        QByteArray printed;
        mailer.setConsole([&](const QByteArray &b) { printed += b; });
        auto r = mailer.sendTest({QStringLiteral("someone@example.com")});
        QVERIFY(c.set(ConfigKey::EmailBackend, QStringLiteral("smtp")).ok());
        QVERIFY(r && r->ok());
        QVERIFY(printed.contains("Subject: [Shop] Test email from ErrorDeck"));
        QVERIFY(printed.contains("To: someone@example.com"));
        QVERIFY(printed.endsWith(QByteArray(79, '-') + '\n'));
        QCOMPARE(r->entry.audience, MailAudience::Test);
        QCOMPARE(r->entry.reportId, int64_t(0));
    }

    // errordeck-cli send / sendlog / resend / test-email against the real server.
    void commandLine()
    {
        SmtpServer server(newServerDir(), {QStringLiteral("--reject"), QStringLiteral("gone@example.com")});
        configure(QStringLiteral("127.0.0.1"), server.port());
        const QString db = m_db->path();
        auto cli = [&](const QStringList &args, QString *out = nullptr, QString *err = nullptr) {
            QProcess p;
            p.start(QStringLiteral(ERRORDECK_CLI), args + QStringList{QStringLiteral("--db"), db});
            p.waitForFinished(60000);
            if (out)
                *out = QString::fromUtf8(p.readAllStandardOutput());
            if (err)
                *err = QString::fromUtf8(p.readAllStandardError());
            return p.exitCode();
        };
        QString out, err;
        QCOMPARE(
            cli({QStringLiteral("send"), QString::number(m_report500), QStringLiteral("--to"), QStringLiteral("dev@example.com")},
                &out, &err),
            0);
        QVERIFY2(out.contains(QStringLiteral("Sent \"[Shop] ERROR (EXTERNAL IP)")) &&
                     out.contains(QStringLiteral("250 2.0.0 Ok")),
                 qPrintable(out + err));
        QCOMPARE(edtest::strings(SmtpServer::envelope(server.messages().value(0)).value(QStringLiteral("rcpt_tos"))),
                 QStringList{QStringLiteral("dev@example.com")});

        QCOMPARE(cli({QStringLiteral("send"), QString::number(m_report404), QStringLiteral("--managers"), QStringLiteral("--to"),
                      QStringLiteral("gone@example.com")},
                     &out, &err),
                 1);
        QVERIFY2(err.contains(QStringLiteral("127.0.0.1:%1").arg(server.port())) &&
                     err.contains(QStringLiteral("rejected the recipient gone@example.com")),
                 qPrintable(err));
        QVERIFY(err.contains(QStringLiteral("errordeck-cli resend ")));

        QCOMPARE(cli({QStringLiteral("sendlog"), QStringLiteral("--json")}, &out), 0);
        const QJsonArray log = QJsonDocument::fromJson(out.toUtf8()).array();
        QVERIFY(log.size() >= 2);
        QCOMPARE(log[0].toObject().value(QStringLiteral("outcome")).toString(), QStringLiteral("failed"));
        QCOMPARE(log[1].toObject().value(QStringLiteral("outcome")).toString(), QStringLiteral("sent"));
        const qint64 sentId = log[1].toObject().value(QStringLiteral("id")).toInteger();

        QCOMPARE(cli({QStringLiteral("resend"), QString::number(sentId)}, &out, &err), 0);
        QVERIFY2(out.contains(QStringLiteral("Sent")), qPrintable(out + err));
        QCOMPARE(server.messages().size(), 2);

        QCOMPARE(cli({QStringLiteral("test-email"), QStringLiteral("--to"), QStringLiteral("dev@example.com")}, &out, &err), 0);
        QCOMPARE(server.messages().size(), 3);
        QVERIFY(edtest::parseMessage(server.messages().value(2) + QStringLiteral(".eml"))
                    .value(QStringLiteral("subject"))
                    .toString()
                    .startsWith(QStringLiteral("[Shop] Test email from ErrorDeck")));

        QCOMPARE(cli({QStringLiteral("send"), QString::number(m_report500), QStringLiteral("--preview")}, &out), 0);
        QVERIFY(out.contains(QStringLiteral("Subject: [Shop] ERROR (EXTERNAL IP)")));
        QCOMPARE(server.messages().size(), 3);

        QCOMPARE(cli({QStringLiteral("sendlog")}, &out), 0);
        QVERIFY(out.contains(QStringLiteral("OUTCOME")) && out.contains(QStringLiteral("failed")));
    }
};

QTEST_GUILESS_MAIN(TestSmtp)
#include "tst_smtp.moc"
