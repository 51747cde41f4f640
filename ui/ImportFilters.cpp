#include "ImportFilters.h"

#include "filters/FilterSet.h"

namespace ed {

Result<ImportFilters> makeImportFilters(Database &db)
{
    auto loaded = FilterSet::load(db);
    if (!loaded)
        return Error{QStringLiteral("the filter settings cannot be used: %1").arg(loaded.error())};
    std::shared_ptr<FilterSet> set = std::move(*loaded);
    if (auto r = FilterSet::noteImport(db, set.get()); !r)
        return Error{r.error()};
    return ImportFilters{set, set};
}

} // namespace ed
