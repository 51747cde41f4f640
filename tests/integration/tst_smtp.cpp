// Sending to a real SMTP server: tests/support/smtp_server.py runs aiosmtpd on
// 127.0.0.1 (plain, AUTH PLAIN/LOGIN, a rejecting recipient, a server that
// never answers); what it received is read back with Python's email package.
// The file and console backends and errordeck-cli's send commands too; TLS is
// tst_smtp_tls.
#include "SmtpTestFixture.h"

#include <QDir>
#include <QElapsedTimer>
#include <QThread>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace smtptest;

class TestSmtp : public QObject, Fixture {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { importCorpus(); }

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
