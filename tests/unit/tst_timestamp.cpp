// Parsing of the v1 format's times and levels.
#include "base/Level.h"
#include "base/Timestamp.h"

#include <QTest>

using namespace ed;

class TestTimestamp : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void iso_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("offset") << "2026-11-20T12:34:56.789+00:00" << qint64(1795178096789);
        QTest::newRow("Z") << "2026-11-20T12:34:56.789Z" << qint64(1795178096789);
        QTest::newRow("micro") << "2026-11-22T09:55:30.437218+00:00" << qint64(1795341330437);
        QTest::newRow("positive offset") << "2026-11-20T14:34:56+02:00" << qint64(1795178096000);
        QTest::newRow("negative offset") << "2026-11-20T06:34:56-0600" << qint64(1795178096000);
        QTest::newRow("space, no offset = UTC") << "2026-11-20 12:34:56" << qint64(1795178096000);
        QTest::newRow("date only") << "2026-11-20" << qint64(1795132800000);
        QTest::newRow("epoch") << "1970-01-01T00:00:00Z" << qint64(0);
        QTest::newRow("leap day") << "2024-02-29T00:00:00Z" << qint64(1709164800000);
        QTest::newRow("leap day of a 400th year") << "2000-02-29" << qint64(951782400000);
        QTest::newRow("largest offset") << "2026-11-21T12:33:56+23:59" << qint64(1795178096000);
    }
    void iso()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        const auto t = parseIsoTimestamp(text.toStdString());
        QVERIFY(t.has_value());
        QCOMPARE(qint64(*t), ms);
    }
    void isoInvalid_data()
    {
        QTest::addColumn<QString>("text");
        for (const char *s :
             {"", "yesterday", "2026-13-01", "2026-11-20T25:00:00", "2026-11-20T12:34:56+0", "2026-11-20T12:34:56 junk",
              "2026-11-20T12:34:56.", "20261120",
              // Out of range, not to be shifted into range (security review, issue 10).
              "2026-11-20T12:34:56+99:99", "2026-11-20T12:34:56+24:00", "2026-11-20T12:34:56-12:60", "2026-11-20T12:34:56+2400",
              "2026-02-30", "2026-04-31T00:00:00Z", "2025-02-29", "1900-02-29", "2026-11-00"})
            QTest::newRow(s) << QString::fromLatin1(s);
    }
    void isoInvalid()
    {
        QFETCH(QString, text);
        QVERIFY(!parseIsoTimestamp(text.toStdString()).has_value());
    }
    void seconds()
    {
        QCOMPARE(qint64(*timestampFromSeconds(1795178096.789)), qint64(1795178096789));
        QVERIFY(!timestampFromSeconds(1e300).has_value());
    }
    void roundTrip()
    {
        const QString s = formatIsoTimestamp(1795178096789);
        QCOMPARE(qint64(*parseIsoTimestamp(s.toStdString())), qint64(1795178096789));
    }
    void levels()
    {
        QCOMPARE(*parseLevel("error"), 40);
        QCOMPARE(*parseLevel("WARNING"), 30);
        QCOMPARE(*parseLevel("Warn"), 30);
        QCOMPARE(*parseLevel("critical"), 50);
        QCOMPARE(*parseLevel("FATAL"), 50);
        QCOMPARE(*parseLevel("10"), 10);
        QVERIFY(!parseLevel("51").has_value());
        QVERIFY(!parseLevel("loud").has_value());
        QCOMPARE(levelName(40), QStringLiteral("ERROR"));
        QCOMPARE(levelName(35), QStringLiteral("Level 35"));
    }
};

QTEST_GUILESS_MAIN(TestTimestamp)
#include "tst_timestamp.moc"
