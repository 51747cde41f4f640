#pragma once
// The send log as stored (table send_log): every attempt to e-mail a report,
// with its outcome, the server's answer or the error, and the message itself
// (zstd-compressed) so that it can be sent again. Scrubbing what is logged is
// the caller's (send/SendLog.h, filters/SendLogScrub.h).
#include "store/Database.h"
#include "model/MailAudience.h"
#include "base/Result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ed {

enum class SendOutcome { Sent = 0, Failed = 1, Cancelled = 2 };
QString outcomeName(SendOutcome o); // "sent", "failed", "cancelled"

struct SendLogEntry {
    int64_t id = 0;
    int64_t createdAt = 0; // ms since the epoch, UTC
    int64_t reportId = 0; // 0: none (a test message)
    int64_t issueId = 0;
    MailAudience audience = MailAudience::Admins;
    QString backend; // smtp, file, console
    QString destination; // host:port, the file written, console
    QString sender;
    QStringList recipients; // the envelope recipients
    QString subject;
    QString messageId;
    SendOutcome outcome = SendOutcome::Failed;
    long responseCode = 0;
    QString reply; // the server's last reply
    QString error; // empty when sent
    QString transcript; // SMTP dialogue without credentials
    int64_t resendOf = 0; // the entry this one sent again
    int64_t messageBytes = 0;
    QString alertRule; // the alert rule that sent it (core/alert), empty for a send on demand
};

// The texts of one entry that can hold report text (what a re-scrub rewrites).
struct SendLogTexts {
    std::string subject, reply, error, transcript;
    std::string message; // the whole message, decompressed
};

class SendLogStore {
public:
    explicit SendLogStore(Database &db) : m_db(db) { }

    // Stores the entry (its id is ignored; createdAt 0 means now) with the
    // message as given; returns the new id.
    Result<int64_t> add(const SendLogEntry &entry, std::string_view message);
    // ErrorKind::NotFound when no entry has that id.
    Result<SendLogEntry> entry(int64_t id);
    Result<QByteArray> message(int64_t id);
    // Newest first; reportId > 0 limits to one report; limit < 0: all.
    Result<std::vector<SendLogEntry>> list(int limit = 100, int64_t reportId = 0);
    // Hands every entry's texts to `scrub` and writes back those it changed
    // (it returns true for them). Runs inside the caller's transaction;
    // returns how many entries changed.
    Result<int64_t> rewriteTexts(const std::function<bool(SendLogTexts &)> &scrub);

private:
    Database &m_db;
};

} // namespace ed
