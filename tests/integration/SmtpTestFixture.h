#pragma once
// What the SMTP tests share (tst_smtp, tst_smtp_tls): the corpus imported
// once into a database configured as the Django site is, the reports sent,
// EMAIL_* set for one server, and the checks of a failed attempt's log entry.
// The servers are tests/support/smtp_server.py (SmtpSupport.h).
#include "SmtpSupport.h"

#include "send/ReportMailer.h"

#include <QTemporaryDir>
#include <memory>

namespace smtptest {

using namespace ed;
using edtest::SmtpServer;

inline const QString kUser = QStringLiteral("alice");
inline const QString kPassword = QStringLiteral("s3cret-Pa55");

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

// A QtTest class derives from QObject and this; its initTestCase calls importCorpus().
class Fixture {
protected:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
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

    // The corpus, unscrubbed, with the site's settings; the reports the tests send.
    void importCorpus()
    {
        QVERIFY(m_dir.isValid());
        qunsetenv(kPasswordEnvVar);
        NullScrubber scrubber;
        m_db = edtest::importCorpus(edtest::testDatabaseLocation(m_dir, QStringLiteral("corpus.sqlite3")), scrubber);
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
    }
};

} // namespace smtptest
