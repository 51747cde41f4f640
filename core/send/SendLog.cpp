#include "send/SendLog.h"

#include "base/Compression.h"
#include "model/Filter.h"
#include "mail/MimeReader.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace ed {
namespace {

constexpr const char *kColumns =
    "id, created_at, report_id, issue_id, audience, backend, destination, sender, recipients, subject, message_id, "
    "outcome, response_code, reply, error, transcript, resend_of, message_bytes";

MailAudience audienceFrom(std::string_view s)
{
    if (s == "managers")
        return MailAudience::Managers;
    if (s == "test")
        return MailAudience::Test;
    return MailAudience::Admins;
}

// The logged texts of one attempt and its message, scrubbed in place (the
// message decoded through GMime: a value hides in quoted-printable as
// key=3Dvalue); true when anything changed.
bool scrubLogged(const Scrubber &scrubber, std::initializer_list<std::string *> texts, std::string &message)
{
    bool any = false;
    for (std::string *text : texts)
        any = scrubber.scrubText(*text) || any;
    auto scrubbed = mail::scrubMimeMessage(message, [&scrubber](std::string &t) { return scrubber.scrubText(t); });
    if (!scrubbed) // not readable as a message: scrubbed as plain text, never left as it was
        return scrubber.scrubText(message) || any;
    return *scrubbed || any;
}

SendLogEntry entryFrom(const Statement &st)
{
    SendLogEntry e;
    e.id = st.int64(0);
    e.createdAt = st.int64(1);
    e.reportId = st.isNull(2) ? 0 : st.int64(2);
    e.issueId = st.isNull(3) ? 0 : st.int64(3);
    e.audience = audienceFrom(st.text(4));
    e.backend = st.qtext(5);
    e.destination = st.qtext(6);
    e.sender = st.qtext(7);
    for (const QJsonValue &v : QJsonDocument::fromJson(QByteArray(st.text(8).data(), qsizetype(st.text(8).size()))).array())
        e.recipients << v.toString();
    e.subject = st.qtext(9);
    e.messageId = st.qtext(10);
    e.outcome = SendOutcome(st.int64(11));
    e.responseCode = long(st.int64(12));
    e.reply = st.qtext(13);
    e.error = st.qtext(14);
    e.transcript = st.qtext(15);
    e.resendOf = st.isNull(16) ? 0 : st.int64(16);
    e.messageBytes = st.int64(17);
    return e;
}

} // namespace

QString outcomeName(SendOutcome o)
{
    switch (o) {
    case SendOutcome::Sent:
        return QStringLiteral("sent");
    case SendOutcome::Failed:
        return QStringLiteral("failed");
    case SendOutcome::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

Result<int64_t> SendLog::add(const SendLogEntry &entry, const QByteArray &message)
{
    // What reaches the log is scrubbed like every report text: the user may
    // have typed into the draft, and the server's replies quote what it got.
    SendLogEntry e = entry;
    std::string text = message.toStdString();
    if (m_scrubber) {
        std::string subject = e.subject.toStdString(), reply = e.reply.toStdString(), error = e.error.toStdString(),
                    transcript = e.transcript.toStdString();
        if (scrubLogged(*m_scrubber, {&subject, &reply, &error, &transcript}, text)) {
            e.subject = QString::fromStdString(subject);
            e.reply = QString::fromStdString(reply);
            e.error = QString::fromStdString(error);
            e.transcript = QString::fromStdString(transcript);
        }
    }
    std::string packed;
    Compressor().compress(text, packed);
    Statement st = m_db.conn().prepare(
        "INSERT INTO send_log (created_at, report_id, issue_id, audience, backend, destination, sender, recipients, "
        "subject, message_id, outcome, response_code, reply, error, transcript, resend_of, message_bytes, message) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!st.valid())
        return Error{QStringLiteral("the send log: %1").arg(st.prepareError())};
    QJsonArray rcpts;
    for (const QString &r : e.recipients)
        rcpts.append(r);
    st.bind(1, e.createdAt ? e.createdAt : QDateTime::currentMSecsSinceEpoch());
    if (e.reportId)
        st.bind(2, e.reportId);
    else
        st.bindNull(2);
    if (e.issueId)
        st.bind(3, e.issueId);
    else
        st.bindNull(3);
    st.bind(4, audienceName(e.audience));
    st.bind(5, e.backend);
    st.bind(6, e.destination);
    st.bind(7, e.sender);
    st.bind(8, QString::fromUtf8(QJsonDocument(rcpts).toJson(QJsonDocument::Compact)));
    st.bind(9, e.subject);
    st.bind(10, e.messageId);
    st.bind(11, int64_t(e.outcome));
    st.bind(12, int64_t(e.responseCode));
    st.bind(13, e.reply);
    st.bind(14, e.error);
    st.bind(15, e.transcript);
    if (e.resendOf)
        st.bind(16, e.resendOf);
    else
        st.bindNull(16);
    st.bind(17, int64_t(text.size()));
    st.bindBlob(18, packed);
    if (!st.exec())
        return Error{QStringLiteral("the send log: %1").arg(st.error())};
    return m_db.conn().lastInsertId();
}

Result<SendLogEntry> SendLog::entry(int64_t id)
{
    Statement st = m_db.conn().prepare(std::string("SELECT ") + kColumns + " FROM send_log WHERE id = ?");
    if (!st.valid())
        return Error{QStringLiteral("the send log: %1").arg(st.prepareError())};
    st.bind(1, id);
    if (!st.step())
        return Error{st.errorCode() && st.errorCode() != 101 ? st.error() : QStringLiteral("no send log entry #%1").arg(id)};
    return entryFrom(st);
}

Result<QByteArray> SendLog::message(int64_t id)
{
    Statement st = m_db.conn().prepare("SELECT message FROM send_log WHERE id = ?");
    if (!st.valid())
        return Error{QStringLiteral("the send log: %1").arg(st.prepareError())};
    st.bind(1, id);
    if (!st.step())
        return Error{QStringLiteral("no send log entry #%1").arg(id)};
    auto raw = decompress(st.blob(0));
    if (!raw)
        return Error{QStringLiteral("send log entry #%1: the stored message is damaged: %2").arg(id).arg(raw.error())};
    return QByteArray(raw->data(), qsizetype(raw->size()));
}

Result<std::vector<SendLogEntry>> SendLog::list(int limit, int64_t reportId)
{
    std::string sql = std::string("SELECT ") + kColumns + " FROM send_log";
    if (reportId > 0)
        sql += " WHERE report_id = ?";
    sql += " ORDER BY id DESC LIMIT ?";
    Statement st = m_db.conn().prepare(sql);
    if (!st.valid())
        return Error{QStringLiteral("the send log: %1").arg(st.prepareError())};
    int i = 1;
    if (reportId > 0)
        st.bind(i++, reportId);
    st.bind(i, int64_t(limit));
    std::vector<SendLogEntry> out;
    while (st.step())
        out.push_back(entryFrom(st));
    if (st.errorCode() && st.errorCode() != 101)
        return Error{QStringLiteral("the send log: %1").arg(st.error())};
    return out;
}

Result<int64_t> SendLog::rescrub(const Scrubber &scrubber)
{
    struct Row {
        int64_t id;
        std::string subject, reply, error, transcript, message;
    };
    std::vector<Row> changed;
    {
        Statement st = m_db.conn().prepare("SELECT id, subject, reply, error, transcript, message FROM send_log");
        if (!st.valid())
            return Error{QStringLiteral("the send log: %1").arg(st.prepareError())};
        while (st.step()) {
            Row r{st.int64(0), std::string(st.text(1)), std::string(st.text(2)), std::string(st.text(3)),
                  std::string(st.text(4)), {}};
            auto message = decompress(st.blob(5));
            if (!message)
                return Error{QStringLiteral("send log entry #%1: the stored message is damaged: %2").arg(r.id).arg(message.error())};
            r.message = std::move(*message);
            if (scrubLogged(scrubber, {&r.subject, &r.reply, &r.error, &r.transcript}, r.message))
                changed.push_back(std::move(r));
        }
        if (st.errorCode() && st.errorCode() != 101)
            return Error{QStringLiteral("the send log: %1").arg(st.error())};
    }
    Statement up = m_db.conn().prepare(
        "UPDATE send_log SET subject = ?, reply = ?, error = ?, transcript = ?, message = ?, message_bytes = ? WHERE id = ?");
    if (!up.valid())
        return Error{QStringLiteral("the send log: %1").arg(up.prepareError())};
    Compressor compressor;
    std::string packed;
    for (const Row &r : changed) {
        compressor.compress(r.message, packed);
        up.bind(1, std::string_view(r.subject)).bind(2, std::string_view(r.reply)).bind(3, std::string_view(r.error));
        up.bind(4, std::string_view(r.transcript)).bindBlob(5, packed).bind(6, int64_t(r.message.size())).bind(7, r.id);
        if (!up.exec())
            return Error{QStringLiteral("the send log: %1").arg(up.error())};
    }
    return int64_t(changed.size());
}

} // namespace ed
