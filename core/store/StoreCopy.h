#pragma once
// Copying a whole store from one database into another, across engines
// (`errordeck-cli copy-store SRC DST`: an SQLite file into PostgreSQL and
// back). Every table of the schema is copied with its ids, in batches ordered
// by primary key, one destination transaction each; the full-text index is
// filled the way the destination engine keeps it, the per-issue counts
// (issue_hours, issue_days) are rebuilt there from the copied reports, and
// PostgreSQL's identities are set past the copied ids. Blobs (the zstd bodies)
// are copied as bytes.
//
// Resumable: a config row in the destination (kCopyMarker) names the source
// while a copy is unfinished. Run again with the same two databases, the copy
// goes on after the last key each table holds, and ends as one run would. A
// destination holding anything else is refused, as is a source whose reports
// or issues changed since the interrupted run began.
//
// Verified: at the end every table's row count, largest id and sum of ids
// (counts for the rollups) are compared between the two; the marker is
// removed only when all agree.
#include "store/Database.h"
#include "base/CancelToken.h"
#include "base/Result.h"

#include <QString>
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace ed {

struct StoreCopyProgress {
    QString table;
    int tableIndex = 0, tableCount = 0; // 1-based position of `table` among the copied tables
    int64_t tableDone = 0, tableTotal = 0; // rows of this table in the destination / in the source
    int64_t rowsDone = 0, rowsTotal = 0; // over every table
    bool tableFinished = false; // the last call for this table
};

// One table's figures in both databases: the row count, and where the table
// has them two more (`checks` names them): its largest id and the sum of its
// ids, or for the rollups the visible and the hidden counts summed.
struct StoreCopyFigures {
    QString table;
    int64_t sourceRows = 0, destinationRows = 0;
    QString checks; // "max id, id sum", "visible, hidden", or empty
    std::optional<std::pair<int64_t, int64_t>> sourceChecks, destinationChecks;
    bool matches() const { return sourceRows == destinationRows && sourceChecks == destinationChecks; }
};

struct StoreCopySummary {
    bool resumed = false; // an earlier, interrupted copy was continued
    int64_t rowsCopied = 0; // by this run
    double seconds = 0;
    std::vector<StoreCopyFigures> tables;
    bool verified() const
    {
        for (const auto &t : tables)
            if (!t.matches())
                return false;
        return !tables.empty();
    }
};

struct StoreCopyOptions {
    int batchRows = 5000; // rows per destination transaction
    // Asked between batches: a cancel stops after the last committed batch
    // (ErrorKind::Interrupted); running the copy again goes on from there.
    const CancelToken *cancel = nullptr;
    // After every committed batch, and once when a table is done.
    std::function<void(const StoreCopyProgress &)> progress;
};

// The config row that marks an unfinished copy in its destination.
inline constexpr const char *kCopyMarker = "errordeck:copy-store";

// Copies `source` into `destination` (both open, at the same schema version;
// `source` may be read-only). The summary's figures say whether the copy
// verified; an Error when the copy was refused, cancelled or failed (nothing
// committed is lost: running it again continues).
Result<StoreCopySummary> copyStore(Database &source, Database &destination, const StoreCopyOptions &options = {});

} // namespace ed
