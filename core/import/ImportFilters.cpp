#include "import/ImportFilters.h"

#include "filters/FilterSet.h"

namespace ed {

Result<ImportFilters> makeImportFilters(Database &db)
{
    auto loaded = FilterSet::load(db);
    if (!loaded)
        return loaded.failure();
    std::shared_ptr<const FilterSet> set(std::move(*loaded));
    if (auto noted = FilterSet::noteImport(db, set.get()); !noted)
        return noted.failure();
    ImportFilters f;
    f.scrubber = set;
    f.filter = set;
    return f;
}

ImportFilters nullImportFilters()
{
    ImportFilters f;
    f.scrubber = std::make_shared<NullScrubber>();
    f.filter = std::make_shared<NullRecordFilter>();
    return f;
}

Result<ImportFilters> makeUnfilteredImport(Database &db)
{
    if (auto noted = FilterSet::noteImport(db, nullptr); !noted)
        return noted.failure();
    return nullImportFilters();
}

} // namespace ed
