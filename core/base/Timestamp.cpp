#include "base/Timestamp.h"

#include <QDateTime>
#include <QTimeZone>
#include <cmath>
#include <cstdlib>

namespace ed {
namespace {

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; // March = 0
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int64_t(doe) - 719468;
}

bool isLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int daysInMonth(int y, int m)
{
    static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeapYear(y) ? 29 : kDays[m - 1];
}

struct Cursor {
    std::string_view s;
    size_t i = 0;
    bool digits(int n, int &out)
    {
        out = 0;
        for (int k = 0; k < n; ++k) {
            if (i >= s.size() || s[i] < '0' || s[i] > '9')
                return false;
            out = out * 10 + (s[i++] - '0');
        }
        return true;
    }
    bool eat(char c)
    {
        if (i < s.size() && s[i] == c) {
            ++i;
            return true;
        }
        return false;
    }
    bool done() const { return i == s.size(); }
};

} // namespace

std::optional<int64_t> parseIsoTimestamp(std::string_view text)
{
    Cursor c{text};
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (!c.digits(4, y) || !c.eat('-') || !c.digits(2, mo) || !c.eat('-') || !c.digits(2, d))
        return std::nullopt;
    // 2026-02-30 is no date: rejected, not shifted to March.
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo))
        return std::nullopt;
    int64_t ms = 0;
    if (!c.done()) {
        if (!c.eat('T') && !c.eat(' ') && !c.eat('t'))
            return std::nullopt;
        if (!c.digits(2, h) || !c.eat(':') || !c.digits(2, mi))
            return std::nullopt;
        if (c.eat(':') && !c.digits(2, sec))
            return std::nullopt;
        if (h > 23 || mi > 59 || sec > 60)
            return std::nullopt;
        if (c.eat('.') || c.eat(',')) {
            int scale = 100, n = 0;
            while (!c.done() && c.s[c.i] >= '0' && c.s[c.i] <= '9') {
                ms += (c.s[c.i++] - '0') * scale;
                scale /= 10;
                ++n;
            }
            if (n == 0)
                return std::nullopt;
        }
        if (c.eat('Z') || c.eat('z')) {
        } else if (!c.done()) {
            const char sign = c.s[c.i];
            if (sign != '+' && sign != '-')
                return std::nullopt;
            ++c.i;
            int oh, om = 0;
            if (!c.digits(2, oh))
                return std::nullopt;
            if (c.eat(':')) {
                if (!c.digits(2, om))
                    return std::nullopt;
            } else if (!c.done() && !c.digits(2, om)) {
                return std::nullopt;
            }
            // Offsets are under a day, as Python's timezone requires (+99:99 is none).
            if (oh > 23 || om > 59)
                return std::nullopt;
            const int64_t offset = (int64_t(oh) * 60 + om) * 60000;
            ms -= sign == '+' ? offset : -offset;
        }
        if (!c.done())
            return std::nullopt;
    }
    const int64_t days = daysFromCivil(y, unsigned(mo), unsigned(d));
    return ((days * 24 + h) * 60 + mi) * 60000 + int64_t(sec) * 1000 + ms;
}

std::optional<int64_t> timestampFromSeconds(double seconds)
{
    if (!std::isfinite(seconds) || seconds < -62135596800.0 || seconds > 253402300799.0)
        return std::nullopt;
    return int64_t(std::llround(seconds * 1000.0));
}

QString formatIsoTimestamp(int64_t msUtc)
{
    return QDateTime::fromMSecsSinceEpoch(msUtc, QTimeZone::utc()).toString(Qt::ISODateWithMs);
}

QString displayZoneName(DisplayZone zone) { return zone == DisplayZone::Utc ? QStringLiteral("utc") : QStringLiteral("local"); }

std::optional<DisplayZone> displayZoneByName(const QString &name)
{
    if (name.compare(QLatin1String("utc"), Qt::CaseInsensitive) == 0)
        return DisplayZone::Utc;
    if (name.compare(QLatin1String("local"), Qt::CaseInsensitive) == 0)
        return DisplayZone::Local;
    return std::nullopt;
}

namespace {

QDateTime inZone(int64_t msUtc, DisplayZone zone)
{
    const QDateTime utc = QDateTime::fromMSecsSinceEpoch(msUtc, QTimeZone::utc());
    return zone == DisplayZone::Utc ? utc : utc.toLocalTime();
}

} // namespace

QString displayZoneAbbreviation(int64_t msUtc, DisplayZone zone)
{
    if (zone == DisplayZone::Utc)
        return QStringLiteral("UTC");
    const QDateTime t = inZone(msUtc, zone);
    QString abbreviation = t.timeZoneAbbreviation();
    // Some zones (tzdata's "-03") have only a number: say it as an offset.
    if (abbreviation.isEmpty() || abbreviation.front() == QLatin1Char('+') || abbreviation.front() == QLatin1Char('-')) {
        const int offset = t.offsetFromUtc() / 60;
        abbreviation = QStringLiteral("UTC%1%2:%3")
                           .arg(offset < 0 ? QLatin1Char('-') : QLatin1Char('+'))
                           .arg(std::abs(offset) / 60, 2, 10, QLatin1Char('0'))
                           .arg(std::abs(offset) % 60, 2, 10, QLatin1Char('0'));
    }
    return abbreviation;
}

QString formatDisplayTime(int64_t msUtc, DisplayZone zone)
{
    return inZone(msUtc, zone).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss ")) + displayZoneAbbreviation(msUtc, zone);
}

std::optional<int64_t> parseDisplayTime(std::string_view text, DisplayZone zone)
{
    const auto asUtc = parseIsoTimestamp(text);
    if (!asUtc || zone == DisplayZone::Utc)
        return asUtc;
    // An explicit Z or offset after the time (the date alone has neither) wins.
    if (text.size() > 10) {
        const std::string_view time = text.substr(10);
        if (time.find_first_of("Zz+") != std::string_view::npos || time.find('-') != std::string_view::npos)
            return asUtc;
    }
    // The same wall-clock reading, in the local zone.
    const QDateTime wall = QDateTime::fromMSecsSinceEpoch(*asUtc, QTimeZone::utc());
    return QDateTime(wall.date(), wall.time(), Qt::LocalTime).toMSecsSinceEpoch();
}

int64_t startOfDay(int64_t msUtc, DisplayZone zone, int dayOffset)
{
    const QDate day = inZone(msUtc, zone).date().addDays(dayOffset);
    return zone == DisplayZone::Utc ? day.startOfDay(QTimeZone::utc()).toMSecsSinceEpoch()
                                    : day.startOfDay(Qt::LocalTime).toMSecsSinceEpoch();
}

} // namespace ed
