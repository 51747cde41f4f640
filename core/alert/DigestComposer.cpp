#include "alert/DigestComposer.h"

#include "base/Level.h"

#include <QDateTime>
#include <QTimeZone>

namespace ed {
namespace {

QString utc(int64_t ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

QString plural(int64_t n, const char *one, const char *many)
{
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

struct Section {
    const char *heading;
    const std::vector<DigestIssue> *issues;
    const char *none;
};

} // namespace

QString issueLink(int64_t issueId) { return QStringLiteral("errordeck://issue/%1").arg(issueId); }

DigestComposer DigestComposer::fromConfig(const Config &config)
{
    return DigestComposer(config.string(ConfigKey::EmailSubjectPrefix), config.string(ConfigKey::ServerEmail));
}

MailDraft DigestComposer::compose(const DigestData &d, const QString &title) const
{
    MailDraft m;
    m.audience = MailAudience::Admins;
    m.from = m_from;
    const QString period = QStringLiteral("%1 to %2").arg(utc(d.start), utc(d.end));
    m.subject = m_prefix + QStringLiteral("%1: %2, %3, %4")
                               .arg(title, plural(int64_t(d.newIssues.size()), "new issue", "new issues"),
                                    plural(int64_t(d.regressions.size()), "regression", "regressions"),
                                    plural(d.reports, "report", "reports"));
    const Section sections[] = {{"New issues", &d.newIssues, "No new issues."},
                                {"Regressions (resolved issues seen again)", &d.regressions, "No regressions."},
                                {"Top issues by reports in the period", &d.top, "No reports."}};
    QString text = QStringLiteral("%1, %2\n%3 stored in the period.\n")
                       .arg(title, period, plural(d.reports, "report", "reports"));
    QString html = QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%1</title></head><body>\n"
                                  "<h1>%1</h1>\n<p>%2. %3 stored in the period.</p>\n")
                       .arg(title.toHtmlEscaped(), period.toHtmlEscaped(), plural(d.reports, "report", "reports"));
    for (const Section &s : sections) {
        text += QStringLiteral("\n%1\n%2\n").arg(QLatin1String(s.heading), QString(qsizetype(qstrlen(s.heading)), u'-'));
        html += QStringLiteral("<h2>%1</h2>\n").arg(QLatin1String(s.heading));
        if (s.issues->empty()) {
            text += QLatin1String(s.none);
            text += QLatin1Char('\n');
            html += QStringLiteral("<p>%1</p>\n").arg(QLatin1String(s.none));
            continue;
        }
        html += QStringLiteral(
            "<table>\n<tr><th>Issue</th><th>Level</th><th>Reports</th><th>First seen</th><th>Last seen</th></tr>\n");
        for (const DigestIssue &i : *s.issues) {
            // One arg() each: a title with "%1" in it stays as it is.
            const QString id = QString::number(i.issue.id), link = issueLink(i.issue.id);
            text += QStringLiteral("#%1  %2  [%3]  %4 in the period, %5 in all; first seen %6, last seen %7\n    %8\n")
                        .arg(id, i.issue.title, levelName(i.issue.level), plural(i.countInPeriod, "report", "reports"),
                             QString::number(i.issue.count), utc(i.issue.firstSeen), utc(i.issue.lastSeen), link);
            html += QStringLiteral("<tr><td><a href=\"%1\">#%2 %3</a></td><td>%4</td><td>%5 (%6 in all)</td><td>%7</td>"
                                   "<td>%8</td></tr>\n")
                        .arg(link, id, i.issue.title.toHtmlEscaped(), levelName(i.issue.level), QString::number(i.countInPeriod),
                             QString::number(i.issue.count), utc(i.issue.firstSeen), utc(i.issue.lastSeen));
        }
        html += QStringLiteral("</table>\n");
    }
    text += QStringLiteral("\nSent by ErrorDeck. Links open the issue in the ErrorDeck app (errordeck://issue/ID).\n");
    html += QStringLiteral("<p>Sent by ErrorDeck.</p>\n</body></html>\n");
    m.text = text;
    m.html = html;
    return m;
}

MailDraft DigestComposer::composeSummary(const QString &ruleName, const QString &reason, const QString &tag,
                                         const std::vector<std::pair<std::optional<IssueRow>, int64_t>> &issues) const
{
    MailDraft m;
    m.audience = MailAudience::Admins;
    m.from = m_from;
    m.subject = m_prefix + tag + plural(int64_t(issues.size()), "more issue", "more issues") +
                QStringLiteral(" past the hourly cap of alert \"%1\"").arg(ruleName);
    QString text = QStringLiteral("ErrorDeck alert \"%1\": %2.\n"
                                  "Rather than a mail for each, these are listed here:\n\n")
                       .arg(ruleName, reason);
    for (const auto &[issue, reportId] : issues) {
        if (!issue) {
            text += QStringLiteral("report #%1 (its issue was deleted since)\n").arg(reportId);
            continue;
        }
        // One arg() each: a title with "%1" in it stays as it is.
        text += QStringLiteral("#%1  %2  [%3]  report #%4\n    %5\n")
                    .arg(QString::number(issue->id), issue->title, levelName(issue->level), QString::number(reportId),
                         issueLink(issue->id));
    }
    text += QStringLiteral("\nSent by ErrorDeck. ERRORDECK_ALERT_MAILS_PER_HOUR sets the cap "
                           "(errordeck-cli config). Links open the issue in the ErrorDeck app.\n");
    m.text = text;
    return m;
}

} // namespace ed
