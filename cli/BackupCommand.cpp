// errordeck-cli backup: a consistent copy of the database in one file.
#include "CliContext.h"

#include "store/Backup.h"
#include "store/DatabaseLocation.h"

namespace ed::cli {

int cmdBackup(Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("A copy of the database in one file, consistent even while an import or the app writes to it\n"
                       "(SQLite's VACUUM INTO: committed work only, no free pages). OUT must not exist yet."));
    addCommonOptions(p);
    p.addPositionalArgument(QStringLiteral("out"), QStringLiteral("The file to write, e.g. backup.sqlite3."),
                            QStringLiteral("OUT"));
    if (int rc = parseCommon(p, args, ctx); rc >= 0)
        return rc;
    const QStringList pos = p.positionalArguments();
    if (pos.size() != 1) {
        ctx.err() << "backup: give the file to write, e.g. errordeck-cli backup backup.sqlite3\n";
        return Fatal;
    }
    // Before connecting: a server's database is not one file to copy.
    if (auto where = chooseDatabaseLocation(ctx.dbPath); where && Database::isServerUrl(*where)) {
        ctx.err() << "errordeck-cli backup: " << withoutPassword(*where)
                  << " is a PostgreSQL database: back it up with pg_dump (backup copies a database file)" << Qt::endl;
        return Fatal;
    }
    Database *db = ctx.db();
    if (!db)
        return Fatal;
    auto sum = backupDatabase(*db, pos[0]);
    if (!sum) {
        ctx.err() << "backup: " << sum.error() << '\n';
        return Fatal;
    }
    ctx.out() << "backed up " << sum->reports << " reports to " << sum->path << " ("
              << QString::number(double(sum->bytes) / (1 << 20), 'f', 1) << " MB)\n";
    return Ok;
}

} // namespace ed::cli
