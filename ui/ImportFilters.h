#pragma once
// The scrubber and drop/hide rules an import from the desktop app runs with:
// the database's own settings and rules (core/filters FilterSet), the same the
// CLI uses, so a report imported either way is stored the same.
#include "Database.h"
#include "Filter.h"
#include "Result.h"

#include <memory>

namespace ed {

struct ImportFilters {
    std::shared_ptr<Scrubber> scrubber;
    std::shared_ptr<RecordFilter> filter;
};

// Reads the rules (on the import thread, with its connection) and notes that an
// import with them starts. An error (a broken rule) stops the import: storing
// reports unscrubbed instead would keep secrets.
Result<ImportFilters> makeImportFilters(Database &db);

} // namespace ed
