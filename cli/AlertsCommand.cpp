// errordeck-cli alerts: alert rules and digests (list, add, remove, test,
// dry-run, digest, run, outbox). watch and serve run the same step
// (alert/AlertService.h) as reports arrive.
#include "CliContext.h"

#include "KeychainPasswords.h"
#include "alert/AlertDispatcher.h"
#include "alert/AlertEngine.h"
#include "alert/AlertService.h"
#include "base/Level.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimeZone>
#include <algorithm>
#include <cstdio>

namespace ed::cli {

void printConsoleMail(const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

namespace {

QString utcText(int64_t ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
              : QStringLiteral("-");
}

QString scopeText(const AlertRule &r) { return r.query.isEmpty() ? QStringLiteral("(every report)") : r.query; }

// The rule the options describe (add, and dry-run of a rule not yet added).
bool ruleFromOptions(Context &ctx, const QCommandLineParser &p, const QString &name, AlertRule &rule)
{
    const auto kind = alertKindFromName(p.value(QStringLiteral("kind")));
    if (!kind) {
        ctx.err() << "errordeck-cli alerts: --kind is one of new-issue, regression, spike, level, new-release, digest"
                  << Qt::endl;
        return false;
    }
    rule.name = name;
    rule.kind = *kind;
    rule.query = p.value(QStringLiteral("query"));
    for (const QString &r : p.value(QStringLiteral("to")).split(u',', Qt::SkipEmptyParts))
        rule.recipients << (r.trimmed().compare(QLatin1String("admins"), Qt::CaseInsensitive) == 0 ? QStringLiteral("ADMINS")
                            : r.trimmed().compare(QLatin1String("managers"), Qt::CaseInsensitive) == 0
                                ? QStringLiteral("MANAGERS")
                                : r.trimmed());
    int64_t n = 0;
    if (!numberOption(ctx, p, QStringLiteral("rate-limit"), 0, 525600, n))
        return false;
    rule.rateLimitMinutes = int(n);
    if (rule.kind == AlertKind::Spike) {
        if (!numberOption(ctx, p, QStringLiteral("count"), 1, 1'000'000'000, n))
            return false;
        rule.threshold = int(n);
        if (!numberOption(ctx, p, QStringLiteral("minutes"), 1, 525600, n))
            return false;
        rule.windowMinutes = int(n);
    } else if (rule.kind == AlertKind::Level) {
        const auto level = parseLevel(p.value(QStringLiteral("level")).toStdString());
        if (!level) {
            ctx.err() << "errordeck-cli alerts: --level takes a level: DEBUG, INFO, WARNING, ERROR, CRITICAL" << Qt::endl;
            return false;
        }
        rule.threshold = *level;
    } else if (rule.kind == AlertKind::Digest) {
        const QString period = p.value(QStringLiteral("period"));
        if (period != QLatin1String("daily") && period != QLatin1String("weekly")) {
            ctx.err() << "errordeck-cli alerts: --period is daily or weekly" << Qt::endl;
            return false;
        }
        rule.windowMinutes = period == QLatin1String("daily") ? 1440 : 10080;
    }
    if (auto ok = AlertEngine::check(rule); !ok) {
        ctx.err() << "errordeck-cli alerts: " << ok.error() << Qt::endl;
        return false;
    }
    return true;
}

int list(Context &ctx, Database &db, bool json)
{
    AlertStore store(db);
    auto rules = store.rules();
    auto outbox = rules ? store.outbox(-1) : Result<std::vector<OutboxEntry>>(rules.failure());
    if (!outbox) {
        ctx.err() << "errordeck-cli alerts: " << outbox.error() << Qt::endl;
        return Fatal;
    }
    auto counts = [&](const AlertRule &r, OutboxState s) {
        return std::count_if(outbox->begin(), outbox->end(),
                             [&](const OutboxEntry &e) { return e.ruleId == r.id && e.state == s; });
    };
    if (json) {
        QJsonArray a;
        for (const AlertRule &r : *rules)
            a.append(
                QJsonObject{{QStringLiteral("name"), r.name},
                            {QStringLiteral("kind"), alertKindName(r.kind)},
                            {QStringLiteral("fires_on"), AlertEngine::describe(r)},
                            {QStringLiteral("query"), r.query},
                            {QStringLiteral("recipients"), QJsonArray::fromStringList(r.recipients)},
                            {QStringLiteral("rate_limit_minutes"), r.rateLimitMinutes},
                            {QStringLiteral("held_back"), qint64(r.heldBack)},
                            {QStringLiteral("queued"), qint64(counts(r, OutboxState::Queued) + counts(r, OutboxState::Sending))},
                            {QStringLiteral("sent"), qint64(counts(r, OutboxState::Sent))},
                            {QStringLiteral("gave_up"), qint64(counts(r, OutboxState::GaveUp))},
                            {QStringLiteral("enabled"), r.enabled}});
        ctx.printJson(QJsonDocument(a));
        return Ok;
    }
    QList<QStringList> rows;
    for (const AlertRule &r : *rules)
        rows << QStringList{r.name,
                            AlertEngine::describe(r),
                            scopeText(r),
                            r.recipients.join(u','),
                            r.kind == AlertKind::Digest ? QStringLiteral("-")
                            : r.rateLimitMinutes        ? QStringLiteral("1/issue/%1 min").arg(r.rateLimitMinutes)
                                                        : QStringLiteral("none"),
                            QString::number(r.heldBack),
                            QStringLiteral("%1 sent, %2 queued")
                                .arg(counts(r, OutboxState::Sent))
                                .arg(counts(r, OutboxState::Queued) + counts(r, OutboxState::Sending))};
    if (rows.isEmpty()) {
        ctx.out() << "No alerts (errordeck-cli alerts add --help)" << Qt::endl;
        return Ok;
    }
    ctx.printTable({QStringLiteral("NAME"), QStringLiteral("FIRES ON"), QStringLiteral("SCOPE"), QStringLiteral("TO"),
                    QStringLiteral("RATE LIMIT"), QStringLiteral("HELD BACK"), QStringLiteral("MAILS")},
                   rows);
    return Ok;
}

int outboxList(Context &ctx, Database &db, bool json)
{
    auto outbox = AlertStore(db).outbox(-1);
    if (!outbox) {
        ctx.err() << "errordeck-cli alerts: " << outbox.error() << Qt::endl;
        return Fatal;
    }
    SendLog log(db);
    for (OutboxEntry &e : *outbox) {
        // An attempt's error is kept in the send log (re-scrubbed there), not in the outbox.
        if (e.state != OutboxState::Sent && e.sendLogId)
            if (auto logged = log.entry(e.sendLogId); logged && !logged->error.isEmpty())
                e.lastError = logged->error;
    }
    if (json) {
        QJsonArray a;
        for (const OutboxEntry &e : *outbox)
            a.append(QJsonObject{{QStringLiteral("id"), qint64(e.id)},
                                 {QStringLiteral("rule"), e.ruleName},
                                 {QStringLiteral("kind"), alertKindName(e.kind)},
                                 {QStringLiteral("issue_id"), e.issueId ? QJsonValue(qint64(e.issueId)) : QJsonValue()},
                                 {QStringLiteral("report_id"), e.reportId ? QJsonValue(qint64(e.reportId)) : QJsonValue()},
                                 {QStringLiteral("reason"), e.reason},
                                 {QStringLiteral("held_back"), qint64(e.heldBack)},
                                 {QStringLiteral("state"), outboxStateName(e.state)},
                                 {QStringLiteral("attempts"), e.attempts},
                                 {QStringLiteral("next_attempt"), utcText(e.nextAttemptAt)},
                                 {QStringLiteral("error"), e.lastError.isEmpty() ? QJsonValue() : QJsonValue(e.lastError)},
                                 {QStringLiteral("send_log_id"), e.sendLogId ? QJsonValue(qint64(e.sendLogId)) : QJsonValue()}});
        ctx.printJson(QJsonDocument(a));
        return Ok;
    }
    QList<QStringList> rows;
    for (const OutboxEntry &e : *outbox)
        rows << QStringList{QString::number(e.id),
                            e.ruleName,
                            e.issueId ? QString::number(e.issueId) : QStringLiteral("-"),
                            outboxStateName(e.state),
                            QString::number(e.attempts),
                            e.sendLogId ? QString::number(e.sendLogId) : QStringLiteral("-"),
                            e.reason + (e.lastError.isEmpty() ? QString() : QStringLiteral("  [%1]").arg(e.lastError))};
    ctx.printTable({QStringLiteral("ID"), QStringLiteral("RULE"), QStringLiteral("ISSUE"), QStringLiteral("STATE"),
                    QStringLiteral("TRIES"), QStringLiteral("SEND LOG"), QStringLiteral("WHY")},
                   rows);
    return Ok;
}

int dryRun(Context &ctx, Database &db, const AlertRule &rule, int64_t days)
{
    const int64_t now = alertClock()();
    auto r = AlertEngine(db, alertClock()).dryRun(rule, now - days * 86'400'000, now);
    if (!r) {
        ctx.err() << "errordeck-cli alerts: " << r.error() << Qt::endl;
        return Fatal;
    }
    ctx.out() << "alert '" << rule.name << "' (" << AlertEngine::describe(rule) << ") would have sent " << r->mails
              << (r->mails == 1 ? " mail" : " mails") << " in the last " << days << (days == 1 ? " day" : " days");
    if (rule.kind != AlertKind::Digest)
        ctx.out() << " (" << r->reports << " reports in scope, " << r->heldBack << " held back by the rate limit)";
    ctx.out() << '\n';
    for (const AlertFiring &f : r->mailed)
        ctx.out() << "  " << utcText(f.at) << "  issue " << f.issueId << "  report " << f.reportId << "  " << f.reason << '\n';
    ctx.out().flush();
    return Ok;
}

// The mail the rule sends, now, for its newest report in scope (a digest: the
// period ending now), ignoring the rate limit; logged as the rule's.
int test(Context &ctx, Database &db, const AlertRule &rule)
{
    const KeychainPasswords keychain;
    AlertDispatcher dispatcher(db, alertClock(), &keychain);
    auto entry = dispatcher.testEntry(rule);
    if (!entry) {
        ctx.err() << "errordeck-cli alerts test: " << entry.error() << Qt::endl;
        return Fatal;
    }
    auto draft = dispatcher.draftFor(*entry);
    ReportMailer mailer(db, &keychain);
    mailer.setConsole(printConsoleMail);
    auto sent = draft ? mailer.send(*draft) : Result<SendResult>(draft.failure());
    if (!sent) {
        ctx.err() << "errordeck-cli alerts test: " << sent.error() << Qt::endl;
        return Fatal;
    }
    if (!sent->ok()) {
        ctx.err() << "errordeck-cli alerts test: " << sent->error() << " (send log #" << sent->logId << ")" << Qt::endl;
        return Fatal;
    }
    ctx.out() << "Sent \"" << sent->entry.subject << "\" to " << sent->entry.recipients.join(QStringLiteral(", "))
              << " (send log #" << sent->logId << ")" << Qt::endl;
    return Ok;
}

// One alert step and the due sends, on this thread.
// What could not be sent stays queued (said on stderr): not a failure of the command.
int runStep(Context &ctx, Database &db)
{
    const KeychainPasswords keychain;
    for (const QString &line : AlertService::runOnce(db.location(), alertClock(), &keychain, printConsoleMail))
        ctx.err() << line << '\n';
    ctx.err().flush();
    auto outbox = AlertStore(db).outbox(-1);
    if (outbox) {
        const auto waiting = std::count_if(outbox->begin(), outbox->end(), [](const OutboxEntry &e) {
            return e.state == OutboxState::Queued || e.state == OutboxState::Sending;
        });
        ctx.out() << waiting << " alert mails waiting in the outbox" << Qt::endl;
    }
    return Ok;
}

} // namespace

int cmdAlerts(Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Alerts: e-mail when something new happens, not for every error, and digests.\n"
        "  alerts list                      the rules, what each held back and sent\n"
        "  alerts add NAME --kind KIND ...  a rule: new-issue, regression, spike (--count N --minutes T),\n"
        "                                   level (--level L), new-release or digest (--period daily|weekly)\n"
        "  alerts add NAME ... --dry-run    what it would have sent over the stored reports; nothing added\n"
        "  alerts remove NAME\n"
        "  alerts dry-run NAME [--days N]   what a rule would have sent in the last N days (default 7)\n"
        "  alerts test NAME                 send the rule's mail now, for its newest report in scope\n"
        "  alerts digest [NAME] --now       queue the digests now and send them\n"
        "  alerts run                       evaluate what arrived, queue and send due mails (watch and serve do it)\n"
        "  alerts outbox                    every queued, sent and failed alert mail"));
    addCommonOptions(p);
    p.addOption({QStringLiteral("kind"), QStringLiteral("new-issue, regression, spike, level, new-release or digest."),
                 QStringLiteral("KIND")});
    p.addOption({QStringLiteral("query"),
                 QStringLiteral("The scope, in the search language (e.g. 'site:shop.example.com level:error')."),
                 QStringLiteral("SEARCH")});
    p.addOption({QStringLiteral("to"),
                 QStringLiteral("Recipients: ADMINS, MANAGERS and addresses, comma-separated (default ADMINS)."),
                 QStringLiteral("LIST"), QStringLiteral("ADMINS")});
    p.addOption(
        {QStringLiteral("count"), QStringLiteral("spike: reports of one issue..."), QStringLiteral("N"), QStringLiteral("10")});
    p.addOption({QStringLiteral("minutes"), QStringLiteral("spike: ...within this many minutes."), QStringLiteral("T"),
                 QStringLiteral("10")});
    p.addOption({QStringLiteral("level"), QStringLiteral("level: the lowest level that fires."), QStringLiteral("LEVEL"),
                 QStringLiteral("ERROR")});
    p.addOption(
        {QStringLiteral("period"), QStringLiteral("digest: daily or weekly."), QStringLiteral("P"), QStringLiteral("daily")});
    p.addOption({QStringLiteral("rate-limit"),
                 QStringLiteral("At most one mail per issue in this many minutes (default 60; 0: none)."), QStringLiteral("MIN"),
                 QStringLiteral("60")});
    p.addOption({QStringLiteral("dry-run"), QStringLiteral("add: only say what the rule would have sent.")});
    p.addOption(
        {QStringLiteral("days"), QStringLiteral("dry-run: how far back (default 7)."), QStringLiteral("N"), QStringLiteral("7")});
    p.addOption({QStringLiteral("now"), QStringLiteral("digest: for the period ending now, whether due or not.")});
    p.addOption({QStringLiteral("json"), QStringLiteral("list, outbox: as JSON.")});
    p.addPositionalArgument(QStringLiteral("action"), QStringLiteral("list, add, remove, dry-run, test, digest, run, outbox"),
                            QStringLiteral("ACTION [NAME]"));
    if (int rc = parseCommon(p, args, ctx); rc >= 0)
        return rc;
    const QStringList pos = p.positionalArguments();
    const QString action = pos.value(0, QStringLiteral("list"));
    const QString name = pos.value(1);
    static const QStringList actions{QStringLiteral("list"),    QStringLiteral("add"),   QStringLiteral("remove"),
                                     QStringLiteral("dry-run"), QStringLiteral("test"),  QStringLiteral("digest"),
                                     QStringLiteral("run"),     QStringLiteral("outbox")};
    if (!actions.contains(action)) {
        ctx.err() << "errordeck-cli alerts: unknown action \"" << action << "\" (" << actions.join(QStringLiteral(", ")) << ")"
                  << Qt::endl;
        return Fatal;
    }
    const bool needsName = action == QLatin1String("add") || action == QLatin1String("remove") ||
                           action == QLatin1String("dry-run") || action == QLatin1String("test");
    if (needsName ? pos.size() != 2 : pos.size() > (action == QLatin1String("digest") ? 2 : 1)) {
        ctx.err() << "errordeck-cli alerts " << action << (needsName ? ": name one alert" : ": too many arguments") << Qt::endl;
        return Fatal;
    }
    int64_t days = 7;
    if (!numberOption(ctx, p, QStringLiteral("days"), 1, 3650, days))
        return Fatal;
    AlertRule rule;
    if (action == QLatin1String("add") && !ruleFromOptions(ctx, p, name, rule))
        return Fatal;
    Database *db = ctx.db();
    if (!db)
        return Fatal;
    AlertStore store(*db);
    if (action == QLatin1String("list") || action == QLatin1String("outbox"))
        return action == QLatin1String("list") ? list(ctx, *db, p.isSet(QStringLiteral("json")))
                                               : outboxList(ctx, *db, p.isSet(QStringLiteral("json")));
    if (action == QLatin1String("add")) {
        rule.createdAt = alertClock()();
        if (p.isSet(QStringLiteral("dry-run")))
            return dryRun(ctx, *db, rule, days);
        if (auto id = store.addRule(rule); !id) {
            ctx.err() << "errordeck-cli alerts add: " << id.error() << Qt::endl;
            return Fatal;
        }
        ctx.out() << "Added alert '" << rule.name << "': " << AlertEngine::describe(rule) << ", " << scopeText(rule) << ", to "
                  << rule.recipients.join(QStringLiteral(", ")) << Qt::endl;
        return Ok;
    }
    if (action == QLatin1String("remove")) {
        if (auto r = store.removeRule(name); !r) {
            ctx.err() << "errordeck-cli alerts remove: " << r.error() << Qt::endl;
            return Fatal;
        }
        ctx.out() << "Removed alert '" << name << "'" << Qt::endl;
        return Ok;
    }
    if (action == QLatin1String("dry-run") || action == QLatin1String("test")) {
        auto found = store.rule(name);
        if (!found) {
            ctx.err() << "errordeck-cli alerts " << action << ": " << found.error() << Qt::endl;
            return Fatal;
        }
        return action == QLatin1String("dry-run") ? dryRun(ctx, *db, *found, days) : test(ctx, *db, *found);
    }
    if (action == QLatin1String("digest")) {
        if (!name.isEmpty() && !store.rule(name)) {
            ctx.err() << "errordeck-cli alerts digest: no alert named '" << name << "'" << Qt::endl;
            return Fatal;
        }
        auto queued = AlertEngine(*db, alertClock()).queueDigests(p.isSet(QStringLiteral("now")), name);
        if (!queued) {
            ctx.err() << "errordeck-cli alerts digest: " << queued.error() << Qt::endl;
            return Fatal;
        }
        ctx.out() << *queued << (*queued == 1 ? " digest" : " digests") << " queued" << Qt::endl;
    }
    return runStep(ctx, *db);
}

} // namespace ed::cli
