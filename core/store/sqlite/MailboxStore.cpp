#include "store/MailboxStore.h"

#include "store/sqlite/Sqlite.h"

#include <QDateTime>

namespace ed {
namespace {

MailboxPosition positionFrom(const Statement &st)
{
    MailboxPosition p;
    p.url = st.qtext(0);
    p.uidValidity = uint32_t(st.int64(1));
    p.lastUid = uint32_t(st.int64(2));
    return p;
}

} // namespace

Result<std::optional<MailboxPosition>> MailboxStore::find(const QString &url)
{
    Statement st = connectionOf(m_db).prepare("SELECT url, uid_validity, last_uid FROM mailboxes WHERE url = ?");
    if (!st.valid())
        return st.failure();
    st.bind(1, url);
    if (st.step())
        return std::optional<MailboxPosition>(positionFrom(st));
    if (!st.done())
        return st.failure();
    return std::optional<MailboxPosition>();
}

Result<std::vector<MailboxPosition>> MailboxStore::all()
{
    Statement st = connectionOf(m_db).prepare("SELECT url, uid_validity, last_uid FROM mailboxes ORDER BY url");
    if (!st.valid())
        return st.failure();
    std::vector<MailboxPosition> rows;
    while (st.step())
        rows.push_back(positionFrom(st));
    if (!st.done())
        return st.failure();
    return rows;
}

Result<void> MailboxStore::put(const MailboxPosition &p)
{
    Statement st = connectionOf(m_db).prepare(
        "INSERT INTO mailboxes(url, uid_validity, last_uid, updated_at) VALUES(?,?,?,?) ON CONFLICT(url) DO UPDATE SET"
        " uid_validity = excluded.uid_validity, last_uid = excluded.last_uid, updated_at = excluded.updated_at");
    if (!st.valid())
        return st.failure();
    st.bind(1, p.url).bind(2, int64_t(p.uidValidity)).bind(3, int64_t(p.lastUid)).bind(4, QDateTime::currentMSecsSinceEpoch());
    if (!st.step() && !st.done())
        return st.failure();
    return {};
}

} // namespace ed
