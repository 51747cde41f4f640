#pragma once
// How times, counts and report titles read in the lists.
#include "base/Timestamp.h"
#include "store/ReportStore.h"

#include <QString>
#include <cstdint>

namespace ed::fmt {

// The zone the app shows times in (ERRORDECK_TIME_ZONE; the main window sets
// it from the settings, before the lists load). Local until set.
void setZone(DisplayZone zone);
DisplayZone zone();
// In that zone, named: "2026-11-20 07:34:56 EST", "2026-11-20 12:34:56 UTC".
QString time(int64_t ms);
// "just now", "5 min ago", "3 h ago", "2 days ago", else a date.
QString age(int64_t ms, int64_t nowMs);
// "812 bytes", "14.2 KB", "3.1 MB", "1.2 GB" (powers of 1,000, the locale's digits).
QString bytes(int64_t n);
// "0.04 s", "2.3 s", "1 min 5 s": a duration to two significant figures below a minute.
QString seconds(double s);
// "ZeroDivisionError: division by zero", or the message when there is no exception.
QString reportTitle(const ReportRow &r);
QString issueStatusName(IssueStatus s, bool regression);

} // namespace ed::fmt
