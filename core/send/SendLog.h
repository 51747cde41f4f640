#pragma once
// The send log (store/SendLogStore.h) as the send path writes it: what is
// logged is scrubbed first. Rules apply re-scrubs the log (RuleApplier).
#include "store/Database.h"
#include "store/SendLogStore.h"
#include "send/MailDraft.h"
#include "base/Result.h"

#include <QByteArray>
#include <vector>

namespace ed {

class Scrubber;

class SendLog {
public:
    // With a scrubber, add() scrubs what it stores (ReportMailer passes the
    // database's filters); without one it stores what it is given.
    explicit SendLog(Database &db, const Scrubber *scrubber = nullptr) : m_store(db), m_scrubber(scrubber) { }

    // Stores the entry (its id is ignored) and the message, scrubbed when the
    // log has a scrubber; returns the new id.
    Result<int64_t> add(const SendLogEntry &entry, const QByteArray &message);
    Result<SendLogEntry> entry(int64_t id) { return m_store.entry(id); }
    Result<QByteArray> message(int64_t id) { return m_store.message(id); }
    // Newest first; reportId > 0 limits to one report.
    Result<std::vector<SendLogEntry>> list(int limit = 100, int64_t reportId = 0) { return m_store.list(limit, reportId); }

private:
    SendLogStore m_store;
    const Scrubber *m_scrubber = nullptr;
};

} // namespace ed
