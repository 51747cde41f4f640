#pragma once
// What copy-store (store/StoreCopy.h) derives in the destination once the rows
// are there, inside the caller's transaction: the per-issue counts, and the
// engine-picked ids set past the copied ones.
#include "base/Result.h"
#include "store/sqlite/StoreCatalog.h"

#include <vector>

namespace ed {

class Connection;

// issue_hours and issue_days made again from the destination's reports.
Result<void> rebuildRollups(Connection &dst);
// PostgreSQL's identities (setval) and SQLite's AUTOINCREMENT (sqlite_sequence)
// past every copied id and every id the source handed out.
Result<void> setIdsPastCopied(Connection &src, Connection &dst, const std::vector<CatalogTable> &dstTables);

} // namespace ed
