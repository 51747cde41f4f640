// list, show, issues, stats: what is stored, as tables for people or JSON for scripts.
#include "CliContext.h"
#include "IssueTriageCommand.h"

#include "base/Level.h"
#include "store/Config.h"
#include "store/ReportStore.h"
#include "base/Timestamp.h"
#include "send/DjangoRenderer.h"
#include "send/ReproduceRequest.h"

#include <QDateTime>
#include <climits>
#include <functional>
#include <optional>
#include <QTimeZone>
#include <QJsonArray>
#include <QJsonObject>

namespace ed::cli {
namespace {

// The zone times are shown in and --query reads them in: --utc or --local,
// else ERRORDECK_TIME_ZONE where the database sets it, else UTC (what logs
// and scripts expect; the app's default is local).
void addZoneOptions(QCommandLineParser &p)
{
    p.addOption({QStringLiteral("utc"), QStringLiteral("Times in UTC (shown, and read by after:/before:).")});
    p.addOption({QStringLiteral("local"), QStringLiteral("Times in the local zone (TZ).")});
}

std::optional<DisplayZone> zoneOf(Context &ctx, const QCommandLineParser &p, Database &db)
{
    const bool utc = p.isSet(QStringLiteral("utc")), local = p.isSet(QStringLiteral("local"));
    if (utc && local) {
        ctx.err() << "errordeck-cli " << ctx.command << ": --utc and --local: choose one" << Qt::endl;
        return std::nullopt;
    }
    if (utc || local)
        return utc ? DisplayZone::Utc : DisplayZone::Local;
    const Config config(db);
    return config.isSet(ConfigKey::TimeZone) ? config.timeZone() : DisplayZone::Utc;
}

// The zone of this run's tables (one command prints in one zone).
DisplayZone g_zone = DisplayZone::Utc;

QString shortTime(int64_t ms) { return formatDisplayTime(ms, g_zone); }

QString elide(QString s, int max)
{
    s.replace(QLatin1Char('\n'), QLatin1Char(' '));
    s.replace(QLatin1Char('\r'), QLatin1Char(' '));
    return s.size() > max ? s.left(max - 1) + QChar(0x2026) : s;
}

QJsonValue orNull(const QString &s) { return s.isEmpty() ? QJsonValue() : QJsonValue(s); }

QJsonObject rowJson(const ReportRow &r)
{
    return QJsonObject{
        {QStringLiteral("id"), qint64(r.id)},
        {QStringLiteral("event_id"), orNull(r.eventId)},
        {QStringLiteral("timestamp"), formatIsoTimestamp(r.timestamp)},
        {QStringLiteral("level"), levelName(r.level)},
        {QStringLiteral("logger"), orNull(r.logger)},
        {QStringLiteral("message"), r.message},
        {QStringLiteral("status_code"), r.statusCode ? QJsonValue(*r.statusCode) : QJsonValue()},
        {QStringLiteral("site"), orNull(r.site)},
        {QStringLiteral("method"), orNull(r.method)},
        {QStringLiteral("path"), orNull(r.path)},
        {QStringLiteral("exception_type"), orNull(r.exceptionType)},
        {QStringLiteral("exception_value"), orNull(r.exceptionValue)},
        {QStringLiteral("remote_addr"), orNull(r.remoteAddr)},
        {QStringLiteral("issue_id"), qint64(r.issueId)},
        {QStringLiteral("hidden_by"), orNull(r.hiddenBy)},
        {QStringLiteral("undecided_rules"), orNull(r.undecided)},
        {QStringLiteral("frames"), r.frameCount},
    };
}

QString statusName(IssueStatus s)
{
    switch (s) {
    case IssueStatus::Unresolved: return QStringLiteral("unresolved");
    case IssueStatus::Resolved: return QStringLiteral("resolved");
    case IssueStatus::Ignored: return QStringLiteral("ignored");
    }
    return {};
}

QJsonObject issueJson(const IssueRow &i)
{
    return QJsonObject{
        {QStringLiteral("id"), qint64(i.id)},
        {QStringLiteral("title"), i.title},
        {QStringLiteral("culprit"), orNull(i.culprit)},
        {QStringLiteral("level"), levelName(i.level)},
        {QStringLiteral("logger"), orNull(i.logger)},
        {QStringLiteral("exception_type"), orNull(i.exceptionType)},
        {QStringLiteral("first_seen"), formatIsoTimestamp(i.firstSeen)},
        {QStringLiteral("last_seen"), formatIsoTimestamp(i.lastSeen)},
        {QStringLiteral("count"), qint64(i.count)},
        {QStringLiteral("hidden_count"), qint64(i.hiddenCount)},
        {QStringLiteral("status"), statusName(i.status)},
        {QStringLiteral("regression"), i.regression},
        {QStringLiteral("ignore_until"), i.ignoreUntil ? QJsonValue(formatIsoTimestamp(*i.ignoreUntil)) : QJsonValue()},
        {QStringLiteral("ignore_until_count"), i.ignoreUntilCount ? QJsonValue(qint64(*i.ignoreUntilCount)) : QJsonValue()},
        {QStringLiteral("resolved_in_next_release"), i.resolvedInNextRelease},
        {QStringLiteral("reviewed"), i.reviewed},
    };
}

// The options `list` and `issues` share: --query, --limit (0 for all), --all, --json.
void addListOptions(QCommandLineParser &p, const QString &queryHelp, const QString &limitHelp, const QString &defaultLimit,
                    const QString &allHelp)
{
    addCommonOptions(p);
    p.addOption({QStringLiteral("query"), queryHelp, QStringLiteral("Q")});
    p.addOption({QStringLiteral("limit"), limitHelp, QStringLiteral("N"), defaultLimit});
    p.addOption({QStringLiteral("all"), allHelp});
    p.addOption({QStringLiteral("json"), QStringLiteral("JSON output.")});
    addZoneOptions(p);
}

// The rest of `list` and `issues` once their options are added: the search and
// the row limit (0: all) of those options, the rows `fetch` gives for them,
// printed as JSON (`json` of each) or as a table (`headers`, `cells` of each).
// `extra`, when given, reads the command's own options into the query, or
// does the command's other work: an exit status then ends the command.
using ListExtra = std::function<std::optional<int>(QCommandLineParser &, Database &, SearchQuery &)>;
template <typename Row, typename Fetch>
int runList(Context &ctx, QCommandLineParser &p, const QStringList &args, const char *command, Fetch fetch,
            QJsonObject (*json)(const Row &), const QStringList &headers, QStringList (*cells)(const Row &),
            const ListExtra &extra = {})
{
    if (int rc = parseCommon(p, args, ctx); rc >= 0)
        return rc;
    int64_t limit = 0;
    if (!numberOption(ctx, p, QStringLiteral("limit"), 0, INT_MAX, limit))
        return Fatal;
    Database *db = ctx.db();
    if (!db)
        return Fatal;
    const auto zone = zoneOf(ctx, p, *db);
    if (!zone)
        return Fatal;
    g_zone = *zone;
    SearchQuery q;
    q.text = p.value(QStringLiteral("query"));
    q.includeHidden = p.isSet(QStringLiteral("all"));
    q.zone = *zone;
    if (extra)
        if (const auto rc = extra(p, *db, q))
            return *rc;
    if (auto checked = q.check(); !checked) {
        ctx.err() << "errordeck-cli " << command << ": bad --query: " << checked.error() << Qt::endl;
        return BadSearch;
    }
    ReportStore store(*db);
    const auto rows = fetch(store, q, limit == 0 ? -1 : int(limit)); // -1: SQLite's no limit
    if (!rows) {
        ctx.err() << "errordeck-cli " << command << ": " << rows.error() << Qt::endl;
        return Fatal;
    }
    if (p.isSet(QStringLiteral("json"))) {
        QJsonArray arr;
        for (const Row &r : *rows)
            arr.append(json(r));
        ctx.printJson(QJsonDocument(arr));
        return Ok;
    }
    QList<QStringList> table;
    for (const Row &r : *rows)
        table << cells(r);
    ctx.printTable(headers, table);
    return Ok;
}

QStringList reportCells(const ReportRow &r)
{
    return {QString::number(r.id),
            shortTime(r.timestamp),
            levelName(r.level),
            r.statusCode ? QString::number(*r.statusCode) : QStringLiteral("-"),
            QString::number(r.issueId),
            elide(r.exceptionType.isEmpty() ? r.message : r.exceptionType + QStringLiteral(": ") + r.exceptionValue, 90) +
                (r.hiddenBy.isEmpty() ? QString() : QStringLiteral("  [hidden: %1]").arg(r.hiddenBy))};
}

QStringList issueCells(const IssueRow &i)
{
    return {QString::number(i.id), QString::number(i.count), shortTime(i.lastSeen),
            statusName(i.status) + (i.regression ? QStringLiteral("*") : QString()),
            elide(i.title, 70) +
                (i.culprit.isEmpty() ? QString() : QStringLiteral("  (") + elide(i.culprit, 40) + QLatin1Char(')'))};
}

} // namespace

int cmdList(Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("List stored reports, newest first."));
    addListOptions(p, QStringLiteral("Search, e.g. 'level:error status:500 logger:django.request type:KeyError word'."),
                   QStringLiteral("At most N reports (default 50; 0 for all)."), QStringLiteral("50"),
                   QStringLiteral("Include reports that rules hide."));
    return runList(
        ctx, p, args, "list", [](ReportStore &store, const SearchQuery &q, int limit) { return store.listReports(q, limit); },
        &rowJson,
        {QStringLiteral("ID"), QStringLiteral("TIME"), QStringLiteral("LEVEL"), QStringLiteral("STATUS"), QStringLiteral("ISSUE"),
         QStringLiteral("MESSAGE")},
        &reportCells);
}

int cmdShow(Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Show one report: by id, or by event id."));
    addCommonOptions(p);
    p.addOption({QStringLiteral("json"), QStringLiteral("The whole record as JSON.")});
    p.addOption({QStringLiteral("raw"), QStringLiteral("The original e-mail text, for reports imported from e-mail.")});
    p.addOption({QStringLiteral("as"),
                 QStringLiteral("The report's request to send again: curl (a command line) or django-test (a TestCase). "
                                "Masked values stand as <scrubbed>."),
                 QStringLiteral("FORM")});
    p.addPositionalArgument(QStringLiteral("id"), QStringLiteral("Report id or event id."), QStringLiteral("ID"));
    addZoneOptions(p);
    if (int rc = parseCommon(p, args, ctx); rc >= 0)
        return rc;
    if (p.positionalArguments().size() != 1) {
        ctx.err() << "errordeck-cli show: name one report id" << Qt::endl;
        return Fatal;
    }
    const QString as = p.value(QStringLiteral("as"));
    if (p.isSet(QStringLiteral("as")) && as != QLatin1String("curl") && as != QLatin1String("django-test")) {
        ctx.err() << "errordeck-cli show: --as takes curl or django-test, not '" << oneLine(as) << "'" << Qt::endl;
        return Fatal;
    }
    Database *db = ctx.db();
    if (!db)
        return Fatal;
    const auto zone = zoneOf(ctx, p, *db);
    if (!zone)
        return Fatal;
    ReportStore store(*db);
    const QString arg = p.positionalArguments().first();
    bool isNumber = false;
    int64_t id = arg.toLongLong(&isNumber);
    if (!isNumber) {
        auto found = store.findByEventId(arg);
        if (!found) {
            ctx.err() << "errordeck-cli show: " << found.error() << Qt::endl;
            return Fatal;
        }
        id = *found;
    }
    auto d = store.loadReport(id);
    if (!d) {
        ctx.err() << "errordeck-cli show: " << d.error() << Qt::endl;
        return Fatal;
    }
    if (p.isSet(QStringLiteral("raw"))) {
        // Exact for a pipe (show --raw ID > msg.eml), made safe on a terminal.
        ctx.exact() << (d->raw.isEmpty() ? QStringLiteral("(no raw text: this report came from a v1 record)\n") : d->raw);
        ctx.exact().flush();
        return Ok;
    }
    if (!as.isEmpty()) {
        if (!d->report.request) {
            ctx.err() << "errordeck-cli show: report " << id << " has no request" << Qt::endl;
            return Fatal;
        }
        ctx.exact() << (as == QLatin1String("curl") ? requestAsCurl(*d->report.request) + QLatin1Char('\n')
                                                    : requestAsDjangoTest(*d->report.request));
        ctx.exact().flush();
        return Ok;
    }
    if (p.isSet(QStringLiteral("json"))) {
        QJsonObject o = rowJson(d->row);
        o.insert(QStringLiteral("source"), orNull(d->source));
        o.insert(QStringLiteral("record"), d->record);
        ctx.printJson(QJsonDocument(o));
        return Ok;
    }
    QTextStream &o = ctx.out();
    const ReportRow &r = d->row;
    o << "Report " << r.id << "  (issue " << r.issueId << ")\n";
    o << "Time:      " << formatDisplayTime(r.timestamp, *zone) << "  (" << formatIsoTimestamp(r.timestamp) << ")\n";
    o << "Level:     " << levelName(r.level) << (r.logger.isEmpty() ? QString() : QStringLiteral("  logger ") + oneLine(r.logger))
      << "\n";
    if (r.statusCode)
        o << "Status:    " << *r.statusCode << "\n";
    if (!r.path.isEmpty())
        o << "Request:   " << oneLine(r.method) << ' ' << oneLine(r.path)
          << (r.remoteAddr.isEmpty() ? QString() : QStringLiteral("  from ") + oneLine(r.remoteAddr)) << "\n";
    if (!r.hiddenBy.isEmpty())
        o << "Hidden by: " << oneLine(r.hiddenBy) << "\n";
    if (!r.undecided.isEmpty())
        o << "Undecided: " << oneLine(r.undecided) << " (the pattern passed the regex match limit; kept visible)\n";
    // A message may have lines of its own (terminalSafe keeps them, out() replaces the rest).
    o << "Message:   " << r.message << "\n";
    if (!r.exceptionType.isEmpty())
        o << "Exception: " << oneLine(r.exceptionType)
          << (r.exceptionValue.isEmpty() ? QString() : QStringLiteral(": ") + r.exceptionValue) << "\n";
    // The traceback as Django's error e-mail has it (the same renderer), the oldest cause first.
    if (d->report.raised())
        o << "\n" << djangoTracebackText(d->report);
    o.flush();
    return Ok;
}

int cmdIssues(Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("List issues (reports grouped by failure), most recently seen first, or triage them:\n") +
        issueTriageUsage());
    addListOptions(p, QStringLiteral("Only issues with reports matching this search."),
                   QStringLiteral("At most N issues (default 100; 0 for all)."), QStringLiteral("100"),
                   QStringLiteral("Include issues whose reports rules hide."));
    p.addOption({QStringLiteral("view"),
                 QStringLiteral("Only the issues of a view: unresolved, review (new or regressed, not reviewed), resolved,"
                                " ignored, all (the default)."),
                 QStringLiteral("VIEW")});
    addIssueTriageOptions(p);
    p.addPositionalArgument(QStringLiteral("action"), QStringLiteral("none to list; ") + issueTriageActions(),
                            QStringLiteral("[ACTION ID...]"));
    const ListExtra extra = [&ctx](QCommandLineParser &parser, Database &db, SearchQuery &q) -> std::optional<int> {
        if (!parser.positionalArguments().isEmpty())
            return runIssueTriage(ctx, parser, db, q);
        if (parser.isSet(QStringLiteral("view"))) {
            const auto view = issueViewFromName(parser.value(QStringLiteral("view")));
            if (!view) {
                ctx.err() << "errordeck-cli issues: unknown --view '" << parser.value(QStringLiteral("view"))
                          << "' (unresolved, review, resolved, ignored, all)" << Qt::endl;
                return Fatal;
            }
            q.view = *view;
        }
        return std::nullopt;
    };
    return runList(
        ctx, p, args, "issues", [](ReportStore &store, const SearchQuery &q, int limit) { return store.listIssues(q, limit); },
        &issueJson,
        {QStringLiteral("ID"), QStringLiteral("COUNT"), QStringLiteral("LAST SEEN"), QStringLiteral("STATUS"),
         QStringLiteral("TITLE")},
        &issueCells, extra);
}

int cmdStats(Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Totals: reports, issues, levels, loggers, status codes."));
    addCommonOptions(p);
    p.addOption({QStringLiteral("json"), QStringLiteral("JSON output.")});
    addZoneOptions(p);
    if (int rc = parseCommon(p, args, ctx); rc >= 0)
        return rc;
    Database *db = ctx.db();
    if (!db)
        return Fatal;
    const auto zone = zoneOf(ctx, p, *db);
    if (!zone)
        return Fatal;
    g_zone = *zone;
    ReportStore store(*db);
    auto s = store.stats();
    if (!s) {
        ctx.err() << "errordeck-cli stats: " << s.error() << Qt::endl;
        return Fatal;
    }
    if (p.isSet(QStringLiteral("json"))) {
        QJsonObject levels, loggers, statuses;
        for (const auto &[l, n] : s->byLevel)
            levels.insert(levelName(l), qint64(n));
        for (const auto &[l, n] : s->byLogger)
            loggers.insert(l, qint64(n));
        for (const auto &[c, n] : s->byStatus)
            statuses.insert(QString::number(c), qint64(n));
        ctx.printJson(QJsonDocument(QJsonObject{
            {QStringLiteral("database"), db->path()},
            {QStringLiteral("reports"), qint64(s->reports)},
            {QStringLiteral("hidden"), qint64(s->hidden)},
            {QStringLiteral("issues"), qint64(s->issues)},
            {QStringLiteral("first_seen"), s->reports ? QJsonValue(formatIsoTimestamp(s->firstSeen)) : QJsonValue()},
            {QStringLiteral("last_seen"), s->reports ? QJsonValue(formatIsoTimestamp(s->lastSeen)) : QJsonValue()},
            {QStringLiteral("file_bytes"), qint64(s->fileBytes)},
            {QStringLiteral("by_level"), levels},
            {QStringLiteral("by_logger"), loggers},
            {QStringLiteral("by_status"), statuses},
        }));
        return Ok;
    }
    QTextStream &o = ctx.out();
    o << "Database:  " << oneLine(db->path()) << QStringLiteral(" (%1 MB)\n").arg(double(s->fileBytes) / (1 << 20), 0, 'f', 1);
    o << "Reports:   " << s->reports << " (" << s->hidden << " hidden by rules)\n";
    o << "Issues:    " << s->issues << "\n";
    if (s->reports)
        o << "Period:    " << shortTime(s->firstSeen) << " to " << shortTime(s->lastSeen) << "\n";
    o << "By level: ";
    for (const auto &[l, n] : s->byLevel)
        o << ' ' << levelName(l) << ' ' << n;
    o << "\nBy status:";
    for (const auto &[c, n] : s->byStatus)
        o << ' ' << c << ' ' << n;
    o << "\nTop loggers:\n";
    for (const auto &[l, n] : s->byLogger)
        o << "  " << QString::number(n).rightJustified(8) << "  " << (l.isEmpty() ? QStringLiteral("(none)") : oneLine(l))
          << "\n";
    o.flush();
    return Ok;
}

} // namespace ed::cli
