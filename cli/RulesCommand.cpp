// errordeck-cli rules: the drop and hide rules, Django's 404-ignore rules and
// the scrubbing rules — list, change, try on a request, apply to stored
// reports, export for a Django project.
#include "CliContext.h"

#include "base/Level.h"
#include "filters/DjangoExport.h"
#include "filters/FilterSet.h"
#include "filters/RuleApplier.h"

#include <QJsonArray>
#include <QJsonObject>
#include <unistd.h>

namespace ed::cli {
namespace {

QJsonObject ruleJson(const FilterRule &r)
{
    QJsonObject o{{QStringLiteral("name"), r.name},
                  {QStringLiteral("action"), FilterRule::actionName(r.action)},
                  {QStringLiteral("enabled"), r.enabled},
                  {QStringLiteral("conditions"), r.describe()}};
    if (r.belowLevel)
        o.insert(QStringLiteral("below_level"), levelName(*r.belowLevel));
    if (!r.logger.isEmpty())
        o.insert(QStringLiteral("logger"), r.logger);
    if (!r.exceptionType.isEmpty())
        o.insert(QStringLiteral("exception"), r.exceptionType);
    if (!r.messagePattern.isEmpty())
        o.insert(QStringLiteral("message"), r.messagePattern);
    if (r.statusMin) {
        o.insert(QStringLiteral("status_min"), *r.statusMin);
        o.insert(QStringLiteral("status_max"), *r.statusMax);
    }
    return o;
}

QString onOff(bool b) { return b ? QStringLiteral("on") : QStringLiteral("off"); }

QString listOrNone(const QStringList &l)
{
    if (l.isEmpty())
        return QStringLiteral("(none)");
    QStringList quoted;
    for (const QString &s : l)
        quoted << QLatin1Char('\'') + s + QLatin1Char('\'');
    return quoted.join(QStringLiteral(", "));
}

int list(Context &ctx, Database &db, const FilterSet &fs, bool json)
{
    const FilterSet::Settings &s = fs.settings();
    auto stale = RuleApplier::needsRescrub(db, fs);
    if (json) {
        QJsonArray rules;
        for (const FilterRule &r : s.rules)
            rules.append(ruleJson(r));
        ctx.printJson(QJsonDocument(QJsonObject{
            {QStringLiteral("rules"), rules},
            {QStringLiteral("IGNORABLE_404_URLS"), QJsonArray::fromStringList(s.notFound.ignorableUrls)},
            {QStringLiteral("APPEND_SLASH"), s.notFound.appendSlash},
            {QStringLiteral("ERRORDECK_HIDE_CRAWLER_404S"), s.notFound.hideCrawlers},
            {QStringLiteral("ERRORDECK_CRAWLER_AGENTS"), QJsonArray::fromStringList(s.notFound.crawlerAgents)},
            {QStringLiteral("ERRORDECK_HIDDEN_404_PREFIXES"), QJsonArray::fromStringList(s.notFound.hiddenPrefixes)},
            {QStringLiteral("sensitive_keys_default"), QJsonArray::fromStringList(ScrubSettings::defaultKeyPatterns())},
            {QStringLiteral("ERRORDECK_SENSITIVE_KEYS"), QJsonArray::fromStringList(s.scrub.extraKeyPatterns)},
            {QStringLiteral("ERRORDECK_SENSITIVE_VALUES"), QJsonArray::fromStringList(s.scrub.valuePatterns)},
            {QStringLiteral("ERRORDECK_SAFE_KEYS"), QJsonArray::fromStringList(s.scrub.safeKeys)},
            {QStringLiteral("scrub_fingerprint"), s.scrub.fingerprint()},
            {QStringLiteral("stored_reports_need_rescrub"), stale ? QJsonValue(*stale) : QJsonValue()},
        }));
        return Ok;
    }
    QTextStream &o = ctx.out();
    o << "Drop and hide rules (checked first, drop before hide):\n";
    if (s.rules.empty()) {
        o << "  (none; add one with 'errordeck-cli rules add NAME --hide|--drop ...')\n";
    } else {
        QList<QStringList> rows;
        for (const FilterRule &r : s.rules)
            rows << QStringList{r.name, FilterRule::actionName(r.action) + (r.enabled ? QString() : QStringLiteral(" (off)")),
                                r.describe()};
        ctx.printTable({QStringLiteral("NAME"), QStringLiteral("ACTION"), QStringLiteral("CONDITIONS")}, rows);
    }
    o << "\n404s Django would not mail (BrokenLinkEmailsMiddleware) are hidden:\n"
      << "  no referer; APPEND_SLASH redirects; external referers with '?'; referer = the URL (bots)\n"
      << "  APPEND_SLASH = " << (s.notFound.appendSlash ? "True" : "False") << "\n"
      << "  IGNORABLE_404_URLS = " << listOrNone(s.notFound.ignorableUrls) << "\n"
      << "  crawler 404s hidden: " << onOff(s.notFound.hideCrawlers) << " (ERRORDECK_HIDE_CRAWLER_404S; agents "
      << listOrNone(s.notFound.crawlerAgents) << ")\n"
      << "  hidden 404 prefixes: " << listOrNone(s.notFound.hiddenPrefixes) << "\n"
      << "\nScrubbing (before anything is stored):\n"
      << "  sensitive key substrings: " << ScrubSettings::defaultKeyPatterns().join(QLatin1Char(' ')) << "\n"
      << "  ERRORDECK_SENSITIVE_KEYS = " << listOrNone(s.scrub.extraKeyPatterns) << "\n"
      << "  ERRORDECK_SENSITIVE_VALUES = " << listOrNone(s.scrub.valuePatterns) << "\n"
      << "  ERRORDECK_SAFE_KEYS = " << listOrNone(s.scrub.safeKeys) << "\n"
      << "  always: cookies, Authorization headers, user:password@ in URLs, card numbers, PEM private keys\n";
    if (stale && *stale)
        o << "\nStored reports were scrubbed under other rules: run 'errordeck-cli rules apply'.\n";
    o.flush();
    return Ok;
}

// The rule that `add` and `preview` NAME describe with --hide|--drop and conditions.
std::optional<FilterRule> ruleFromOptions(Context &ctx, const QString &action, const QCommandLineParser &p,
                                          const QStringList &pos)
{
    const QString cmd = QStringLiteral("errordeck-cli rules ") + action;
    if (pos.size() != 2) {
        ctx.err() << cmd << ": give one NAME, then --hide or --drop and conditions" << Qt::endl;
        return std::nullopt;
    }
    const bool hide = p.isSet(QStringLiteral("hide")), drop = p.isSet(QStringLiteral("drop"));
    if (hide == drop) {
        ctx.err() << cmd << ": say --hide (keep, hidden) or --drop (never stored)" << Qt::endl;
        return std::nullopt;
    }
    FilterRule r;
    r.name = pos[1];
    r.action = drop ? RuleAction::Drop : RuleAction::Hide;
    if (p.isSet(QStringLiteral("below"))) {
        const auto l = parseLevel(p.value(QStringLiteral("below")).toStdString());
        if (!l) {
            ctx.err() << cmd << ": --below takes a level (DEBUG, INFO, WARNING, ERROR, CRITICAL)" << Qt::endl;
            return std::nullopt;
        }
        r.belowLevel = *l;
    }
    r.logger = p.value(QStringLiteral("logger"));
    r.exceptionType = p.value(QStringLiteral("exception"));
    r.messagePattern = p.value(QStringLiteral("message"));
    if (p.isSet(QStringLiteral("status"))) {
        int lo = 0, hi = 0;
        if (!parseStatusRange(p.value(QStringLiteral("status")), lo, hi)) {
            ctx.err() << cmd << ": --status takes 404, 400-499 or 4xx" << Qt::endl;
            return std::nullopt;
        }
        r.statusMin = lo;
        r.statusMax = hi;
    }
    return r;
}

int add(Context &ctx, Database &db, const QCommandLineParser &p, const QStringList &pos)
{
    const std::optional<FilterRule> rule = ruleFromOptions(ctx, QStringLiteral("add"), p, pos);
    if (!rule)
        return Fatal;
    const FilterRule &r = *rule;
    auto id = RuleStore(db).add(r);
    if (!id) {
        ctx.err() << "errordeck-cli rules add: " << id.error() << Qt::endl;
        return Fatal;
    }
    ctx.out() << "added rule '" << r.name << "': " << FilterRule::actionName(r.action) << " when " << r.describe()
              << "\nnew imports use it; 'errordeck-cli rules apply' applies it to stored reports" << Qt::endl;
    return Ok;
}

int test(Context &ctx, FilterSet &fs, const QCommandLineParser &p, const QStringList &pos)
{
    if (pos.size() != 2) {
        ctx.err() << "errordeck-cli rules test: give one URL (or path)" << Qt::endl;
        return Fatal;
    }
    std::string url = pos[1].toStdString();
    std::string host = p.value(QStringLiteral("host")).toStdString();
    std::string fullPath = url;
    if (url.find("://") != std::string::npos) {
        const SplitUrl u = urlSplit(url);
        if (host.empty())
            host = u.netloc;
        fullPath = (u.path.empty() ? std::string("/") : u.path) + (u.query.empty() ? std::string() : "?" + u.query);
    }
    std::string referer = p.value(QStringLiteral("referer")).toStdString();
    std::string agent = p.value(QStringLiteral("user-agent")).toStdString();
    std::string logger = p.isSet(QStringLiteral("logger")) ? p.value(QStringLiteral("logger")).toStdString() : "django.request";
    std::string type = p.value(QStringLiteral("exception")).toStdString();
    int status = 404;
    if (p.isSet(QStringLiteral("status"))) {
        int64_t given = 0;
        if (!numberOption(ctx, p, QStringLiteral("status"), 100, 599, given))
            return Fatal;
        status = int(given);
    }
    int level = status >= 500 ? level::Error : level::Warning;
    if (p.isSet(QStringLiteral("level"))) {
        const auto l = parseLevel(p.value(QStringLiteral("level")).toStdString());
        if (!l) {
            ctx.err() << "errordeck-cli rules test: --level takes DEBUG, INFO, WARNING, ERROR or CRITICAL" << Qt::endl;
            return Fatal;
        }
        level = *l;
    }
    // Django's messages for these statuses; the request as import would see it: scrubbed.
    std::string message = p.isSet(QStringLiteral("message")) ? p.value(QStringLiteral("message")).toStdString()
                          : status == 404                    ? "Not Found: " + fullPath
                                          : (status >= 500 ? "Internal Server Error: " : "Bad Request: ") + fullPath;
    for (std::string *s : {&fullPath, &referer, &agent, &message})
        fs.scrubText(*s);
    RecordFacts f;
    f.level = level;
    f.logger = logger;
    f.message = message;
    f.statusCode = status;
    f.exceptionType = type;
    f.exceptionTypes = type;
    f.host = host;
    f.fullPath = fullPath;
    f.referer = referer;
    f.userAgent = agent;
    const FilterDecision d = fs.decide(f);
    const QString verdict = d.verdict == Verdict::Keep   ? QStringLiteral("keep")
                            : d.verdict == Verdict::Hide ? QStringLiteral("hide")
                                                         : QStringLiteral("drop");
    if (p.isSet(QStringLiteral("json"))) {
        ctx.printJson(QJsonDocument(
            QJsonObject{{QStringLiteral("verdict"), verdict},
                        {QStringLiteral("rule"), d.rule.isEmpty() ? QJsonValue() : QJsonValue(d.rule)},
                        {QStringLiteral("undecided"), d.undecided.isEmpty() ? QJsonValue() : QJsonValue(d.undecided)},
                        {QStringLiteral("full_path"), QString::fromStdString(fullPath)},
                        {QStringLiteral("host"), QString::fromStdString(host)},
                        {QStringLiteral("referer"), QString::fromStdString(referer)},
                        {QStringLiteral("internal"), NotFoundRules::isInternal(host, referer)}}));
        return Ok;
    }
    ctx.out() << "verdict: " << verdict << '\n';
    if (d.verdict == Verdict::Keep)
        ctx.out() << (status == 404
                          ? "rule:    none (Django would mail MANAGERS about this broken " +
                                QString::fromLatin1(NotFoundRules::isInternal(host, referer) ? "INTERNAL " : "") + "link)\n"
                          : QStringLiteral("rule:    none\n"));
    else
        ctx.out() << "rule:    " << d.rule << '\n';
    if (!d.undecided.isEmpty())
        ctx.out() << "undecided: " << d.undecided << " (the message regex passed the regex match limit; kept visible)\n";
    ctx.out().flush();
    return Ok;
}

int apply(Context &ctx, Database &db, const FilterSet &fs, const QCommandLineParser &p)
{
    ApplyOptions opts;
    opts.rescrub = p.isSet(QStringLiteral("rescrub"));
    const bool progress = isatty(STDERR_FILENO) && !p.isSet(QStringLiteral("json"));
    if (progress)
        opts.progress = [&ctx](int64_t done, int64_t total) {
            ctx.rawErr() << QStringLiteral("\rreports %1/%2").arg(done).arg(total) << "\x1b[K";
            ctx.rawErr().flush();
        };
    auto s = RuleApplier::apply(db, fs, opts);
    if (progress) {
        ctx.rawErr() << '\n';
        ctx.rawErr().flush();
    }
    if (!s) {
        ctx.err() << "errordeck-cli: " << s.error() << Qt::endl;
        return Fatal;
    }
    for (const QString &w : fs.undecided())
        ctx.err() << "errordeck-cli rules apply: warning: " << w << Qt::endl;
    if (p.isSet(QStringLiteral("json"))) {
        ctx.printJson(QJsonDocument(
            QJsonObject{{QStringLiteral("reports"), qint64(s->reports)},
                        {QStringLiteral("hidden"), qint64(s->hidden)},
                        {QStringLiteral("newly_hidden"), qint64(s->newlyHidden)},
                        {QStringLiteral("newly_shown"), qint64(s->newlyShown)},
                        {QStringLiteral("relabelled"), qint64(s->relabelled)},
                        {QStringLiteral("rescrubbed"), s->scrubbed ? QJsonValue(qint64(s->rescrubbed)) : QJsonValue()},
                        {QStringLiteral("parts_removed"), qint64(s->partsRemoved)},
                        {QStringLiteral("failed"), qint64(s->failed)},
                        {QStringLiteral("checkpoint"), s->checkpoint.isEmpty() ? QJsonValue() : QJsonValue(s->checkpoint)}}));
    } else {
        ctx.out() << QStringLiteral("%1 reports: %2 hidden (%3 newly hidden, %4 shown again, %5 by another rule)\n")
                         .arg(s->reports)
                         .arg(s->hidden)
                         .arg(s->newlyHidden)
                         .arg(s->newlyShown)
                         .arg(s->relabelled);
        if (s->scrubbed)
            ctx.out() << QStringLiteral("scrubbed again: %1 reports changed, %2 unused parts removed, free pages zeroed\n")
                             .arg(s->rescrubbed)
                             .arg(s->partsRemoved);
        if (s->failed)
            ctx.out() << QStringLiteral("%1 reports could not be read back and were left as they were\n").arg(s->failed);
        if (!s->checkpoint.isEmpty())
            ctx.out() << "note: " << s->checkpoint << '\n';
        ctx.out().flush();
    }
    return s->failed ? Partial : Ok;
}

// What `apply` would do, written nowhere: with NAME and conditions, as if that
// rule were added (the count the app's Add rule dialog shows while editing).
int preview(Context &ctx, Database &db, const FilterSet &fs, const QCommandLineParser &p, const QStringList &pos)
{
    FilterSet::Settings settings = fs.settings();
    std::optional<QString> draft;
    if (pos.size() > 1) {
        const std::optional<FilterRule> rule = ruleFromOptions(ctx, QStringLiteral("preview"), p, pos);
        if (!rule)
            return Fatal;
        if (!rule->hasCondition()) {
            ctx.err() << "errordeck-cli rules preview: rule '" << rule->name
                      << "' has no condition: give --below, --logger, --exception, --message or --status" << Qt::endl;
            return Fatal;
        }
        for (const FilterRule &r : settings.rules)
            if (r.name == rule->name) {
                ctx.err() << "errordeck-cli rules preview: a rule named '" << r.name << "' exists already" << Qt::endl;
                return Fatal;
            }
        draft = rule->name;
        settings.rules.push_back(*rule);
    }
    auto withDraft = FilterSet::create(settings);
    if (!withDraft) {
        ctx.err() << "errordeck-cli rules preview: " << withDraft.error() << Qt::endl;
        return Fatal;
    }
    auto s = RuleApplier::preview(db, **withDraft);
    if (!s) {
        ctx.err() << "errordeck-cli: " << s.error() << Qt::endl;
        return Fatal;
    }
    const bool json = p.isSet(QStringLiteral("json"));
    QJsonArray rules;
    QList<QStringList> rows;
    for (const FilterRule &r : settings.rules) {
        const int64_t n = s->hiddenBy(r.label());
        const bool isDraft = draft && r.name == *draft;
        QJsonObject o{{QStringLiteral("name"), r.name},
                      {QStringLiteral("action"), FilterRule::actionName(r.action)},
                      {QStringLiteral("enabled"), r.enabled},
                      {QStringLiteral("would_hide"), qint64(n)}};
        if (isDraft)
            o.insert(QStringLiteral("new"), true);
        rules.append(o);
        rows << QStringList{r.name + (isDraft ? QStringLiteral(" (new)") : QString()),
                            FilterRule::actionName(r.action) + (r.enabled ? QString() : QStringLiteral(" (off)")),
                            QString::number(n)};
    }
    QJsonObject byLabel;
    for (auto it = s->byLabel.cbegin(); it != s->byLabel.cend(); ++it)
        byLabel.insert(it.key(), qint64(it.value()));
    if (json) {
        ctx.printJson(QJsonDocument(QJsonObject{{QStringLiteral("reports"), qint64(s->reports)},
                                                {QStringLiteral("hidden"), qint64(s->hidden)},
                                                {QStringLiteral("newly_hidden"), qint64(s->newlyHidden)},
                                                {QStringLiteral("newly_shown"), qint64(s->newlyShown)},
                                                {QStringLiteral("relabelled"), qint64(s->relabelled)},
                                                {QStringLiteral("failed"), qint64(s->failed)},
                                                {QStringLiteral("rules"), rules},
                                                {QStringLiteral("hidden_by"), byLabel}}));
        return s->failed ? Partial : Ok;
    }
    ctx.out() << QStringLiteral("%1 reports: %2 would be hidden (%3 newly hidden, %4 shown again, %5 by another rule)\n")
                     .arg(s->reports)
                     .arg(s->hidden)
                     .arg(s->newlyHidden)
                     .arg(s->newlyShown)
                     .arg(s->relabelled);
    if (!rows.isEmpty()) {
        ctx.out().flush();
        ctx.printTable({QStringLiteral("RULE"), QStringLiteral("ACTION"), QStringLiteral("WOULD HIDE")}, rows);
    }
    QStringList labels = s->byLabel.keys();
    labels.sort();
    bool header = false;
    for (const QString &label : labels) {
        if (label.startsWith(QLatin1String("rule: ")))
            continue;
        if (!header)
            ctx.out() << "Hidden otherwise (404 rules, by hand):\n";
        header = true;
        ctx.out() << "  " << label << ": " << s->byLabel.value(label) << '\n';
    }
    if (s->failed)
        ctx.out() << QStringLiteral("%1 reports could not be read back (apply leaves them as they are)\n").arg(s->failed);
    ctx.out() << "nothing was written; 'errordeck-cli rules apply' applies the stored rules\n";
    ctx.out().flush();
    return s->failed ? Partial : Ok;
}

} // namespace

int cmdRules(Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Drop and hide rules, Django's 404-ignore rules and the scrubbing rules.\n"
        "  rules list                          every rule and setting that filters imports\n"
        "  rules add NAME --hide|--drop [--below LEVEL] [--logger NAME] [--exception TYPE]\n"
        "                 [--message REGEX] [--status 404|400-499|4xx]   (all given conditions must hold)\n"
        "  rules remove NAME | rules enable NAME | rules disable NAME\n"
        "  rules test URL [--referer R] [--host H] [--user-agent U] [--status N] [--logger L]\n"
        "                 [--level L] [--exception T] [--message M]     the verdict and the rule that decided\n"
        "  rules preview [NAME --hide|--drop CONDITIONS]  how many stored reports each rule would hide\n"
        "                                      (with NAME: as if that rule were added); writes nothing\n"
        "  rules apply [--rescrub]             re-apply hide rules to stored reports; scrub them again\n"
        "                                      when the scrubbing rules changed (or with --rescrub)\n"
        "  rules export --django               IGNORABLE_404_URLS and a SafeExceptionReporterFilter for settings.py\n"
        "404 rules and scrubbing are settings: see 'errordeck-cli config list' (IGNORABLE_404_URLS,\n"
        "APPEND_SLASH, ERRORDECK_SENSITIVE_KEYS, ...)."));
    addCommonOptions(p);
    p.addOption({QStringLiteral("json"), QStringLiteral("JSON output (list, test, preview, apply).")});
    p.addOption({QStringLiteral("hide"), QStringLiteral("add: keep matching reports, hidden.")});
    p.addOption({QStringLiteral("drop"), QStringLiteral("add: never store matching reports.")});
    p.addOption({QStringLiteral("below"), QStringLiteral("add: records under this level."), QStringLiteral("LEVEL")});
    p.addOption({QStringLiteral("logger"), QStringLiteral("add, test: a logger (and its children)."), QStringLiteral("NAME")});
    p.addOption({QStringLiteral("exception"), QStringLiteral("add, test: an exception type anywhere in the chain."),
                 QStringLiteral("TYPE")});
    p.addOption({QStringLiteral("message"), QStringLiteral("add: a regex searched in the message; test: the message."),
                 QStringLiteral("TEXT")});
    p.addOption({QStringLiteral("status"), QStringLiteral("add: a status or range; test: the status (default 404)."),
                 QStringLiteral("STATUS")});
    p.addOption({QStringLiteral("level"), QStringLiteral("test: the record's level."), QStringLiteral("LEVEL")});
    p.addOption({QStringLiteral("referer"), QStringLiteral("test: the Referer header."), QStringLiteral("URL")});
    p.addOption(
        {QStringLiteral("host"), QStringLiteral("test: the request's host (default: the URL's)."), QStringLiteral("HOST")});
    p.addOption({QStringLiteral("user-agent"), QStringLiteral("test: the User-Agent header."), QStringLiteral("UA")});
    p.addOption({QStringLiteral("rescrub"), QStringLiteral("apply: scrub every stored report again.")});
    p.addOption({QStringLiteral("django"), QStringLiteral("export: as Python for a Django project.")});
    p.addPositionalArgument(QStringLiteral("action"),
                            QStringLiteral("list, add, remove, enable, disable, test, preview, apply, export"),
                            QStringLiteral("ACTION [ARGS]"));
    if (int rc = parseCommon(p, args, ctx); rc >= 0)
        return rc;
    const QStringList pos = p.positionalArguments();
    const QString action = pos.value(0, QStringLiteral("list"));
    Database *db = ctx.db();
    if (!db)
        return Fatal;

    if (action == QLatin1String("add"))
        return add(ctx, *db, p, pos);
    if (action == QLatin1String("remove") || action == QLatin1String("enable") || action == QLatin1String("disable")) {
        if (pos.size() != 2) {
            ctx.err() << "errordeck-cli rules " << action << ": name one rule" << Qt::endl;
            return Fatal;
        }
        RuleStore store(*db);
        auto r = action == QLatin1String("remove") ? store.remove(pos[1])
                                                   : store.setEnabled(pos[1], action == QLatin1String("enable"));
        if (!r) {
            ctx.err() << "errordeck-cli rules " << action << ": " << r.error() << Qt::endl;
            return Fatal;
        }
        if (!*r) {
            ctx.err() << "errordeck-cli rules " << action << ": no rule named '" << pos[1] << "'" << Qt::endl;
            return Fatal;
        }
        ctx.out() << "rule '" << pos[1] << "' " << action << "d"
                  << "; 'errordeck-cli rules apply' updates stored reports" << Qt::endl;
        return Ok;
    }

    auto fs = FilterSet::load(*db);
    if (!fs) {
        ctx.err() << "errordeck-cli: " << fs.error() << Qt::endl;
        return Fatal;
    }
    if (action == QLatin1String("list"))
        return list(ctx, *db, **fs, p.isSet(QStringLiteral("json")));
    if (action == QLatin1String("test"))
        return test(ctx, **fs, p, pos);
    if (action == QLatin1String("preview"))
        return preview(ctx, *db, **fs, p, pos);
    if (action == QLatin1String("apply"))
        return apply(ctx, *db, **fs, p);
    if (action == QLatin1String("export")) {
        if (!p.isSet(QStringLiteral("django"))) {
            ctx.err() << "errordeck-cli rules export: say --django (the one export format)" << Qt::endl;
            return Fatal;
        }
        ctx.exact() << djangoSettingsSnippet((*fs)->settings());
        ctx.exact().flush();
        return Ok;
    }
    ctx.err() << "errordeck-cli rules: unknown action '" << action << "' (see errordeck-cli rules --help)" << Qt::endl;
    return Fatal;
}

} // namespace ed::cli
