#include "IssueTriageCommand.h"

#include "store/IssueTriage.h"
#include "store/ListQueries.h"

#include <QJsonArray>
#include <QJsonObject>
#include <climits>
#include <vector>

namespace ed::cli {
namespace {

// The issue ids of `args` (positive whole numbers); false after naming a bad one.
bool issueIds(Context &ctx, const QString &action, const QStringList &args, std::vector<int64_t> &ids)
{
    for (const QString &a : args) {
        bool ok = false;
        const qlonglong id = a.toLongLong(&ok);
        if (!ok || id <= 0) {
            ctx.err() << "errordeck-cli issues " << action << ": '" << a << "' is not an issue id" << Qt::endl;
            return false;
        }
        ids.push_back(int64_t(id));
    }
    if (ids.empty()) {
        ctx.err() << "errordeck-cli issues " << action << ": name at least one issue id" << Qt::endl;
        return false;
    }
    return true;
}

int failed(Context &ctx, const QString &action, const QString &message)
{
    ctx.err() << "errordeck-cli issues " << action << ": " << message << Qt::endl;
    return Fatal;
}

int viewCounts(Context &ctx, const QCommandLineParser &p, Database &db, const SearchQuery &query)
{
    SearchQuery q = query;
    if (auto checked = q.check(); !checked) {
        ctx.err() << "errordeck-cli issues counts: bad --query: " << checked.error() << Qt::endl;
        return BadSearch;
    }
    const auto counts = ListQueries(db).viewCounts(q);
    if (!counts)
        return failed(ctx, QStringLiteral("counts"), counts.error());
    if (p.isSet(QStringLiteral("json"))) {
        QJsonObject o;
        for (size_t i = 0; i < kIssueViewCount; ++i)
            o.insert(issueViewName(kAllIssueViews[i]), qint64((*counts)[i]));
        ctx.printJson(QJsonDocument(o));
        return Ok;
    }
    QList<QStringList> rows;
    for (size_t i = 0; i < kIssueViewCount; ++i)
        rows << QStringList{issueViewName(kAllIssueViews[i]), QString::number((*counts)[i])};
    ctx.printTable({QStringLiteral("VIEW"), QStringLiteral("ISSUES")}, rows);
    return Ok;
}

} // namespace

QString issueTriageUsage()
{
    return QStringLiteral("  issues [--view unresolved|review|resolved|ignored|all] [--query Q]   the list\n"
                          "  issues counts [--query Q]            how many issues each view holds\n"
                          "  issues resolve ID... [--next-release] resolved; with --next-release only a report of a\n"
                          "                                       newer release (extra.release) reopens it\n"
                          "  issues ignore ID... [--for 24h|7d|...] [--until-events N]   ignored (for good without either);\n"
                          "                                       unresolved again when the time is up or N more reports came\n"
                          "  issues unresolve ID... | issues reviewed ID...\n"
                          "  issues merge INTO ID...              the reports of the others into INTO; their fingerprints\n"
                          "                                       keep landing there\n"
                          "  issues split ID                      undo the merges into ID\n"
                          "  issues delete ID...                  the issues and all their reports\n");
}

QString issueTriageActions() { return QStringLiteral("counts, resolve, ignore, unresolve, reviewed, merge, split, delete"); }

void addIssueTriageOptions(QCommandLineParser &p)
{
    p.addOption({QStringLiteral("next-release"), QStringLiteral("resolve: in the next release.")});
    p.addOption({QStringLiteral("for"), QStringLiteral("ignore: for this long (30m, 24h, 7d, 2w)."), QStringLiteral("SPAN")});
    p.addOption({QStringLiteral("until-events"), QStringLiteral("ignore: until N more reports arrive."), QStringLiteral("N")});
}

int runIssueTriage(Context &ctx, const QCommandLineParser &p, Database &db, const SearchQuery &q)
{
    const QStringList pos = p.positionalArguments();
    const QString action = pos.value(0);
    if (action == QLatin1String("counts"))
        return viewCounts(ctx, p, db, q);
    std::vector<int64_t> ids;
    IssueTriage triage(db);
    if (action == QLatin1String("resolve") || action == QLatin1String("unresolve") || action == QLatin1String("reviewed") ||
        action == QLatin1String("delete") || action == QLatin1String("ignore")) {
        if (!issueIds(ctx, action, pos.mid(1), ids))
            return Fatal;
    } else if (action == QLatin1String("merge")) {
        if (pos.size() < 3) {
            ctx.err() << "errordeck-cli issues merge: name the issue to merge into and at least one other" << Qt::endl;
            return Fatal;
        }
        if (!issueIds(ctx, action, pos.mid(1), ids))
            return Fatal;
    } else if (action == QLatin1String("split")) {
        if (pos.size() != 2) {
            ctx.err() << "errordeck-cli issues split: name one issue" << Qt::endl;
            return Fatal;
        }
        if (!issueIds(ctx, action, pos.mid(1), ids))
            return Fatal;
    } else {
        ctx.err() << "errordeck-cli issues: unknown action '" << action << "' (" << issueTriageActions() << ")" << Qt::endl;
        return Fatal;
    }
    if (action != QLatin1String("ignore") && (p.isSet(QStringLiteral("for")) || p.isSet(QStringLiteral("until-events")))) {
        ctx.err() << "errordeck-cli issues " << action << ": --for and --until-events are for ignore" << Qt::endl;
        return Fatal;
    }
    if (action != QLatin1String("resolve") && p.isSet(QStringLiteral("next-release"))) {
        ctx.err() << "errordeck-cli issues " << action << ": --next-release is for resolve" << Qt::endl;
        return Fatal;
    }

    if (action == QLatin1String("resolve")) {
        auto r = p.isSet(QStringLiteral("next-release")) ? triage.resolveInNextRelease(ids) : triage.resolve(ids);
        if (!r)
            return failed(ctx, action, r.error());
    } else if (action == QLatin1String("ignore")) {
        IgnoreUntil until;
        if (p.isSet(QStringLiteral("for"))) {
            until.forMs = spanMs(p.value(QStringLiteral("for")));
            if (!until.forMs) {
                ctx.err() << "errordeck-cli issues ignore: bad --for '" << p.value(QStringLiteral("for"))
                          << "' (a number and s, m, h, d or w: 30m, 24h, 7d)" << Qt::endl;
                return Fatal;
            }
        }
        if (p.isSet(QStringLiteral("until-events"))) {
            int64_t n = 0;
            if (!numberOption(ctx, p, QStringLiteral("until-events"), 1, INT_MAX, n))
                return Fatal;
            until.moreReports = n;
        }
        if (auto r = triage.ignore(ids, until); !r)
            return failed(ctx, action, r.error());
    } else if (action == QLatin1String("unresolve")) {
        if (auto r = triage.unresolve(ids); !r)
            return failed(ctx, action, r.error());
    } else if (action == QLatin1String("reviewed")) {
        if (auto r = triage.markReviewed(ids); !r)
            return failed(ctx, action, r.error());
    } else if (action == QLatin1String("merge")) {
        auto moved = triage.merge(ids.front(), std::vector<int64_t>(ids.begin() + 1, ids.end()));
        if (!moved)
            return failed(ctx, action, moved.error());
        ctx.out() << "merged into #" << ids.front() << ": " << counted(*moved, "report", "reports") << " moved" << Qt::endl;
        return Ok;
    } else if (action == QLatin1String("split")) {
        auto moved = triage.split(ids.front());
        if (!moved)
            return failed(ctx, action, moved.error());
        ctx.out() << "split #" << ids.front() << ": " << counted(*moved, "report", "reports") << " back in their own issues"
                  << Qt::endl;
        return Ok;
    } else if (action == QLatin1String("delete")) {
        auto deleted = triage.deleteIssues(ids);
        if (!deleted)
            return failed(ctx, action, deleted.error());
        ctx.out() << "deleted " << counted(int64_t(ids.size()), "issue", "issues") << " and "
                  << counted(*deleted, "report", "reports") << Qt::endl;
        return Ok;
    }
    ctx.out() << action << ": " << counted(int64_t(ids.size()), "issue", "issues") << Qt::endl;
    return Ok;
}

} // namespace ed::cli
