#include "CliContext.h"
#include "MailboxOptions.h"

#include "base/AppLog.h"
#include "model/Filter.h"
#include "filters/FilterSet.h"
#include "import/ImportFilters.h"
#include "import/Importer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <csignal>
#include <unistd.h>

namespace ed::cli {
namespace {

Importer *g_running = nullptr;

// Ctrl+C asks the import to stop after its current batch is committed.
void onInterrupt(int)
{
    if (g_running)
        g_running->cancel();
}

QString mb(int64_t bytes) { return QString::number(double(bytes) / (1 << 20), 'f', 1); }

MailboxImporter *g_mailbox = nullptr;

void onMailboxInterrupt(int)
{
    if (g_mailbox)
        g_mailbox->cancel();
}

// Each mailbox once, through the filters of the file import.
int importMailboxes(Context &ctx, const QCommandLineParser &p, Database &db, const ImportFilters &filters,
                    const QStringList &urls)
{
    int rc = Ok;
    QJsonArray results;
    for (const QString &url : urls) {
        auto settings = mailboxSettings(p, db, url);
        if (!settings) {
            ctx.err() << "errordeck-cli import: " << oneLine(settings.error()) << Qt::endl;
            rc = Fatal;
            continue;
        }
        const QString name = settings->imap.url.toString();
        MailboxImporter importer(db, *filters.scrubber, *filters.filter);
        g_mailbox = &importer;
        auto previous = std::signal(SIGINT, onMailboxInterrupt);
        applog::info(QStringLiteral("import into %1 from mailbox %2").arg(db.path(), name));
        const MailboxSummary m = importer.run(*settings);
        std::signal(SIGINT, previous);
        g_mailbox = nullptr;
        applog::info(QStringLiteral("mailbox %1: %2 messages, %3 stored, %4 duplicates, %5 rejected%6")
                         .arg(name)
                         .arg(m.fetched)
                         .arg(m.import.stored)
                         .arg(m.import.duplicates)
                         .arg(m.import.rejected)
                         .arg(m.serverError.isEmpty() ? QString() : QStringLiteral("; ") + m.serverError));
        if (p.isSet(QStringLiteral("json"))) {
            QJsonArray problems;
            for (const auto &pr : m.import.problems)
                problems.append(pr.reason);
            results.append(QJsonObject{
                {QStringLiteral("mailbox"), name},
                {QStringLiteral("messages"), qint64(m.fetched)},
                {QStringLiteral("stored"), qint64(m.import.stored)},
                {QStringLiteral("duplicates"), qint64(m.import.duplicates)},
                {QStringLiteral("rejected"), qint64(m.import.rejected)},
                {QStringLiteral("dropped"), qint64(m.import.dropped)},
                {QStringLiteral("filtered_out"), qint64(m.filteredOut)},
                {QStringLiteral("new_issues"), qint64(m.import.newIssues)},
                {QStringLiteral("uidvalidity_changed"), m.uidValidityChanged},
                {QStringLiteral("last_uid"), qint64(m.lastUid)},
                {QStringLiteral("problems"), problems},
                {QStringLiteral("error"), m.serverError.isEmpty()
                                              ? (m.import.fatal.isEmpty() ? QJsonValue() : QJsonValue(m.import.fatal))
                                              : QJsonValue(m.serverError)},
            });
        } else {
            printMailboxSummary(ctx, name, m);
        }
        if (!m.serverError.isEmpty() || !m.import.fatal.isEmpty())
            rc = Fatal;
        else if (rc == Ok && (m.import.rejected > 0 || !m.import.problems.empty()))
            rc = Partial;
    }
    if (p.isSet(QStringLiteral("json")))
        ctx.printJson(QJsonDocument(QJsonObject{{QStringLiteral("mailboxes"), results}}));
    return rc;
}

} // namespace

int cmdImport(Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Import v1 report files (plain or .gz), Django error e-mails (.eml, mbox, "
                                               "file-based backend files), and every such file in folders."));
    addCommonOptions(p);
    p.addOption({QStringLiteral("quiet"), QStringLiteral("No progress on stderr.")});
    p.addOption(
        {QStringLiteral("no-resume"), QStringLiteral("Read files from their start even if an earlier import got further.")});
    // Benchmarking aid only: stores text unscrubbed and unfiltered, to measure
    // what the filters cost. The database is marked so `rules apply` scrubs it.
    QCommandLineOption noFilters(QStringLiteral("no-filters"), QStringLiteral("Benchmarking aid: no scrubbing, no rules."));
    noFilters.setFlags(QCommandLineOption::HiddenFromHelp);
    p.addOption(noFilters);
    p.addOption({QStringLiteral("json"), QStringLiteral("Print the summary as JSON.")});
    p.addOption({QStringLiteral("follow-outside-links"),
                 QStringLiteral("In folders, also read files that links lead to outside the folder (by default such "
                                "links are skipped with a message).")});
    p.addOption({QStringLiteral("workers"),
                 QStringLiteral("Threads that parse, scrub and compress records (default: one per core)."), QStringLiteral("N")});
    addMailboxOptions(p);
    p.addPositionalArgument(QStringLiteral("paths"),
                            QStringLiteral("Files, folders, or IMAP mailboxes (imaps://user@host[:port]/Folder, imap:// with "
                                           "STARTTLS; the password from ERRORDECK_IMAP_PASSWORD or the keychain)."),
                            QStringLiteral("FILE_OR_DIR_OR_MAILBOX..."));
    if (int rc = parseCommon(p, args, ctx); rc >= 0)
        return rc;
    QStringList paths, mailboxes;
    for (const QString &a : p.positionalArguments())
        (ImapUrl::looksLikeImap(a) ? mailboxes : paths) << a;
    if (paths.isEmpty() && mailboxes.isEmpty()) {
        ctx.err() << "errordeck-cli import: name at least one file, folder or mailbox" << Qt::endl;
        return Fatal;
    }
    if (!paths.isEmpty() && !mailboxes.isEmpty() && p.isSet(QStringLiteral("json"))) {
        ctx.err() << "errordeck-cli import: --json takes files or mailboxes, not both at once" << Qt::endl;
        return Fatal;
    }
    Database *db = ctx.db();
    if (!db)
        return Fatal;

    auto filters = p.isSet(noFilters) ? makeUnfilteredImport(*db) : makeImportFilters(*db);
    if (!filters) {
        ctx.err() << "errordeck-cli import: " << filters.error() << Qt::endl;
        return Fatal;
    }
    int mailboxRc = Ok;
    if (!mailboxes.isEmpty()) {
        mailboxRc = importMailboxes(ctx, p, *db, *filters, mailboxes);
        if (paths.isEmpty())
            return mailboxRc;
    }
    const Scrubber &scrubber = *filters->scrubber;
    const RecordFilter &filter = *filters->filter;
    Importer importer(*db, scrubber, filter);
    importer.setResume(!p.isSet(QStringLiteral("no-resume")));
    importer.setFollowOutsideLinks(p.isSet(QStringLiteral("follow-outside-links")));
    if (p.isSet(QStringLiteral("workers"))) {
        bool ok = false;
        const int workers = p.value(QStringLiteral("workers")).toInt(&ok);
        if (!ok || workers < 1 || workers > 256) {
            ctx.err() << "errordeck-cli import: --workers takes a number from 1 to 256" << Qt::endl;
            return Fatal;
        }
        importer.setWorkers(workers);
    }
    const bool showProgress = !p.isSet(QStringLiteral("quiet")) && isatty(STDERR_FILENO);
    const bool progressLines = !p.isSet(QStringLiteral("quiet")) && !showProgress;
    if (showProgress || progressLines) {
        importer.setProgressHandler(
            [&ctx, showProgress](const ImportProgress &pr) {
                const QString line = QStringLiteral("files %1/%2  reports %3  %4/%5 MB  %6 MB/s")
                                         .arg(pr.filesDone)
                                         .arg(pr.filesTotal)
                                         .arg(pr.reports)
                                         .arg(mb(pr.bytesDone), mb(pr.bytesTotal))
                                         .arg(pr.mbPerSecond, 0, 'f', 1);
                // Numbers only: our own \r and erase-line go out unfiltered.
                if (showProgress)
                    ctx.rawErr() << '\r' << line << "\x1b[K";
                else
                    ctx.rawErr() << line << '\n';
                ctx.rawErr().flush();
            },
            showProgress ? 200 : 5000);
    }
    g_running = &importer;
    auto previous = std::signal(SIGINT, onInterrupt);
    applog::info(QStringLiteral("import into %1: %2").arg(db->path(), paths.join(QStringLiteral(", "))));
    const ImportSummary s = importer.run(paths);
    std::signal(SIGINT, previous);
    g_running = nullptr;
    if (showProgress) {
        ctx.rawErr() << '\n';
        ctx.rawErr().flush();
    }

    // Patterns that could not decide (the regex match limit): said once each, after the run.
    if (const auto *set = dynamic_cast<const FilterSet *>(filters->filter.get()))
        for (const QString &w : set->undecided())
            ctx.err() << "errordeck-cli import: warning: " << w << Qt::endl;
    const double mbps = s.seconds > 0 ? double(s.bytes) / (1 << 20) / s.seconds : 0;
    if (p.isSet(QStringLiteral("json"))) {
        QJsonArray problems;
        for (const auto &pr : s.problems)
            problems.append(QJsonObject{{QStringLiteral("file"), pr.file},
                                        {QStringLiteral("line"), pr.line ? QJsonValue(qint64(pr.line)) : QJsonValue()},
                                        {QStringLiteral("reason"), pr.reason}});
        ctx.printJson(QJsonDocument(QJsonObject{
            {QStringLiteral("files"), s.files},
            {QStringLiteral("stored"), qint64(s.stored)},
            {QStringLiteral("duplicates"), qint64(s.duplicates)},
            {QStringLiteral("rejected"), qint64(s.rejected)},
            {QStringLiteral("dropped"), qint64(s.dropped)},
            {QStringLiteral("hidden"), qint64(s.hidden)},
            {QStringLiteral("new_issues"), qint64(s.newIssues)},
            {QStringLiteral("regressions"), qint64(s.regressions)},
            {QStringLiteral("resumed_lines"), qint64(s.resumedLines)},
            {QStringLiteral("bytes"), qint64(s.bytes)},
            {QStringLiteral("seconds"), s.seconds},
            {QStringLiteral("problems"), problems},
            {QStringLiteral("more_problems"), qint64(s.moreProblems)},
            {QStringLiteral("workers"), s.workers},
            {QStringLiteral("cpu_seconds"), QJsonObject{{QStringLiteral("reader"), s.readerCpuSeconds},
                                                        {QStringLiteral("workers"), s.workerCpuSeconds},
                                                        {QStringLiteral("writer"), s.writerCpuSeconds}}},
            {QStringLiteral("cancelled"), s.cancelled},
            {QStringLiteral("fatal"), s.fatal.isEmpty() ? QJsonValue() : QJsonValue(s.fatal)},
        }));
    } else {
        QTextStream &o = ctx.err();
        constexpr size_t kShown = 20;
        for (size_t i = 0; i < s.problems.size() && i < kShown; ++i) {
            const auto &pr = s.problems[i];
            // File names and reasons quote what was read: one line each, controls replaced.
            o << (pr.line ? QStringLiteral("%1:%2: %3").arg(oneLine(pr.file)).arg(pr.line).arg(oneLine(pr.reason))
                          : QStringLiteral("%1: %2").arg(oneLine(pr.file), oneLine(pr.reason)))
              << '\n';
        }
        const int64_t rest = int64_t(s.problems.size() > kShown ? s.problems.size() - kShown : 0) + s.moreProblems;
        if (rest > 0)
            o << "... and " << rest << " more problems\n";
        ctx.out()
            << QStringLiteral("%1 stored, %2 skipped as duplicates, %3 rejected").arg(s.stored).arg(s.duplicates).arg(s.rejected);
        if (s.dropped)
            ctx.out() << QStringLiteral(", %1 dropped by rules").arg(s.dropped);
        if (s.hidden)
            ctx.out() << QStringLiteral(", %1 hidden by rules").arg(s.hidden);
        ctx.out() << QStringLiteral(" (%1, %2 MB in %3 s, %4 MB/s; %5")
                         .arg(counted(s.files, "file", "files"))
                         .arg(mb(s.bytes))
                         .arg(s.seconds, 0, 'f', 2)
                         .arg(mbps, 0, 'f', 1)
                         .arg(counted(s.newIssues, "new issue", "new issues"));
        if (s.regressions)
            ctx.out() << QStringLiteral(", %1").arg(counted(s.regressions, "regression", "regressions"));
        ctx.out() << ")\n";
        if (s.resumedLines)
            ctx.out() << QStringLiteral("%1 lines were read by an earlier import and skipped (--no-resume reads them again)\n")
                             .arg(s.resumedLines);
        if (!s.skippedFiles.isEmpty())
            ctx.out() << QStringLiteral("%1 files in folders were not reports and were skipped\n").arg(s.skippedFiles.size());
        if (s.cancelled)
            ctx.out() << "cancelled: what was read before is stored; run the same import again to go on\n";
        ctx.out().flush();
        if (!s.fatal.isEmpty())
            ctx.err() << "errordeck-cli: " << oneLine(s.fatal) << Qt::endl;
    }
    applog::info(QStringLiteral("import done: %1 stored, %2 duplicates, %3 rejected, %4 dropped%5")
                     .arg(s.stored)
                     .arg(s.duplicates)
                     .arg(s.rejected)
                     .arg(s.dropped)
                     .arg(s.fatal.isEmpty() ? QString() : QStringLiteral("; fatal: ") + s.fatal));
    if (!s.fatal.isEmpty() || mailboxRc == Fatal)
        return Fatal;
    return s.rejected > 0 || !s.problems.empty() || mailboxRc == Partial ? Partial : Ok;
}

} // namespace ed::cli
