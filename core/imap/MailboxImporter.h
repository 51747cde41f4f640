#pragma once
// Imports the Django error e-mails of one IMAP folder (ImapSession) through
// the same pipeline as e-mail files: each message becomes a v1 record
// (mail/MailRecord), RecordPreparer scrubs and filters it with the import's
// Scrubber and RecordFilter, ReportWriter dedups and groups it.
//
// The first run reads what the folder holds; later runs only UIDs above the
// last one imported (table mailboxes, store/MailboxStore.h), written in the
// transaction of the reports it stands for. A changed UIDVALIDITY (the folder
// was recreated) reads the folder again: the store dedups by the Message-ID
// (a mail record's event id), so nothing is stored twice. Messages are fetched
// into memory only: an unscrubbed message never reaches the disk.
//
// A message that cannot be used (does not parse, too large) is a problem
// naming the mailbox and its UID and is passed over; the rest are imported.
// A failure of the server (refused, TLS, login, folder missing, the connection
// dropped) ends the run with `serverError`, keeping what was stored before it.
#include "store/Database.h"
#include "import/Importer.h"
#include "imap/ImapSession.h"
#include "model/Filter.h"

#include <QString>
#include <atomic>

namespace ed {

enum class AfterImport { Leave, MarkRead, Move };

struct MailboxSettings {
    ImapOptions imap;
    // Only messages whose From address is this one (Django's SERVER_EMAIL); empty: any.
    QString onlyFromServerEmail;
    // Only messages whose subject starts with this (EMAIL_SUBJECT_PREFIX); empty: any.
    QString onlySubjectPrefix;
    AfterImport after = AfterImport::Leave;
    QString moveToFolder; // for AfterImport::Move
    // Watching (MailboxPoller): wait with IMAP IDLE where the server offers it, polling besides.
    bool useIdle = true;
};

struct MailboxSummary {
    ImportSummary import; // problems name the mailbox URL; line 0, the UID in the reason
    int64_t fetched = 0;
    int64_t filteredOut = 0; // not from SERVER_EMAIL or without the subject prefix: left alone
    bool uidValidityChanged = false;
    quint32 uidValidity = 0, lastUid = 0; // where the mailbox stands after the run
    QString serverError; // the server failed: the run stopped (retry later)
};

class MailboxImporter {
public:
    MailboxImporter(Database &db, const Scrubber &scrubber, const RecordFilter &filter);

    MailboxSummary run(const MailboxSettings &settings);
    void cancel(); // any thread: stop after the message in progress

    static constexpr int kBatch = 50; // messages per transaction (and after-import actions)

private:
    Database &m_db;
    const Scrubber &m_scrubber;
    const RecordFilter &m_filter;
    std::atomic<bool> m_cancel{false};
    std::atomic<ImapSession *> m_session{nullptr};
};

// "leave", "mark-read" or "move" (what the CLI and settings use).
std::optional<AfterImport> parseAfterImport(const QString &name);

} // namespace ed
