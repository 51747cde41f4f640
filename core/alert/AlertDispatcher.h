#pragma once
// Sends what the alert step queued (store/AlertStore.h's outbox), outside any
// import's transaction, through the same path as a send on demand
// (send/ReportMailer.h: Django's message from the composer, the configured
// backend, the send log with the rule that fired, so it can be resent).
// Each entry goes queued -> sending (claimed in a transaction: two senders
// never take the same one) -> sent, or back to queued with a later attempt
// (backoff from a minute, doubling, up to an hour) when the server cannot be
// reached: an outage loses nothing, and a sent mail is never sent again. An
// entry left sending by a process that died is taken again after 10 minutes.
#include "alert/AlertClock.h"
#include "send/PasswordSource.h"
#include "send/ReportMailer.h"
#include "store/AlertStore.h"

#include <QStringList>

namespace ed {

struct DispatchSummary {
    int64_t sent = 0, retrying = 0, gaveUp = 0;
    QStringList errors; // each naming the outbox entry and the server
};

class AlertDispatcher {
public:
    AlertDispatcher(Database &db, AlertClock clock, const PasswordSource *passwords = nullptr)
        : m_db(db), m_clock(std::move(clock)), m_passwords(passwords)
    {
    }
    void setConsole(std::function<void(const QByteArray &)> out) { m_console = std::move(out); }

    // Sends the due entries, up to `limit`; `control` cancels a transfer
    // (the entry is then tried again later).
    Result<DispatchSummary> sendDue(int limit = 100, SendControl *control = nullptr);

    // The mail of one entry as it would go out now (alerts test, previews).
    Result<MailDraft> draftFor(const OutboxEntry &entry);
    // What `alerts test` and Settings › Alerts › Send Test send: the rule's
    // mail now, rate limit aside, for its newest stored report in scope (a
    // digest: the period ending now). NotFound when no report is in scope.
    Result<OutboxEntry> testEntry(const AlertRule &rule);

    // The wait before attempt `attempts + 1` after `attempts` failed ones.
    static int64_t backoffMs(int attempts);
    static constexpr int kMaxAttempts = 48; // about two days at the longest wait
    static constexpr int64_t kStaleMs = 10 * 60'000;

private:
    Database &m_db;
    AlertClock m_clock;
    const PasswordSource *m_passwords;
    std::function<void(const QByteArray &)> m_console;
};

} // namespace ed
