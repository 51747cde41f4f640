#include "views/TimelineAxis.h"

#include <QDateTime>
#include <QLocale>
#include <algorithm>

namespace ed {

namespace {

using Unit = TimelineStep::Unit;

// The label intervals, finest first: a label every 5 seconds... every 52 weeks.
const TimelineStep kIntervals[] = {
    {Unit::Second, 1},  {Unit::Second, 5}, {Unit::Second, 10}, {Unit::Second, 15}, {Unit::Second, 30},
    {Unit::Minute, 1},  {Unit::Minute, 2}, {Unit::Minute, 5},  {Unit::Minute, 10}, {Unit::Minute, 15},
    {Unit::Minute, 30}, {Unit::Hour, 1},   {Unit::Hour, 2},    {Unit::Hour, 3},    {Unit::Hour, 6},
    {Unit::Hour, 12},   {Unit::Day, 1},    {Unit::Day, 2},     {Unit::Week, 1},    {Unit::Week, 2},
    {Unit::Week, 4},    {Unit::Week, 8},   {Unit::Week, 13},   {Unit::Week, 26},   {Unit::Week, 52}};

bool subDay(const TimelineStep &s) { return s.unit != Unit::Day && s.unit != Unit::Week; }

int64_t floorMod(int64_t a, int64_t b) { return ((a % b) + b) % b; }

QDateTime at(const TimelineData &d, int64_t ms) { return QDateTime::fromMSecsSinceEpoch(ms, d.zone); }

// Whether bar `i` starts on a boundary of `interval` in the chart's zone.
bool startsInterval(const TimelineData &d, int i, const TimelineStep &interval)
{
    const QDateTime t = at(d, d.edges[size_t(i)]);
    if (subDay(interval)) {
        const int64_t localMs = d.edges[size_t(i)] + int64_t(t.offsetFromUtc()) * 1000;
        return floorMod(localMs, interval.nominalMs()) == 0;
    }
    if (t.time() != QTime(0, 0))
        return false;
    const int64_t day = t.date().toJulianDay();
    if (interval.unit == Unit::Day)
        return floorMod(day, interval.count) == 0;
    if (t.date().dayOfWeek() != Qt::Monday)
        return false;
    return floorMod((day - QDate(1970, 1, 5).toJulianDay()) / 7, interval.count) == 0;
}

QString tickText(const TimelineData &d, int i, const TimelineStep &interval)
{
    const QString format = interval.unit == Unit::Second ? QStringLiteral("HH:mm:ss")
                           : subDay(interval)            ? QStringLiteral("HH:mm")
                                                         : QStringLiteral("MMM d");
    return QLocale().toString(at(d, d.edges[size_t(i)]), format);
}

// What the tick row leaves out: the date under times, the year under dates.
QString contextText(const TimelineData &d, int i, const TimelineStep &interval)
{
    return QLocale().toString(at(d, d.edges[size_t(i)]),
                              subDay(interval) ? QStringLiteral("ddd MMM d yyyy") : QStringLiteral("yyyy"));
}

QRectF textRect(const QFontMetricsF &fm, const QString &text, qreal centreX, qreal top)
{
    const qreal w = fm.horizontalAdvance(text) + 2; // +2: no pixel of the last glyph cut
    return QRectF(centreX - w / 2, top, w, fm.height());
}

} // namespace

QList<AxisLabel> TimelineAxis::layout(const TimelineData &d, const QRectF &bars, const QRectF &bounds, const QFontMetricsF &fm)
{
    QList<AxisLabel> out;
    if (d.buckets <= 0 || bars.width() <= 0)
        return out;
    const qreal barWidth = bars.width() / d.buckets;
    const qreal gap = fm.averageCharWidth() * 2.5;
    const qreal tickTop = bars.bottom() + 3;
    const qreal contextTop = tickTop + fm.height();
    auto centre = [&](int i) { return bars.left() + (i + 0.5) * barWidth; };

    // The finest interval of at least one bar whose labels fit side by side.
    QList<AxisLabel> ticks;
    TimelineStep chosen = d.step;
    for (const TimelineStep &interval : kIntervals) {
        if (interval.nominalMs() < d.step.nominalMs() || interval.nominalMs() % d.step.nominalMs() != 0)
            continue;
        QList<AxisLabel> row;
        bool fits = true;
        for (int i = 0; i < d.buckets && fits; ++i) {
            if (!startsInterval(d, i, interval))
                continue;
            AxisLabel l{AxisLabel::Tick, i, {}, tickText(d, i, interval)};
            l.rect = textRect(fm, l.text, centre(i), tickTop);
            if (l.rect.left() < bounds.left() || l.rect.right() > bounds.right())
                continue; // a label at an end that has no room: the next one says it
            fits = row.isEmpty() || row.last().rect.right() + gap <= l.rect.left();
            row << l;
        }
        if (fits && !row.isEmpty()) {
            ticks = row;
            chosen = interval;
            break;
        }
    }
    if (ticks.isEmpty()) {
        // Not one boundary in the range (or no room): the first bar's start, from the left.
        AxisLabel l{AxisLabel::Tick, 0, {}, tickText(d, 0, d.step)};
        l.rect = textRect(fm, l.text, 0, tickTop);
        l.rect.moveLeft(std::max(bounds.left(), centre(0) - l.rect.width() / 2));
        ticks << l;
    }
    out << ticks;

    // The date (or year) under the first tick and under each tick where it changes.
    QString previous;
    qreal contextRight = bounds.left() - gap;
    for (const AxisLabel &t : ticks) {
        const QString text = contextText(d, t.bar, chosen);
        if (text == previous)
            continue;
        previous = text;
        AxisLabel l{AxisLabel::Context, t.bar, {}, text};
        l.rect = textRect(fm, text, 0, contextTop);
        l.rect.moveLeft(std::max(bounds.left(), t.rect.left()));
        if (l.rect.left() < contextRight + gap || l.rect.right() > bounds.right())
            continue;
        contextRight = l.rect.right();
        out << l;
    }
    // The zone, at the right end of the date row when there is room.
    AxisLabel zone{AxisLabel::Zone, -1, {}, zoneText(d.zone, d.start())};
    zone.rect = textRect(fm, zone.text, 0, contextTop);
    zone.rect.moveRight(std::min(bounds.right(), bars.right()));
    if (zone.rect.left() >= contextRight + gap)
        out << zone;
    return out;
}

QString TimelineAxis::spanText(const TimelineData &d, int i)
{
    const auto [from, to] = d.span(i);
    const QDateTime a = at(d, from), b = at(d, to), last = at(d, to - 1);
    const QLocale loc;
    const QString zone = zoneText(d.zone, from);
    switch (d.step.unit) {
    case Unit::Day: return QStringLiteral("%1 (%2)").arg(loc.toString(a, QStringLiteral("ddd MMM d yyyy")), zone);
    case Unit::Week:
        return QStringLiteral("%1 – %2 (%3)")
            .arg(loc.toString(a, QStringLiteral("ddd MMM d")), loc.toString(last, QStringLiteral("ddd MMM d yyyy")), zone);
    default: break;
    }
    const QString time = d.step.unit == Unit::Second ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm");
    // The end's date only where the bar runs past midnight into another day.
    const bool otherDay = last.date() != a.date();
    return QStringLiteral("%1, %2 – %3 (%4)")
        .arg(loc.toString(a, QStringLiteral("ddd MMM d yyyy")), loc.toString(a, time),
             otherDay ? loc.toString(b, QStringLiteral("ddd MMM d ") + time) : loc.toString(b, time), zone);
}

QString TimelineAxis::zoneText(const QTimeZone &zone, int64_t atMs)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(atMs, zone);
    const QString offset = zone.displayName(t, QTimeZone::OffsetName); // "UTC-05:00"
    if (t.offsetFromUtc() == 0 && (zone == QTimeZone::utc() || zone.id().startsWith("UTC") || zone.id() == "Etc/UTC"))
        return QStringLiteral("UTC");
    const QString abbreviation = zone.abbreviation(t); // "EST"; "+0530" where the zone has none
    if (abbreviation.isEmpty() || !abbreviation.at(0).isLetter() || abbreviation == offset)
        return offset;
    return QStringLiteral("%1, %2").arg(abbreviation, offset);
}

} // namespace ed
