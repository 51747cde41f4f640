#include "alert/AlertEngine.h"

#include "base/Level.h"
#include "store/Config.h"
#include "store/SearchQuery.h"

#include <QDateTime>
#include <algorithm>
#include <map>

namespace ed {

AlertClock systemAlertClock()
{
    return [] { return QDateTime::currentMSecsSinceEpoch(); };
}

AlertClock alertClock()
{
    const QString now = qEnvironmentVariable("ERRORDECK_NOW");
    if (now.isEmpty())
        return systemAlertClock();
    bool ok = false;
    int64_t ms = now.toLongLong(&ok);
    if (!ok) {
        const QDateTime t = QDateTime::fromString(now, Qt::ISODateWithMs);
        ms = t.isValid() ? t.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
    }
    return [ms] { return ms; };
}

namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;

bool isAddress(const QString &r) { return r.contains(u'@') && !r.contains(u' ') && !r.startsWith(u'@') && !r.endsWith(u'@'); }

} // namespace

QString AlertEngine::describe(const AlertRule &rule)
{
    switch (rule.kind) {
    case AlertKind::NewIssue: return QStringLiteral("new issue");
    case AlertKind::Regression: return QStringLiteral("regression");
    case AlertKind::Spike: return QStringLiteral("%1 reports in %2 minutes").arg(rule.threshold).arg(rule.windowMinutes);
    case AlertKind::Level: return QStringLiteral("level %1 or above").arg(levelName(rule.threshold));
    case AlertKind::NewRelease: return QStringLiteral("first report of a new release");
    case AlertKind::Digest:
        return rule.windowMinutes == 1440    ? QStringLiteral("daily digest")
               : rule.windowMinutes == 10080 ? QStringLiteral("weekly digest")
                                             : QStringLiteral("digest every %1 minutes").arg(rule.windowMinutes);
    }
    return {};
}

Result<void> AlertEngine::check(const AlertRule &rule)
{
    auto bad = [&](const QString &why) {
        return Error{QStringLiteral("alert '%1': %2").arg(rule.name, why), ErrorKind::InvalidInput};
    };
    if (rule.name.trimmed().isEmpty())
        return bad(QStringLiteral("give it a name"));
    if (rule.recipients.isEmpty())
        return bad(QStringLiteral("give recipients: ADMINS, MANAGERS or addresses"));
    for (const QString &r : rule.recipients)
        if (r != QLatin1String("ADMINS") && r != QLatin1String("MANAGERS") && !isAddress(r))
            return bad(QStringLiteral("'%1' is neither ADMINS, MANAGERS nor an e-mail address").arg(r));
    if (rule.kind == AlertKind::Spike && (rule.threshold < 1 || rule.windowMinutes < 1))
        return bad(QStringLiteral("a spike needs a count of at least 1 and a window of at least 1 minute"));
    if (rule.kind == AlertKind::Level && !levelFromNumber(rule.threshold))
        return bad(QStringLiteral("a level alert needs a level (DEBUG, INFO, WARNING, ERROR, CRITICAL)"));
    if (rule.kind == AlertKind::Digest && rule.windowMinutes < 1)
        return bad(QStringLiteral("a digest needs a period (daily or weekly)"));
    if (rule.rateLimitMinutes < 0)
        return bad(QStringLiteral("the rate limit is minutes, 0 or more"));
    SearchQuery q;
    q.text = rule.query;
    if (auto parsed = q.parse(); !parsed)
        return bad(QStringLiteral("the search: %1").arg(parsed.error()));
    return {};
}

Result<std::vector<AlertFiring>> AlertEngine::fire(AlertStore &store, const AlertRule &rule,
                                                   const std::vector<AlertReport> &batch, int64_t now)
{
    std::vector<AlertFiring> out;
    const QString reason = describe(rule);
    switch (rule.kind) {
    case AlertKind::NewIssue:
    case AlertKind::Regression:
        for (const AlertReport &r : batch)
            if (rule.kind == AlertKind::NewIssue ? r.newIssue : r.regression)
                out.push_back({r.issueId, r.id, r.timestamp, reason, 0});
        break;
    case AlertKind::Level: {
        // One mail per issue and batch: its first report at the level; the rest held back.
        std::map<int64_t, size_t> byIssue;
        for (const AlertReport &r : batch) {
            if (r.level < rule.threshold)
                continue;
            if (auto it = byIssue.find(r.issueId); it != byIssue.end())
                ++out[it->second].extra;
            else {
                byIssue.emplace(r.issueId, out.size());
                out.push_back({r.issueId, r.id, r.timestamp, reason, 0});
            }
        }
        break;
    }
    case AlertKind::Spike: {
        // Per issue, the window that ends with its newest report of the batch.
        std::map<int64_t, const AlertReport *> newest;
        for (const AlertReport &r : batch)
            if (auto &n = newest[r.issueId]; !n || r.timestamp >= n->timestamp)
                n = &r;
        for (const auto &[issue, r] : newest) {
            auto n = store.countInWindow(rule.query, now, issue, r->timestamp - rule.windowMinutes * kMinute + 1,
                                         r->timestamp + 1);
            if (!n)
                return n.failure();
            if (*n >= rule.threshold)
                out.push_back({issue, r->id, r->timestamp,
                               QStringLiteral("%1 reports in %2 minutes (the rule: %3 or more)")
                                   .arg(*n)
                                   .arg(rule.windowMinutes)
                                   .arg(rule.threshold),
                               0});
        }
        break;
    }
    case AlertKind::NewRelease:
        for (const AlertReport &r : batch) {
            auto release = store.releaseOf(r.id);
            if (!release)
                return release.failure();
            if (release->isEmpty())
                continue;
            auto first = store.firstOfRelease(*release, r.id);
            if (!first)
                return first.failure();
            if (*first)
                out.push_back({r.issueId, r.id, r.timestamp, describe(rule), 0});
        }
        break;
    case AlertKind::Digest: break;
    }
    return out;
}

Result<AlertStepSummary> AlertEngine::evaluate()
{
    AlertStore store(m_db);
    AlertStepSummary summary;
    const int64_t now = m_clock();
    // Looked at without the write lock first: most rounds have nothing to do.
    if (auto peek = store.pending(); peek && peek->ranges.empty())
        return summary;
    auto done = store.transact([&]() -> Result<void> {
        auto pending = store.pending();
        if (!pending)
            return pending.failure();
        if (pending->ranges.empty())
            return {};
        auto rules = store.rules();
        if (!rules)
            return rules.failure();
        const int64_t cap = std::max(1, Config(m_db).integer(ConfigKey::AlertMailsPerHour));
        for (const AlertRule &rule : *rules) {
            if (!rule.enabled || rule.kind == AlertKind::Digest)
                continue;
            auto recent = store.mailsSince(rule.id, now - kHour);
            if (!recent)
                return recent.failure();
            int64_t room = cap - *recent;
            std::vector<AlertFiring> folded; // past the cap: told in one summary mail
            auto reports = store.matching(rule.query, now, pending->ranges);
            auto firings = reports ? fire(store, rule, *reports, now) : Result<std::vector<AlertFiring>>(reports.failure());
            if (!firings) {
                // A rule that cannot be evaluated is named; the others still fire.
                summary.problems << QStringLiteral("alert '%1': %2").arg(rule.name, firings.error());
                continue;
            }
            summary.reports += int64_t(reports->size());
            for (const AlertFiring &f : *firings) {
                auto t = store.throttle(rule.id, f.issueId);
                if (!t)
                    return t.failure();
                const bool limited = rule.rateLimitMinutes > 0 && *t && now - (*t)->lastMailAt < rule.rateLimitMinutes * kMinute;
                if (limited) {
                    if (auto r = store.holdBack(rule.id, f.issueId, 1 + f.extra); !r)
                        return r;
                    summary.heldBack += 1 + f.extra;
                    continue;
                }
                if (room <= 0) {
                    folded.push_back(f);
                    continue;
                }
                --room;
                OutboxEntry e;
                e.ruleId = rule.id;
                e.ruleName = rule.name;
                e.kind = rule.kind;
                e.recipients = rule.recipients;
                e.issueId = f.issueId;
                e.reportId = f.reportId;
                e.reason = f.reason;
                e.heldBack = *t ? (*t)->heldBack : 0;
                e.nextAttemptAt = e.createdAt = now;
                if (auto id = store.enqueue(e); !id)
                    return id.failure();
                if (auto r = store.markMailed(rule.id, f.issueId, now); !r)
                    return r;
                ++summary.queued;
                if (f.extra) {
                    if (auto r = store.holdBack(rule.id, f.issueId, f.extra); !r)
                        return r;
                    summary.heldBack += f.extra;
                }
            }
            if (!folded.empty()) {
                if (auto r = queueSummary(store, rule, folded, cap, now); !r)
                    return r;
                ++summary.queued;
                for (const AlertFiring &f : folded)
                    summary.heldBack += 1 + f.extra;
            }
        }
        return store.dropPending(pending->upTo);
    });
    if (!done)
        return done.failure();
    return summary;
}

Result<void> AlertEngine::queueSummary(AlertStore &store, const AlertRule &rule, const std::vector<AlertFiring> &folded,
                                       int64_t cap, int64_t now)
{
    OutboxEntry e;
    e.ruleId = rule.id;
    e.ruleName = rule.name;
    e.kind = rule.kind;
    e.recipients = rule.recipients;
    e.reason = summaryReason(rule, int64_t(folded.size()), cap);
    e.nextAttemptAt = e.createdAt = now;
    auto id = store.enqueue(e);
    if (!id)
        return id.failure();
    std::vector<std::pair<int64_t, int64_t>> listed;
    for (const AlertFiring &f : folded) {
        listed.emplace_back(f.issueId, f.reportId);
        // Counted as held back, as the rate limit counts: the summary names the issue, no mail of its own.
        if (auto r = store.holdBack(rule.id, f.issueId, 1 + f.extra); !r)
            return r;
    }
    return store.fold(*id, listed);
}

QString AlertEngine::summaryReason(const AlertRule &rule, int64_t more, int64_t cap)
{
    return QStringLiteral("%1: and %2 more %3, past the cap of %4 alert mails an hour")
        .arg(describe(rule))
        .arg(more)
        .arg(more == 1 ? QStringLiteral("issue") : QStringLiteral("issues"))
        .arg(cap);
}

Result<int64_t> AlertEngine::queueDigests(bool force, const QString &only)
{
    AlertStore store(m_db);
    const int64_t now = m_clock();
    int64_t queued = 0;
    const auto due = [&](const AlertRule &rule) {
        if (rule.kind != AlertKind::Digest || (!only.isEmpty() && rule.name != only) || (!force && !rule.enabled))
            return false;
        const int64_t since = rule.lastDigestEnd ? rule.lastDigestEnd : rule.createdAt;
        return force || now - since >= rule.windowMinutes * kMinute;
    };
    // Without the write lock when none is due (most rounds).
    if (auto rules = store.rules(); rules && std::none_of(rules->begin(), rules->end(), due))
        return queued;
    auto done = store.transact([&]() -> Result<void> {
        auto rules = store.rules();
        if (!rules)
            return rules.failure();
        for (const AlertRule &rule : *rules) {
            if (!due(rule))
                continue;
            const int64_t period = rule.windowMinutes * kMinute;
            OutboxEntry e;
            e.ruleId = rule.id;
            e.ruleName = rule.name;
            e.kind = AlertKind::Digest;
            e.recipients = rule.recipients;
            e.reason = describe(rule);
            e.periodStart = now - period;
            e.periodEnd = now;
            e.nextAttemptAt = e.createdAt = now;
            if (auto id = store.enqueue(e); !id)
                return id.failure();
            if (auto r = store.setLastDigestEnd(rule.id, now); !r)
                return r;
            ++queued;
        }
        return {};
    });
    if (!done)
        return done.failure();
    return queued;
}

Result<AlertDryRun> AlertEngine::dryRun(const AlertRule &rule, int64_t since, int64_t until)
{
    AlertDryRun out;
    if (rule.kind == AlertKind::Digest) {
        out.mails = rule.windowMinutes > 0 ? (until - since) / (rule.windowMinutes * kMinute) : 0;
        return out;
    }
    AlertStore store(m_db);
    // In a transaction rolled back at the end: the releases a new-release rule notes are forgotten again.
    auto rehearsed = store.rehearse([&]() -> Result<void> {
        auto reports = store.matchingInTime(rule.query, until, since, until);
        if (!reports)
            return reports.failure();
        out.reports = int64_t(reports->size());
        std::map<int64_t, int64_t> lastMail; // issue -> time of its last mail
        for (const AlertReport &r : *reports) {
            // Each report as the batch it would have arrived in, at its own time.
            auto firings = fire(store, rule, {r}, r.timestamp);
            if (!firings)
                return firings.failure();
            for (const AlertFiring &f : *firings) {
                auto it = lastMail.find(f.issueId);
                if (rule.rateLimitMinutes > 0 && it != lastMail.end() && f.at - it->second < rule.rateLimitMinutes * kMinute) {
                    out.heldBack += 1 + f.extra;
                    continue;
                }
                lastMail[f.issueId] = f.at;
                ++out.mails;
                out.heldBack += f.extra;
                out.mailed.push_back(f);
            }
        }
        return {};
    });
    if (!rehearsed)
        return rehearsed.failure();
    return out;
}

} // namespace ed
