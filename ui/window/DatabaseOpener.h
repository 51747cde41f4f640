#pragma once
// Opens (and migrates) the app's database on a thread of its own while the
// event loop runs: an upgrade of a large file (schema 7 counts every report
// once) takes seconds, and the screen says so instead of showing nothing.
// The UI thread itself runs no SQLite (base/ThreadCheck.h).
#include "base/Result.h"
#include "store/Database.h"

#include <QString>

namespace ed {

Result<Database> openDatabaseOffTheUiThread(const QString &path);

} // namespace ed
