#pragma once
// Rewriting what is stored when the rules change (filters/RuleApplier): the
// reports' visibility, their scrubbed text, and every other place that holds
// report text. Inside write transactions that roll back unless committed:
// begin() and commit() may follow each other many times (RuleApplier writes
// its reports in batches, one transaction each).
#include "store/Database.h"
#include "base/Result.h"

#include <QString>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ed {

class Scrubber;
struct TransformedRecord;

struct StoredVisibility {
    int64_t id = 0;
    int64_t issueId = 0;
    QString hiddenBy; // empty: visible
    QString undecided; // rules that could not decide on it
};

// A column of the schema that can hold text, and whether a re-scrub rewrites
// it. tst_no_secrets_on_disk fails on a text column missing here: a new table
// or column holding report-derived text must be re-scrubbed by rules apply.
struct TextColumn {
    const char *table;
    const char *column;
    bool rescrubbed;
    const char *why; // for a column left alone: why no report text stands there
};

class ReportRewriter {
public:
    static const std::vector<TextColumn> &textColumns();

    explicit ReportRewriter(Database &db);
    ~ReportRewriter();
    ReportRewriter(const ReportRewriter &) = delete;
    ReportRewriter &operator=(const ReportRewriter &) = delete;

    // Before begin(), when text is rewritten: deleted and overwritten content is
    // zeroed, not left in free pages.
    Result<void> zeroDeletedContent();
    // Takes the write lock; every call below runs inside this transaction.
    // After a commit(), begin() starts the next one.
    Result<void> begin();
    Result<void> commit();

    // Every report's visibility, by id.
    Result<std::vector<StoredVisibility>> visibility();
    Result<void> setVisibility(int64_t id, const QString &hiddenBy, const QString &undecided);
    // The report's original e-mail text, decompressed; nullopt when it has none
    // (or it cannot be read back: rewrite() then stores none).
    std::optional<std::string> raw(int64_t id);
    // Replaces the report's stored text by `rec` (body, new parts, indexed
    // columns, full-text row) and `raw`, with its visibility.
    Result<void> rewrite(int64_t id, const TransformedRecord &rec, const std::optional<std::string> &raw, const QString &hiddenBy,
                         const QString &undecided);
    // Issue counts follow the reports' visibility: every issue's, or those named.
    Result<void> recountIssues();
    Result<void> recountIssues(const std::vector<int64_t> &issueIds);
    // Scrubs the issues' titles, culprits and loggers; returns how many changed.
    Result<int64_t> rescrubIssues(const Scrubber &scrubber);
    // Scrubs the saved searches' names and queries; returns how many changed.
    Result<int64_t> rescrubSavedSearches(const Scrubber &scrubber);
    // Deletes the parts no report refers to any more; returns how many.
    Result<int64_t> removeUnreferencedParts();
    // Merges the full-text index into one segment: old terms go with old segments.
    Result<void> optimizeFullText();
    // After commit(): moves the WAL into the file and truncates it, so old page
    // images do not linger there. Empty when done, else why not.
    QString truncateLog();

private:
    struct Statements;
    Database &m_db;
    std::unique_ptr<Statements> m_sql;
};

} // namespace ed
