#pragma once
// The time axis under the timeline chart's bars, laid out by hand: QtCharts'
// category axis gives each bar its own label and elides it to the bar's width
// ("O…", "09:5…"), whatever the range. Here a label goes under every k-th
// bar, k the smallest nice interval (every 5 minutes, 3 hours, Monday...) at
// which the labels fit side by side; a second row gives the date (or the year)
// where it changes, and the zone the times are in.
#include "store/TimelineQueries.h"

#include <QFontMetricsF>
#include <QList>
#include <QRectF>
#include <QString>

namespace ed {

struct AxisLabel {
    enum Row { Tick, Context, Zone };
    Row row = Tick;
    int bar = -1; // the bar it names (-1 for the zone)
    QRectF rect; // where it is drawn, in the chart's coordinates
    QString text;
};

class TimelineAxis {
public:
    // Labels for the bars of `d` drawn side by side across `bars` (the plot
    // area's left to right), below it; none overlaps another or leaves
    // `bounds`, none is cut.
    static QList<AxisLabel> layout(const TimelineData &d, const QRectF &bars, const QRectF &bounds, const QFontMetricsF &fm);

    // "Sun Nov 22 2026, 09:50 – 09:55 (EST, UTC-05:00)": the time a bar spans.
    static QString spanText(const TimelineData &d, int i);
    // "EST, UTC-05:00", or "UTC".
    static QString zoneText(const QTimeZone &zone, int64_t atMs);
    // Pixels of row height the axis needs under the bars.
    static qreal height(const QFontMetricsF &fm) { return 2 * fm.height() + 6; }
};

} // namespace ed
