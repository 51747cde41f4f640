// TLS to a real SMTP server (tests/support/smtp_server.py, aiosmtpd on
// 127.0.0.1): STARTTLS and implicit TLS with AUTH, and every refusal (an
// untrusted, wrong-host or expired certificate, STARTTLS required but not
// offered), each logged with nothing sent in plain text, then a resend once
// the certificate is trusted.
#include "SmtpTestFixture.h"

#include <QProcess>

using namespace smtptest;

class TestSmtpTls : public QObject, Fixture {
    Q_OBJECT
    QString m_cert, m_key;

private Q_SLOTS:
    void initTestCase()
    {
        importCorpus();
        if (QTest::currentTestFailed())
            return;
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
};

QTEST_GUILESS_MAIN(TestSmtpTls)
#include "tst_smtp_tls.moc"
