// Hostile text in the desktop app, driven offscreen: an exception title with
// <, " and & shows as written (not as &lt; &quot;), the Scrubbing page refuses
// patterns matching the empty string and warns once about ones that blow up,
// and the send dialog warns before AUTH goes without TLS.
#include "UiSupport.h"

#include "jobs/ConfigCache.h"
#include "jobs/JobRunner.h"
#include "store/Config.h"
#include "views/ReportDetailView.h"
#include "filters/FilterRules.h"
#include "import/ImportFilters.h"
#include "import/Importer.h"
#include "settings/ScrubbingPage.h"
#include "dialogs/SendDialog.h"
#include "views/TracebackView.h"
#include "model/ReportJson.h"

#include <QApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <memory>
#include <optional>

using namespace ed;

class TestUiHostileText : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { edtest::isolate(); }

    void exceptionTitleIsPlainText()
    {
        TracebackView view;
        const QString value = QStringLiteral("bad <tag> \"quoted\" & 'single'");
        QJsonObject exc{{QStringLiteral("type"), QStringLiteral("ValueError")},
                        {QStringLiteral("value"), value},
                        {QStringLiteral("frames"), QJsonArray()}};
        view.setReport(reportFromRecord(QJsonObject{{QStringLiteral("message"), QStringLiteral("Internal Server Error: /x/")},
                                                    {QStringLiteral("exception"), exc}}));
        auto *title = view.findChild<QLabel *>(QStringLiteral("exceptionTitle"));
        QVERIFY(title);
        QCOMPARE(title->textFormat(), Qt::PlainText);
        QCOMPARE(title->text(), QStringLiteral("ValueError: ") + value);
        view.setReport(reportFromRecord(QJsonObject{{QStringLiteral("message"), QStringLiteral("a < b & \"c\"")}}));
        QCOMPARE(title->text(), QStringLiteral("a < b & \"c\""));
    }

    // A report a drop rule could not decide on (regex match limit) says so in
    // the detail's summary line; a decided one does not.
    void undecidedReportIsFlagged()
    {
        const QString path = m_dir.filePath(QStringLiteral("u.sqlite3"));
        {
            const edtest::TestSideDb testSide;
            auto db = Database::open(path);
            QVERIFY(db);
            FilterRule drop;
            drop.name = QStringLiteral("orders");
            drop.action = RuleAction::Drop;
            drop.messagePattern = QStringLiteral("(?:a+)+$|order failed");
            QVERIFY(RuleStore(*db).add(drop));
            auto filters = makeImportFilters(*db);
            QVERIFY(filters);
            Importer importer(*db, *filters->scrubber, *filters->filter);
            const QString jsonl = m_dir.filePath(QStringLiteral("u.jsonl"));
            QFile f(jsonl);
            QVERIFY(f.open(QIODevice::WriteOnly));
            for (const QString &m :
                 {QString(40, QLatin1Char('a')) + QStringLiteral("! order failed"), QStringLiteral("payment failed")})
                f.write(QJsonDocument(QJsonObject{{QStringLiteral("timestamp"), QStringLiteral("2026-11-20T12:34:56Z")},
                                                  {QStringLiteral("level"), QStringLiteral("ERROR")},
                                                  {QStringLiteral("message"), m}})
                            .toJson(QJsonDocument::Compact) +
                        "\n");
            f.close();
            QCOMPARE(importer.run({jsonl}).stored, int64_t(2));
        }
        ReportDetailView view(path);
        auto *summary = view.findChild<QLabel *>(QStringLiteral("reportSummary"));
        QVERIFY(summary);
        for (int64_t id : {1, 2}) {
            view.showReport(id);
            QVERIFY(QTest::qWaitFor([&] { return view.reportId() == id; }, 5000));
            QCOMPARE(summary->text().contains(QStringLiteral("undecided: rule: orders (kept visible)")), id == 1);
        }
    }

    // The page's apply() as the dialog runs it: what it takes is written (a Write job), then read back.
    static bool applyPage(ScrubbingPage &page, ConfigCache &config)
    {
        SettingsEdits edits{config, {}};
        const bool ok = page.apply(edits);
        if (!edits.changes.isEmpty()) {
            auto written = std::make_shared<std::optional<bool>>();
            config.write(edits.changes, nullptr, [written](Result<void> r) { *written = r.ok(); });
            if (!QTest::qWaitFor([written] { return written->has_value(); }, 10000) || !**written)
                qWarning("the settings were not written");
        }
        return ok;
    }

    void scrubbingPageChecksPatterns()
    {
        {
            const edtest::TestSideDb testSide;
            QVERIFY(Database::open(m_dir.filePath(QStringLiteral("s.sqlite3"))));
        }
        ConfigCache config(JobRunner::forDatabase(m_dir.filePath(QStringLiteral("s.sqlite3"))));
        config.reload();
        QVERIFY(edtest::waitUntilLoaded(config));
        ScrubbingPage page;
        page.load(config);
        auto *values = page.findChild<QPlainTextEdit *>(QStringLiteral("sensitiveValues"));
        QVERIFY(values);
        // Matches the empty string: refused, nothing saved.
        values->setPlainText(QStringLiteral("sk_live_[0-9a-z]+\nx*"));
        QVERIFY(!applyPage(page, config));
        QVERIFY2(page.errorText(ConfigKey::SensitiveValues).contains(QStringLiteral("empty string")),
                 qPrintable(page.errorText(ConfigKey::SensitiveValues)));
        QCOMPARE(config.stringList(ConfigKey::SensitiveValues), QStringList());
        // Blows up on a test string: saved, the warning shown once (the dialog stays open), then accepted.
        values->setPlainText(QStringLiteral("(?:a+)+$|sk_live_[0-9a-z]+"));
        QVERIFY(!applyPage(page, config));
        QVERIFY2(page.errorText(ConfigKey::SensitiveValues).contains(QStringLiteral("match limit")),
                 qPrintable(page.errorText(ConfigKey::SensitiveValues)));
        QCOMPARE(config.stringList(ConfigKey::SensitiveValues), QStringList{QStringLiteral("(?:a+)+$|sk_live_[0-9a-z]+")});
        QVERIFY(applyPage(page, config));
        QVERIFY(page.errorText(ConfigKey::SensitiveValues).isEmpty());
        // A fine pattern: saved without a word.
        values->setPlainText(QStringLiteral("sk_live_[0-9a-z]+"));
        QVERIFY(applyPage(page, config));
        QVERIFY(page.errorText(ConfigKey::SensitiveValues).isEmpty());
    }

    void sendDialogWarnsAboutAuthWithoutTls()
    {
        const QString path = m_dir.filePath(QStringLiteral("m.sqlite3"));
        {
            const edtest::TestSideDb testSide;
            QVERIFY(Database::open(path));
        }
        ConfigCache config(JobRunner::forDatabase(path));
        QVERIFY(edtest::writeConfig(config, ConfigKey::EmailHost, QStringLiteral("mail.example.com")));
        QVERIFY(edtest::writeConfig(config, ConfigKey::EmailHostUser, QStringLiteral("alice")));
        const auto warningOf = [](SendDialog *d) {
            auto *w = d->findChild<QLabel *>(QStringLiteral("sendSecurityWarning"));
            // The settings are read on a job: the warning shows once they are.
            (void)QTest::qWaitFor([d] { return d->isComposed(); }, 10000);
            return w;
        };
        {
            std::unique_ptr<SendDialog> d(SendDialog::forReport(path, nullptr, 1, MailAudience::Admins));
            auto *w = warningOf(d.get());
            QVERIFY(w);
            QVERIFY(d->isComposed());
            QVERIFY2(w->text().contains(QStringLiteral("without TLS")) && w->text().contains(QStringLiteral("mail.example.com")),
                     qPrintable(w->text()));
            QVERIFY(!w->isHidden());
        }
        QVERIFY(edtest::writeConfig(config, ConfigKey::EmailUseTls, true));
        std::unique_ptr<SendDialog> d(SendDialog::forReport(path, nullptr, 1, MailAudience::Admins));
        auto *w = warningOf(d.get());
        QVERIFY(w);
        QVERIFY(d->isComposed());
        QVERIFY(w->text().isEmpty() && w->isHidden());
    }
};

QTEST_MAIN(TestUiHostileText)
#include "tst_ui_hostile_text.moc"
