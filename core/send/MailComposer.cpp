#include "send/MailComposer.h"

#include "send/DjangoReport.h"
#include "base/Level.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QSysInfo>

namespace ed {
namespace {

QString metaValue(const QJsonObject &record, const char *key)
{
    return record.value(QLatin1String("request")).toObject().value(QLatin1String("META")).toObject().value(QLatin1String(key)).toString();
}

QStringList addresses(const QList<QPair<QString, QString>> &people)
{
    QStringList out;
    for (const auto &p : people)
        out << p.second; // Django addresses mail to a[1] only
    return out;
}

// request.get_host(): the stored host, else the Host header.
QString requestHost(const QJsonObject &record)
{
    const QJsonObject r = record.value(QLatin1String("request")).toObject();
    QString host = r.value(QLatin1String("host")).toString();
    if (host.isEmpty())
        host = metaValue(record, "HTTP_HOST");
    if (host.isEmpty())
        host = record.value(QLatin1String("site")).toString();
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

QString MailComposer::adminSubject(const QJsonObject &record, int level) const
{
    const QString message = record.value(QLatin1String("message")).toString();
    QString subject;
    if (record.value(QLatin1String("request")).isObject()) {
        // request.META.get('REMOTE_ADDR') in settings.INTERNAL_IPS
        QString addr = metaValue(record, "REMOTE_ADDR");
        if (!record.value(QLatin1String("request")).toObject().value(QLatin1String("META")).toObject().contains(QLatin1String("REMOTE_ADDR")))
            addr = record.value(QLatin1String("request")).toObject().value(QLatin1String("remote_addr")).toString();
        const bool internal = !addr.isEmpty() && m_s.internalIps.contains(addr);
        subject = QStringLiteral("%1 (%2 IP): %3").arg(levelName(level), internal ? QStringLiteral("internal") : QStringLiteral("EXTERNAL"), message);
    } else {
        subject = QStringLiteral("%1: %2").arg(levelName(level), message);
    }
    return m_s.subjectPrefix + djangoFormatSubject(subject);
}

QString MailComposer::brokenLinkSubject(const QJsonObject &record) const
{
    const QString domain = requestHost(record);
    const QString referer = metaValue(record, "HTTP_REFERER");
    // is_internal_request: re.match("^https?://%s/" % re.escape(domain), referer)
    const QRegularExpression internalRe(QStringLiteral("^https?://%1/").arg(QRegularExpression::escape(domain)));
    const bool internal = internalRe.match(referer).hasMatch();
    return m_s.subjectPrefix + djangoFormatSubject(QStringLiteral("Broken %1link on %2").arg(internal ? QStringLiteral("INTERNAL ") : QString(), domain));
}

QString MailComposer::brokenLinkBody(const QJsonObject &record)
{
    const QJsonObject r = record.value(QLatin1String("request")).toObject();
    QString path = r.value(QLatin1String("full_path")).toString();
    if (path.isEmpty())
        path = r.value(QLatin1String("path")).toString();
    const QJsonObject meta = r.value(QLatin1String("META")).toObject();
    const QString ua = meta.contains(QLatin1String("HTTP_USER_AGENT")) ? meta.value(QLatin1String("HTTP_USER_AGENT")).toString() : QStringLiteral("<none>");
    QString ip = meta.contains(QLatin1String("REMOTE_ADDR")) ? meta.value(QLatin1String("REMOTE_ADDR")).toString()
                                                            : r.value(QLatin1String("remote_addr")).toString();
    if (ip.isEmpty())
        ip = QStringLiteral("<none>");
    return QStringLiteral("Referrer: %1\nRequested URL: %2\nUser agent: %3\nIP address: %4\n")
        .arg(meta.value(QLatin1String("HTTP_REFERER")).toString(), path, ua, ip);
}

bool MailComposer::isNotFound(const ReportDetail &report)
{
    return report.row.statusCode.value_or(0) == 404 && report.record.value(QLatin1String("request")).isObject();
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
        d.subject = brokenLinkSubject(report.record);
        d.text = brokenLinkBody(report.record);
        return d;
    }
    d.subject = adminSubject(report.record, report.row.level);
    const DjangoReportData data = djangoReportData(report.record);
    // "%s\n\n%s" % (self.format(no_exc_record), reporter.get_traceback_text())
    d.text = report.record.value(QLatin1String("message")).toString() + QStringLiteral("\n\n") + djangoTextReport(data);
    if (m_s.includeHtml)
        d.html = djangoHtmlReport(data);
    return d;
}

MailDraft MailComposer::composeTest(const QStringList &to) const
{
    MailDraft d;
    d.audience = MailAudience::Test;
    d.from = m_s.serverEmail;
    d.to = to.isEmpty() ? m_s.admins : to;
    const QString when = QDateTime::currentDateTime().toString(Qt::ISODate);
    d.subject = m_s.subjectPrefix + QStringLiteral("Test email from ErrorDeck on %1 at %2").arg(QSysInfo::machineHostName(), when);
    d.text = QStringLiteral("If you're reading this, it was successful.\n\n"
                            "ErrorDeck sent this message to check its e-mail settings.\n");
    return d;
}

} // namespace ed
