#pragma once
// What an issue's page shows about all its reports, as Sentry's issue page
// does: when it was first and last seen, how many reports, and for each
// facet (path, host, user agent, user, client address, server, release,
// environment) its most frequent values with their counts.
#include "base/Result.h"
#include "store/Database.h"
#include "store/ReportStore.h"

#include <QString>
#include <vector>

namespace ed {

struct FacetValue {
    QString value; // empty: the reports without one
    int64_t count = 0;
};

struct Facet {
    QString name; // "path", "host", "user_agent", "user", "client", "server", "release", "environment"
    std::vector<FacetValue> top; // most frequent first, at most IssueSummaryOptions::topValues
    int64_t total = 0; // the reports counted: all visible ones, or the sample
    int64_t distinct = 0; // how many different values among them
};

struct IssueSummary {
    IssueRow issue;
    // Facets read from stored columns count every visible report; the
    // others come from the newest `sampled` reports' records.
    std::vector<Facet> facets;
    int64_t sampled = 0;
    int64_t latestReportId = 0; // 0: no visible report
};

struct IssueSummaryOptions {
    int topValues = 5;
    int sampleSize = 500; // records read for the facets that live only in them
};

// ErrorKind::NotFound when there is no such issue.
Result<IssueSummary> loadIssueSummary(Database &db, int64_t issueId, const IssueSummaryOptions &options = {});

} // namespace ed
