// JsonWriter's string escaping against Qt's JSON parser, on every byte class.
#include "base/JsonWriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace ed;

class TestJsonWriter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void escapesRoundTrip()
    {
        QRandomGenerator rng(42);
        // Whole code points, so that a surrogate pair is never split.
        const QList<uint> alphabet = QStringLiteral("abcXYZ019 \"\\/\t\r\n\x01\x1f\x7f\u00e9\u4e2d\U0001F631'{}[]:,").toUcs4();
        for (int round = 0; round < 2000; ++round) {
            QString text;
            const int len = int(rng.bounded(0, 40));
            for (int i = 0; i < len; ++i)
                text += QString::fromUcs4(reinterpret_cast<const char32_t *>(&alphabet[rng.bounded(int(alphabet.size()))]), 1);
            const QByteArray utf8 = text.toUtf8();
            std::string out = "[";
            JsonWriter::appendString(out, std::string_view(utf8.constData(), size_t(utf8.size())));
            out += "]";
            QJsonParseError err;
            const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(out), &err);
            QVERIFY2(err.error == QJsonParseError::NoError, out.c_str());
            QCOMPARE(doc.array().first().toString(), text);
        }
    }
    void writerStructure()
    {
        std::string out;
        JsonWriter w(out);
        w.beginObject();
        w.key("a");
        w.integer(-5);
        w.key("b");
        w.beginArray();
        w.boolean(true);
        w.null();
        w.number(1.5);
        w.string("x\"y");
        w.endArray();
        w.key("c");
        w.beginObject();
        w.endObject();
        w.endObject();
        QCOMPARE(QByteArray::fromStdString(out), QByteArray("{\"a\":-5,\"b\":[true,null,1.5,\"x\\\"y\"],\"c\":{}}"));
    }
};

QTEST_GUILESS_MAIN(TestJsonWriter)
#include "tst_jsonwriter.moc"
