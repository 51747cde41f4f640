#include "MailboxOptions.h"

#include "KeychainPasswords.h"
#include "store/Config.h"

namespace ed::cli {

void addMailboxOptions(QCommandLineParser &p)
{
    p.addOption({QStringLiteral("only-from-server-email"),
                 QStringLiteral("Mailboxes: import only messages from the database's SERVER_EMAIL address.")});
    p.addOption({QStringLiteral("only-subject-prefix"),
                 QStringLiteral("Mailboxes: import only messages whose subject starts with EMAIL_SUBJECT_PREFIX.")});
    p.addOption({QStringLiteral("after-import"),
                 QStringLiteral("Mailboxes: what to do with an imported message: leave (default), mark-read, move."),
                 QStringLiteral("ACTION"), QStringLiteral("leave")});
    p.addOption({QStringLiteral("move-to"), QStringLiteral("Mailboxes: the folder --after-import move moves to."),
                 QStringLiteral("FOLDER")});
    p.addOption({QStringLiteral("imap-ca-file"),
                 QStringLiteral("Mailboxes: also trust the CAs in this PEM file (a server with its own CA)."),
                 QStringLiteral("FILE")});
}

Result<MailboxSettings> mailboxSettings(const QCommandLineParser &p, Database &db, const QString &text)
{
    auto url = ImapUrl::parse(text);
    if (!url)
        return url.failure();
    MailboxSettings s;
    s.imap.url = *url;
    s.imap.caFile = p.value(QStringLiteral("imap-ca-file"));
    const auto after = parseAfterImport(p.value(QStringLiteral("after-import")));
    if (!after)
        return Error{QStringLiteral("--after-import takes leave, mark-read or move"), ErrorKind::InvalidInput};
    s.after = *after;
    s.moveToFolder = p.value(QStringLiteral("move-to"));
    if (s.after == AfterImport::Move && s.moveToFolder.isEmpty())
        return Error{QStringLiteral("--after-import move needs --move-to FOLDER"), ErrorKind::InvalidInput};
    if (s.after != AfterImport::Move && !s.moveToFolder.isEmpty())
        return Error{QStringLiteral("--move-to goes with --after-import move"), ErrorKind::InvalidInput};
    Config config(db);
    if (p.isSet(QStringLiteral("only-from-server-email")))
        s.onlyFromServerEmail = config.string(ConfigKey::ServerEmail);
    if (p.isSet(QStringLiteral("only-subject-prefix")))
        s.onlySubjectPrefix = config.string(ConfigKey::EmailSubjectPrefix);
    if (qEnvironmentVariableIsSet(kImapPasswordEnvVar)) {
        s.imap.password = qEnvironmentVariable(kImapPasswordEnvVar);
    } else {
        auto pw = KeychainPasswords().imapPassword(url->user, url->host);
        if (!pw)
            return Error{QStringLiteral("%1: no password: set %2 or keep it in the keychain (%3)")
                             .arg(url->toString(), QString::fromLatin1(kImapPasswordEnvVar), pw.error())};
        s.imap.password = *pw;
    }
    return s;
}

void printMailboxSummary(Context &ctx, const QString &mailbox, const MailboxSummary &m, const QString &prefix)
{
    const ImportSummary &s = m.import;
    for (const ImportProblem &pr : s.problems)
        ctx.err() << oneLine(pr.file) << ": " << oneLine(pr.reason) << '\n';
    if (s.moreProblems)
        ctx.err() << "... and " << s.moreProblems << " more problems\n";
    if (!m.serverError.isEmpty())
        ctx.err() << "errordeck-cli: " << oneLine(m.serverError) << '\n';
    if (!s.fatal.isEmpty())
        ctx.err() << "errordeck-cli: " << oneLine(s.fatal) << '\n';
    if (m.uidValidityChanged)
        ctx.err() << oneLine(mailbox) << ": UIDVALIDITY changed (the folder was recreated?): read again, "
                  << "messages already stored are duplicates\n";
    ctx.err().flush();
    QString line = prefix + QStringLiteral("%1: %2 messages, %3 stored, %4 skipped as duplicates, %5 rejected")
                                .arg(oneLine(mailbox))
                                .arg(m.fetched)
                                .arg(s.stored)
                                .arg(s.duplicates)
                                .arg(s.rejected);
    if (s.dropped)
        line += QStringLiteral(", %1 dropped by rules").arg(s.dropped);
    if (s.hidden)
        line += QStringLiteral(", %1 hidden by rules").arg(s.hidden);
    if (m.filteredOut)
        line += QStringLiteral(", %1 left alone by the sender/subject filters").arg(m.filteredOut);
    line += QStringLiteral(" (%1 new issues)").arg(s.newIssues);
    ctx.out() << line << '\n';
    ctx.out().flush();
}

} // namespace ed::cli
