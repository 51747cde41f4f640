#include "window/RecentDatabases.h"

#include "store/Database.h"
#include "store/DatabaseLocation.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace ed::recent {
namespace {
const QString kKey = QStringLiteral("Databases/recent");

// A server's URL stays a URL, never with a password in a settings file.
QString normalized(const QString &path)
{
    return Database::isServerUrl(path) ? withoutPassword(path) : QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

void store(const QStringList &list) { QSettings().setValue(kKey, list); }
} // namespace

QStringList databases() { return QSettings().value(kKey).toStringList(); }

void noteOpened(const QString &path)
{
    const QString p = normalized(path);
    if (isSampleDatabase(p))
        return;
    QStringList list = databases();
    list.removeAll(p);
    list.prepend(p);
    while (list.size() > kMax)
        list.removeLast();
    store(list);
}

void forget(const QString &path)
{
    QStringList list = databases();
    list.removeAll(normalized(path));
    store(list);
}

int forgetMissing()
{
    QStringList list = databases();
    const auto n = list.removeIf([](const QString &p) { return !Database::isServerUrl(p) && !QFileInfo::exists(p); });
    store(list);
    return int(n);
}

void clear() { store({}); }

QString sampleDatabasePath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("sample.sqlite3"));
}

bool isSampleDatabase(const QString &path) { return normalized(path) == normalized(sampleDatabasePath()); }

} // namespace ed::recent
