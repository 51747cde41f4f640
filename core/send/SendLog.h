#pragma once
// The send log (table send_log): every attempt to e-mail a report, with its
// outcome, the server's answer or the error, and the message itself
// (zstd-compressed) so that it can be sent again.
#include "store/Database.h"
#include "send/MailDraft.h"
#include "base/Result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <optional>
#include <vector>

namespace ed {

class Scrubber;

enum class SendOutcome { Sent = 0, Failed = 1, Cancelled = 2 };
QString outcomeName(SendOutcome o); // "sent", "failed", "cancelled"

struct SendLogEntry {
    int64_t id = 0;
    int64_t createdAt = 0; // ms since the epoch, UTC
    int64_t reportId = 0;  // 0: none (a test message)
    int64_t issueId = 0;
    MailAudience audience = MailAudience::Admins;
    QString backend;       // smtp, file, console
    QString destination;   // host:port, the file written, console
    QString sender;
    QStringList recipients; // the envelope recipients
    QString subject;
    QString messageId;
    SendOutcome outcome = SendOutcome::Failed;
    long responseCode = 0;
    QString reply;          // the server's last reply
    QString error;          // empty when sent
    QString transcript;     // SMTP dialogue without credentials
    int64_t resendOf = 0;   // the entry this one sent again
    int64_t messageBytes = 0;
};

class SendLog {
public:
    // With a scrubber, add() scrubs what it stores (ReportMailer passes the
    // database's filters); without one it stores what it is given.
    explicit SendLog(Database &db, const Scrubber *scrubber = nullptr) : m_db(db), m_scrubber(scrubber) {}

    // Stores the entry (its id is ignored) and the message, scrubbed when the
    // log has a scrubber; returns the new id.
    Result<int64_t> add(const SendLogEntry &entry, const QByteArray &message);
    Result<SendLogEntry> entry(int64_t id);
    Result<QByteArray> message(int64_t id);
    // Newest first; reportId > 0 limits to one report.
    Result<std::vector<SendLogEntry>> list(int limit = 100, int64_t reportId = 0);
    // Scrubs every entry again with `scrubber` (rules apply after a new pattern):
    // subject, reply, error, transcript and the message, which is decoded and
    // written back through GMime (a value hides in quoted-printable as
    // key=3Dvalue). Runs inside the caller's transaction; returns how many
    // entries changed.
    Result<int64_t> rescrub(const Scrubber &scrubber);

private:
    Database &m_db;
    const Scrubber *m_scrubber = nullptr;
};

} // namespace ed
