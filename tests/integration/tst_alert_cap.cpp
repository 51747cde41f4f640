// The hourly cap of an alert rule (ERRORDECK_ALERT_MAILS_PER_HOUR, core/alert/
// AlertEngine.h) against a real aiosmtpd (tests/support/smtp_server.py), with
// a clock the test sets: a first import of many new issues mails the first N,
// then one summary mail listing the others, counted as held back; within the
// hour a later batch is summarised again; after it, mails go out one by one.
// And `alerts test` of the CLI, which the app's Send Test shares
// (AlertDispatcher::testEntry).
#include "AlertTestSupport.h"
#include "SmtpSupport.h"
#include "TestSupport.h"

#include "alert/AlertDispatcher.h"
#include "alert/AlertEngine.h"
#include "store/AlertStore.h"
#include "store/Config.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTimeZone>

using namespace ed;
using edtest::SmtpServer;

namespace {

using edtest::iso;
using edtest::kMinute;

} // namespace

class TestAlertCap : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<SmtpServer> m_server;
    int64_t m_now = 0;
    int m_events = 0, m_files = 0;

    // Reports with these messages at m_now, one issue each, through the import pipeline.
    void importNow(const QStringList &messages)
    {
        QByteArray data;
        for (const QString &m : messages)
            data += QStringLiteral("{\"event_id\":\"%1\",\"timestamp\":\"%2\",\"level\":\"ERROR\",\"logger\":\"shop\","
                                   "\"message\":\"%3\"}\n")
                        .arg(QStringLiteral("%1").arg(++m_events, 32, 10, QLatin1Char('0')), iso(m_now), m)
                        .toUtf8();
        const QString file = m_dir.filePath(QStringLiteral("in%1.jsonl").arg(++m_files));
        edtest::writeFile(file, data);
        QCOMPARE(edtest::importPlain(*m_db, {file}).stored, int64_t(messages.size()));
    }

    // One alert step and the sends due, at m_now.
    DispatchSummary step()
    {
        const AlertClock clock = [this] { return m_now; };
        auto evaluated = AlertEngine(*m_db, clock).evaluate();
        if (!evaluated || !evaluated->problems.isEmpty())
            qWarning() << (evaluated ? evaluated->problems.join(u'\n') : evaluated.error());
        auto sent = AlertDispatcher(*m_db, clock).sendDue();
        if (!sent)
            qWarning() << sent.error();
        return sent ? *sent : DispatchSummary{};
    }

    QString subject(int i) const
    {
        return edtest::parseMessage(m_server->messages().at(i) + QStringLiteral(".eml"))
            .value(QStringLiteral("subject"))
            .toString();
    }
    QString text(int i) const
    {
        return edtest::partText(edtest::parseMessage(m_server->messages().at(i) + QStringLiteral(".eml")),
                                QStringLiteral("text/plain"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto db = Database::open(edtest::testDatabaseLocation(m_dir, QStringLiteral("cap.sqlite3")));
        QVERIFY2(db, qPrintable(db ? QString() : db.error()));
        m_db = std::make_unique<Database>(std::move(*db));
        m_server = std::make_unique<SmtpServer>(m_dir.filePath(QStringLiteral("smtp")), QStringList{});
        QVERIFY(m_server->port());
        Config c(*m_db);
        QVERIFY(c.set(ConfigKey::Admins, QJsonDocument::fromJson(R"([["Ops", "ops@example.com"]])").array()).ok());
        QVERIFY(c.set(ConfigKey::ServerEmail, QStringLiteral("errors@shop.example.com")).ok());
        QVERIFY(c.set(ConfigKey::EmailSubjectPrefix, QStringLiteral("[Shop] ")).ok());
        QVERIFY(c.set(ConfigKey::EmailBackend, QStringLiteral("smtp")).ok());
        QVERIFY(c.set(ConfigKey::EmailHost, QStringLiteral("127.0.0.1")).ok());
        QVERIFY(c.set(ConfigKey::EmailPort, m_server->port()).ok());
        QVERIFY(c.set(ConfigKey::EmailTimeout, 10.0).ok());
        m_now = QDateTime::fromString(QStringLiteral("2026-11-30T08:00:00Z"), Qt::ISODate).toMSecsSinceEpoch();
    }

    void firstImportOfAHistoryIsCapped()
    {
        Config c(*m_db);
        QCOMPARE(c.integer(ConfigKey::AlertMailsPerHour), 10); // the default
        QVERIFY(c.set(ConfigKey::AlertMailsPerHour, 3).ok());
        QVERIFY(!c.set(ConfigKey::AlertMailsPerHour, 0).ok());
        AlertRule r;
        r.name = QStringLiteral("new issues");
        r.kind = AlertKind::NewIssue;
        r.recipients = {QStringLiteral("ADMINS")};
        r.createdAt = m_now;
        QVERIFY(AlertStore(*m_db).addRule(r));

        // Words, not numbers: the grouping takes "error 1" and "error 2" for one issue.
        const QStringList history{QStringLiteral("Alpha failed"),   QStringLiteral("Bravo failed"),
                                  QStringLiteral("Charlie failed"), QStringLiteral("Delta failed"),
                                  QStringLiteral("Echo failed"),    QStringLiteral("Foxtrot failed"),
                                  QStringLiteral("Golf failed"),    QStringLiteral("Hotel failed")};
        importNow(history);
        const DispatchSummary first = step();
        QCOMPARE(first.sent, int64_t(4)); // three issues, then the summary
        QCOMPARE(m_server->messages().size(), 4);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(subject(i), QStringLiteral("[Shop] [new-issue] ERROR: %1").arg(history[i]));
        QCOMPARE(subject(3), QStringLiteral("[Shop] [new-issue] 5 more issues past the hourly cap of alert \"new issues\""));
        const QString summary = text(3);
        QVERIFY2(summary.startsWith(QStringLiteral("ErrorDeck alert \"new issues\": new issue: and 5 more issues, past the cap "
                                                   "of 3 alert mails an hour.\n")),
                 qPrintable(summary));
        for (int i = 0; i < 8; ++i)
            QCOMPARE(summary.contains(QStringLiteral("  %1  [ERROR]").arg(history[i])), i >= 3);
        QCOMPARE(AlertStore(*m_db).rule(r.name)->heldBack, int64_t(5));
        QCOMPARE(edtest::strings(SmtpServer::envelope(m_server->messages().at(3)).value(QStringLiteral("rcpt_tos"))),
                 QStringList{QStringLiteral("ops@example.com")});

        // Within the hour: the cap is reached, the next batch is summarised.
        m_now += 30 * kMinute;
        importNow({QStringLiteral("India failed"), QStringLiteral("Juliett failed")});
        QCOMPARE(step().sent, int64_t(1));
        QCOMPARE(m_server->messages().size(), 5);
        QCOMPARE(subject(4), QStringLiteral("[Shop] [new-issue] 2 more issues past the hourly cap of alert \"new issues\""));
        QVERIFY(text(4).contains(QStringLiteral("  India failed  [ERROR]")));
        QVERIFY(text(4).contains(QStringLiteral("  Juliett failed  [ERROR]")));
        QCOMPARE(AlertStore(*m_db).rule(r.name)->heldBack, int64_t(7));

        // An hour after the first mails: one mail per issue again.
        m_now += 31 * kMinute;
        importNow({QStringLiteral("After the hour error")});
        QCOMPARE(step().sent, int64_t(1));
        QCOMPARE(m_server->messages().size(), 6);
        QCOMPARE(subject(5), QStringLiteral("[Shop] [new-issue] ERROR: After the hour error"));
    }

    // `alerts test`: the rule's mail for its newest report in scope, now.
    void cliTestSendsTheNewestReport()
    {
        const int before = m_server->messages().size();
        const edtest::CliRun r = edtest::cliAt({QStringLiteral("--db"), m_db->path(), QStringLiteral("alerts"),
                                                QStringLiteral("test"), QStringLiteral("new issues")},
                                               m_now);
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QCOMPARE(m_server->messages().size(), before + 1);
        QCOMPARE(subject(before), QStringLiteral("[Shop] [new-issue] ERROR: After the hour error"));
        QVERIFY(text(before).startsWith(QStringLiteral("ErrorDeck alert \"new issues\": new issue (a test), issue #")));
    }

    void cleanupTestCase()
    {
        m_db.reset();
        m_server.reset();
    }
};

QTEST_GUILESS_MAIN(TestAlertCap)
#include "tst_alert_cap.moc"
