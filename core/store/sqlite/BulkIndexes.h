#pragma once
// The secondary indexes of `reports` that a bulk import builds once at its end
// instead of row by row: a B-tree insert per row and index cost the writer
// about half its time on a large import into an empty database, while CREATE
// INDEX over the same rows (one sort each) costs a quarter of that. Only
// indexes no query names (INDEXED BY) are deferred, so every query still runs
// while they are missing, only slower; queries never give other results.
#include "base/Result.h"

#include <string>
#include <vector>

namespace ed {

class Connection;

struct DeferredIndex {
    std::string name, sql; // sql: its CREATE INDEX statement
};

// The names of the indexes that may be deferred (all in the schema since 11).
const std::vector<std::string> &deferrableIndexNames();

// Inside the caller's write transaction: reads the deferrable indexes' SQL and
// drops them; what it returns is what restoreDeferredIndexes() builds again.
Result<std::vector<DeferredIndex>> dropDeferrableIndexes(Connection &c);

// Builds the given indexes where missing, in a transaction of its own.
Result<void> restoreDeferredIndexes(Connection &c, const std::vector<DeferredIndex> &indexes);

// For a database an import left without them (the process died before its
// end): builds the deferrable indexes that are missing, from the SQL of the
// current schema. Nothing to do (one small query) when none is missing.
Result<void> restoreMissingIndexes(Connection &c);

} // namespace ed
