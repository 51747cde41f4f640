#pragma once
// What a person decides about issues, as in Sentry: resolve (a report from
// after it is a regression), resolve in the next release (only a report of a
// release first seen after the issue's newest release reopens it), ignore
// (forever, for a time, or until N more reports; then it is unresolved again),
// back to unresolved, mark reviewed (out of the For review view); merge issues
// (the fingerprints of all keep landing in the one merged into) and split
// them again; delete issues with their reports. Each call is one transaction;
// an id that names no issue fails the whole call (ErrorKind::NotFound, naming it).
#include "base/Result.h"
#include "store/Database.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace ed {

struct IgnoreUntil {
    std::optional<int64_t> forMs; // ignored for this long from now
    std::optional<int64_t> moreReports; // ignored until this many more visible reports arrive
};

class IssueTriage {
public:
    explicit IssueTriage(Database &db) : m_db(db) { }

    Result<void> resolve(const std::vector<int64_t> &ids);
    // ErrorKind::InvalidInput when an issue's reports carry no release (extra.release).
    Result<void> resolveInNextRelease(const std::vector<int64_t> &ids);
    // Neither limit set: ignored for good (until unresolved by hand).
    Result<void> ignore(const std::vector<int64_t> &ids, const IgnoreUntil &until = {});
    Result<void> unresolve(const std::vector<int64_t> &ids);
    Result<void> markReviewed(const std::vector<int64_t> &ids);

    // Moves the reports of `others` into `into`, and sends their fingerprints
    // there (an issue merged into one of them follows). The reports moved.
    Result<int64_t> merge(int64_t into, const std::vector<int64_t> &others);
    // Undoes every merge into `merged`: each report back in the issue it came
    // from, the fingerprints their own again. The reports moved back;
    // ErrorKind::InvalidInput when nothing was merged into it.
    Result<int64_t> split(int64_t merged);
    // The issues, their reports (the counts by hour and day and the full-text
    // index follow) and the issues merged into them. The reports deleted.
    Result<int64_t> deleteIssues(const std::vector<int64_t> &ids);

private:
    Database &m_db;
};

} // namespace ed
