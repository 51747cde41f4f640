#pragma once
// Where each IMAP mailbox stands (table mailboxes): its UIDVALIDITY and the
// highest UID imported. Keyed by the mailbox URL, which never holds a password.
#include "store/Database.h"
#include "base/Result.h"

#include <QString>
#include <cstdint>
#include <optional>
#include <vector>

namespace ed {

struct MailboxPosition {
    QString url;
    uint32_t uidValidity = 0;
    uint32_t lastUid = 0;
};

class MailboxStore {
public:
    explicit MailboxStore(Database &db) : m_db(db) { }

    Result<std::optional<MailboxPosition>> find(const QString &url);
    Result<std::vector<MailboxPosition>> all();
    // One statement: inside the import's open transaction, it commits with the
    // reports it stands for.
    Result<void> put(const MailboxPosition &p);

private:
    Database &m_db;
};

} // namespace ed
