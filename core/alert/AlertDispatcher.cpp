#include "alert/AlertDispatcher.h"

#include "alert/AlertEngine.h"
#include "alert/DigestComposer.h"
#include "base/AppLog.h"
#include "send/MailComposer.h"

#include <algorithm>

namespace ed {
namespace {

// ADMINS and MANAGERS as the settings hold them now; addresses as given.
QStringList resolveRecipients(const QStringList &tokens, const ComposerSettings &s)
{
    QStringList out;
    for (const QString &t : tokens) {
        const QStringList add = t == QLatin1String("ADMINS")     ? s.admins
                                : t == QLatin1String("MANAGERS") ? s.managers
                                                                 : QStringList{t};
        for (const QString &a : add)
            if (!out.contains(a, Qt::CaseInsensitive))
                out << a;
    }
    return out;
}

// What the alert says before Django's report: which rule, why, what was held back.
QString preface(const OutboxEntry &e)
{
    QString s = QStringLiteral("ErrorDeck alert \"%1\": %2, issue #%3.\n").arg(e.ruleName, e.reason, QString::number(e.issueId));
    if (e.heldBack > 0)
        s += QStringLiteral("The rate limit held back %1 more %2 for this issue since the last one.\n")
                 .arg(e.heldBack)
                 .arg(e.heldBack == 1 ? QStringLiteral("mail") : QStringLiteral("mails"));
    s += QStringLiteral("Open it in ErrorDeck: %1\n").arg(issueLink(e.issueId));
    return s;
}

} // namespace

int64_t AlertDispatcher::backoffMs(int attempts)
{
    const int doublings = std::clamp(attempts - 1, 0, 6); // 1, 2, 4 ... 64 minutes
    return std::min<int64_t>(int64_t(60'000) << doublings, 3'600'000);
}

Result<MailDraft> AlertDispatcher::draftFor(const OutboxEntry &e)
{
    Config config(m_db);
    const ComposerSettings settings = ComposerSettings::fromConfig(config);
    MailDraft d;
    if (e.kind == AlertKind::Digest) {
        auto data = AlertStore(m_db).digest(e.periodStart, e.periodEnd, 10);
        if (!data)
            return data.failure();
        QString title = e.reason;
        title[0] = title[0].toUpper();
        d = DigestComposer::fromConfig(config).compose(*data, title);
    } else if (e.issueId == 0) { // a summary of what the rule's hourly cap folded (AlertEngine.h)
        auto listed = AlertStore(m_db).folded(e.id);
        if (!listed)
            return listed.failure();
        std::vector<std::pair<std::optional<IssueRow>, int64_t>> issues;
        ReportStore reports(m_db);
        for (const auto &[issueId, reportId] : *listed) {
            auto issue = reports.loadIssue(issueId);
            if (!issue && issue.errorKind() != ErrorKind::NotFound)
                return issue.failure();
            issues.emplace_back(issue ? std::optional<IssueRow>(*issue) : std::nullopt, reportId);
        }
        d = DigestComposer::fromConfig(config).composeSummary(e.ruleName, e.reason,
                                                              QStringLiteral("[%1] ").arg(alertKindName(e.kind)), issues);
    } else {
        ReportMailer mailer(m_db, m_passwords);
        auto draft = mailer.draftForReport(e.reportId, MailAudience::Admins);
        if (!draft)
            return draft.failure();
        d = std::move(*draft);
        const QString tag = QStringLiteral("[%1] ").arg(alertKindName(e.kind));
        d.subject = d.subject.startsWith(settings.subjectPrefix)
                        ? settings.subjectPrefix + tag + d.subject.mid(settings.subjectPrefix.size())
                        : tag + d.subject;
        QString intro = preface(e);
        if (e.kind == AlertKind::NewRelease) // read again here: the outbox keeps no report text
            if (auto release = AlertStore(m_db).releaseOf(e.reportId); release && !release->isEmpty())
                intro += QStringLiteral("The release: %1\n").arg(*release);
        d.text = intro + QStringLiteral("\n") + d.text;
        if (!d.html.isEmpty()) {
            const QString block = QStringLiteral("<div id=\"errordeck-alert\"><p>%1</p></div>\n")
                                      .arg(intro.toHtmlEscaped().trimmed().replace(u'\n', QStringLiteral("<br>")));
            const qsizetype body = d.html.indexOf(QLatin1String("<body"));
            const qsizetype at = body < 0 ? -1 : d.html.indexOf(u'>', body);
            d.html.insert(at < 0 ? 0 : at + 1, QStringLiteral("\n") + block);
        }
    }
    d.to = resolveRecipients(e.recipients, settings);
    d.alertRule = e.ruleName;
    return d;
}

Result<OutboxEntry> AlertDispatcher::testEntry(const AlertRule &rule)
{
    OutboxEntry e;
    e.ruleId = rule.id;
    e.ruleName = rule.name;
    e.kind = rule.kind;
    e.recipients = rule.recipients;
    e.reason = QStringLiteral("%1 (a test)").arg(AlertEngine::describe(rule));
    const int64_t now = m_clock();
    if (rule.kind == AlertKind::Digest) {
        e.periodStart = now - rule.windowMinutes * int64_t(60'000);
        e.periodEnd = now;
        return e;
    }
    auto reports = AlertStore(m_db).matchingInTime(rule.query, now, INT64_MIN, INT64_MAX);
    if (!reports)
        return reports.failure();
    if (reports->empty())
        return Error{QStringLiteral("alert '%1': no stored report is in its scope").arg(rule.name), ErrorKind::NotFound};
    e.reportId = reports->back().id;
    e.issueId = reports->back().issueId;
    return e;
}

Result<DispatchSummary> AlertDispatcher::sendDue(int limit, SendControl *control)
{
    AlertStore store(m_db);
    DispatchSummary summary;
    auto due = store.claimDue(m_clock(), limit, kStaleMs);
    if (!due)
        return due.failure();
    ReportMailer mailer(m_db, m_passwords);
    if (m_console)
        mailer.setConsole(m_console);
    for (const OutboxEntry &e : *due) {
        QString error, said; // kept in the outbox / said on stderr and in the app log
        int64_t logId = 0;
        auto draft = draftFor(e);
        auto prepared = draft ? mailer.prepare(*draft) : Result<PreparedMail>(draft.failure());
        auto sender = prepared ? mailer.sender() : Result<MailSender>(prepared.failure());
        if (!sender) {
            error = sender.error(); // no attempt: a setting or the report is wrong; tried again later
        } else {
            const Delivery delivery = sender->deliver(prepared->envelopeFrom, prepared->envelopeTo, prepared->message.bytes,
                                                      control);
            auto logged = mailer.record(*prepared, *sender, delivery);
            logId = logged ? logged->logId : 0;
            if (delivery.ok) {
                if (auto r = store.markSent(e.id, logId); !r)
                    return r.failure();
                ++summary.sent;
                continue;
            }
            // The attempt's error is in the send log (re-scrubbed with it): the
            // outbox names the entry instead of keeping a second copy.
            error = logged ? QStringLiteral("not sent, see send log #%1").arg(logId) : delivery.error;
            said = delivery.error;
        }
        const int attempts = e.attempts + 1;
        const bool giveUp = attempts >= kMaxAttempts || (!draft && draft.failure().kind == ErrorKind::NotFound);
        const std::optional<int64_t> retryAt = giveUp ? std::nullopt : std::optional<int64_t>(m_clock() + backoffMs(attempts));
        if (auto r = store.markFailed(e.id, error, logId, retryAt); !r)
            return r.failure();
        (giveUp ? summary.gaveUp : summary.retrying) += 1;
        summary.errors << QStringLiteral("alert mail #%1 (%2): %3%4")
                              .arg(QString::number(e.id), e.ruleName, said.isEmpty() ? error : said,
                                   giveUp ? QStringLiteral("; given up") : QStringLiteral("; trying again later"));
        applog::warn(summary.errors.back());
    }
    return summary;
}

} // namespace ed
