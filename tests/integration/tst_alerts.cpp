// Alerts and digests (core/alert, errordeck-cli alerts) against a real aiosmtpd
// (tests/support/smtp_server.py), with a clock the test sets: a new issue, a
// regression, a spike, the rate limit holding mails back and counting them, a
// digest's text and HTML, an outage (the server stopped: mails stay queued)
// and the recovery (the server back: each queued mail sent once), resend from
// the send log, and the CLI with ERRORDECK_NOW.
#include "AlertTestSupport.h"
#include "ServeFixture.h"
#include "SmtpSupport.h"

#include "alert/AlertDispatcher.h"
#include "alert/AlertEngine.h"
#include "send/ReportMailer.h"
#include "store/AlertStore.h"
#include "store/sqlite/Sqlite.h"

#include <QDateTime>
#include <QDir>
#include <QProcess>
#include <QTimeZone>

using namespace ed;
using edtest::SmtpServer;

namespace {

using edtest::iso;
using edtest::kMinute;
using Run = edtest::CliRun;

Run cli(const QStringList &args, int64_t now) { return edtest::cliAt(args, now); }

} // namespace

class TestAlerts : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    int64_t m_now = 0; // the clock the alert step and the outbox read
    int m_files = 0, m_events = 0, m_servers = 0;
    AlertClock clock()
    {
        return [this] { return m_now; };
    }

    QString m_location; // a file, or a PostgreSQL database in the .pg run
    QString dbPath() const { return m_location; }

    // Imports reports with these messages at `at` (one issue per message) through
    // the import pipeline, as errordeck-cli import does.
    void importAt(const QStringList &messages, int64_t at, const QString &level = QStringLiteral("ERROR"),
                  const QString &release = {})
    {
        QByteArray data;
        for (const QString &m : messages)
            data += QStringLiteral("{\"event_id\":\"%1\",\"timestamp\":\"%2\",\"level\":\"%3\",\"logger\":\"shop\","
                                   "\"message\":\"%4\"%5}\n")
                        .arg(QStringLiteral("%1").arg(++m_events, 32, 10, QLatin1Char('0')), iso(at), level, m,
                             release.isEmpty() ? QString() : QStringLiteral(",\"extra\":{\"release\":\"%1\"}").arg(release))
                        .toUtf8();
        const QString file = m_dir.filePath(QStringLiteral("in%1.jsonl").arg(++m_files));
        edtest::writeFile(file, data);
        const ImportSummary s = edtest::importPlain(*m_db, {file});
        QCOMPARE(s.stored, int64_t(messages.size()));
    }

    int64_t issueOf(const QString &message)
    {
        Statement st = connectionOf(*m_db).prepare("SELECT issue_id FROM reports WHERE message = ? ORDER BY id LIMIT 1");
        st.bind(1, message);
        return st.step() ? st.int64(0) : 0;
    }

    void useServer(int port)
    {
        Config c(*m_db);
        QVERIFY(c.set(ConfigKey::EmailBackend, QStringLiteral("smtp")).ok());
        QVERIFY(c.set(ConfigKey::EmailHost, QStringLiteral("127.0.0.1")).ok());
        QVERIFY(c.set(ConfigKey::EmailPort, port).ok());
        QVERIFY(c.set(ConfigKey::EmailTimeout, 10.0).ok());
    }

    int64_t addRule(AlertRule r)
    {
        r.recipients = r.recipients.isEmpty() ? QStringList{QStringLiteral("ADMINS")} : r.recipients;
        r.createdAt = m_now;
        auto id = AlertStore(*m_db).addRule(r);
        if (!id)
            qWarning() << id.error();
        return id ? *id : 0;
    }

    // One alert step and the sends that are due, at m_now.
    DispatchSummary step()
    {
        auto evaluated = AlertEngine(*m_db, clock()).evaluate();
        if (!evaluated || !evaluated->problems.isEmpty())
            qWarning() << (evaluated ? evaluated->problems.join(u'\n') : evaluated.error());
        auto digests = AlertEngine(*m_db, clock()).queueDigests();
        if (!digests)
            qWarning() << digests.error();
        auto sent = AlertDispatcher(*m_db, clock()).sendDue();
        if (!sent)
            qWarning() << sent.error();
        return sent ? *sent : DispatchSummary{};
    }

    QJsonObject parsed(const SmtpServer &server, int i)
    {
        return edtest::parseMessage(server.messages().at(i) + QStringLiteral(".eml"));
    }

    // Whether the newest outbox entry is so (read with a connection of the test's own).
    bool onOutbox(const std::function<bool(const OutboxEntry &)> &is)
    {
        auto box = AlertStore(*m_db).outbox(1);
        return box && box->size() == 1 && is(box->front());
    }

    void removeRules()
    {
        auto rules = AlertStore(*m_db).rules();
        QVERIFY(rules);
        for (const AlertRule &r : *rules)
            QVERIFY(AlertStore(*m_db).removeRule(r.name));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qunsetenv(kPasswordEnvVar);
        m_location = edtest::testDatabaseLocation(m_dir, QStringLiteral("alerts.sqlite3"));
        auto db = Database::open(dbPath());
        QVERIFY2(db, qPrintable(db ? QString() : db.error()));
        m_db = std::make_unique<Database>(std::move(*db));
        Config c(*m_db);
        QVERIFY(c.set(ConfigKey::Admins, QJsonDocument::fromJson(R"([["Ops", "ops@example.com"]])").array()).ok());
        QVERIFY(c.set(ConfigKey::Managers, QJsonDocument::fromJson(R"([["Ana", "ana@example.com"]])").array()).ok());
        QVERIFY(c.set(ConfigKey::ServerEmail, QStringLiteral("errors@shop.example.com")).ok());
        QVERIFY(c.set(ConfigKey::EmailSubjectPrefix, QStringLiteral("[Shop] ")).ok());
        // Later than every resolution the test makes (setIssueStatus stamps the real clock).
        m_now = QDateTime::currentMSecsSinceEpoch() + 60 * kMinute;
    }

    void init() { removeRules(); }

    // Settings › Alerts › Edit: the rule changes in place; what its rate limit
    // counted stays. A taken name and a rule that went are said so.
    void updateRuleKeepsItsCounts()
    {
        AlertRule r;
        r.name = QStringLiteral("before");
        const int64_t id = addRule(r);
        QVERIFY(id);
        r.name = QStringLiteral("other");
        const int64_t otherId = addRule(r);
        QVERIFY(otherId > id); // the id the insert returned, a new one
        AlertStore store(*m_db);
        QCOMPARE(store.rule(QStringLiteral("other"))->id, otherId);
        // Adding a taken name is the user's error too, and adds nothing.
        r.createdAt = m_now;
        r.recipients = {QStringLiteral("ADMINS")};
        auto again = store.addRule(r);
        QVERIFY(!again);
        QCOMPARE(again.failure().kind, ErrorKind::InvalidInput);
        QCOMPARE(again.error(), QStringLiteral("an alert named 'other' exists already"));
        QVERIFY(store.markMailed(id, 7, m_now));
        QVERIFY(store.holdBack(id, 7, 3));

        AlertRule changed = *store.rule(QStringLiteral("before"));
        changed.name = QStringLiteral("after");
        changed.kind = AlertKind::Spike;
        changed.threshold = 5;
        changed.windowMinutes = 15;
        changed.query = QStringLiteral("logger:shop");
        changed.recipients = {QStringLiteral("MANAGERS")};
        changed.rateLimitMinutes = 30;
        changed.enabled = false;
        QVERIFY(store.updateRule(changed));
        auto stored = store.rule(QStringLiteral("after"));
        QVERIFY(stored);
        QCOMPARE(stored->id, id);
        QCOMPARE(stored->kind, AlertKind::Spike);
        QCOMPARE(stored->threshold, 5);
        QCOMPARE(stored->windowMinutes, 15);
        QCOMPARE(stored->query, QStringLiteral("logger:shop"));
        QCOMPARE(stored->recipients, QStringList{QStringLiteral("MANAGERS")});
        QCOMPARE(stored->rateLimitMinutes, 30);
        QVERIFY(!stored->enabled);
        QCOMPARE(stored->heldBack, int64_t(3));
        auto throttle = store.throttle(id, 7);
        QVERIFY(throttle && *throttle);
        QCOMPARE((*throttle)->lastMailAt, m_now);
        QVERIFY(!store.rule(QStringLiteral("before")));

        changed.name = QStringLiteral("other");
        auto taken = store.updateRule(changed);
        QVERIFY(!taken);
        QCOMPARE(taken.failure().kind, ErrorKind::InvalidInput);
        QCOMPARE(taken.error(), QStringLiteral("an alert named 'other' exists already"));
        QCOMPARE(store.rule(QStringLiteral("after"))->id, id); // unchanged
        changed.id = id + 1000;
        changed.name = QStringLiteral("gone");
        auto gone = store.updateRule(changed);
        QVERIFY(!gone);
        QCOMPARE(gone.failure().kind, ErrorKind::NotFound);
    }

    void noRuleNoPendingRows()
    {
        importAt({QStringLiteral("quiet before any rule")}, m_now);
        QCOMPARE(edtest::scalar(*m_db, "SELECT count(*) FROM alert_pending"), int64_t(0));
    }

    void newIssueMailsOnceWithTheRuleAndLink()
    {
        SmtpServer server(m_dir.filePath(QStringLiteral("smtp%1").arg(++m_servers)), {});
        QVERIFY(server.port());
        useServer(server.port());
        AlertRule r;
        r.name = QStringLiteral("new");
        r.kind = AlertKind::NewIssue;
        r.query = QStringLiteral("logger:shop");
        QVERIFY(addRule(r));
        importAt({QStringLiteral("KeyError in checkout")}, m_now);
        importAt({QStringLiteral("KeyError in checkout")}, m_now + 1000); // the same issue again: not new
        const DispatchSummary s = step();
        QCOMPARE(s.sent, int64_t(1));
        QCOMPARE(server.messages().size(), 1);
        const int64_t issue = issueOf(QStringLiteral("KeyError in checkout"));
        const QJsonObject m = parsed(server, 0);
        QCOMPARE(m.value(QStringLiteral("subject")).toString(), QStringLiteral("[Shop] [new-issue] ERROR: KeyError in checkout"));
        QCOMPARE(edtest::strings(SmtpServer::envelope(server.messages().at(0)).value(QStringLiteral("rcpt_tos"))),
                 QStringList{QStringLiteral("ops@example.com")});
        const QString text = edtest::partText(m, QStringLiteral("text/plain"));
        QVERIFY2(text.startsWith(QStringLiteral("ErrorDeck alert \"new\": new issue, issue #%1.\n").arg(issue)),
                 qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("errordeck://issue/%1").arg(issue)));
        QVERIFY(edtest::partText(m, QStringLiteral("text/html")).contains(QStringLiteral("errordeck-alert")));
        // Logged with the rule, and resendable as any send.
        auto log = SendLog(*m_db).list(1);
        QVERIFY(log && log->size() == 1);
        QCOMPARE(log->front().alertRule, QStringLiteral("new"));
        auto again = ReportMailer(*m_db).resend(log->front().id);
        QVERIFY2(again && again->ok(), qPrintable(again ? again->error() : again.error()));
        QCOMPARE(again->entry.alertRule, QStringLiteral("new"));
        QCOMPARE(server.messages().size(), 2);
        // Nothing more to send.
        QCOMPARE(step().sent, int64_t(0));
        QCOMPARE(server.messages().size(), 2);
    }

    void regressionMailsWhenAResolvedIssueIsSeenAgain()
    {
        SmtpServer server(m_dir.filePath(QStringLiteral("smtp%1").arg(++m_servers)), {});
        useServer(server.port());
        importAt({QStringLiteral("TimeoutError in payments")}, m_now);
        const int64_t issue = issueOf(QStringLiteral("TimeoutError in payments"));
        QVERIFY(ReportStore(*m_db).setIssueStatus(issue, IssueStatus::Resolved));
        AlertRule r;
        r.name = QStringLiteral("back");
        r.kind = AlertKind::Regression;
        QVERIFY(addRule(r));
        importAt({QStringLiteral("an unrelated new one")}, m_now);
        QCOMPARE(step().sent, int64_t(0)); // a new issue is not a regression
        importAt({QStringLiteral("TimeoutError in payments")}, m_now + kMinute);
        QCOMPARE(step().sent, int64_t(1));
        QCOMPARE(server.messages().size(), 1);
        const QJsonObject m = parsed(server, 0);
        QCOMPARE(m.value(QStringLiteral("subject")).toString(),
                 QStringLiteral("[Shop] [regression] ERROR: TimeoutError in payments"));
        QVERIFY(edtest::partText(m, QStringLiteral("text/plain")).contains(QStringLiteral("issue #%1").arg(issue)));
    }

    void spikeFiresAtNReportsInTheWindow()
    {
        SmtpServer server(m_dir.filePath(QStringLiteral("smtp%1").arg(++m_servers)), {});
        useServer(server.port());
        AlertRule r;
        r.name = QStringLiteral("spike");
        r.kind = AlertKind::Spike;
        r.threshold = 5;
        r.windowMinutes = 10;
        QVERIFY(addRule(r));
        const QString msg = QStringLiteral("OperationalError: database is locked");
        // Four in the window, and one long before it: not a spike.
        importAt({msg}, m_now - 60 * kMinute);
        importAt({msg, msg, msg, msg}, m_now);
        QCOMPARE(step().sent, int64_t(0));
        QCOMPARE(server.messages().size(), 0);
        importAt({msg}, m_now + 5 * kMinute); // the fifth within 10 minutes
        QCOMPARE(step().sent, int64_t(1));
        const QJsonObject m = parsed(server, 0);
        QVERIFY(edtest::partText(m, QStringLiteral("text/plain"))
                    .startsWith(QStringLiteral("ErrorDeck alert \"spike\": 5 reports in 10 minutes (the rule: 5 or more)")));
    }

    void newReleaseMailsItsFirstReportOnly()
    {
        SmtpServer server(m_dir.filePath(QStringLiteral("smtp%1").arg(++m_servers)), {});
        useServer(server.port());
        const QString msg = QStringLiteral("KeyError in release notes");
        importAt({msg}, m_now, QStringLiteral("ERROR"), QStringLiteral("shop@1.0"));
        AlertRule r;
        r.name = QStringLiteral("release");
        r.kind = AlertKind::NewRelease;
        QVERIFY(addRule(r)); // notes shop@1.0, already running
        importAt({msg}, m_now, QStringLiteral("ERROR"), QStringLiteral("shop@1.0"));
        QCOMPARE(step().sent, int64_t(0));
        importAt({msg, msg}, m_now + kMinute, QStringLiteral("ERROR"), QStringLiteral("shop@1.1"));
        importAt({msg}, m_now + 2 * kMinute, QStringLiteral("ERROR"), QStringLiteral("shop@1.1"));
        QCOMPARE(step().sent, int64_t(1));
        QCOMPARE(server.messages().size(), 1);
        const QString text = edtest::partText(parsed(server, 0), QStringLiteral("text/plain"));
        QVERIFY2(
            text.startsWith(
                QStringLiteral("ErrorDeck alert \"release\": first report of a new release, issue #%1.\n").arg(issueOf(msg))),
            qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("\nThe release: shop@1.1\n")), qPrintable(text));
        // The dry run over both: 1.0's first report is in its range too, and
        // 1.1's mail, for the same issue within the hour, is held back.
        auto dry = AlertEngine(*m_db, clock())
                       .dryRun(*AlertStore(*m_db).rule(QStringLiteral("release")), m_now - kMinute, m_now + 3 * kMinute);
        QVERIFY(dry);
        QCOMPARE(dry->mails, int64_t(1));
        QCOMPARE(dry->heldBack, int64_t(1));
        QCOMPARE(edtest::scalar(*m_db, "SELECT count(*) FROM alert_releases"), int64_t(2));
    }

    void rateLimitHoldsBackAndCounts()
    {
        SmtpServer server(m_dir.filePath(QStringLiteral("smtp%1").arg(++m_servers)), {});
        useServer(server.port());
        AlertRule r;
        r.name = QStringLiteral("errors");
        r.kind = AlertKind::Level;
        r.threshold = 40;
        r.rateLimitMinutes = 60;
        r.recipients = {QStringLiteral("MANAGERS"), QStringLiteral("oncall@example.com")};
        QVERIFY(addRule(r));
        const QString msg = QStringLiteral("ValueError in cart");
        importAt({msg, msg, msg}, m_now); // one mail, two held back
        importAt({QStringLiteral("only a warning")}, m_now, QStringLiteral("WARNING")); // under the level
        QCOMPARE(step().sent, int64_t(1));
        m_now += 10 * kMinute;
        importAt({msg}, m_now); // within the hour: held back
        QCOMPARE(step().sent, int64_t(0));
        QCOMPARE(server.messages().size(), 1);
        QCOMPARE(AlertStore(*m_db).rule(QStringLiteral("errors"))->heldBack, int64_t(3));
        m_now += 51 * kMinute; // past the hour
        importAt({msg}, m_now);
        QCOMPARE(step().sent, int64_t(1));
        QCOMPARE(server.messages().size(), 2);
        QCOMPARE(edtest::strings(SmtpServer::envelope(server.messages().at(1)).value(QStringLiteral("rcpt_tos"))),
                 (QStringList{QStringLiteral("ana@example.com"), QStringLiteral("oncall@example.com")}));
        const QString text = edtest::partText(parsed(server, 1), QStringLiteral("text/plain"));
        QVERIFY2(text.contains(QStringLiteral("The rate limit held back 3 more mails for this issue since the last one.")),
                 qPrintable(text));
        // errordeck-cli alerts list shows the count.
        const Run list = cli(
            {QStringLiteral("alerts"), QStringLiteral("list"), QStringLiteral("--json"), QStringLiteral("--db"), dbPath()},
            m_now);
        QCOMPARE(list.code, 0);
        const QJsonArray rules = QJsonDocument::fromJson(list.out.toUtf8()).array();
        QCOMPARE(rules.size(), 1);
        QCOMPARE(rules.at(0).toObject().value(QStringLiteral("held_back")).toInt(), 3);
        QCOMPARE(rules.at(0).toObject().value(QStringLiteral("sent")).toInt(), 2);
    }

    void digestTellsNewIssuesRegressionsAndTop()
    {
        SmtpServer server(m_dir.filePath(QStringLiteral("smtp%1").arg(++m_servers)), {});
        useServer(server.port());
        m_now += 7 * 24 * 60 * kMinute; // a day of its own, after everything above
        const QString a = QStringLiteral("ZeroDivisionError in totals"), b = QStringLiteral("IndexError in <search>");
        importAt({a, a, a, b}, m_now - 60 * kMinute);
        AlertRule r;
        r.name = QStringLiteral("daily");
        r.kind = AlertKind::Digest;
        r.windowMinutes = 1440;
        QVERIFY(addRule(r));
        QCOMPARE(step().sent, int64_t(0)); // its first day has not passed
        m_now += 1440 * kMinute;
        importAt({a}, m_now - kMinute);
        QCOMPARE(step().sent, int64_t(1));
        QCOMPARE(step().sent, int64_t(0)); // once per period
        const QJsonObject m = parsed(server, 0);
        QCOMPARE(m.value(QStringLiteral("subject")).toString(),
                 QStringLiteral("[Shop] Daily digest: 0 new issues, 0 regressions, 1 report"));
        const QString text = edtest::partText(m, QStringLiteral("text/plain"));
        const int64_t ia = issueOf(a);
        QVERIFY2(text.contains(QStringLiteral("Top issues by reports in the period\n")), qPrintable(text));
        QVERIFY2(
            text.contains(QStringLiteral("#%1  ZeroDivisionError in totals  [ERROR]  1 report in the period, 4 in all").arg(ia)),
            qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("errordeck://issue/%1").arg(ia)));
        QVERIFY(text.contains(QStringLiteral("No new issues.")));

        // Forced, for the day that saw both issues new: both listed, the HTML escaped and linked.
        m_now -= 1440 * kMinute - 30 * kMinute;
        const Run forced = cli({QStringLiteral("alerts"), QStringLiteral("digest"), QStringLiteral("daily"),
                                QStringLiteral("--now"), QStringLiteral("--db"), dbPath()},
                               m_now);
        QVERIFY2(forced.code == 0, qPrintable(forced.err));
        QCOMPARE(server.messages().size(), 2);
        const QJsonObject f = parsed(server, 1);
        QCOMPARE(f.value(QStringLiteral("subject")).toString(),
                 QStringLiteral("[Shop] Daily digest: 2 new issues, 0 regressions, 4 reports"));
        const QString html = edtest::partText(f, QStringLiteral("text/html"));
        QVERIFY2(html.contains(
                     QStringLiteral("<a href=\"errordeck://issue/%1\">#%1 IndexError in &lt;search&gt;</a>").arg(issueOf(b))),
                 qPrintable(html));
        QVERIFY(html.contains(QStringLiteral("<h2>New issues</h2>")));
    }

    void outageKeepsMailsQueuedAndSendsEachOnceWhenBack()
    {
        AlertRule r;
        r.name = QStringLiteral("new");
        r.kind = AlertKind::NewIssue;
        QVERIFY(addRule(r));
        int deadPort = 0;
        {
            SmtpServer gone(m_dir.filePath(QStringLiteral("smtp%1").arg(++m_servers)), {});
            deadPort = gone.port();
        } // stopped: nobody answers on its port now
        useServer(deadPort);
        importAt({QStringLiteral("ConnectionError one"), QStringLiteral("ConnectionError two")}, m_now);
        DispatchSummary s = step();
        QCOMPARE(s.sent, int64_t(0));
        QCOMPARE(s.retrying, int64_t(2));
        QVERIFY2(s.errors.value(0).contains(QStringLiteral("127.0.0.1:%1").arg(deadPort)), qPrintable(s.errors.value(0)));
        auto box = AlertStore(*m_db).outbox(2);
        QVERIFY(box && box->size() == 2);
        for (const OutboxEntry &e : *box) {
            QCOMPARE(e.state, OutboxState::Queued);
            QCOMPARE(e.attempts, 1);
            QCOMPARE(e.nextAttemptAt, m_now + kMinute); // the first wait
        }
        QCOMPARE(step().retrying, int64_t(0)); // not due yet: not tried again
        m_now += kMinute;
        QCOMPARE(step().retrying, int64_t(2)); // still down: the wait doubles
        QCOMPARE(AlertStore(*m_db).outbox(1)->front().nextAttemptAt, m_now + 2 * kMinute);

        SmtpServer back(m_dir.filePath(QStringLiteral("smtp%1").arg(++m_servers)), {});
        useServer(back.port());
        m_now += 2 * kMinute;
        s = step();
        QCOMPARE(s.sent, int64_t(2));
        QCOMPARE(back.messages().size(), 2);
        m_now += 60 * kMinute;
        QCOMPARE(step().sent, int64_t(0));
        QCOMPARE(back.messages().size(), 2); // each sent once
        box = AlertStore(*m_db).outbox(2);
        for (const OutboxEntry &e : *box) {
            QCOMPARE(e.state, OutboxState::Sent);
            QCOMPARE(e.attempts, 3);
            auto logged = SendLog(*m_db).entry(e.sendLogId);
            QVERIFY(logged && logged->outcome == SendOutcome::Sent && logged->alertRule == QLatin1String("new"));
        }
        // The failed attempts are in the send log too, with the rule.
        QCOMPARE(edtest::scalar(*m_db, "SELECT count(*) FROM send_log WHERE alert_rule = 'new' AND outcome = 1"), int64_t(4));
    }

    // errordeck-cli watch runs the alert step itself: a report appended to a
    // watched file reaches the server with no other command.
    void watchSendsAsReportsArrive()
    {
        SmtpServer server(m_dir.filePath(QStringLiteral("smtp%1").arg(++m_servers)), {});
        useServer(server.port());
        AlertRule r;
        r.name = QStringLiteral("watched");
        r.kind = AlertKind::NewIssue;
        QVERIFY(addRule(r));
        const QString folder = m_dir.filePath(QStringLiteral("watched"));
        QVERIFY(QDir().mkpath(folder));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ERRORDECK_NOW"), QString::number(m_now));
        QProcess watch;
        watch.setProcessEnvironment(env);
        watch.start(QStringLiteral(ERRORDECK_CLI), {QStringLiteral("watch"), QStringLiteral("--interval"), QStringLiteral("0.2"),
                                                    QStringLiteral("--db"), dbPath(), folder});
        QVERIFY(watch.waitForStarted());
        edtest::writeFile(folder + QStringLiteral("/errors.jsonl"),
                          QStringLiteral("{\"event_id\":\"watched-1\",\"timestamp\":\"%1\",\"level\":\"ERROR\","
                                         "\"message\":\"RuntimeError seen by watch\"}\n")
                              .arg(iso(m_now))
                              .toUtf8());
        QTRY_COMPARE_WITH_TIMEOUT(server.messages().size(), 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(onOutbox([](const OutboxEntry &e) { return e.state == OutboxState::Sent; }), 10000);
        watch.terminate();
        QVERIFY(watch.waitForFinished(10000));
        QCOMPARE(
            edtest::parseMessage(server.messages().at(0) + QStringLiteral(".eml")).value(QStringLiteral("subject")).toString(),
            QStringLiteral("[Shop] [new-issue] ERROR: RuntimeError seen by watch"));
        auto box = AlertStore(*m_db).outbox(1);
        QVERIFY(box && box->size() == 1 && box->front().state == OutboxState::Sent);
    }

    // errordeck-cli serve too: an event from Debian's sentry_sdk reaches the server.
    void serveSendsAsEventsArrive()
    {
        SmtpServer server(m_dir.filePath(QStringLiteral("smtp%1").arg(++m_servers)), {});
        useServer(server.port());
        AlertRule r;
        r.name = QStringLiteral("served");
        r.kind = AlertKind::NewIssue;
        QVERIFY(addRule(r));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ERRORDECK_NOW"), QString::number(m_now));
        QProcess serve;
        serve.setProcessEnvironment(env);
        const edtest::ServeStarted started = edtest::startServe(serve, dbPath(), 20000);
        QVERIFY2(started.error.isEmpty(), qPrintable(started.error));
        QProcess sdk;
        sdk.start(edtest::kPython, {QStringLiteral("-c"),
                                    QStringLiteral("import sys, sentry_sdk\n"
                                                   "sentry_sdk.init(dsn=sys.argv[1], default_integrations=False)\n"
                                                   "sentry_sdk.capture_message('PermissionError seen by serve', level='error')\n"
                                                   "sentry_sdk.flush(10)\n"),
                                    started.dsn});
        QVERIFY(sdk.waitForFinished(30000));
        QVERIFY2(sdk.exitCode() == 0, sdk.readAllStandardError().constData());
        QTRY_COMPARE_WITH_TIMEOUT(server.messages().size(), 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(onOutbox([](const OutboxEntry &e) { return e.state == OutboxState::Sent; }), 10000);
        serve.terminate();
        QVERIFY(serve.waitForFinished(10000));
        const QString subject =
            edtest::parseMessage(server.messages().at(0) + QStringLiteral(".eml")).value(QStringLiteral("subject")).toString();
        QVERIFY2(subject.startsWith(QStringLiteral("[Shop] [new-issue] ")) &&
                     subject.contains(QStringLiteral("PermissionError seen by serve")),
                 qPrintable(subject));
    }

    void cliAddListDryRunAndRun()
    {
        SmtpServer server(m_dir.filePath(QStringLiteral("smtp%1").arg(++m_servers)), {});
        useServer(server.port());
        const QStringList db{QStringLiteral("--db"), dbPath()};
        m_now += 30 * 24 * 60 * kMinute;
        // Three new issues in the last week, one of them three times; one older.
        importAt({QStringLiteral("old one")}, m_now - 9 * 1440 * kMinute);
        importAt({QStringLiteral("week one"), QStringLiteral("week two")}, m_now - 2 * 1440 * kMinute);
        importAt({QStringLiteral("week three"), QStringLiteral("week three"), QStringLiteral("week three")},
                 m_now - 1440 * kMinute);
        Run r = cli(QStringList{QStringLiteral("alerts"), QStringLiteral("add"), QStringLiteral("fresh"),
                                QStringLiteral("--kind"), QStringLiteral("new-issue"), QStringLiteral("--query"),
                                QStringLiteral("message:week"), QStringLiteral("--dry-run")} +
                        db,
                    m_now);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.startsWith(QStringLiteral("alert 'fresh' (new issue) would have sent 3 mails in the last 7 days "
                                                 "(5 reports in scope, 0 held back by the rate limit)")),
                 qPrintable(r.out));
        QVERIFY(cli(QStringList{QStringLiteral("alerts"), QStringLiteral("list")} + db, m_now)
                    .out.contains(QStringLiteral("No alerts")));
        r = cli(QStringList{QStringLiteral("alerts"), QStringLiteral("add"), QStringLiteral("fresh"), QStringLiteral("--kind"),
                            QStringLiteral("level"), QStringLiteral("--level"), QStringLiteral("error"),
                            QStringLiteral("--query"), QStringLiteral("message:week")} +
                    db,
                m_now);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = cli(QStringList{QStringLiteral("alerts"), QStringLiteral("dry-run"), QStringLiteral("fresh")} + db, m_now);
        QVERIFY2(
            r.out.startsWith(QStringLiteral("alert 'fresh' (level ERROR or above) would have sent 3 mails in the last 7 days "
                                            "(5 reports in scope, 2 held back by the rate limit)")),
            qPrintable(r.out));
        // Bad input is refused with a reason.
        r = cli(QStringList{QStringLiteral("alerts"), QStringLiteral("add"), QStringLiteral("bad"), QStringLiteral("--kind"),
                            QStringLiteral("spike"), QStringLiteral("--query"), QStringLiteral("staus:500")} +
                    db,
                m_now);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("staus")), qPrintable(r.err));
        // Arriving reports: `alerts run` evaluates and sends with the CLI's clock.
        importAt({QStringLiteral("week four")}, m_now);
        r = cli(QStringList{QStringLiteral("alerts"), QStringLiteral("run")} + db, m_now);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(server.messages().size(), 1);
        QVERIFY(r.out.contains(QStringLiteral("0 alert mails waiting")));
        r = cli(QStringList{QStringLiteral("alerts"), QStringLiteral("test"), QStringLiteral("fresh")} + db, m_now);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(server.messages().size(), 2);
        QVERIFY(cli(QStringList{QStringLiteral("alerts"), QStringLiteral("remove"), QStringLiteral("fresh")} + db, m_now).code ==
                0);
        QCOMPARE(cli(QStringList{QStringLiteral("alerts"), QStringLiteral("remove"), QStringLiteral("fresh")} + db, m_now).code,
                 1);
    }
};

QTEST_GUILESS_MAIN(TestAlerts)
#include "tst_alerts.moc"
