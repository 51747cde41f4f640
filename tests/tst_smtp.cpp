// Sending to a real SMTP server: being written.
#include <QTest>
class TestSmtp : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void placeholder() { QVERIFY(true); }
};
QTEST_GUILESS_MAIN(TestSmtp)
#include "tst_smtp.moc"
