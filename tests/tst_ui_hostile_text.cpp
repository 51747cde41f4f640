// Hostile text in the desktop app, driven offscreen: an exception title with
// <, " and & shows as written (not as &lt; &quot;), the Scrubbing page refuses
// patterns matching the empty string and warns once about ones that blow up,
// and the send dialog warns before AUTH goes without TLS.
#include "tst_ui_support.h"

#include "Config.h"
#include "ScrubbingPage.h"
#include "SendDialog.h"
#include "TracebackView.h"

#include <QApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>

using namespace ed;

class TestUiHostileText : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { uitest::isolate(); }

    void exceptionTitleIsPlainText()
    {
        TracebackView view;
        const QString value = QStringLiteral("bad <tag> \"quoted\" & 'single'");
        QJsonObject exc{{QStringLiteral("type"), QStringLiteral("ValueError")}, {QStringLiteral("value"), value},
                        {QStringLiteral("frames"), QJsonArray()}};
        view.setRecord(QJsonObject{{QStringLiteral("message"), QStringLiteral("Internal Server Error: /x/")},
                                   {QStringLiteral("exception"), exc}});
        auto *title = view.findChild<QLabel *>(QStringLiteral("exceptionTitle"));
        QVERIFY(title);
        QCOMPARE(title->textFormat(), Qt::PlainText);
        QCOMPARE(title->text(), QStringLiteral("ValueError: ") + value);
        view.setRecord(QJsonObject{{QStringLiteral("message"), QStringLiteral("a < b & \"c\"")}});
        QCOMPARE(title->text(), QStringLiteral("a < b & \"c\""));
    }

    void scrubbingPageChecksPatterns()
    {
        auto db = Database::open(m_dir.filePath(QStringLiteral("s.sqlite3")));
        QVERIFY(db);
        Config config(*db);
        ScrubbingPage page;
        page.load(config);
        auto *values = page.findChild<QPlainTextEdit *>(QStringLiteral("sensitiveValues"));
        QVERIFY(values);
        // Matches the empty string: refused, nothing saved.
        values->setPlainText(QStringLiteral("sk_live_[0-9a-z]+\nx*"));
        QVERIFY(!page.apply(config));
        QVERIFY2(page.errorText(ConfigKey::SensitiveValues).contains(QStringLiteral("empty string")),
                 qPrintable(page.errorText(ConfigKey::SensitiveValues)));
        QCOMPARE(config.stringList(ConfigKey::SensitiveValues), QStringList());
        // Blows up on a test string: saved, the warning shown once (the dialog stays open), then accepted.
        values->setPlainText(QStringLiteral("(?:a+)+$|sk_live_[0-9a-z]+"));
        QVERIFY(!page.apply(config));
        QVERIFY2(page.errorText(ConfigKey::SensitiveValues).contains(QStringLiteral("match limit")),
                 qPrintable(page.errorText(ConfigKey::SensitiveValues)));
        QCOMPARE(config.stringList(ConfigKey::SensitiveValues), QStringList{QStringLiteral("(?:a+)+$|sk_live_[0-9a-z]+")});
        QVERIFY(page.apply(config));
        QVERIFY(page.errorText(ConfigKey::SensitiveValues).isEmpty());
        // A fine pattern: saved without a word.
        values->setPlainText(QStringLiteral("sk_live_[0-9a-z]+"));
        QVERIFY(page.apply(config));
        QVERIFY(page.errorText(ConfigKey::SensitiveValues).isEmpty());
    }

    void sendDialogWarnsAboutAuthWithoutTls()
    {
        auto db = Database::open(m_dir.filePath(QStringLiteral("m.sqlite3")));
        QVERIFY(db);
        Config config(*db);
        QVERIFY(config.set(ConfigKey::EmailHost, QStringLiteral("mail.example.com")));
        QVERIFY(config.set(ConfigKey::EmailHostUser, QStringLiteral("alice")));
        {
            std::unique_ptr<SendDialog> d(SendDialog::forReport(*db, nullptr, 1, MailAudience::Admins));
            auto *w = d->findChild<QLabel *>(QStringLiteral("sendSecurityWarning"));
            QVERIFY(w);
            QVERIFY2(w->text().contains(QStringLiteral("without TLS")) && w->text().contains(QStringLiteral("mail.example.com")),
                     qPrintable(w->text()));
            QVERIFY(!w->isHidden());
        }
        QVERIFY(config.set(ConfigKey::EmailUseTls, true));
        std::unique_ptr<SendDialog> d(SendDialog::forReport(*db, nullptr, 1, MailAudience::Admins));
        auto *w = d->findChild<QLabel *>(QStringLiteral("sendSecurityWarning"));
        QVERIFY(w);
        QVERIFY(w->text().isEmpty() && w->isHidden());
    }
};

QTEST_MAIN(TestUiHostileText)
#include "tst_ui_hostile_text.moc"
