#include "CliContext.h"
#include "MailboxOptions.h"
#include "imap/MailboxPoller.h"

#include "KeychainPasswords.h"
#include "alert/AlertService.h"
#include "base/AppLog.h"
#include "watch/FolderWatcher.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSocketNotifier>
#include <csignal>
#include <cstdlib>
#include <sys/socket.h>
#include <unistd.h>

namespace ed::cli {
namespace {

// Ctrl+C and SIGTERM end the event loop through a socket: a signal handler
// may only write(), never call into Qt.
int g_signalPipe[2] = {-1, -1};

// How often the alert step runs without an import to nudge it (digests, retries).
constexpr int kAlertIntervalMs = 5000;

// Ctrl+C or SIGTERM ends the watch within a second, whatever the worker is doing.
constexpr int kStopWaitMs = 800;

void onStopSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[0], &c, 1);
}

QString countsLine(const WatchBatch &b)
{
    const ImportSummary &s = b.summary;
    QString line = QStringLiteral("%1  %2 stored, %3 duplicates, %4 rejected")
                       .arg(b.at.toString(Qt::ISODate))
                       .arg(s.stored)
                       .arg(s.duplicates)
                       .arg(s.rejected);
    if (s.dropped)
        line += QStringLiteral(", %1 dropped by rules").arg(s.dropped);
    if (s.hidden)
        line += QStringLiteral(", %1 hidden by rules").arg(s.hidden);
    line += QStringLiteral(", %1 new issues").arg(s.newIssues);
    if (s.regressions)
        line += QStringLiteral(", %1 regressions").arg(s.regressions);
    QStringList names;
    for (const QString &f : b.files)
        names << oneLine(QFileInfo(f).fileName());
    if (!names.isEmpty())
        line += QStringLiteral("  (%1)").arg(names.size() <= 3 ? names.join(QStringLiteral(", "))
                                                               : QStringLiteral("%1 files").arg(names.size()));
    return line;
}

} // namespace

int cmdWatch(Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Watch folders and import report files and Django error e-mails as they arrive: new files, lines appended "
        "to v1 files, new messages in files of Django's file-based e-mail backend, rotated files. Prints a line per "
        "import; runs until Ctrl+C or SIGTERM."));
    addCommonOptions(p);
    p.addOption({QStringLiteral("interval"),
                 QStringLiteral("Also look for changes every S seconds (for filesystems that send no notifications, "
                                "e.g. network mounts; default 2)."),
                 QStringLiteral("S"), QStringLiteral("2")});
    p.addOption({QStringLiteral("follow-outside-links"),
                 QStringLiteral("Also read files that links in the folders lead to outside them (by default such "
                                "links are skipped with a message).")});
    p.addOption({QStringLiteral("imap-interval"),
                 QStringLiteral("Poll IMAP mailboxes every S seconds (default 60; a failing server is tried again with "
                                "backoff, up to 15 minutes)."),
                 QStringLiteral("S"), QStringLiteral("60")});
    p.addOption({QStringLiteral("no-idle"),
                 QStringLiteral("Only poll IMAP mailboxes; by default a server that offers IMAP IDLE says when a "
                                "message arrives, and it is fetched at once.")});
    addMailboxOptions(p);
    p.addPositionalArgument(QStringLiteral("folders"),
                            QStringLiteral("Folders (or single files) to watch, and IMAP mailboxes to poll "
                                           "(imaps://user@host[:port]/Folder)."),
                            QStringLiteral("DIR_OR_MAILBOX..."));
    if (int rc = parseCommon(p, args, ctx); rc >= 0)
        return rc;
    QStringList given, mailboxUrls;
    for (const QString &a : p.positionalArguments())
        (ImapUrl::looksLikeImap(a) ? mailboxUrls : given) << a;
    if (given.isEmpty() && mailboxUrls.isEmpty()) {
        ctx.err() << "errordeck-cli watch: name at least one folder or mailbox" << Qt::endl;
        return Fatal;
    }
    bool imapOk = false;
    const double imapSeconds = p.value(QStringLiteral("imap-interval")).toDouble(&imapOk);
    if (!imapOk || imapSeconds < 0.05 || imapSeconds > 86400) {
        ctx.err() << "errordeck-cli watch: --imap-interval takes seconds, e.g. 60" << Qt::endl;
        return Fatal;
    }
    bool ok = false;
    const double seconds = p.value(QStringLiteral("interval")).toDouble(&ok);
    if (!ok || seconds < 0.05 || seconds > 86400) {
        ctx.err() << "errordeck-cli watch: --interval takes seconds, e.g. 2 or 0.5" << Qt::endl;
        return Fatal;
    }
    QStringList folders;
    for (const QString &g : given) {
        if (!QFileInfo::exists(g)) {
            ctx.err() << "errordeck-cli watch: " << g << ": no such file or folder" << Qt::endl;
            return Fatal;
        }
        folders << QFileInfo(g).absoluteFilePath();
    }
    // Open (create, migrate) it here, so that a bad --db fails at once.
    Database *db = ctx.db();
    if (!db)
        return Fatal;
    // More connections of their own (watcher, mailboxes, alerts) open the same
    // location, a URL's password included; messages name db->path().
    const QString dbPath = db->location();
    const QString shownDb = db->path();
    std::vector<MailboxSettings> mailboxes;
    for (const QString &url : mailboxUrls) {
        auto settings = mailboxSettings(p, *db, url);
        if (!settings) {
            ctx.err() << "errordeck-cli watch: " << oneLine(settings.error()) << Qt::endl;
            return Fatal;
        }
        settings->useIdle = !p.isSet(QStringLiteral("no-idle"));
        mailboxes.push_back(std::move(*settings));
    }

    if (!QCoreApplication::instance()) {
        ctx.err() << "errordeck-cli watch: needs the application's event loop" << Qt::endl;
        return Fatal;
    }
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0) {
        ctx.err() << "errordeck-cli watch: cannot set up signal handling" << Qt::endl;
        return Fatal;
    }
    QSocketNotifier stopNotifier(g_signalPipe[1], QSocketNotifier::Read);
    QObject::connect(&stopNotifier, &QSocketNotifier::activated, qApp, [&stopNotifier] {
        char c;
        [[maybe_unused]] const ssize_t n = ::read(g_signalPipe[1], &c, 1);
        stopNotifier.setEnabled(false);
        QCoreApplication::quit();
    });
    struct sigaction sa = {};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    struct sigaction oldInt = {}, oldTerm = {};
    sigaction(SIGINT, &sa, &oldInt);
    sigaction(SIGTERM, &sa, &oldTerm);

    QStringList watched = folders;
    for (const MailboxSettings &m : mailboxes)
        watched << m.imap.url.toString();
    MailboxPoller poller(dbPath, mailboxes, int(imapSeconds * 1000));
    int64_t mailboxProblems = 0;
    QObject::connect(
        &poller, &MailboxPoller::polled, &poller,
        [&ctx, &mailboxProblems](const QString &mailbox, const MailboxSummary &m, int retryInMs) {
            mailboxProblems += int64_t(m.import.problems.size()) + m.import.moreProblems;
            const bool failed = !m.serverError.isEmpty() || !m.import.fatal.isEmpty();
            if (!failed && m.fetched == 0 && !m.uidValidityChanged)
                return; // nothing new: quiet
            printMailboxSummary(ctx, mailbox, m, QDateTime::currentDateTimeUtc().toString(Qt::ISODate) + QStringLiteral("  "));
            if (failed)
                ctx.err() << oneLine(mailbox) << ": trying again in " << (retryInMs + 999) / 1000 << " s" << Qt::endl;
        });
    QObject::connect(&poller, &MailboxPoller::idleChanged, &poller,
                     [&ctx](const QString &mailbox, bool idling, const QString &why, int retryInMs) {
                         if (idling)
                             ctx.out() << oneLine(mailbox) << ": waiting with IDLE: new messages are fetched as they arrive"
                                       << Qt::endl;
                         else if (retryInMs > 0)
                             ctx.err() << oneLine(why) << "; IDLE again in " << (retryInMs + 999) / 1000
                                       << " s, polling meanwhile" << Qt::endl;
                         else
                             ctx.out() << oneLine(mailbox) << ": " << oneLine(why) << Qt::endl;
                     });
    QObject::connect(&poller, &MailboxPoller::error, &poller,
                     [&ctx](const QString &message) { ctx.err() << "errordeck-cli watch: " << message << Qt::endl; });
    // Alerts (errordeck-cli alerts): evaluated and sent on a thread of their
    // own after each import and every few seconds; an import never waits for mail.
    const KeychainPasswords keychain;
    AlertService alerts(dbPath, alertClock(), &keychain, kAlertIntervalMs);
    alerts.setConsole(printConsoleMail);
    alerts.setReporter([&ctx](const QString &line) { // on the service's thread: said on this one
        QMetaObject::invokeMethod(
            qApp, [&ctx, line] { ctx.err() << oneLine(line) << Qt::endl; }, Qt::QueuedConnection);
    });
    FolderWatcher watcher(dbPath);
    watcher.setFolders(folders);
    watcher.setPollInterval(int(seconds * 1000));
    watcher.setFollowOutsideLinks(p.isSet(QStringLiteral("follow-outside-links")));
    int64_t problems = 0;
    QObject::connect(&watcher, &FolderWatcher::imported, &watcher, [&alerts](const WatchBatch &b) {
        if (b.summary.stored)
            alerts.nudge();
    });
    QObject::connect(&poller, &MailboxPoller::polled, &poller, [&alerts](const QString &, const MailboxSummary &m, int) {
        if (m.import.stored)
            alerts.nudge();
    });
    QObject::connect(&watcher, &FolderWatcher::imported, &watcher, [&ctx, &problems](const WatchBatch &b) {
        for (const QString &r : b.rotated)
            ctx.out() << b.at.toString(Qt::ISODate) << "  rotated: " << oneLine(r) << " (going on where it was)\n";
        for (const QString &f : b.skipped)
            ctx.err() << oneLine(f) << ": not a report file, skipped\n";
        const ImportSummary &s = b.summary;
        for (const ImportProblem &pr : s.problems)
            ctx.err() << (pr.line ? QStringLiteral("%1:%2: %3").arg(oneLine(pr.file)).arg(pr.line).arg(oneLine(pr.reason))
                                  : QStringLiteral("%1: %2").arg(oneLine(pr.file), oneLine(pr.reason)))
                      << '\n';
        if (s.moreProblems)
            ctx.err() << "... and " << s.moreProblems << " more problems\n";
        problems += int64_t(s.problems.size()) + s.moreProblems;
        if (!b.files.isEmpty())
            ctx.out() << countsLine(b) << '\n';
        ctx.out().flush();
        ctx.err().flush();
    });
    QObject::connect(&watcher, &FolderWatcher::error, &watcher,
                     [&ctx](const QString &message) { ctx.err() << "errordeck-cli watch: " << message << Qt::endl; });
    ctx.err() << "watching " << watched.join(QStringLiteral(", ")) << " into " << shownDb << " (Ctrl+C to stop)" << Qt::endl;
    applog::info(QStringLiteral("watch into %1: %2").arg(shownDb, watched.join(QStringLiteral(", "))));
    alerts.start();
    if (!folders.isEmpty())
        watcher.start();
    if (!mailboxes.empty())
        poller.start();
    QCoreApplication::exec();
    alerts.stop(); // after a transfer in progress: one the server took is marked sent
    problems += mailboxProblems;
    if (!poller.stop(kStopWaitMs) || !watcher.stop(kStopWaitMs)) {
        // The worker is stuck past the record it was at (a lock held elsewhere, a
        // huge line): a stop is still a stop. What was committed stays; the
        // batch in progress is rolled back by SQLite and read again next time.
        ctx.err() << "stopped without waiting for the import in progress; the next watch or import reads it again" << Qt::endl;
        ctx.out().flush();
        applog::warn(QStringLiteral("watch stopped while an import was in progress"));
        std::_Exit(problems > 0 ? Partial : Ok);
    }

    sigaction(SIGINT, &oldInt, nullptr);
    sigaction(SIGTERM, &oldTerm, nullptr);
    ::close(g_signalPipe[0]);
    ::close(g_signalPipe[1]);
    g_signalPipe[0] = g_signalPipe[1] = -1;
    ctx.err() << "stopped; what was read is stored and the next watch or import goes on from there" << Qt::endl;
    applog::info(QStringLiteral("watch stopped"));
    return problems > 0 ? Partial : Ok;
}

} // namespace ed::cli
