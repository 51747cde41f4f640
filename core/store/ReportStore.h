#pragma once
// Reading what is stored: report rows, one report in full, issues, statistics.
#include "store/Database.h"
#include "base/Result.h"
#include "store/SearchQuery.h"
#include "model/Report.h"

#include <QJsonObject>
#include <QString>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace ed {

struct ReportRow {
    int64_t id = 0;
    QString eventId;
    int64_t timestamp = 0;
    int level = 0;
    QString logger, message;
    std::optional<int> statusCode;
    QString site, method, path, exceptionType, exceptionValue, remoteAddr;
    int64_t issueId = 0;
    QString hiddenBy;
    QString undecided; // rules that could not decide on it (regex match limit): it stayed visible
    int frameCount = 0;
};

struct ReportDetail {
    ReportRow row;
    Report report; // the record, typed: what everything but the raw JSON reads
    // The whole v1 record, parts put back, scrubbed: only for what needs the
    // JSON itself, with the fields ErrorDeck does not know (JSON export, the
    // raw view, `show --json`, rules re-run on stored records).
    QJsonObject record;
    QString raw; // the original e-mail text (scrubbed), empty for v1 records
    QString source;
};

enum class IssueStatus { Unresolved = 0, Resolved = 1, Ignored = 2 };

struct IssueRow {
    int64_t id = 0;
    QString title, culprit;
    int level = 0;
    QString logger, exceptionType;
    int64_t firstSeen = 0, lastSeen = 0;
    int64_t count = 0, hiddenCount = 0;
    IssueStatus status = IssueStatus::Unresolved; // an ignore that ran out reads as Unresolved
    bool regression = false;
    // Ignored until this time (ms) or until `count` reaches this (store/IssueTriage.h).
    std::optional<int64_t> ignoreUntil, ignoreUntilCount;
    bool resolvedInNextRelease = false;
    bool reviewed = false; // marked reviewed: out of the For review view until it regresses
};

struct StoreStats {
    int64_t reports = 0, hidden = 0, issues = 0, parts = 0;
    int64_t firstSeen = 0, lastSeen = 0;
    int64_t fileBytes = 0;
    std::vector<std::pair<int, int64_t>> byLevel; // level, count
    std::vector<std::pair<QString, int64_t>> byLogger; // top loggers
    std::vector<std::pair<int, int64_t>> byStatus; // status code, count
};

enum class ReportSort { Timestamp, Level, Logger, Message, Status, Path, Type, Issue, Id };

// Where a keyset page starts: after the row with this sort value, time and id.
// Rows with the same value come newest first (or oldest first when ascending),
// the order of the column's index, so the first rows of any sort are read from it.
struct ReportKey {
    QVariant value; // the sort column's value (qint64 or QString)
    int64_t id = 0;
    int64_t timestamp = 0; // the row's time: the tie-break after the value
};
enum class IssueSort { LastSeen, FirstSeen, Count, Title, Culprit, Level, Status };

class ReportStore {
public:
    explicit ReportStore(Database &db) : m_db(db) { }

    // `after`: only rows past that one in this order (keyset paging), then `offset` more skipped.
    Result<std::vector<ReportRow>> listReports(const SearchQuery &q, int limit, int64_t offset = 0,
                                               ReportSort sort = ReportSort::Timestamp, bool descending = true,
                                               const std::optional<ReportKey> &after = std::nullopt);
    Result<int64_t> countReports(const SearchQuery &q);
    // Whether any report is stored (hidden ones too).
    Result<bool> hasReports();
    // ErrorKind::NotFound when no report has that id.
    Result<ReportDetail> loadReport(int64_t id);
    // By event id (or the Message-ID of an imported e-mail).
    Result<int64_t> findByEventId(const QString &eventId);

    // Issues with at least one report matching `q` (all issues when q is empty),
    // with the matching count.
    Result<std::vector<IssueRow>> listIssues(const SearchQuery &q, int limit, int64_t offset = 0,
                                             IssueSort sort = IssueSort::LastSeen, bool descending = true);
    // ErrorKind::NotFound when no issue has that id.
    Result<IssueRow> loadIssue(int64_t id);
    // The id of the issue's latest report (what mailing an issue sends);
    // ErrorKind::NotFound when it has none.
    Result<int64_t> latestReportOfIssue(int64_t issueId);
    Result<void> setIssueStatus(int64_t id, IssueStatus status);
    // Reports per day for the last `days` days ending at `endMs`, oldest first.
    // For each of a page of issues in one query (the issue list's sparklines):
    // read from the per-issue hourly counts when the days start on whole hours
    // (local midnights in all but a few zones), else from the reports.
    Result<std::unordered_map<int64_t, std::vector<int64_t>>> issuesDailyCounts(const std::vector<int64_t> &issueIds, int days,
                                                                                int64_t endMs);

    Result<StoreStats> stats();

    // Deletes reports (and their full-text rows), keeping issue counts right.
    Result<int64_t> deleteReports(const std::vector<int64_t> &ids);

    // The share (0..1) of reports under a logger prefix, from the issue counters.
    double loggerShare(const QString &prefix);

private:
    struct PartLoader;
    Result<QJsonObject> expandParts(QJsonObject record, PartLoader &parts);
    Database &m_db;
};

} // namespace ed
