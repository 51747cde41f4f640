#pragma once
// Stores prepared records (model/RecordPreparer did the parsing, scrubbing,
// filter verdict and compression): dedup, grouping into issues, parts, the
// full-text index. Work happens in batches, one transaction each, so a killed
// import leaves whole batches and the file offsets that match them. Runs on the
// thread that owns the connection; the preparers may run on others.
#include "store/Database.h"
#include "store/ImportFileStore.h"
#include "model/RecordPreparer.h"

#include <QString>
#include <memory>
#include <unordered_map>
#include <vector>

namespace ed {

enum class IngestOutcome { Stored, Duplicate, Dropped, Rejected };

struct IngestResult {
    IngestOutcome outcome = IngestOutcome::Rejected;
    QString reason; // why rejected, or the rule that dropped it
    QString hiddenBy; // the rule that hides a stored report
    int64_t reportId = 0;
    int64_t issueId = 0;
    bool newIssue = false;
    bool regression = false;
    bool fatal = false; // the database failed, not the record: stop the import
};

class ReportWriter {
public:
    explicit ReportWriter(Database &db);
    ~ReportWriter();

    Result<void> begin();
    // One record as a RecordPreparer made it (a record it rejected is rejected
    // here with its reason). This is the one way report text enters the store:
    // every input form (files, e-mails, and any later one) comes through
    // RecordPreparer, scrubbed by the same Scrubber, and then here. Records are
    // stored in the order given: dedup and issue states follow that order.
    IngestResult store(const PreparedRecord &prepared, const QString &source = {});
    // The dedup keys of the records store() is about to get, in their order: a
    // hint (PostgreSQL asks the server about many at once), no effect on what
    // is stored.
    void expect(const std::vector<Hash128> &dedupKeys);
    // The parts stored so far, for the preparers (thread-safe).
    const KnownParts &knownParts() const { return m_parts; }
    // Where a file stands; written with the next commit so offset and reports agree.
    // One entry per file: a batch may end several small files.
    void setFileProgress(const FileProgress &p);
    Result<void> commit();
    void rollback();
    // A bulk import: with a batch open, when `force` or when at least
    // kBulkMinReports are expected and the database holds no more reports than
    // that, drops the indexes of reports no query names, to build them once in
    // restoreIndexes() (store/sqlite/BulkIndexes.h: a sort each instead of a
    // B-tree insert per row). True when it did. Queries still answer meanwhile;
    // should the process die first, the next Database::open builds them.
    Result<bool> deferIndexes(int64_t expectedReports, bool force = false);
    // After the last commit (the destructor does it too): builds what
    // deferIndexes() dropped.
    Result<void> restoreIndexes();
    static constexpr int64_t kBulkMinReports = 2000;
    bool inTransaction() const { return m_inTx; }

private:
    struct IssueState;
    Result<void> flushIssues();

    Database &m_db;
    KnownParts m_parts;
    std::vector<Hash128> m_stored; // the parts a record added, for m_parts
    // The batch's issues by id, and by the fingerprints that land in them (a
    // merged issue's fingerprint lands in the issue it went into: its state,
    // and the issue it came from for the report's origin_issue).
    struct Landing {
        IssueState *state = nullptr;
        int64_t origin = 0; // the fingerprint's own issue when it lands elsewhere, else 0
    };
    std::unordered_map<int64_t, std::unique_ptr<IssueState>> m_issues;
    std::unordered_map<Hash128, Landing, Hash128Hasher> m_landings;
    std::unordered_map<Hash128, int64_t, Hash128Hasher> m_releases; // first seen, as written in this batch
    Result<Landing> issueFor(const TransformedRecord &rec);
    Result<bool> isStored(const Hash128 &dedupKey);
    Result<int64_t> insertReport(const PreparedRecord &prepared, const QString &source, int64_t issueId, int64_t origin,
                                 const QString &hiddenBy);
    Result<int64_t> releaseFirstSeen(const Hash128 &release, int64_t timestamp);
    struct Statements; // prepared once per writer (store/sqlite)
    std::unique_ptr<Statements> m_sql;
    std::vector<FileProgress> m_progress; // of this transaction
    bool m_inTx = false;
    // The batch holds the writers' turn (sqldialect::takeWriteLock): from
    // begin() on SQLite; on PostgreSQL from its first record, so that a batch
    // waiting for its input (a parser, a mailbox, a watched file) does not
    // keep other writers waiting.
    bool m_writeLocked = false;
    Result<void> takeWriteLock();
    // For the alert step (store/AlertStore.h), when an enabled alert rule
    // exists: the batch's report ids and its new issues and regressions,
    // written with the batch's commit, so every path that stores reports
    // (import, watch, mailboxes, the Sentry receiver) is seen once.
    bool m_alerting = false;
    int64_t m_firstReport = 0, m_lastReport = 0;
    bool m_storedAny = false; // a report of this batch is stored: the commit announces it
    struct AlertEvent {
        int64_t reportId;
        bool newIssue, regression;
    };
    std::vector<AlertEvent> m_alertEvents;
    Result<void> recordForAlerts();
};

} // namespace ed
