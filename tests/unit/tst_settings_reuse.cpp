// RecordTransformer writes a settings block it has seen before once
// (model/TopLevelSpan.h): a record whose block has the same text gets the
// part written before, scrubbed the same; a block that differs in any byte is
// written afresh; a block written differently but meaning the same gives the
// same part; duplicate "settings" members and invalid records take the whole
// parse, with the same messages as a transformer that never saw the block.
#include "TestSupport.h"
#include "filters/SecretScrubber.h"
#include "model/RecordTransformer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace ed;

namespace {

constexpr const char *kSecret = "s3cr3t-key-4c9e1b77";

// A settings object of about 2 KB, written with `sep` after each colon.
std::string settingsText(bool debug, const std::string &secret, const char *sep = ": ")
{
    std::string s = "{\"SECRET_KEY\"" + std::string(sep) + "\"" + secret + "\", \"DEBUG\"" + sep + (debug ? "true" : "false");
    for (int i = 0; i < 40; ++i)
        s += ", \"SETTING_" + std::to_string(i) + "\"" + sep + "\"a value of setting number " + std::to_string(i) + "\"";
    return s + "}";
}

std::string record(const std::string &message, const std::string &settings, bool settingsFirst = false)
{
    const std::string head = R"({"format": "errordeck/1", "timestamp": "2026-01-01T00:00:00Z", "level": "error", "message": ")" +
                             message + "\"";
    if (settingsFirst)
        return R"({"settings": )" + settings + ", " + head.substr(1) + R"(, "environment": {"PATH": "/usr/bin"}})";
    return head + R"(, "settings": )" + settings + R"(, "environment": {"PATH": "/usr/bin"}})";
}

struct Transformed {
    QString error;
    std::string body;
    QStringList settingsParts; // the JSON of each settings member's part, in order
};

class Fixture {
public:
    Fixture() : m_scrubber(std::move(*SecretScrubber::create(ScrubSettings{}))), m_transformer(*m_scrubber) { }

    Transformed transform(const std::string &json)
    {
        std::string padded = json + std::string(64, ' ');
        TransformedRecord out;
        Transformed t;
        auto r = m_transformer.transform(std::string_view(padded.data(), json.size()), true, out);
        if (!r) {
            t.error = r.error();
            return t;
        }
        t.body = out.body;
        // The body names each part by hash: {"settings": {"$merge": "<hex>"}}.
        const QByteArray body = QByteArray::fromStdString(out.body);
        qsizetype at = 0;
        while ((at = body.indexOf("\"settings\":{\"$merge\":\"", at)) >= 0) {
            at += 22;
            const std::string hex = body.mid(at, 32).toStdString();
            for (const PendingPart &p : out.newParts)
                if (toHex(p.hash) == hex)
                    t.settingsParts << QString::fromStdString(p.json);
        }
        return t;
    }

private:
    std::unique_ptr<SecretScrubber> m_scrubber;
    RecordTransformer m_transformer;
};

} // namespace

class TestSettingsReuse : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aBlockSeenBeforeGetsThePartOfItsOwnText()
    {
        Fixture f;
        const std::string s1 = settingsText(false, kSecret);
        const Transformed first = f.transform(record("one", s1));
        const Transformed again = f.transform(record("one", s1)); // seen: reused
        const Transformed spaced = f.transform(record("one", settingsText(false, kSecret, ":"))); // other text, same meaning
        const Transformed debug = f.transform(record("one", settingsText(true, kSecret))); // differs
        const Transformed other = f.transform(record("one", settingsText(false, "0ther-s3cret-99f1d2")));
        const Transformed first2 = f.transform(record("one", s1, /*settingsFirst=*/true));
        for (const Transformed *t : {&first, &again, &spaced, &debug, &other, &first2}) {
            QVERIFY2(t->error.isEmpty(), qPrintable(t->error));
            QCOMPARE(t->settingsParts.size(), 1);
            const QString part = t->settingsParts.front();
            QVERIFY(part.contains(QStringLiteral("\"SECRET_KEY\":\"********************\"")));
            QVERIFY(!part.contains(QLatin1String("s3cr3t")) && !part.contains(QLatin1String("0ther")));
            QVERIFY(part.contains(QStringLiteral("\"SETTING_39\":\"a value of setting number 39\"")));
        }
        QCOMPARE(again.body, first.body);
        QCOMPARE(spaced.body, first.body);
        QCOMPARE(again.settingsParts, first.settingsParts);
        QCOMPARE(spaced.settingsParts, first.settingsParts);
        QVERIFY(first.settingsParts.front().contains(QStringLiteral("\"DEBUG\":false")));
        QVERIFY(debug.settingsParts.front().contains(QStringLiteral("\"DEBUG\":true")));
        QCOMPARE(other.settingsParts, first.settingsParts); // the secrets differ, the masked parts do not
        QCOMPARE(first2.settingsParts, first.settingsParts);
        QVERIFY(first2.body != first.body); // the members in their own order
        QVERIFY(first2.body.find("{\"settings\":{\"$merge\"") == 0);
    }

    // Two "settings" members: each keeps its own block.
    void duplicateMembersKeepTheirOwnBlocks()
    {
        Fixture f;
        const std::string off = settingsText(false, kSecret), on = settingsText(true, kSecret);
        QVERIFY(f.transform(record("seen", off)).error.isEmpty());
        std::string twice = record("twice", on);
        twice.insert(twice.size() - 1, ", \"settings\": " + off);
        const Transformed t = f.transform(twice);
        QVERIFY2(t.error.isEmpty(), qPrintable(t.error));
        QCOMPARE(t.settingsParts.size(), 2);
        QVERIFY(t.settingsParts[0].contains(QStringLiteral("\"DEBUG\":true")));
        QVERIFY(t.settingsParts[1].contains(QStringLiteral("\"DEBUG\":false")));
    }

    // A damaged record around a block seen before: rejected with the message a
    // transformer that never saw the block gives.
    void damagedRecordsKeepTheirMessages()
    {
        const std::string s = settingsText(false, kSecret);
        const std::string good = record("ok", s);
        const std::vector<std::string> damaged = {
            good + " trailing",
            record("ok", s).replace(good.find("\"level\""), 1, ""), // a key without its opening quote
            good.substr(0, good.size() - 1), // the record's end cut
            record("ok\xff", s), // invalid UTF-8 outside the block
            record("ok", s).insert(good.find("\"settings\""), "\"settings\": 5, "), // another member named settings
        };
        for (const std::string &d : damaged) {
            Fixture seen, fresh;
            QVERIFY(seen.transform(good).error.isEmpty());
            const Transformed a = seen.transform(d), b = fresh.transform(d);
            QCOMPARE(a.error, b.error);
            QCOMPARE(a.body, b.body);
            QCOMPARE(a.settingsParts, b.settingsParts);
        }
    }
};

QTEST_GUILESS_MAIN(TestSettingsReuse)
#include "tst_settings_reuse.moc"
