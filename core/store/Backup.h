#pragma once
// A copy of the database that stands on its own (File › Back Up Database…,
// `errordeck-cli backup OUT.sqlite3`): consistent while imports write, with
// every committed row in the one file, nothing in a -wal beside it.
#include "store/Database.h"
#include "base/Result.h"

#include <QString>
#include <cstdint>

namespace ed {

struct BackupSummary {
    QString path; // the copy
    int64_t bytes = 0; // its size
    int64_t reports = 0; // reports in it
};

// Writes the copy with SQLite's VACUUM INTO: one read transaction, so a
// snapshot of committed work however other connections write meanwhile, and
// only live pages (free pages that held overwritten values are not copied).
// The copy is written beside `out` and renamed into place once checked, so a
// failure never leaves a half copy under that name. Refuses to overwrite an
// existing file and to copy a database onto itself.
Result<BackupSummary> backupDatabase(Database &db, const QString &out);

} // namespace ed
