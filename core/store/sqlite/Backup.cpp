#include "store/Backup.h"
#include "store/sqlite/Sqlite.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUuid>

namespace ed {

Result<BackupSummary> backupDatabase(Database &db, const QString &out)
{
    if (db.isServer()) // VACUUM INTO is SQLite's; the server has its own tools
        return Error{QStringLiteral("%1 is a PostgreSQL database: back it up with pg_dump (errordeck-cli backup copies a "
                                    "database file)")
                         .arg(db.path()),
                     ErrorKind::InvalidInput};
    const QFileInfo target(out);
    if (target.exists()) {
        if (target.canonicalFilePath() == QFileInfo(db.path()).canonicalFilePath())
            return Error{QStringLiteral("%1 is the database itself; choose another file for the copy").arg(out)};
        return Error{QStringLiteral("%1 already exists; the backup does not overwrite a file").arg(out)};
    }
    const QString dir = target.absolutePath();
    if (!QFileInfo(dir).isDir())
        return Error{QStringLiteral("cannot back up to %1: the folder %2 does not exist").arg(out, dir)};
    // A name of our own beside the target: same file system, so the rename is atomic.
    const QString partial = QDir(dir).filePath(
        QStringLiteral(".%1.%2.partial").arg(target.fileName(), QUuid::createUuid().toString(QUuid::WithoutBraces)));
    auto discard = [&partial] {
        for (const char *suffix : {"", "-journal", "-wal", "-shm"})
            QFile::remove(partial + QLatin1String(suffix));
    };

    Statement st = connectionOf(db).prepare("VACUUM INTO ?");
    if (!st.valid())
        return Error{QStringLiteral("cannot back up %1: %2").arg(db.path(), st.prepareError())};
    st.bind(1, partial);
    if (!st.exec()) {
        const QString err = st.error();
        discard();
        return Error{QStringLiteral("cannot back up %1 to %2: %3").arg(db.path(), out, err)};
    }

    BackupSummary sum;
    {
        // Read back as ErrorDeck reads it: the right kind of file, every page sound.
        auto copy = Database::open(partial, /*readOnly=*/true);
        if (!copy) {
            discard();
            return Error{QStringLiteral("the backup %1 cannot be read back: %2").arg(out, copy.error())};
        }
        auto check = connectionOf(*copy).scalar("SELECT count(*) FROM pragma_quick_check WHERE quick_check <> 'ok'");
        auto reports = connectionOf(*copy).scalar("SELECT count(*) FROM reports");
        if (!check || *check != 0 || !reports) {
            discard();
            return Error{QStringLiteral("the backup %1 failed its check: %2")
                             .arg(out, !check     ? check.error()
                                       : !reports ? reports.error()
                                                  : QStringLiteral("damaged pages"))};
        }
        sum.reports = *reports;
    }
    // The reports are private: readable by their owner only, whatever the umask.
    QFile::setPermissions(partial, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QFile::remove(partial + QStringLiteral("-shm")); // a read-only open may leave an empty one
    QFile::remove(partial + QStringLiteral("-wal"));
    if (!QFile::rename(partial, out)) {
        discard();
        return Error{QStringLiteral("cannot move the backup into place at %1 (does it exist now?)").arg(out)};
    }
    sum.path = out;
    sum.bytes = QFileInfo(out).size();
    return sum;
}

} // namespace ed
