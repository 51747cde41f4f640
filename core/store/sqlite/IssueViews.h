#pragma once
// The issue list's views and the is: statuses as conditions over `issues i`:
// private to core/store. An ignore with a time limit ends at query time (the
// writer also sets it back when a report arrives), so the conditions take the
// time as a literal: ReportListPlan weighs an issue condition without binds.
#include "store/SearchQuery.h"

#include <QString>
#include <cstdint>

namespace ed {

// "" for IssueView::All. `now`: ms since the epoch.
QString issueViewCondition(IssueView view, int64_t now);
// The issue's status as a person sees it (an ended ignore is unresolved).
QString issueStatusCondition(int64_t status, int64_t now);
// The query's "now" (SearchQuery::now, else the clock).
int64_t queryNow(const SearchQuery &q);

} // namespace ed
