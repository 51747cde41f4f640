// The timeline chart's bars (store/TimelineQueries): the width chosen for a
// range, the bar edges on the zone's calendar (a day of 25 hours when daylight
// saving ends, zones at +05:30 and +05:45), and the range over real reports:
// from the first report, to the last one even when it is dated in the future.
// Every expected time is written here as an ISO string.
#include "store/TimelineQueries.h"
#include "TestEngine.h"
#include "TestSupport.h"

#include <QDateTime>
#include <QTimeZone>

using namespace ed;
using namespace edtest;
using Unit = TimelineStep::Unit;

Q_DECLARE_METATYPE(TimelineStep)

namespace {

int64_t iso(const char *text)
{
    const QDateTime t = QDateTime::fromString(QString::fromLatin1(text), Qt::ISODate);
    Q_ASSERT(t.isValid());
    return t.toMSecsSinceEpoch();
}

QStringList isoList(const std::vector<int64_t> &edges)
{
    QStringList out;
    for (int64_t e : edges)
        out << QDateTime::fromMSecsSinceEpoch(e, Qt::UTC).toString(Qt::ISODate); // "...Z"
    return out;
}

// A file of corpus records (one error report each) at the given times.
QString recordsAt(const QTemporaryDir &dir, const std::vector<int64_t> &times)
{
    QJsonObject base;
    for (const QJsonObject &r : corpusRecords())
        if (r.value(QStringLiteral("level")).toString() == QStringLiteral("ERROR") &&
            r.value(QStringLiteral("status_code")).toInt() == 500) {
            base = r;
            break;
        }
    QByteArray out;
    int n = 0;
    for (int64_t ms : times) {
        QJsonObject r = base;
        r.insert(QStringLiteral("event_id"), QStringLiteral("%1").arg(++n, 32, 16, QLatin1Char('0')));
        r.insert(QStringLiteral("timestamp"),
                 QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz+00:00")));
        out += QJsonDocument(r).toJson(QJsonDocument::Compact) + '\n';
    }
    const QString path = dir.filePath(QStringLiteral("r.jsonl"));
    writeFile(path, out);
    return path;
}

int barOf(const TimelineData &d, int64_t ms)
{
    for (int i = 0; i < d.buckets; ++i)
        if (d.edges[size_t(i)] <= ms && ms < d.edges[size_t(i) + 1])
            return i;
    return -1;
}

int64_t countIn(const TimelineData &d, int bar)
{
    int64_t n = 0;
    for (const auto &[level, counts] : d.byLevel)
        n += counts[size_t(bar)];
    return n;
}

} // namespace

class TestTimeline : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void stepForRange_data()
    {
        QTest::addColumn<QString>("until");
        QTest::addColumn<TimelineStep>("step");
        // From Sun 2026-11-22 09:00 UTC, at most 36 bars.
        QTest::newRow("10 s") << "2026-11-22T09:00:10Z" << TimelineStep{Unit::Second, 1};
        QTest::newRow("2 min") << "2026-11-22T09:02:00Z" << TimelineStep{Unit::Second, 5};
        QTest::newRow("20 min") << "2026-11-22T09:20:00Z" << TimelineStep{Unit::Minute, 1};
        QTest::newRow("3 h") << "2026-11-22T12:00:00Z" << TimelineStep{Unit::Minute, 5};
        QTest::newRow("5 days") << "2026-11-27T09:00:00Z" << TimelineStep{Unit::Hour, 6};
        QTest::newRow("30 days") << "2026-12-22T09:00:00Z" << TimelineStep{Unit::Day, 1};
        QTest::newRow("4 months") << "2027-03-22T09:00:00Z" << TimelineStep{Unit::Week, 1};
        QTest::newRow("2 years") << "2028-11-22T09:00:00Z" << TimelineStep{Unit::Week, 4};
    }

    void stepForRange()
    {
        QFETCH(QString, until);
        QFETCH(TimelineStep, step);
        const int64_t lo = iso("2026-11-22T09:00:00Z"), hi = iso(until.toLatin1().constData());
        const TimelineStep got = TimelineQueries::stepFor(lo, hi, 36, QTimeZone::utc());
        QVERIFY2(got == step, qPrintable(QStringLiteral("unit %1 × %2").arg(int(got.unit)).arg(got.count)));
    }

    void edgesOnTheZonesCalendar()
    {
        // Daylight saving ends in New York on Sun 2026-11-01: that day lasts 25 hours.
        const QTimeZone ny("America/New_York");
        QVERIFY(ny.isValid());
        QCOMPARE(isoList(TimelineQueries::edgesFor(iso("2026-10-31T16:00:00Z"), iso("2026-11-02T17:00:00Z"), {Unit::Day, 1}, ny)),
                 QStringList({"2026-10-31T04:00:00Z", "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z", "2026-11-03T05:00:00Z"}));
        // Weeks start on Monday at local midnight: Wed 2026-11-25 in Kolkata (+05:30).
        const QTimeZone kolkata("Asia/Kolkata");
        QCOMPARE(isoList(TimelineQueries::edgesFor(iso("2026-11-25T10:00:00Z"), iso("2026-12-01T10:00:00Z"), {Unit::Week, 1},
                                                   kolkata)),
                 QStringList({"2026-11-22T18:30:00Z", "2026-11-29T18:30:00Z", "2026-12-06T18:30:00Z"}));
        // Quarter hours on Kathmandu's clock (+05:45): 09:07 UTC is 14:52 there, in the bar from 14:45.
        const QTimeZone kathmandu("Asia/Kathmandu");
        QCOMPARE(isoList(TimelineQueries::edgesFor(iso("2026-11-22T09:07:00Z"), iso("2026-11-22T09:20:00Z"), {Unit::Minute, 15},
                                                   kathmandu)),
                 QStringList({"2026-11-22T09:00:00Z", "2026-11-22T09:15:00Z", "2026-11-22T09:30:00Z"}));
        // Before 1970 too.
        QCOMPARE(isoList(TimelineQueries::edgesFor(iso("1969-12-31T22:10:00Z"), iso("1969-12-31T23:50:00Z"), {Unit::Hour, 1},
                                                   QTimeZone::utc())),
                 QStringList({"1969-12-31T22:00:00Z", "1969-12-31T23:00:00Z", "1970-01-01T00:00:00Z"}));
    }

    void localDaysSplitAtLocalMidnight()
    {
        QTemporaryDir dir;
        auto db = openTestDatabase(dir, QStringLiteral("t.sqlite3"));
        QVERIFY(db);
        // 23:59:59 and 00:00:00 in Kolkata, the same UTC day.
        const int64_t first = iso("2026-11-01T12:00:00Z"), beforeMidnight = iso("2026-11-22T18:29:59Z"),
                      midnight = iso("2026-11-22T18:30:00Z");
        const auto s = importPlain(*db, {recordsAt(dir, {first, beforeMidnight, midnight})});
        QCOMPARE(s.stored, int64_t(3));
        TimelineQueries t(*db);
        auto kolkata = t.buckets(SearchQuery{}, 36, QTimeZone("Asia/Kolkata"));
        QVERIFY2(kolkata, qPrintable(kolkata ? QString() : kolkata.error()));
        QCOMPARE(kolkata->step, (TimelineStep{Unit::Day, 1}));
        QCOMPARE(kolkata->total, int64_t(3));
        QCOMPARE(isoList({kolkata->edges.front()}), QStringList{"2026-10-31T18:30:00Z"});
        QVERIFY(barOf(*kolkata, beforeMidnight) != barOf(*kolkata, midnight));
        QCOMPARE(countIn(*kolkata, barOf(*kolkata, midnight)), int64_t(1));
        auto utc = t.buckets(SearchQuery{}, 36, QTimeZone::utc());
        QVERIFY(utc);
        QCOMPARE(utc->total, int64_t(3));
        QCOMPARE(isoList({utc->edges.front(), utc->edges.back()}), QStringList({"2026-11-01T00:00:00Z", "2026-11-23T00:00:00Z"}));
        QCOMPARE(countIn(*utc, barOf(*utc, midnight)), int64_t(2));
        // No empty bars before the first report, and the last bar holds the last.
        QCOMPARE(barOf(*utc, first), 0);
        QCOMPARE(countIn(*utc, 0), int64_t(1));
        QCOMPARE(barOf(*utc, midnight), utc->buckets - 1);
    }

    void futureReportsAreKept()
    {
        QTemporaryDir dir;
        auto db = openTestDatabase(dir, QStringLiteral("f.sqlite3"));
        QVERIFY(db);
        // A clock 40 days ahead: "the last 24 hours" holds that report too, as the lists do.
        const int64_t now = QDateTime::currentMSecsSinceEpoch();
        const int64_t hourAgo = now - 3'600'000, ahead = now + 40 * 86'400'000LL;
        QCOMPARE(importPlain(*db, {recordsAt(dir, {hourAgo, ahead})}).stored, int64_t(2));
        TimelineQueries t(*db);
        SearchQuery lastDay;
        lastDay.since = now - 86'400'000;
        auto d = t.buckets(lastDay, 36, QTimeZone::utc());
        QVERIFY(d);
        QCOMPARE(d->total, int64_t(2));
        QVERIFY(barOf(*d, ahead) >= 0);
        QCOMPARE(countIn(*d, barOf(*d, ahead)), int64_t(1));
        QVERIFY(d->edges.front() <= *lastDay.since);
        // All time: the same two, from the first report to the future one.
        auto all = t.buckets(SearchQuery{}, 36, QTimeZone::utc());
        QVERIFY(all);
        QCOMPARE(all->total, int64_t(2));
        QCOMPARE(barOf(*all, ahead), all->buckets - 1);
        QCOMPARE(barOf(*all, hourAgo), 0);
    }
};

QTEST_GUILESS_MAIN(TestTimeline)
#include "tst_timeline.moc"
