#include "store/ReportWriter.h"
#include "store/sqlite/BulkIndexes.h"
#include "store/sqlite/ReportRows.h"
#include "store/sqlite/RollupUpkeep.h"
#include "store/sqlite/Rows.h"
#include "store/sqlite/SqlDialect.h"

#include <QDateTime>

#include <algorithm>

namespace ed {

struct ReportWriter::IssueState {
    int64_t id = 0;
    int status = 0;
    std::optional<int64_t> resolvedAt;
    int level = 0;
    int64_t storedCount = 0; // visible reports before this batch
    std::optional<int64_t> ignoreUntil, ignoreUntilCount; // an ignore that ends (IssueTriage.h)
    std::optional<Hash128> resolvedIn; // resolved in the next release after this one
    int64_t resolvedInFirstSeen = 0;
    int64_t firstSeen = INT64_MAX, lastSeen = INT64_MIN;
    int64_t visible = 0, hidden = 0;
    std::optional<Hash128> lastRelease; // of the batch's newest report with a release
    int64_t lastReleaseAt = INT64_MIN;
    bool reopen = false;
    bool unignore = false; // its ignore ended: back to unresolved, not a regression
    bool touched = false;
};

struct ReportWriter::Statements {
    explicit Statements(Connection &c) : rollups(c) { }
    Statement exists, insertReport, insertFts, insertPart, findIssue, insertIssue, updateIssue, progressSt, seeRelease,
        releaseSeen;
    Statement alerting, insertPending, insertEvent; // store/AlertStore.h
    RollupUpkeep rollups; // issue_hours and issue_days of the batch's new reports
    std::optional<ReportRowBatch> rows; // PostgreSQL: the reports, many a statement, in place of insertReport
    std::vector<DeferredIndex> deferred; // dropped by deferIndexes(), until restoreIndexes()
};

namespace {
std::string_view sv(const std::string &s) { return s; }
std::string_view bytes(const Hash128 &h) { return {reinterpret_cast<const char *>(h.data()), h.size()}; }
Hash128 hashFrom(const Statement &st, int column)
{
    Hash128 h{};
    const std::string_view b = st.blob(column);
    std::copy_n(b.data(), std::min(b.size(), h.size()), h.begin());
    return h;
}
// SQLite: the row the insert just made. The writer's inserts on SQLite have
// no RETURNING: SQLite runs such an insert with a statement journal, and
// opening one makes FTS5 (xSavepoint) flush the batch's pending full-text
// terms, so every report, new issue and release wrote and merged a segment of
// its own (with RETURNING on the report insert, a third of the writer's
// instructions). PostgreSQL has no last_insert_rowid: RETURNING there.
bool returnsIds(Connection &c) { return dialectOf(c) == SqlDialect::Postgres; }
Result<int64_t> sqliteInsertedId(Statement &st, Connection &c)
{
    if (!st.exec())
        return st.failure();
    return c.lastInsertId();
}
} // namespace

ReportWriter::ReportWriter(Database &db) : m_db(db), m_sql(std::make_unique<Statements>(connectionOf(db)))
{
    Connection &c = connectionOf(m_db);
    // On a server each statement is a round trip, and a statement's own cost
    // is most of a small row's: the reports and their full-text rows go many a
    // statement (ReportRowBatch). SQLite takes a row a statement, its id from
    // last_insert_rowid (sqliteInsertedId).
    if (dialectOf(c) == SqlDialect::Postgres) {
        m_sql->rows.emplace(c);
    } else {
        m_sql->exists = c.prepare("SELECT 1 FROM reports WHERE dedup_key = ?");
        m_sql->insertReport = c.prepare(std::string("INSERT INTO reports(") + kReportColumnNames +
                                        ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        m_sql->insertFts = c.prepare(sqldialect::ftsInsert(dialectOf(c)).toStdString());
    }
    // A part another writer stored meanwhile is the same bytes (its hash): kept.
    m_sql->insertPart = c.prepare("INSERT INTO parts(hash, data) VALUES(?, ?) ON CONFLICT(hash) DO NOTHING");
    // The fingerprint's issue, or the one it was merged into (issue_aliases).
    m_sql->findIssue = c.prepare(
        "SELECT i.id, i.status, i.resolved_at, i.level, i.count, i.ignore_until, i.ignore_until_count, i.resolved_in,"
        " (SELECT first_seen FROM releases WHERE hash = i.resolved_in), o.id FROM issues o JOIN issues i"
        " ON i.id = coalesce((SELECT issue_id FROM issue_aliases WHERE fingerprint = o.fingerprint), o.id)"
        " WHERE o.fingerprint = ?");
    const std::string seeRelease = "INSERT INTO releases(hash, first_seen) VALUES(?1, ?2) ON CONFLICT(hash)"
                                   " DO UPDATE SET first_seen = CASE WHEN excluded.first_seen < releases.first_seen"
                                   " THEN excluded.first_seen ELSE releases.first_seen END";
    m_sql->seeRelease = c.prepare(returnsIds(c) ? seeRelease + " RETURNING first_seen" : seeRelease);
    m_sql->releaseSeen = c.prepare("SELECT first_seen FROM releases WHERE hash = ?");
    const std::string insertIssue =
        "INSERT INTO issues(fingerprint, title, culprit, level, logger, exception_type, first_seen, last_seen)"
        " VALUES(?,?,?,?,?,?,?,?)";
    m_sql->insertIssue = c.prepare(returnsIds(c) ? insertIssue + " RETURNING id" : insertIssue);
    // ?7 reopens, ?8 ends an ignore (0 or 1). CASE for the scalar min and max
    // SQLite has and PostgreSQL calls LEAST and GREATEST.
    m_sql->updateIssue = c.prepare(
        "UPDATE issues SET count = count + ?2, hidden_count = hidden_count + ?3,"
        " first_seen = CASE WHEN ?4 < first_seen THEN ?4 ELSE first_seen END,"
        " last_seen = CASE WHEN ?5 > last_seen THEN ?5 ELSE last_seen END,"
        " level = CASE WHEN ?6 > level THEN ?6 ELSE level END,"
        " status = CASE WHEN ?7 <> 0 OR ?8 <> 0 THEN 0 ELSE status END,"
        " regression = CASE WHEN ?7 <> 0 THEN 1 ELSE regression END,"
        " reviewed = CASE WHEN ?7 <> 0 THEN 0 ELSE reviewed END, resolved_in = CASE WHEN ?7 <> 0 THEN NULL ELSE resolved_in END,"
        " ignore_until = CASE WHEN ?8 <> 0 THEN NULL ELSE ignore_until END,"
        " ignore_until_count = CASE WHEN ?8 <> 0 THEN NULL ELSE ignore_until_count END,"
        // coalesce rather than `?9 IS NOT NULL`: PostgreSQL takes ?9's type (bytea) from last_release there.
        " last_release = CASE WHEN ?10 >= last_seen THEN coalesce(?9, last_release) ELSE last_release END"
        " WHERE id = ?1");
    m_sql->progressSt = c.prepare(kPutProgress);
    m_sql->alerting = c.prepare("SELECT EXISTS (SELECT 1 FROM alert_rules WHERE enabled <> 0 AND kind <> 'digest')");
    m_sql->insertPending = c.prepare("INSERT INTO alert_pending(first_report, last_report, committed_at) VALUES(?,?,?)");
    m_sql->insertEvent = c.prepare(
        "INSERT INTO alert_events(report_id, new_issue, regression) VALUES(?,?,?) ON CONFLICT(report_id)"
        " DO UPDATE SET new_issue = excluded.new_issue, regression = excluded.regression");
}

ReportWriter::~ReportWriter()
{
    if (m_inTx)
        rollback();
    (void)restoreIndexes();
}

Result<bool> ReportWriter::deferIndexes(int64_t expectedReports, bool force)
{
    if (!m_inTx || !m_sql->deferred.empty())
        return false;
    // A server's database is shared: other writers and readers would lose the
    // indexes while this import runs (and the index SQL is read from SQLite's
    // catalogue).
    if (connectionOf(m_db).engine() != Engine::Sqlite)
        return false;
    if (!force) {
        if (expectedReports < kBulkMinReports)
            return false;
        // max(id): one look-up, never below the count (ids only grow).
        auto stored = connectionOf(m_db).scalar("SELECT coalesce(max(id), 0) FROM reports");
        if (!stored)
            return stored.failure();
        if (*stored > expectedReports)
            return false; // building them again would cost more than it saves
    }
    auto dropped = dropDeferrableIndexes(connectionOf(m_db));
    if (!dropped)
        return dropped.failure();
    m_sql->deferred = std::move(*dropped);
    return !m_sql->deferred.empty();
}

Result<void> ReportWriter::restoreIndexes()
{
    if (m_sql->deferred.empty())
        return {};
    if (m_inTx)
        return Error{QStringLiteral("internal error: indexes restored inside a batch")};
    auto r = restoreDeferredIndexes(connectionOf(m_db), m_sql->deferred);
    if (r)
        m_sql->deferred.clear();
    return r;
}

Result<void> ReportWriter::begin()
{
    std::vector<Statement *> needed{&m_sql->insertPart,    &m_sql->findIssue,  &m_sql->insertIssue, &m_sql->updateIssue,
                                    &m_sql->progressSt,    &m_sql->seeRelease, &m_sql->releaseSeen, &m_sql->alerting,
                                    &m_sql->insertPending, &m_sql->insertEvent};
    if (!m_sql->rows)
        needed.insert(needed.end(), {&m_sql->exists, &m_sql->insertReport, &m_sql->insertFts});
    for (Statement *st : needed)
        if (!st->valid())
            return Error{QStringLiteral("database schema mismatch: %1").arg(st->prepareError())};
    if (m_sql->rows && !m_sql->rows->prepareError().isEmpty())
        return Error{QStringLiteral("database schema mismatch: %1").arg(m_sql->rows->prepareError())};
    if (!m_sql->rollups.valid())
        return Error{QStringLiteral("database schema mismatch: %1").arg(m_sql->rollups.prepareError())};
    if (auto r = connectionOf(m_db).exec(sqldialect::beginWriting(dialectOf(connectionOf(m_db)))); !r)
        return Error{QStringLiteral("cannot start writing to %1: %2").arg(m_db.path(), r.error()), r.errorKind()};
    m_inTx = true;
    m_writeLocked = sqldialect::takeWriteLock(dialectOf(connectionOf(m_db))).empty(); // SQLite: BEGIN IMMEDIATE took it
    m_issues.clear(); // another process may have changed issue states since the last batch
    m_landings.clear();
    m_releases.clear();
    m_progress.clear();
    m_sql->rollups.clear();
    // Read inside the transaction: a rule added meanwhile counts from this batch on.
    m_sql->alerting.reset();
    m_alerting = m_sql->alerting.step() && m_sql->alerting.int64(0) != 0;
    m_sql->alerting.reset();
    m_firstReport = m_lastReport = 0;
    m_storedAny = false;
    m_alertEvents.clear();
    return {};
}

// Several writers on one database (issue 17). Each batch decides from what
// it reads: a record is a duplicate when its dedup_key is stored, a fingerprint
// with no issue makes a new one, and the issue's status, resolution and ignore
// (read once per batch into IssueState) decide a regression or an ignore's
// end; the flush then adds its counts. Those decisions are right only when no
// other writer changes the same rows between the read and the commit. SQLite's
// write lock guarantees that; on PostgreSQL (READ COMMITTED) the batch takes
// the same turn with one advisory lock before its first record reads anything,
// and every other transaction that writes issues or reports (IssueTriage,
// ReportStore, ReportRewriter: Transaction with `immediate`) takes it too. So
// the same event id is stored once, a new issue is made once, a regression is
// seen by one batch, a triage decision is never overwritten by a batch that
// read the issue before it, and alert_pending's id ranges never interleave.
// Parsing and scrubbing (RecordPreparer, the pipeline) run outside it, in
// parallel. A killed writer's transaction is rolled back by the server, which
// releases the lock.
Result<void> ReportWriter::takeWriteLock()
{
    if (m_writeLocked)
        return {};
    const std::string lock = sqldialect::takeWriteLock(dialectOf(connectionOf(m_db)));
    if (auto r = connectionOf(m_db).exec(lock); !r)
        return Error{QStringLiteral("cannot start writing to %1: %2").arg(m_db.path(), r.error()), r.errorKind()};
    m_writeLocked = true;
    return {};
}

Result<ReportWriter::Landing> ReportWriter::issueFor(const TransformedRecord &rec)
{
    if (auto it = m_landings.find(rec.grouping.fingerprint); it != m_landings.end())
        return it->second;
    const std::string_view fp = bytes(rec.grouping.fingerprint);
    Statement &find = m_sql->findIssue;
    find.reset();
    find.bindBlob(1, fp);
    Landing landing;
    if (find.step()) {
        const int64_t id = find.int64(0);
        landing.origin = find.int64(9) == id ? 0 : find.int64(9);
        std::unique_ptr<IssueState> &state = m_issues[id];
        if (!state) {
            state = std::make_unique<IssueState>();
            state->id = id;
            state->status = int(find.int64(1));
            if (!find.isNull(2))
                state->resolvedAt = find.int64(2);
            state->level = int(find.int64(3));
            state->storedCount = find.int64(4);
            if (!find.isNull(5))
                state->ignoreUntil = find.int64(5);
            if (!find.isNull(6))
                state->ignoreUntilCount = find.int64(6);
            if (!find.isNull(7)) {
                state->resolvedIn = hashFrom(find, 7);
                state->resolvedInFirstSeen = find.isNull(8) ? INT64_MIN : find.int64(8);
            }
        }
        landing.state = state.get();
        find.reset();
    } else {
        if (!find.done())
            return find.failure();
        find.reset();
        m_sql->insertIssue.bindBlob(1, fp).bind(2, rec.grouping.title).bind(3, rec.grouping.culprit).bind(4, rec.level);
        m_sql->insertIssue.bindTextOrNull(5, sv(rec.logger));
        m_sql->insertIssue.bindTextOrNull(6, sv(rec.exceptionType));
        m_sql->insertIssue.bind(7, rec.timestamp).bind(8, rec.timestamp);
        Connection &c = connectionOf(m_db);
        auto id = returnsIds(c) ? insertedId(m_sql->insertIssue) : sqliteInsertedId(m_sql->insertIssue, c);
        if (!id)
            return id.failure();
        auto state = std::make_unique<IssueState>();
        state->id = *id;
        state->touched = true; // new: reported as such by add()
        landing.state = state.get();
        m_issues.emplace(state->id, std::move(state));
    }
    m_landings.emplace(rec.grouping.fingerprint, landing);
    return landing;
}

Result<int64_t> ReportWriter::releaseFirstSeen(const Hash128 &release, int64_t timestamp)
{
    if (auto it = m_releases.find(release); it != m_releases.end() && it->second <= timestamp)
        return it->second;
    Statement &see = m_sql->seeRelease;
    see.reset();
    see.bindBlob(1, bytes(release)).bind(2, timestamp);
    const bool returning = returnsIds(connectionOf(m_db));
    if (!returning && !see.exec())
        return see.failure();
    Statement &read = returning ? see : m_sql->releaseSeen; // SQLite: the upsert, then a look-up
    if (!returning)
        read.bindBlob(1, bytes(release));
    if (!read.step())
        return read.failure();
    const int64_t firstSeen = read.int64(0);
    read.reset();
    m_releases[release] = firstSeen;
    return firstSeen;
}

namespace {

// The report's 21 columns after id, in the order of kReportColumns, from
// parameter `first` on: into a Statement (SQLite) or a RowValues (PostgreSQL).
template <typename Target>
void bindReportColumns(Target &t, int first, const PreparedRecord &prepared, const QString &source, int64_t issueId,
                       int64_t origin, const QString &hiddenBy)
{
    const TransformedRecord &rec = prepared.rec;
    const int p = first - 1;
    t.bindBlob(p + 1, bytes(rec.dedupKey));
    t.bindTextOrNull(p + 2, sv(rec.eventId));
    t.bind(p + 3, rec.timestamp).bind(p + 4, rec.level);
    t.bindTextOrNull(p + 5, sv(rec.logger));
    t.bind(p + 6, sv(rec.message));
    if (rec.statusCode)
        t.bind(p + 7, *rec.statusCode);
    else
        t.bindNull(p + 7);
    t.bindTextOrNull(p + 8, sv(rec.site));
    t.bindTextOrNull(p + 9, sv(rec.method));
    t.bindTextOrNull(p + 10, sv(rec.path));
    t.bindTextOrNull(p + 11, sv(rec.exceptionType));
    t.bindTextOrNull(p + 12, sv(rec.exceptionValue));
    t.bindTextOrNull(p + 13, sv(rec.remoteAddr));
    t.bind(p + 14, issueId);
    if (hiddenBy.isEmpty())
        t.bindNull(p + 15);
    else
        t.bind(p + 15, hiddenBy);
    t.bind(p + 16, rec.frameCount);
    if (source.isEmpty())
        t.bindNull(p + 17);
    else
        t.bind(p + 17, source);
    t.bindBlob(p + 18, prepared.body);
    if (prepared.raw.empty())
        t.bindNull(p + 19);
    else
        t.bindBlob(p + 19, prepared.raw);
    if (prepared.verdict.undecided.isEmpty())
        t.bindNull(p + 20);
    else
        t.bind(p + 20, prepared.verdict.undecided);
    if (origin)
        t.bind(p + 21, origin);
    else
        t.bindNull(p + 21);
}

} // namespace

void ReportWriter::expect(const std::vector<Hash128> &dedupKeys)
{
    if (m_sql->rows) // SQLite: a lookup in the file costs no round trip
        m_sql->rows->expect(dedupKeys);
}

// Stored already, or queued in this batch's rows (PostgreSQL).
Result<bool> ReportWriter::isStored(const Hash128 &dedupKey)
{
    if (m_sql->rows)
        return m_sql->rows->stored(dedupKey);
    m_sql->exists.reset();
    m_sql->exists.bindBlob(1, bytes(dedupKey));
    const bool exists = m_sql->exists.step();
    if (!exists && !m_sql->exists.done())
        return m_sql->exists.failure();
    m_sql->exists.reset();
    return exists;
}

// The report's row and its full-text row; its id.
Result<int64_t> ReportWriter::insertReport(const PreparedRecord &prepared, const QString &source, int64_t issueId, int64_t origin,
                                           const QString &hiddenBy)
{
    const TransformedRecord &rec = prepared.rec;
    if (m_sql->rows) {
        auto id = m_sql->rows->nextId();
        if (!id)
            return id.failure();
        RowValues row(ReportRowBatch::kColumns);
        row.bind(1, *id);
        bindReportColumns(row, 2, prepared, source, issueId, origin, hiddenBy);
        row.bind(ReportRowBatch::kReportColumns + 1, sv(rec.ftsException))
            .bind(ReportRowBatch::kReportColumns + 2, sv(rec.ftsFrames));
        if (auto r = m_sql->rows->add(std::move(row), rec.dedupKey); !r)
            return r.failure();
        return *id;
    }
    Statement &st = m_sql->insertReport;
    bindReportColumns(st, 1, prepared, source, issueId, origin, hiddenBy);
    auto inserted = sqliteInsertedId(st, connectionOf(m_db));
    if (!inserted)
        return inserted.failure();
    m_sql->insertFts.bind(1, *inserted)
        .bind(2, sv(rec.message))
        .bind(3, sv(rec.ftsException))
        .bind(4, sv(rec.path))
        .bind(5, sv(rec.ftsFrames));
    if (!m_sql->insertFts.exec())
        return m_sql->insertFts.failure();
    return *inserted;
}

IngestResult ReportWriter::store(const PreparedRecord &prepared, const QString &source)
{
    IngestResult result;
    if (!m_inTx) {
        result.fatal = true;
        result.reason = QStringLiteral("internal error: no open batch");
        return result;
    }
    if (!prepared.error.isEmpty()) {
        result.reason = prepared.error;
        return result;
    }
    if (!m_writeLocked) {
        if (auto r = takeWriteLock(); !r) {
            result.fatal = true;
            result.reason = r.error();
            return result;
        }
    }
    const TransformedRecord &rec = prepared.rec;
    auto stored = isStored(rec.dedupKey);
    if (!stored) {
        result.fatal = true;
        result.reason = stored.error();
        return result;
    }
    if (*stored) {
        result.outcome = IngestOutcome::Duplicate;
        return result;
    }
    const FilterDecision &verdict = prepared.verdict;
    if (verdict.verdict == Verdict::Drop) {
        result.outcome = IngestOutcome::Dropped;
        result.reason = verdict.rule;
        return result;
    }
    const bool hidden = verdict.verdict == Verdict::Hide;

    auto issue = issueFor(rec);
    if (!issue) {
        result.fatal = true;
        result.reason = issue.error();
        return result;
    }
    IssueState *is = issue->state;
    result.newIssue = is->touched && is->visible == 0 && is->hidden == 0 && is->firstSeen == INT64_MAX;

    m_stored.clear();
    for (const PreparedPart &p : prepared.parts) {
        // Without data the part was known when the record was prepared: stored already.
        if (p.compressed.empty() || m_parts.known(p.hash))
            continue;
        m_sql->insertPart.bindBlob(1, bytes(p.hash)).bindBlob(2, p.compressed);
        if (!m_sql->insertPart.exec()) {
            result.fatal = true;
            result.reason = m_sql->insertPart.error();
            return result;
        }
        m_stored.push_back(p.hash);
    }

    auto inserted = insertReport(prepared, source, is->id, issue->origin, hidden ? verdict.rule : QString());
    if (!inserted) {
        result.fatal = true;
        result.reason = inserted.error();
        return result;
    }
    const int64_t reportId = *inserted;
    if (!m_stored.empty())
        m_parts.add(m_stored);
    m_storedAny = true;
    if (m_alerting) {
        if (!m_firstReport)
            m_firstReport = reportId;
        m_lastReport = reportId;
    }
    m_sql->rollups.add(is->id, rec.timestamp, rec.level, hidden, rec.statusCode, rec.logger, rec.exceptionType);

    is->touched = true;
    (hidden ? is->hidden : is->visible) += 1;
    is->firstSeen = std::min(is->firstSeen, rec.timestamp);
    is->lastSeen = std::max(is->lastSeen, rec.timestamp);
    is->level = std::max(is->level, rec.level);
    std::optional<Hash128> release;
    int64_t releaseSeen = 0;
    if (!rec.release.empty()) {
        release = hash128(rec.release);
        auto seen = releaseFirstSeen(*release, rec.timestamp);
        if (!seen) {
            result.fatal = true;
            result.reason = seen.error();
            return result;
        }
        releaseSeen = *seen;
        if (rec.timestamp >= is->lastReleaseAt) {
            is->lastRelease = release;
            is->lastReleaseAt = rec.timestamp;
        }
    }
    if (!hidden && is->status == 1) {
        // Resolved in the next release: a report of a release first seen after
        // that one reopens it (the same release, or none, does not). Resolved
        // plainly: any report from after the resolution (an older one is backlog).
        const bool regressed = is->resolvedIn ? release && *release != *is->resolvedIn && releaseSeen > is->resolvedInFirstSeen
                                              : !is->resolvedAt || rec.timestamp > *is->resolvedAt;
        if (regressed) {
            is->reopen = true;
            is->status = 0;
            result.regression = true;
        }
    }
    if (!hidden && is->status == 2) {
        // An ignore that ends: after its time, or at its count of visible reports.
        const int64_t count = is->storedCount + is->visible;
        if ((is->ignoreUntil && QDateTime::currentMSecsSinceEpoch() >= *is->ignoreUntil) ||
            (is->ignoreUntilCount && count >= *is->ignoreUntilCount)) {
            is->unignore = true;
            is->status = 0;
        }
    }
    if (m_alerting && !hidden && (result.newIssue || result.regression))
        m_alertEvents.push_back({reportId, result.newIssue, result.regression});
    result.outcome = IngestOutcome::Stored;
    result.hiddenBy = hidden ? verdict.rule : QString();
    result.reportId = reportId;
    result.issueId = is->id;
    return result;
}

Result<void> ReportWriter::flushIssues()
{
    for (auto &[id, is] : m_issues) {
        if (!is->touched || (is->visible == 0 && is->hidden == 0 && !is->reopen && !is->unignore))
            continue;
        m_sql->updateIssue.bind(1, is->id)
            .bind(2, is->visible)
            .bind(3, is->hidden)
            .bind(4, is->firstSeen == INT64_MAX ? INT64_MAX : is->firstSeen)
            .bind(5, is->lastSeen == INT64_MIN ? INT64_MIN : is->lastSeen)
            .bind(6, is->level)
            .bind(7, int64_t(is->reopen ? 1 : 0))
            .bind(8, int64_t(is->unignore ? 1 : 0));
        if (is->lastRelease)
            m_sql->updateIssue.bindBlob(9, bytes(*is->lastRelease)).bind(10, is->lastReleaseAt);
        else
            m_sql->updateIssue.bindNull(9).bindNull(10);
        if (!m_sql->updateIssue.exec())
            return m_sql->updateIssue.failure();
        is->storedCount += is->visible;
        is->visible = is->hidden = 0;
        is->reopen = is->unignore = false;
        is->lastRelease.reset();
        is->lastReleaseAt = INT64_MIN;
    }
    return {};
}

void ReportWriter::setFileProgress(const FileProgress &p)
{
    for (FileProgress &have : m_progress) {
        if (have.path == p.path) {
            have = p;
            return;
        }
    }
    m_progress.push_back(p);
}

Result<void> ReportWriter::commit()
{
    if (!m_inTx)
        return {};
    if (m_sql->rows) {
        if (auto r = m_sql->rows->flush(); !r) {
            rollback();
            return r;
        }
    }
    if (auto r = flushIssues(); !r) {
        rollback();
        return r;
    }
    if (auto r = m_sql->rollups.flush(); !r) {
        rollback();
        return r;
    }
    for (const FileProgress &progress : m_progress) {
        bindFileProgress(m_sql->progressSt, progress);
        if (!m_sql->progressSt.exec()) {
            const QString err = m_sql->progressSt.error();
            rollback();
            return Error{err};
        }
    }
    if (auto r = recordForAlerts(); !r) {
        rollback();
        return r;
    }
    // The other apps' lists (StoreChanges): heard at the commit, never after a
    // rollback, and only when the batch stored a report (a batch of duplicates,
    // a file imported again, changes no list: it wakes no app).
    if (auto r = m_storedAny ? announceChange(connectionOf(m_db), StoreChange::Reports | StoreChange::Issues) : Result<void>{};
        !r) {
        rollback();
        return r;
    }
    if (auto r = connectionOf(m_db).exec("COMMIT"); !r) {
        rollback();
        return Error{QStringLiteral("cannot commit to %1: %2").arg(m_db.path(), r.error())};
    }
    m_inTx = m_writeLocked = false;
    if (m_sql->rows)
        m_sql->rows->clear(); // the ids taken ahead: a later batch takes newer ones
    return {};
}

Result<void> ReportWriter::recordForAlerts()
{
    if (!m_alerting || !m_firstReport)
        return {};
    m_sql->insertPending.bind(1, m_firstReport).bind(2, m_lastReport).bind(3, QDateTime::currentMSecsSinceEpoch());
    if (!m_sql->insertPending.exec())
        return m_sql->insertPending.failure();
    for (const AlertEvent &e : m_alertEvents) {
        m_sql->insertEvent.bind(1, e.reportId).bind(2, e.newIssue ? 1 : 0).bind(3, e.regression ? 1 : 0);
        if (!m_sql->insertEvent.exec())
            return m_sql->insertEvent.failure();
    }
    m_firstReport = m_lastReport = 0;
    m_alertEvents.clear();
    return {};
}

void ReportWriter::rollback()
{
    if (m_inTx)
        (void)connectionOf(m_db).exec("ROLLBACK");
    m_inTx = m_writeLocked = false;
    m_issues.clear();
    m_landings.clear();
    m_releases.clear();
    m_parts.clear(); // parts added in this batch are gone with it
    m_sql->rollups.clear();
    if (m_sql->rows)
        m_sql->rows->clear();
}

} // namespace ed
