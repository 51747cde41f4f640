#pragma once
// The values the search bar completes after a field name (status:5…,
// logger:dj…): the distinct values stored, per field. Read off the UI thread.
#include "base/Result.h"
#include "store/Database.h"

#include <QHash>
#include <QStringList>

namespace ed {

// Field name ("status", "logger", "type", "path", "site", "level") -> its
// values, sorted; at most `perField` each (the first in sort order).
Result<QHash<QString, QStringList>> loadSearchValues(Database &db, int perField = 500);

} // namespace ed
