#pragma once
// File › Open Recent: the databases opened last, most recent first, kept in
// QSettings ("Databases/recent", absolute paths or a server's postgresql://
// URL without its password, at most kMax). The sample
// database has its own menu entry and is not listed. Where the sample
// database lives is decided here too.
#include <QString>
#include <QStringList>

namespace ed::recent {

constexpr int kMax = 10;

QStringList databases();
// Moves `path` to the front (adds it when new), dropping the oldest beyond kMax.
void noteOpened(const QString &path);
void forget(const QString &path);
// Drops the entries whose file is gone; returns how many.
int forgetMissing();
void clear();

// The sample database: sample.sqlite3 in the application-data folder, beside
// the default database, filled from the bundled samples on first use.
QString sampleDatabasePath();
bool isSampleDatabase(const QString &path);

} // namespace ed::recent
