// errordeck-cli copy-store SRC DST: a whole store from one database into
// another (an SQLite file into PostgreSQL, and back), resumable, verified.
#include "CliContext.h"

#include "base/AppLog.h"
#include "base/CancelToken.h"
#include "store/DatabaseLocation.h"
#include "store/StoreCopy.h"

#include <QElapsedTimer>
#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace ed::cli {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;

// Ctrl+C: the copy stops after the batch it is writing is committed.
void onInterrupt(int) { g_interrupted = 1; }

QString percent(int64_t done, int64_t total)
{
    return QString::number(total > 0 ? 100.0 * double(done) / double(total) : 100.0, 'f', 0) + u'%';
}

QString checks(const std::optional<std::pair<int64_t, int64_t>> &c)
{
    return c ? QStringLiteral("%1, %2").arg(c->first).arg(c->second) : QString();
}

} // namespace

int cmdCopyStore(Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Copy every report, issue, rule and setting of SRC into DST: an SQLite file into a PostgreSQL\n"
                       "database (postgresql://USER@HOST:PORT/DB) or back. DST must be new or empty; an interrupted copy\n"
                       "(Ctrl+C, a kill) run again with the same SRC and DST goes on where it stopped. At the end the\n"
                       "row counts and ids of every table are compared and printed; any difference is an error."));
    addCommonOptions(p);
    p.addOption({QStringLiteral("quiet"), QStringLiteral("No progress on stderr.")});
    QCommandLineOption batchRows(QStringLiteral("batch-rows"), QStringLiteral("Rows per transaction (default 5000)."),
                                 QStringLiteral("N"), QStringLiteral("5000"));
    batchRows.setFlags(QCommandLineOption::HiddenFromHelp);
    p.addOption(batchRows);
    p.addPositionalArgument(QStringLiteral("src"), QStringLiteral("The database to copy: a file or a postgresql:// URL."),
                            QStringLiteral("SRC"));
    p.addPositionalArgument(QStringLiteral("dst"), QStringLiteral("The database to copy into: a file or a postgresql:// URL."),
                            QStringLiteral("DST"));
    if (int rc = parseCommon(p, args, ctx); rc >= 0)
        return rc;
    const QStringList pos = p.positionalArguments();
    if (p.isSet(QStringLiteral("db"))) {
        ctx.err() << "errordeck-cli copy-store: --db does not apply here: give the source and the destination as SRC DST\n";
        return Fatal;
    }
    if (pos.size() != 2) {
        ctx.err() << "errordeck-cli copy-store: give the source and the destination, e.g. errordeck-cli copy-store "
                     "site.sqlite3 postgresql://errordeck@db.example.org/errors\n";
        return Fatal;
    }
    int64_t batch = 0;
    if (!numberOption(ctx, p, QStringLiteral("batch-rows"), 1, 1'000'000, batch))
        return Fatal;
    auto srcLocation = databaseLocationFrom(pos[0], QStringLiteral("SRC"));
    auto dstLocation = databaseLocationFrom(pos[1], QStringLiteral("DST"));
    for (const auto *l : {&srcLocation, &dstLocation})
        if (!*l) {
            ctx.err() << "errordeck-cli copy-store: " << l->error() << Qt::endl;
            return Fatal;
        }
    // The source only read: an older file is not migrated behind its owner's back.
    Database::OpenOptions readOnly;
    readOnly.readOnly = true;
    auto source = Database::open(*srcLocation, readOnly);
    if (!source) {
        ctx.err() << "errordeck-cli copy-store: " << source.error()
                  << (source.error().contains(QLatin1String("older schema"))
                          ? QStringLiteral(" (open it once with this version to migrate it, e.g. errordeck-cli --db SRC stats)")
                          : QString())
                  << Qt::endl;
        return Fatal;
    }
    auto destination = Database::open(*dstLocation, Database::OpenOptions{});
    if (!destination) {
        ctx.err() << "errordeck-cli copy-store: " << destination.error() << Qt::endl;
        return Fatal;
    }

    const bool quiet = p.isSet(QStringLiteral("quiet"));
    const bool terminal = isatty(STDERR_FILENO);
    // Test hooks: SIGKILL (or SIGINT, as Ctrl+C sends it) after this many
    // committed batches, a kill or an interrupt at a known point.
    const int killAfter = qEnvironmentVariableIntValue("ERRORDECK_TEST_KILL_COPY_AFTER_BATCHES");
    const int interruptAfter = qEnvironmentVariableIntValue("ERRORDECK_TEST_INTERRUPT_COPY_AFTER_BATCHES");
    CancelToken cancel;
    StoreCopyOptions options;
    options.batchRows = int(batch);
    options.cancel = &cancel;
    QElapsedTimer shown;
    int batches = 0;
    int64_t lastDone = 0;
    options.progress = [&](const StoreCopyProgress &pr) {
        if (pr.rowsDone != lastDone && (killAfter > 0 || interruptAfter > 0)) {
            ++batches;
            if (batches == killAfter)
                std::raise(SIGKILL);
            if (batches == interruptAfter)
                std::raise(SIGINT);
        }
        lastDone = pr.rowsDone;
        if (g_interrupted)
            cancel.cancel();
        if (quiet)
            return;
        // Numbers and our table names only: our own \r and erase-line go out unfiltered.
        const QString line = QStringLiteral("%1 (%2/%3): %4 of %5 rows; %6 of all")
                                 .arg(pr.table)
                                 .arg(pr.tableIndex)
                                 .arg(pr.tableCount)
                                 .arg(pr.tableDone)
                                 .arg(pr.tableTotal)
                                 .arg(percent(pr.rowsDone, pr.rowsTotal));
        if (terminal) {
            if (pr.tableFinished || !shown.isValid() || shown.elapsed() >= 200) {
                ctx.rawErr() << '\r' << line << "\x1b[K";
                shown.start();
            }
        } else if (pr.tableFinished) {
            ctx.rawErr() << line << '\n';
        }
        ctx.rawErr().flush();
    };

    g_interrupted = 0;
    auto previous = std::signal(SIGINT, onInterrupt);
    applog::info(QStringLiteral("copy-store %1 to %2").arg(source->path(), destination->path()));
    auto summary = copyStore(*source, *destination, options);
    std::signal(SIGINT, previous);
    if (terminal && !quiet) {
        ctx.rawErr() << '\n';
        ctx.rawErr().flush();
    }
    if (!summary) {
        ctx.err() << "errordeck-cli copy-store: " << summary.error() << Qt::endl;
        applog::info(QStringLiteral("copy-store failed: %1").arg(summary.error()));
        return Fatal;
    }
    QList<QStringList> rows;
    for (const StoreCopyFigures &f : summary->tables)
        rows << QStringList{f.table,
                            QString::number(f.sourceRows),
                            QString::number(f.destinationRows),
                            f.checks,
                            checks(f.sourceChecks),
                            checks(f.destinationChecks),
                            f.matches() ? QStringLiteral("ok") : QStringLiteral("DIFFERENT")};
    ctx.printTable({QStringLiteral("TABLE"), QStringLiteral("SOURCE"), QStringLiteral("COPY"), QStringLiteral("CHECKS"),
                    QStringLiteral("SOURCE"), QStringLiteral("COPY"), QString()},
                   rows);
    const double rate = summary->seconds > 0 ? double(summary->rowsCopied) / summary->seconds : 0;
    ctx.out() << QStringLiteral("%1 rows copied from %2 to %3 in %4 s (%5 rows/s)%6\n")
                     .arg(summary->rowsCopied)
                     .arg(source->path(), destination->path())
                     .arg(summary->seconds, 0, 'f', 2)
                     .arg(rate, 0, 'f', 0)
                     .arg(summary->resumed ? QStringLiteral(", going on from an interrupted copy") : QString());
    ctx.out().flush();
    if (!summary->verified()) {
        ctx.err() << "errordeck-cli copy-store: the copy differs from " << source->path()
                  << " (the tables marked DIFFERENT above); " << destination->path() << " is not a verified copy" << Qt::endl;
        return Fatal;
    }
    ctx.out() << "verified: the row counts and ids of every table agree\n";
    return Ok;
}

} // namespace ed::cli
