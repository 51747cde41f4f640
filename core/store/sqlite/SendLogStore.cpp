#include "store/SendLogStore.h"

#include "base/Compression.h"
#include "store/sqlite/SqlDialect.h"
#include "store/sqlite/Sqlite.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace ed {
namespace {

constexpr const char
    *kColumns = "id, created_at, report_id, issue_id, audience, backend, destination, sender, recipients, subject, message_id, "
                "outcome, response_code, reply, error, transcript, resend_of, message_bytes, coalesce(alert_rule, '')";

Error logError(const QString &detail, ErrorKind kind = ErrorKind::Failed)
{
    return Error{QStringLiteral("the send log: %1").arg(detail), kind};
}

Error damaged(int64_t id, const QString &detail)
{
    return Error{QStringLiteral("send log entry #%1: the stored message is damaged: %2").arg(id).arg(detail), ErrorKind::Corrupt};
}

QString notFound(int64_t id) { return QStringLiteral("no send log entry #%1").arg(id); }

SendLogEntry entryFrom(const Statement &st)
{
    SendLogEntry e;
    e.id = st.int64(0);
    e.createdAt = st.int64(1);
    e.reportId = st.isNull(2) ? 0 : st.int64(2);
    e.issueId = st.isNull(3) ? 0 : st.int64(3);
    e.audience = audienceFromName(st.text(4));
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
    e.alertRule = st.qtext(18);
    return e;
}

// 0 (none) as NULL.
void bindIdOrNull(Statement &st, int i, int64_t id)
{
    if (id)
        st.bind(i, id);
    else
        st.bindNull(i);
}

} // namespace

QString outcomeName(SendOutcome o)
{
    switch (o) {
    case SendOutcome::Sent: return QStringLiteral("sent");
    case SendOutcome::Failed: return QStringLiteral("failed");
    case SendOutcome::Cancelled: return QStringLiteral("cancelled");
    }
    return {};
}

Result<int64_t> SendLogStore::add(const SendLogEntry &e, std::string_view message)
{
    std::string packed;
    Compressor().compress(message, packed);
    Connection &c = connectionOf(m_db);
    Statement st = c.prepare(
        "INSERT INTO send_log (created_at, report_id, issue_id, audience, backend, destination, sender, recipients, "
        "subject, message_id, outcome, response_code, reply, error, transcript, resend_of, message_bytes, message, "
        "alert_rule) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    if (!st.valid())
        return logError(st.prepareError(), st.failure().kind);
    QJsonArray rcpts;
    for (const QString &r : e.recipients)
        rcpts.append(r);
    st.bind(1, e.createdAt ? e.createdAt : QDateTime::currentMSecsSinceEpoch());
    bindIdOrNull(st, 2, e.reportId);
    bindIdOrNull(st, 3, e.issueId);
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
    bindIdOrNull(st, 16, e.resendOf);
    st.bind(17, int64_t(message.size()));
    st.bindBlob(18, packed);
    st.bindTextOrNull(19, e.alertRule);
    auto id = insertedId(st);
    if (!id)
        return logError(st.error(), id.failure().kind);
    (void)announceChange(connectionOf(m_db), StoreChange::SendLog); // committed: a lost notice only delays the others
    return id;
}

Result<SendLogEntry> SendLogStore::entry(int64_t id)
{
    Statement st = connectionOf(m_db).prepare(std::string("SELECT ") + kColumns + " FROM send_log WHERE id = ?");
    if (!st.valid())
        return logError(st.prepareError(), st.failure().kind);
    st.bind(1, id);
    if (auto row = st.stepToRow(notFound(id)); !row)
        return row.failure();
    return entryFrom(st);
}

Result<QByteArray> SendLogStore::message(int64_t id)
{
    Statement st = connectionOf(m_db).prepare("SELECT message FROM send_log WHERE id = ?");
    if (!st.valid())
        return logError(st.prepareError(), st.failure().kind);
    st.bind(1, id);
    if (auto row = st.stepToRow(notFound(id)); !row)
        return row.failure();
    auto raw = decompress(st.blob(0));
    if (!raw)
        return damaged(id, raw.error());
    return QByteArray(raw->data(), qsizetype(raw->size()));
}

Result<std::vector<SendLogEntry>> SendLogStore::list(int limit, int64_t reportId)
{
    std::string sql = std::string("SELECT ") + kColumns + " FROM send_log";
    if (reportId > 0)
        sql += " WHERE report_id = ?";
    sql += " ORDER BY id DESC LIMIT ?"; // a limit < 0 is none (sqlLimit)
    Statement st = connectionOf(m_db).prepare(sql);
    if (!st.valid())
        return logError(st.prepareError(), st.failure().kind);
    int i = 1;
    if (reportId > 0)
        st.bind(i++, reportId);
    st.bind(i, sqlLimit(limit));
    std::vector<SendLogEntry> out;
    while (st.step())
        out.push_back(entryFrom(st));
    if (!st.done())
        return logError(st.error(), st.failure().kind);
    return out;
}

Result<int64_t> SendLogStore::rewriteTexts(const std::function<bool(SendLogTexts &)> &scrub)
{
    Connection &c = connectionOf(m_db);
    std::vector<std::pair<int64_t, SendLogTexts>> changed;
    {
        Statement st = c.prepare("SELECT id, subject, reply, error, transcript, message FROM send_log");
        if (!st.valid())
            return logError(st.prepareError(), st.failure().kind);
        while (st.step()) {
            const int64_t id = st.int64(0);
            SendLogTexts t{
                std::string(st.text(1)), std::string(st.text(2)), std::string(st.text(3)), std::string(st.text(4)), {}};
            auto message = decompress(st.blob(5));
            if (!message)
                return damaged(id, message.error());
            t.message = std::move(*message);
            if (scrub(t))
                changed.emplace_back(id, std::move(t));
        }
        if (!st.done())
            return logError(st.error(), st.failure().kind);
    }
    Statement up = c.prepare(
        "UPDATE send_log SET subject = ?, reply = ?, error = ?, transcript = ?, message = ?, message_bytes = ? WHERE id = ?");
    if (!up.valid())
        return logError(up.prepareError(), up.failure().kind);
    Compressor compressor;
    std::string packed;
    for (const auto &[id, t] : changed) {
        compressor.compress(t.message, packed);
        up.bind(1, std::string_view(t.subject)).bind(2, std::string_view(t.reply)).bind(3, std::string_view(t.error));
        up.bind(4, std::string_view(t.transcript)).bindBlob(5, packed).bind(6, int64_t(t.message.size())).bind(7, id);
        if (!up.exec())
            return logError(up.error(), up.failure().kind);
    }
    return int64_t(changed.size());
}

} // namespace ed
