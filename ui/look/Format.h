#pragma once
// How times, counts and report titles read in the lists.
#include "store/ReportStore.h"

#include <QString>
#include <cstdint>

namespace ed::fmt {

// Local time, "2026-11-20 12:34:56".
QString localTime(int64_t ms);
// "just now", "5 min ago", "3 h ago", "2 days ago", else a date.
QString age(int64_t ms, int64_t nowMs);
// "ZeroDivisionError: division by zero", or the message when there is no exception.
QString reportTitle(const ReportRow &r);
QString issueStatusName(IssueStatus s, bool regression);

} // namespace ed::fmt
