#include "send/MailComposer.h"

#include "send/DjangoRenderer.h"
#include "base/Level.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QSysInfo>

namespace ed {
namespace {

QStringList addresses(const QList<QPair<QString, QString>> &people)
{
    QStringList out;
    for (const auto &p : people)
        out << p.second; // Django addresses mail to a[1] only
    return out;
}

// request.get_host(): the stored host, else the Host header.
QString requestHost(const Report &report)
{
    const Request r = report.request.value_or(Request{});
    QString host = r.host;
    if (host.isEmpty())
        host = entryText(r.meta, u"HTTP_HOST");
    if (host.isEmpty())
        host = report.site;
    return host;
}

} // namespace

ComposerSettings ComposerSettings::fromConfig(const Config &config)
{
    ComposerSettings s;
    s.subjectPrefix = config.string(ConfigKey::EmailSubjectPrefix);
    s.serverEmail = config.string(ConfigKey::ServerEmail);
    s.internalIps = config.stringList(ConfigKey::InternalIps);
    s.admins = addresses(config.people(ConfigKey::Admins));
    s.managers = addresses(config.people(ConfigKey::Managers));
    s.includeHtml = config.flag(ConfigKey::EmailIncludeHtml);
    return s;
}

QString djangoFormatSubject(QString subject)
{
    return subject.replace(QLatin1Char('\n'), QLatin1String("\\n")).replace(QLatin1Char('\r'), QLatin1String("\\r"));
}

QString MailComposer::adminSubject(const Report &report, int level) const
{
    QString subject;
    if (report.request) {
        // request.META.get('REMOTE_ADDR') in settings.INTERNAL_IPS
        const Value *meta = findEntry(report.request->meta, u"REMOTE_ADDR");
        const QString addr = meta ? meta->text() : report.request->remoteAddr;
        const bool internal = !addr.isEmpty() && m_s.internalIps.contains(addr);
        subject = QStringLiteral("%1 (%2 IP): %3")
                      .arg(levelName(level), internal ? QStringLiteral("internal") : QStringLiteral("EXTERNAL"), report.message);
    } else {
        subject = QStringLiteral("%1: %2").arg(levelName(level), report.message);
    }
    return m_s.subjectPrefix + djangoFormatSubject(subject);
}

QString MailComposer::brokenLinkSubject(const Report &report) const
{
    const QString domain = requestHost(report);
    const QString referer = report.request ? entryText(report.request->meta, u"HTTP_REFERER") : QString();
    // is_internal_request: re.match("^https?://%s/" % re.escape(domain), referer)
    const QRegularExpression internalRe(QStringLiteral("^https?://%1/").arg(QRegularExpression::escape(domain)));
    const bool internal = internalRe.match(referer).hasMatch();
    return m_s.subjectPrefix +
           djangoFormatSubject(
               QStringLiteral("Broken %1link on %2").arg(internal ? QStringLiteral("INTERNAL ") : QString(), domain));
}

bool MailComposer::isNotFound(const ReportDetail &report)
{
    return report.row.statusCode.value_or(0) == 404 && report.report.request;
}

MailDraft MailComposer::compose(const ReportDetail &report, MailAudience audience) const
{
    MailDraft d;
    d.audience = audience;
    d.reportId = report.row.id;
    d.issueId = report.row.issueId;
    d.from = m_s.serverEmail;
    d.to = audience == MailAudience::Managers ? m_s.managers : m_s.admins;
    if (audience == MailAudience::Managers && isNotFound(report)) {
        d.subject = brokenLinkSubject(report.report);
        d.text = djangoBrokenLinkText(report.report);
        return d;
    }
    d.subject = adminSubject(report.report, report.row.level);
    d.text = djangoAdminMailText(report.report);
    if (m_s.includeHtml)
        d.html = djangoHtmlReport(djangoReportData(report.report));
    return d;
}

MailDraft MailComposer::composeTest(const QStringList &to) const
{
    MailDraft d;
    d.audience = MailAudience::Test;
    d.from = m_s.serverEmail;
    d.to = to.isEmpty() ? m_s.admins : to;
    const QString when = QDateTime::currentDateTime().toString(Qt::ISODate);
    d.subject = m_s.subjectPrefix +
                QStringLiteral("Test email from ErrorDeck on %1 at %2").arg(QSysInfo::machineHostName(), when);
    d.text = QStringLiteral("If you're reading this, it was successful.\n\n"
                            "ErrorDeck sent this message to check its e-mail settings.\n");
    return d;
}

} // namespace ed
