#pragma once
// Stores transformed records: dedup, filter verdict, grouping into issues,
// parts, full-text index. Work happens in batches, one transaction each, so a
// killed import leaves whole batches and the file offsets that match them.
#include "base/Compression.h"
#include "store/Database.h"
#include "store/ImportFileStore.h"
#include "model/Filter.h"
#include "model/RecordTransformer.h"

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
    ReportWriter(Database &db, const Scrubber &scrubber, const RecordFilter &filter);
    ~ReportWriter();

    Result<void> begin();
    // One v1 record. `raw` is the text of a non-v1 source for the raw view (an
    // e-mail decoded by MimeReader, never in its transfer encoding), stored
    // after the scrubber has been over it. This is the one way report text
    // enters the store: every input form (files, e-mails, and any later one)
    // comes through here, scrubbed by the same Scrubber.
    IngestResult add(std::string_view json, bool padded, std::string_view raw = {}, const QString &source = {});
    // Where a file stands; written with the next commit so offset and reports agree.
    // One entry per file: a batch may end several small files.
    void setFileProgress(const FileProgress &p);
    Result<void> commit();
    void rollback();
    bool inTransaction() const { return m_inTx; }

private:
    struct IssueState;
    Result<IssueState *> issueFor(const TransformedRecord &rec);
    Result<void> flushIssues();

    Database &m_db;
    const Scrubber &m_scrubber;
    const RecordFilter &m_filter;
    PartCache m_parts;
    RecordTransformer m_transformer;
    Compressor m_compressor;
    TransformedRecord m_rec;
    std::string m_compressed, m_rawScrubbed;
    std::unordered_map<Hash128, std::unique_ptr<IssueState>, Hash128Hasher> m_issues;
    struct Statements; // prepared once per writer (store/sqlite)
    std::unique_ptr<Statements> m_sql;
    std::vector<FileProgress> m_progress; // of this transaction
    bool m_inTx = false;
};

} // namespace ed
