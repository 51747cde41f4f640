#pragma once
// What the desktop app's lists and actions ask beyond ReportStore: how many
// issues a search matches, an issue's latest report, how many reports each
// rule hides. Each call is one short statement, run on a job runner's
// connection (never on the UI thread).
#include "base/Result.h"
#include "store/Database.h"
#include "store/SearchQuery.h"

#include <QString>
#include <array>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace ed {

class ListQueries {
public:
    explicit ListQueries(Database &db) : m_db(db) { }

    // Issues with at least one report matching `q` (its issue id ignored), as
    // ReportStore::listIssues lists them: from the stored counters when the
    // search is empty.
    Result<int64_t> countIssues(const SearchQuery &q);
    // The issues matching `q` in each view (its view ignored), in kAllIssueViews' order: the view switch's counts.
    Result<std::array<int64_t, kIssueViewCount>> viewCounts(const SearchQuery &q);
    // hidden_by -> reports, the most first.
    Result<std::vector<std::pair<QString, int64_t>>> hiddenCounts();

private:
    Database &m_db;
};

} // namespace ed
