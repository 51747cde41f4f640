#pragma once
// The scrubber and record filter an import runs with. The rules are settings of
// the database, so they are built for one database connection; `errordeck-cli
// import`, `errordeck-cli watch` and the app's watched folders all get theirs
// from makeImportFilters, so a watched folder is filtered exactly like an import.
#include "store/Database.h"
#include "model/Filter.h"
#include "base/Result.h"

#include <functional>
#include <memory>

namespace ed {

struct ImportFilters {
    std::shared_ptr<const Scrubber> scrubber; // often one object that is both
    std::shared_ptr<const RecordFilter> filter;
};

// Called on the thread that imports, with that thread's connection, when an
// import run starts, so that changed settings apply to the next batch.
using ImportFiltersFactory = std::function<Result<ImportFilters>(Database &db)>;

// The database's FilterSet (secret scrubbing, drop and hide rules, Django's
// 404-ignore rules); also notes in the database what the import scrubs with.
Result<ImportFilters> makeImportFilters(Database &db);

// No scrubbing and no rules: what the store itself does (tests, the benchmark's
// --no-filters). With a database, it is marked so that `rules apply` scrubs later.
ImportFilters nullImportFilters();
Result<ImportFilters> makeUnfilteredImport(Database &db);

} // namespace ed
