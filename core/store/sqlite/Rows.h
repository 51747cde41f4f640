#pragma once
// How the store's domain rows map to SQLite columns: private to core/store.
#include "store/ImportFileStore.h"
#include "store/ReportStore.h"
#include "store/sqlite/Sqlite.h"

#include <QVariant>
#include <vector>

namespace ed {

// "r.id, r.event_id, ...": the columns of a ReportRow over `reports r`, in reportRowFrom's order.
const char *reportRowColumns();
constexpr int kReportRowColumnCount = 17; // how many reportRowColumns() names
ReportRow reportRowFrom(const Statement &st, int firstColumn = 0);
const char *reportSortColumn(ReportSort sort); // "r.timestamp", ...

// A file's progress stored or replaced (an upsert on its path), for bindFileProgress.
extern const char *const kPutProgress;
// A FileProgress to ?1..?6 (path, head_hash, byte_offset, line, size, updated_at = now).
void bindFileProgress(Statement &st, const FileProgress &p);

// Binds QVariant values (qint64, QString) to ?s numbered from `first`.
void bindVariants(Statement &st, const std::vector<QVariant> &values, int first = 1);

} // namespace ed
