// The timeline chart in the main window (issue 14): its time axis at three
// ranges (minutes, days, months) in windows 1024 and 2560 pixels wide, every
// label whole and in the format of its range; a bar's tooltip; the chart
// following the selected issue and back to all issues; a bar click narrowing
// the search and "Back" undoing it. The times are in New York (the chart's
// zone set here), the labels' texts written here.
#include "models/IssueListModel.h"
#include "views/IssueListView.h"
#include "views/SearchBar.h"
#include "views/TimelineChart.h"
#include "window/MainWindow.h"
#include "UiSupport.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QFontMetrics>
#include <QValueAxis>
#include <QDateTime>
#include <QLabel>
#include <QToolButton>
#include <QToolTip>
#include <QTimeZone>

using namespace ed;
using namespace edtest;

namespace {

int64_t iso(const char *text) { return QDateTime::fromString(QString::fromLatin1(text), Qt::ISODate).toMSecsSinceEpoch(); }

// One record of the corpus of `type` (its first error report) for each time.
QByteArray recordsAt(const QString &type, const std::vector<int64_t> &times, int &n)
{
    QJsonObject base;
    for (const QJsonObject &r : corpusRecords())
        if (r.value(QStringLiteral("exception")).toObject().value(QStringLiteral("type")).toString() == type) {
            base = r;
            break;
        }
    Q_ASSERT(!base.isEmpty());
    QByteArray out;
    for (int64_t ms : times) {
        QJsonObject r = base;
        r.insert(QStringLiteral("event_id"), QStringLiteral("%1").arg(++n, 32, 16, QLatin1Char('0')));
        r.insert(QStringLiteral("timestamp"),
                 QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz+00:00")));
        out += QJsonDocument(r).toJson(QJsonDocument::Compact) + '\n';
    }
    return out;
}

QStringList texts(const QList<AxisLabel> &labels, AxisLabel::Row row)
{
    QStringList out;
    for (const AxisLabel &l : labels)
        if (l.row == row)
            out << l.text;
    return out;
}

} // namespace

class TestUiChart : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_win;
    // Every 3 hours from Mon 2026-07-06 00:00 UTC to Mon 2026-11-02 (ZeroDivisionError), and
    // every 20 seconds from 13:40 to 14:00 UTC on Wed 2026-10-14 (another issue).
    int64_t m_grid = 0, m_burst = 0;

    TimelineChart *chart() const { return m_win->chart(); }

    // Applies a time range and waits for the chart's new numbers.
    bool showRange(const std::function<void()> &choose)
    {
        int updates = 0;
        auto c = connect(chart(), &TimelineChart::updated, this, [&updates] { ++updates; });
        choose();
        const bool ok = QTest::qWaitFor([&] { return updates > 0 && chart()->data().buckets > 0; }, 10000);
        disconnect(c);
        QApplication::processEvents();
        return ok;
    }

    // All time (the range after a test that failed elsewhere too).
    bool allTime()
    {
        return m_win->searchBar()->range() == SearchBar::AllTime ||
               showRange([this] { m_win->searchBar()->setRange(SearchBar::AllTime); });
    }

    // The axis's labels at the window width `width`: whole (the text's width
    // fits its rect), inside the chart, none over another.
    QList<AxisLabel> labelsAt(int width, int height)
    {
        m_win->resize(width, height);
        QTest::qWait(50);
        QApplication::processEvents();
        const QList<AxisLabel> labels = chart()->axisLabels();
        const QFontMetricsF fm(chart()->chartView()->font());
        const QRectF view(QPointF(0, 0), QSizeF(chart()->chartView()->viewport()->size()));
        for (int i = 0; i < labels.size(); ++i) {
            const AxisLabel &l = labels[i];
            if (l.text.contains(QChar(0x2026)) || l.rect.width() < fm.horizontalAdvance(l.text) || !view.contains(l.rect)) {
                qWarning() << "label" << l.text << l.rect << "in" << view;
                return {};
            }
            for (int j = 0; j < i; ++j)
                if (labels[j].rect.intersects(l.rect)) {
                    qWarning() << "labels overlap:" << labels[j].text << l.text;
                    return {};
                }
        }
        return labels;
    }

    // The count axis: a line of room between its labels, or QtCharts cuts
    // them to "..." (it did at 1024x700 with a tallest bar of 4).
    bool countLabelsHaveRoom(int width)
    {
        auto *y = qobject_cast<QValueAxis *>(chart()->chartView()->chart()->axes(Qt::Vertical).value(0));
        if (!y)
            return false;
        const qreal plot = chart()->chartView()->chart()->plotArea().height();
        const int line = QFontMetrics(y->labelsFont()).height();
        if ((y->tickCount() - 1) * 2 * line <= plot + line)
            return true;
        qWarning("%d px: %d ticks in %.0f px of %d px lines", width, y->tickCount(), plot, line);
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        isolate();
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        std::vector<int64_t> grid, burst;
        for (int64_t t = iso("2026-07-06T00:00:00Z"); t <= iso("2026-11-02T00:00:00Z"); t += 3 * 3'600'000)
            grid.push_back(t);
        for (int64_t t = iso("2026-10-14T13:40:00Z"); t < iso("2026-10-14T14:00:00Z"); t += 20'000)
            burst.push_back(t);
        m_grid = int64_t(grid.size());
        m_burst = int64_t(burst.size());
        int n = 0;
        const QString file = m_dir.filePath(QStringLiteral("r.jsonl"));
        writeFile(file,
                  recordsAt(QStringLiteral("ZeroDivisionError"), grid, n) + recordsAt(QStringLiteral("KeyError"), burst, n));
        std::optional<TestSideDb> testSide(std::in_place);
        auto db = Database::open(m_dir.filePath(QStringLiteral("chart.sqlite3")));
        QVERIFY(db);
        QCOMPARE(importPlain(*db, {file}).stored, m_grid + m_burst);
        testSide.reset();
        m_win = std::make_unique<MainWindow>(std::move(*db));
        m_win->chart()->setTimeZone(QTimeZone("America/New_York"));
        m_win->resize(1024, 700);
        m_win->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_win.get()));
        QVERIFY(QTest::qWaitFor([this] { return chart()->data().total == m_grid + m_burst; }, 10000));
    }

    void minutes()
    {
        // 09:40 to 10:00 in New York: bars of a minute, labels "HH:mm", the date under them.
        QVERIFY(
            showRange([this] { m_win->searchBar()->setCustomRange(iso("2026-10-14T13:40:00Z"), iso("2026-10-14T14:00:00Z")); }));
        QCOMPARE(chart()->data().buckets, 20);
        const QStringList everyMinute{"09:40", "09:41", "09:42", "09:43", "09:44", "09:45", "09:46", "09:47", "09:48", "09:49",
                                      "09:50", "09:51", "09:52", "09:53", "09:54", "09:55", "09:56", "09:57", "09:58", "09:59"};
        for (const auto &[w, h] : {std::pair{1024, 700}, std::pair{2560, 1440}}) {
            const auto labels = labelsAt(w, h);
            const QStringList ticks = texts(labels, AxisLabel::Tick);
            QVERIFY2(ticks.size() >= 4, qPrintable(QStringLiteral("%1 px: %2").arg(w).arg(ticks.join(' '))));
            for (const QString &t : ticks)
                QVERIFY2(everyMinute.contains(t), qPrintable(QStringLiteral("%1 px: %2").arg(w).arg(t)));
            QCOMPARE(texts(labels, AxisLabel::Context), QStringList{"Wed Oct 14 2026"});
            QCOMPARE(texts(labels, AxisLabel::Zone), QStringList{"EDT, UTC-04:00"});
            if (w == 2560)
                QCOMPARE(ticks, everyMinute); // room for every bar's label
            QVERIFY(countLabelsHaveRoom(w));
        }
    }

    void days()
    {
        // Sat Oct 10 to Thu Oct 15 in New York: bars of 6 hours, labels at hours, each date once.
        QVERIFY(
            showRange([this] { m_win->searchBar()->setCustomRange(iso("2026-10-10T04:00:00Z"), iso("2026-10-15T04:00:00Z")); }));
        QCOMPARE(chart()->data().buckets, 20);
        const QStringList dates{"Sat Oct 10 2026", "Sun Oct 11 2026", "Mon Oct 12 2026", "Tue Oct 13 2026", "Wed Oct 14 2026"};
        for (const auto &[w, h] : {std::pair{1024, 700}, std::pair{2560, 1440}}) {
            const auto labels = labelsAt(w, h);
            const QStringList ticks = texts(labels, AxisLabel::Tick);
            QVERIFY2(ticks.size() >= 5, qPrintable(ticks.join(' ')));
            for (const QString &t : ticks)
                QVERIFY2(QStringList({"00:00", "06:00", "12:00", "18:00"}).contains(t), qPrintable(t));
            QCOMPARE(texts(labels, AxisLabel::Context), dates);
            if (w == 2560)
                QCOMPARE(ticks.mid(0, 5), QStringList({"00:00", "06:00", "12:00", "18:00", "00:00"}));
            QVERIFY(countLabelsHaveRoom(w));
        }
    }

    void months()
    {
        // All time: Sun Jul 5 20:00 in New York to Nov 2: bars of a week from Monday Jun 29, labels "MMM d".
        QVERIFY(showRange([this] { m_win->searchBar()->setRange(SearchBar::AllTime); }));
        QCOMPARE(chart()->data().step, (TimelineStep{TimelineStep::Unit::Week, 1}));
        QCOMPARE(chart()->data().total, m_grid + m_burst);
        const QStringList mondays{"Jun 29", "Jul 6",  "Jul 13", "Jul 20", "Jul 27", "Aug 3",  "Aug 10",
                                  "Aug 17", "Aug 24", "Aug 31", "Sep 7",  "Sep 14", "Sep 21", "Sep 28",
                                  "Oct 5",  "Oct 12", "Oct 19", "Oct 26", "Nov 2"};
        for (const auto &[w, h] : {std::pair{1024, 700}, std::pair{2560, 1440}}) {
            const auto labels = labelsAt(w, h);
            const QStringList ticks = texts(labels, AxisLabel::Tick);
            QVERIFY2(ticks.size() >= 4, qPrintable(ticks.join(' ')));
            for (const QString &t : ticks)
                QVERIFY2(mondays.contains(t), qPrintable(t));
            QCOMPARE(texts(labels, AxisLabel::Context), QStringList{"2026"});
            if (w == 2560)
                QCOMPARE(ticks, mondays.mid(0, chart()->data().buckets));
            QVERIFY(countLabelsHaveRoom(w));
        }
        m_win->resize(1024, 700);
    }

    void tooltip()
    {
        QVERIFY(
            showRange([this] { m_win->searchBar()->setCustomRange(iso("2026-10-14T13:40:00Z"), iso("2026-10-14T14:00:00Z")); }));
        QCOMPARE(chart()->barToolTip(0), QStringLiteral("Wed Oct 14 2026, 09:40 – 09:41 (EDT, UTC-04:00)\n3 reports: 3 ERROR\n"
                                                        "Click to show only this time"));
        // Hovering the bar shows it.
        QChart *c = chart()->chartView()->chart();
        const QRectF plot = c->plotArea();
        const QPoint p(int(plot.left() + plot.width() / 20 * 5.5), int(plot.bottom() - 3));
        QTest::mouseMove(chart()->chartView()->viewport(), p);
        QVERIFY(QTest::qWaitFor([] { return !QToolTip::text().isEmpty(); }, 5000));
        QVERIFY2(QToolTip::text().startsWith(QStringLiteral("Wed Oct 14 2026, 09:45 – 09:46 (EDT, UTC-04:00)\n3 reports")),
                 qPrintable(QToolTip::text()));
        QToolTip::hideText();
        QVERIFY(showRange([this] { m_win->searchBar()->setRange(SearchBar::AllTime); }));
    }

    void followsTheSelectedIssue()
    {
        QVERIFY(allTime());
        IssueListModel *m = m_win->issueList()->issueModel();
        QVERIFY(waitUntilLoaded(m, 2));
        int row = -1;
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->issue(r)->title.startsWith(QStringLiteral("KeyError")))
                row = r;
        QVERIFY(row >= 0);
        const int64_t id = m->issue(row)->id;
        QVERIFY(!chart()->allIssuesButton()->isVisible());
        QVERIFY(showRange([&] { m_win->issueList()->setCurrentIndex(m->index(row, IssueListModel::Title)); }));
        QCOMPARE(chart()->issueId(), std::optional<int64_t>(id));
        QCOMPARE(chart()->data().total, m_burst);
        QVERIFY(chart()->titleLabel()->text().startsWith(QStringLiteral("Issue %1: KeyError").arg(id)));
        QVERIFY(chart()->allIssuesButton()->isVisible());
        // Its own history: 20 minutes, not the months of the other issue.
        QCOMPARE(chart()->data().step, (TimelineStep{TimelineStep::Unit::Minute, 1}));
        QVERIFY(showRange([&] { QTest::mouseClick(chart()->allIssuesButton(), Qt::LeftButton); }));
        QCOMPARE(chart()->issueId(), std::nullopt);
        QCOMPARE(chart()->data().total, m_grid + m_burst);
        QVERIFY(!chart()->allIssuesButton()->isVisible());
        QVERIFY(chart()->titleLabel()->text().startsWith(QStringLiteral("All issues")));
    }

    void backAfterABarClick()
    {
        QVERIFY(allTime());
        const TimelineData before = chart()->data();
        QVERIFY(!chart()->backButton()->isVisible());
        // The busiest bar (the week of the burst), clicked.
        int bar = 0;
        int64_t most = -1;
        for (int i = 0; i < before.buckets; ++i) {
            int64_t n = 0;
            for (const auto &[level, counts] : before.byLevel)
                n += counts[size_t(i)];
            if (n > most)
                most = n, bar = i;
        }
        const auto [from, to] = chart()->barSpan(bar);
        const QRectF plot = chart()->chartView()->chart()->plotArea();
        const QPoint p(int(plot.left() + plot.width() / before.buckets * (bar + 0.5)), int(plot.bottom() - 3));
        QVERIFY(showRange([&] { QTest::mouseClick(chart()->chartView()->viewport(), Qt::LeftButton, {}, p); }));
        QCOMPARE(m_win->searchBar()->range(), SearchBar::Custom);
        QCOMPARE(m_win->searchBar()->query().since, std::optional<int64_t>(from));
        QCOMPARE(m_win->searchBar()->query().until, std::optional<int64_t>(to));
        QCOMPARE(chart()->data().start(), from);
        QCOMPARE(chart()->data().total, most);
        QVERIFY(chart()->backButton()->isVisible());
        // Back: all time again.
        QVERIFY(showRange([&] { QTest::mouseClick(chart()->backButton(), Qt::LeftButton); }));
        QCOMPARE(m_win->searchBar()->range(), SearchBar::AllTime);
        QCOMPARE(chart()->data().total, m_grid + m_burst);
        QCOMPARE(chart()->data().edges, before.edges);
        QVERIFY(!chart()->backButton()->isVisible());
    }

    void cleanupTestCase() { m_win.reset(); }
};

QTEST_MAIN(TestUiChart)
#include "tst_ui_chart.moc"
