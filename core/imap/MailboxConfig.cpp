#include "imap/MailboxConfig.h"

namespace ed {

QString afterImportName(AfterImport after)
{
    switch (after) {
    case AfterImport::Leave: return QStringLiteral("leave");
    case AfterImport::MarkRead: return QStringLiteral("mark-read");
    case AfterImport::Move: return QStringLiteral("move");
    }
    return QStringLiteral("leave");
}

QJsonObject MailboxEntry::toJson() const
{
    QJsonObject o{{QStringLiteral("url"), url.toString()},
                  {QStringLiteral("ca_file"), caFile},
                  {QStringLiteral("only_server_email"), onlyServerEmail},
                  {QStringLiteral("only_subject_prefix"), onlySubjectPrefix},
                  {QStringLiteral("after"), afterImportName(after)}};
    if (!useIdle) // on unless said: settings written before IDLE read so
        o.insert(QStringLiteral("idle"), false);
    if (after == AfterImport::Move)
        o.insert(QStringLiteral("move_to"), moveTo);
    return o;
}

Result<MailboxEntry> MailboxEntry::fromJson(const QJsonValue &value)
{
    if (!value.isObject())
        return Error{QStringLiteral("a mailbox must be an object with a \"url\""), ErrorKind::InvalidInput};
    const QJsonObject o = value.toObject();
    auto url = ImapUrl::parse(o.value(QStringLiteral("url")).toString());
    if (!url)
        return url.failure();
    MailboxEntry e;
    e.url = *url;
    const QString name = e.url.toString();
    e.caFile = o.value(QStringLiteral("ca_file")).toString();
    e.onlyServerEmail = o.value(QStringLiteral("only_server_email")).toBool();
    e.onlySubjectPrefix = o.value(QStringLiteral("only_subject_prefix")).toBool();
    e.useIdle = o.value(QStringLiteral("idle")).toBool(true);
    const auto after = parseAfterImport(o.value(QStringLiteral("after")).toString(QStringLiteral("leave")));
    if (!after)
        return Error{QStringLiteral("%1: \"after\" must be leave, mark-read or move").arg(name), ErrorKind::InvalidInput};
    e.after = *after;
    e.moveTo = o.value(QStringLiteral("move_to")).toString().trimmed();
    if (e.after == AfterImport::Move && e.moveTo.isEmpty())
        return Error{QStringLiteral("%1: moving after import needs \"move_to\", the folder to move to").arg(name),
                     ErrorKind::InvalidInput};
    if (e.after != AfterImport::Move)
        e.moveTo.clear();
    return e;
}

MailboxSettings MailboxEntry::settings(const QString &serverEmail, const QString &subjectPrefix, const QString &password) const
{
    MailboxSettings s;
    s.imap.url = url;
    s.imap.caFile = caFile;
    s.imap.password = password;
    s.onlyFromServerEmail = onlyServerEmail ? serverEmail : QString();
    s.onlySubjectPrefix = onlySubjectPrefix ? subjectPrefix : QString();
    s.after = after;
    s.moveToFolder = moveTo;
    s.useIdle = useIdle;
    return s;
}

std::vector<MailboxEntry> mailboxEntries(const QJsonValue &list, QStringList *problems)
{
    std::vector<MailboxEntry> out;
    const QJsonArray a = list.toArray();
    for (qsizetype i = 0; i < a.size(); ++i) {
        auto e = MailboxEntry::fromJson(a[i]);
        if (e)
            out.push_back(std::move(*e));
        else if (problems)
            *problems << QStringLiteral("ERRORDECK_MAILBOXES item %1: %2").arg(i + 1).arg(e.error());
    }
    return out;
}

QJsonArray mailboxesJson(const std::vector<MailboxEntry> &entries)
{
    QJsonArray a;
    for (const MailboxEntry &e : entries)
        a.append(e.toJson());
    return a;
}

} // namespace ed
