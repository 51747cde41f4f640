// Mailbox names in IMAP's modified UTF-7 (core/imap/ModifiedUtf7.h, RFC 3501
// §5.1.3), and the mailboxes of the desktop app's settings
// (core/imap/MailboxConfig.h). The expected wire names are the RFC's own
// examples and ones worked by hand from the UTF-16 of the name (ö U+00F6 and
// ß U+00DF: 00 F6 00 DF in base64 "APYA3w").
#include "imap/ImapUrl.h"
#include "imap/MailboxConfig.h"
#include "imap/ModifiedUtf7.h"
#include "store/Config.h"

#include <QTest>

using namespace ed;

class TestImapNames : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("wire");
        QTest::newRow("ASCII") << QStringLiteral("INBOX/Django errors") << QByteArray("INBOX/Django errors");
        QTest::newRow("RFC 3501 example") << QStringLiteral("~peter/mail/台北/日本語")
                                          << QByteArray("~peter/mail/&U,BTFw-/&ZeVnLIqe-");
        QTest::newRow("ampersand") << QStringLiteral("R&D") << QByteArray("R&-D");
        QTest::newRow("German") << QStringLiteral("Fehlerberichte/Größe") << QByteArray("Fehlerberichte/Gr&APYA3w-e");
        QTest::newRow("two runs") << QStringLiteral("Größe Ü") << QByteArray("Gr&APYA3w-e &ANw-");
        QTest::newRow("Japanese") << QStringLiteral("エラー") << QByteArray("&MKgw6TD8-");
        QTest::newRow("smiley then ASCII") << QStringLiteral("☺!") << QByteArray("&Jjo-!");
        QTest::newRow("base64 uses , not /") << QStringLiteral("€ü") << QByteArray("&IKwA,A-");
        QTest::newRow("outside the BMP: a surrogate pair") << QStringLiteral("😀") << QByteArray("&2D3eAA-");
        QTest::newRow("a control character") << QStringLiteral("a\u0001b") << QByteArray("a&AAE-b");
        QTest::newRow("empty") << QString() << QByteArray();
    }
    void roundTrip()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, wire);
        QCOMPARE(mutf7::encode(name), wire);
        const auto back = mutf7::decode(wire);
        QVERIFY(back);
        QCOMPARE(*back, name);
    }

    void invalidWireNames_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::newRow("8-bit byte") << QByteArray("Gr\xc3\xb6\xc3\x9f"
                                                  "e");
        QTest::newRow("unterminated run") << QByteArray("&MKgw6TD8");
        QTest::newRow("padding") << QByteArray("&Jjo=-");
        QTest::newRow("slash of plain base64") << QByteArray("&IKwA/A-");
        QTest::newRow("ASCII inside a run") << QByteArray("&AGE-"); // 'a'
        QTest::newRow("leftover bits not zero") << QByteArray("&Jjp-");
        QTest::newRow("too many characters") << QByteArray("&JjoA-");
        QTest::newRow("lone high surrogate") << QByteArray("&2D0-");
        QTest::newRow("lone low surrogate") << QByteArray("&3gA-");
    }
    void invalidWireNames()
    {
        QFETCH(QByteArray, wire);
        QVERIFY2(!mutf7::decode(wire), wire.constData());
    }

    // What the server is sent: the URL libcurl gets and the quoted name of STATUS and MOVE.
    void urlsCarryTheWireName()
    {
        auto u = ImapUrl::parse(QStringLiteral("imaps://errors@mail.example.com/Fehlerberichte/Gr%C3%B6%C3%9Fe"));
        QVERIFY(u);
        QCOMPARE(u->folder, QStringLiteral("Fehlerberichte/Größe"));
        QCOMPARE(u->toString(), QStringLiteral("imaps://errors@mail.example.com:993/Fehlerberichte/Gr%C3%B6%C3%9Fe"));
        QCOMPARE(u->folderUrl(7, 3),
                 QByteArray("imaps://mail.example.com:993/Fehlerberichte/Gr%26APYA3w-e;UIDVALIDITY=7/;UID=3"));
        QCOMPARE(ImapUrl::quoted(QStringLiteral("エラー")), QByteArray("\"&MKgw6TD8-\""));
        QCOMPARE(ImapUrl::quoted(QStringLiteral("a \"b\"")), QByteArray("\"a \\\"b\\\"\""));
    }

    void mailboxSettings()
    {
        const QJsonObject o{
            {QStringLiteral("url"), QStringLiteral("imap://errors@mail.example.com:1143/%E3%82%A8%E3%83%A9%E3%83%BC")},
            {QStringLiteral("ca_file"), QStringLiteral("/etc/ca.pem")},
            {QStringLiteral("only_server_email"), true},
            {QStringLiteral("after"), QStringLiteral("move")},
            {QStringLiteral("move_to"), QStringLiteral("Erledigt/Größe")}};
        auto e = MailboxEntry::fromJson(o);
        QVERIFY2(e, qPrintable(e ? QString() : e.error()));
        QCOMPARE(e->url.security, ImapUrl::Security::StartTls);
        QCOMPARE(e->url.port, 1143);
        QCOMPARE(e->url.folder, QStringLiteral("エラー"));
        QCOMPARE(e->after, AfterImport::Move);
        const MailboxSettings s = e->settings(QStringLiteral("root@shop.example.com"), QStringLiteral("[Shop] "),
                                              QStringLiteral("pw"));
        QCOMPARE(s.onlyFromServerEmail, QStringLiteral("root@shop.example.com"));
        QCOMPARE(s.onlySubjectPrefix, QString()); // switched off
        QCOMPARE(s.moveToFolder, QStringLiteral("Erledigt/Größe"));
        QCOMPARE(s.imap.caFile, QStringLiteral("/etc/ca.pem"));
        auto again = MailboxEntry::fromJson(e->toJson());
        QVERIFY(again);
        QCOMPARE(again->toJson(), e->toJson());

        QStringList problems;
        const auto list = mailboxEntries(QJsonArray{o, QJsonObject{{QStringLiteral("url"), QStringLiteral("imaps://host/INBOX")}},
                                                    QJsonObject{{QStringLiteral("url"), QStringLiteral("imaps://a@host/INBOX")},
                                                                {QStringLiteral("after"), QStringLiteral("move")}}},
                                         &problems);
        QCOMPARE(list.size(), size_t(1));
        QCOMPARE(problems.size(), 2);
        QVERIFY2(problems[0].startsWith(QStringLiteral("ERRORDECK_MAILBOXES item 2: ")) &&
                     problems[0].contains(QStringLiteral("no user")),
                 qPrintable(problems[0]));
        QVERIFY2(problems[1].contains(QStringLiteral("move_to")), qPrintable(problems[1]));
        // The store's check of the setting refuses a bad shape before it is written.
        QVERIFY(
            !Config::check(ConfigKey::Mailboxes, QJsonArray{QJsonObject{{QStringLiteral("url"), QStringLiteral("pop3://a@b/c")}}})
                 .isEmpty());
        QVERIFY(Config::check(ConfigKey::Mailboxes, QJsonArray{o}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestImapNames)
#include "tst_imap_names.moc"
