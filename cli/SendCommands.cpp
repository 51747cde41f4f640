// send, resend, test-email, sendlog: e-mailing reports as Django would have,
// through the configured backend (EMAIL_BACKEND), every attempt logged.
#include "CliContext.h"

#include "KeychainPasswords.h"
#include "send/ReportMailer.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimeZone>
#include <climits>
#include <cstdio>

namespace ed::cli {
namespace {

// Prints the outcome of one attempt; the exit status follows it.
int report(Context &ctx, const Result<SendResult> &r)
{
    if (!r) {
        ctx.err() << "errordeck-cli: " << r.error() << Qt::endl;
        return Fatal;
    }
    const SendLogEntry &e = r->entry;
    if (r->ok()) {
        ctx.out() << "Sent \"" << e.subject << "\" to " << e.recipients.join(QStringLiteral(", ")) << " via " << e.backend << ' '
                  << e.destination;
        if (!e.reply.isEmpty())
            ctx.out() << ": " << e.reply;
        ctx.out() << " (send log #" << e.id << ")" << Qt::endl;
        return Ok;
    }
    ctx.err() << "errordeck-cli: " << e.error << Qt::endl;
    ctx.err() << "Logged as #" << e.id << "; try again with: errordeck-cli resend " << e.id << Qt::endl;
    return Fatal;
}

// Said before anything is sent: the SMTP password would go in clear.
void warnBeforeSending(Context &ctx, ReportMailer &mailer)
{
    if (auto s = mailer.sender(); s && !s->securityWarning().isEmpty())
        ctx.err() << "errordeck-cli: warning: " << s->securityWarning() << Qt::endl;
}

ReportMailer makeMailer(Database &db, const KeychainPasswords &keychain)
{
    ReportMailer mailer(db, &keychain);
    // The console backend prints the message on stdout, like Django's.
    mailer.setConsole([](const QByteArray &bytes) {
        std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
        std::fflush(stdout);
    });
    return mailer;
}

// The command's one argument, a positive id (a `what`); false, said on stderr
// (with `usage` when there is not exactly one argument), otherwise.
bool oneId(Context &ctx, const QCommandLineParser &p, const char *usage, const char *what, int64_t &id)
{
    if (p.positionalArguments().size() != 1) {
        ctx.err() << "errordeck-cli " << usage << Qt::endl;
        return false;
    }
    const QString text = p.positionalArguments().first();
    bool ok = false;
    id = text.toLongLong(&ok);
    if (!ok || id <= 0) {
        ctx.err() << "errordeck-cli: '" << text << "' is not a " << what << Qt::endl;
        return false;
    }
    return true;
}

QString isoTime(int64_t ms) { return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODateWithMs); }

} // namespace

int cmdSend(Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("E-mail a report as Django would have: AdminEmailHandler's message to ADMINS, or with --managers\n"
                       "BrokenLinkEmailsMiddleware's message for a 404 to MANAGERS. Uses EMAIL_BACKEND and the EMAIL_*\n"
                       "settings (errordeck-cli config list); the SMTP password comes from $ERRORDECK_EMAIL_PASSWORD or\n"
                       "the system keychain (service \"ErrorDeck\", key \"smtp:USER@HOST\")."));
    addCommonOptions(p);
    p.addOption({QStringLiteral("to"), QStringLiteral("Send to this address instead of ADMINS/MANAGERS (repeatable)."),
                 QStringLiteral("addr")});
    p.addOption({QStringLiteral("managers"), QStringLiteral("To MANAGERS; for a 404, the broken-link message.")});
    p.addOption({QStringLiteral("issue"), QStringLiteral("ID is an issue: send its latest report.")});
    p.addOption({QStringLiteral("preview"), QStringLiteral("Print the message instead of sending it.")});
    p.addPositionalArgument(QStringLiteral("id"), QStringLiteral("The report (or with --issue, the issue)."),
                            QStringLiteral("ID"));
    if (int rc = parseCommon(p, args, ctx); rc >= 0)
        return rc;
    int64_t id = 0;
    if (!oneId(ctx, p, "send: give one report id (see errordeck-cli list)",
               p.isSet(QStringLiteral("issue")) ? "issue id" : "report id", id))
        return Fatal;
    Database *db = ctx.db();
    if (!db)
        return Fatal;
    KeychainPasswords keychain;
    ReportMailer mailer = makeMailer(*db, keychain);
    const MailAudience audience = p.isSet(QStringLiteral("managers")) ? MailAudience::Managers : MailAudience::Admins;
    auto draft = p.isSet(QStringLiteral("issue")) ? mailer.draftForIssue(id, audience) : mailer.draftForReport(id, audience);
    if (!draft) {
        ctx.err() << "errordeck-cli: " << draft.error() << Qt::endl;
        return Fatal;
    }
    if (p.isSet(QStringLiteral("to")))
        draft->to = p.values(QStringLiteral("to"));
    if (p.isSet(QStringLiteral("preview"))) {
        auto prepared = mailer.prepare(*draft);
        if (!prepared) {
            ctx.err() << "errordeck-cli: " << prepared.error() << Qt::endl;
            return Fatal;
        }
        ctx.exact() << QString::fromUtf8(prepared->message.bytes);
        ctx.exact().flush();
        return Ok;
    }
    warnBeforeSending(ctx, mailer);
    return report(ctx, mailer.send(*draft));
}

int cmdResend(Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Send a logged message again (same content, new Message-ID and Date) to the same recipients,\n"
                       "through the current EMAIL_* settings. See errordeck-cli sendlog for the ids."));
    addCommonOptions(p);
    p.addOption({QStringLiteral("report"), QStringLiteral("ID is a report: resend its last logged message.")});
    p.addPositionalArgument(QStringLiteral("id"), QStringLiteral("The send log entry."), QStringLiteral("LOG_ID"));
    if (int rc = parseCommon(p, args, ctx); rc >= 0)
        return rc;
    int64_t id = 0;
    if (!oneId(ctx, p, "resend: give one send log id (see errordeck-cli sendlog)",
               p.isSet(QStringLiteral("report")) ? "report id" : "send log id", id))
        return Fatal;
    Database *db = ctx.db();
    if (!db)
        return Fatal;
    KeychainPasswords keychain;
    ReportMailer mailer = makeMailer(*db, keychain);
    warnBeforeSending(ctx, mailer);
    return report(ctx, p.isSet(QStringLiteral("report")) ? mailer.resendLatestOfReport(id) : mailer.resend(id));
}

int cmdTestEmail(Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Send a test message through the current EMAIL_* settings (like Django's sendtestemail),\n"
                       "to the given addresses or else to ADMINS."));
    addCommonOptions(p);
    p.addOption({QStringLiteral("to"), QStringLiteral("Recipient (repeatable); default ADMINS."), QStringLiteral("addr")});
    if (int rc = parseCommon(p, args, ctx); rc >= 0)
        return rc;
    Database *db = ctx.db();
    if (!db)
        return Fatal;
    KeychainPasswords keychain;
    ReportMailer mailer = makeMailer(*db, keychain);
    warnBeforeSending(ctx, mailer);
    return report(ctx, mailer.sendTest(p.values(QStringLiteral("to"))));
}

int cmdSendLog(Context &ctx, const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Every attempt to e-mail a report, newest first."));
    addCommonOptions(p);
    p.addOption({QStringLiteral("json"), QStringLiteral("JSON output, with the SMTP transcript.")});
    p.addOption({QStringLiteral("report"), QStringLiteral("Only this report's."), QStringLiteral("id")});
    p.addOption({QStringLiteral("limit"), QStringLiteral("At most N entries (default 50; 0 for all)."), QStringLiteral("n"),
                 QStringLiteral("50")});
    if (int rc = parseCommon(p, args, ctx); rc >= 0)
        return rc;
    int64_t limit = 0, reportId = 0;
    if (!numberOption(ctx, p, QStringLiteral("limit"), 0, INT_MAX, limit))
        return Fatal;
    if (p.isSet(QStringLiteral("report")) && !numberOption(ctx, p, QStringLiteral("report"), 1, INT64_MAX, reportId))
        return Fatal;
    Database *db = ctx.db();
    if (!db)
        return Fatal;
    auto entries = SendLog(*db).list(limit == 0 ? -1 : int(limit), reportId); // SQLite: LIMIT -1 is none
    if (!entries) {
        ctx.err() << "errordeck-cli: " << entries.error() << Qt::endl;
        return Fatal;
    }
    if (p.isSet(QStringLiteral("json"))) {
        QJsonArray a;
        for (const SendLogEntry &e : *entries) {
            QJsonObject o{
                {QStringLiteral("id"), qint64(e.id)},
                {QStringLiteral("time"), isoTime(e.createdAt)},
                {QStringLiteral("report_id"), e.reportId ? QJsonValue(qint64(e.reportId)) : QJsonValue()},
                {QStringLiteral("issue_id"), e.issueId ? QJsonValue(qint64(e.issueId)) : QJsonValue()},
                {QStringLiteral("audience"), audienceName(e.audience)},
                {QStringLiteral("backend"), e.backend},
                {QStringLiteral("destination"), e.destination},
                {QStringLiteral("sender"), e.sender},
                {QStringLiteral("recipients"), QJsonArray::fromStringList(e.recipients)},
                {QStringLiteral("subject"), e.subject},
                {QStringLiteral("message_id"), e.messageId},
                {QStringLiteral("outcome"), outcomeName(e.outcome)},
                {QStringLiteral("response_code"), qint64(e.responseCode)},
                {QStringLiteral("reply"), e.reply},
                {QStringLiteral("error"), e.error.isEmpty() ? QJsonValue() : QJsonValue(e.error)},
                {QStringLiteral("resend_of"), e.resendOf ? QJsonValue(qint64(e.resendOf)) : QJsonValue()},
                {QStringLiteral("message_bytes"), qint64(e.messageBytes)},
                {QStringLiteral("transcript"), e.transcript},
                {QStringLiteral("alert_rule"), e.alertRule.isEmpty() ? QJsonValue() : QJsonValue(e.alertRule)},
            };
            a.append(o);
        }
        ctx.printJson(QJsonDocument(a));
        return Ok;
    }
    QList<QStringList> rows;
    for (const SendLogEntry &e : *entries) {
        QString subject = e.subject;
        if (subject.size() > 60)
            subject = subject.left(59) + QChar(0x2026);
        rows << QStringList{
            QString::number(e.id),
            QDateTime::fromMSecsSinceEpoch(e.createdAt, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
            e.reportId ? QString::number(e.reportId) : QStringLiteral("-"),
            outcomeName(e.outcome),
            e.recipients.join(u','),
            subject + (e.alertRule.isEmpty() ? QString() : QStringLiteral("  (alert: %1)").arg(e.alertRule)) +
                (e.outcome == SendOutcome::Sent ? QString() : QStringLiteral("  [%1]").arg(e.error))};
    }
    ctx.printTable({QStringLiteral("ID"), QStringLiteral("TIME (UTC)"), QStringLiteral("REPORT"), QStringLiteral("OUTCOME"),
                    QStringLiteral("TO"), QStringLiteral("SUBJECT")},
                   rows);
    return Ok;
}

} // namespace ed::cli
