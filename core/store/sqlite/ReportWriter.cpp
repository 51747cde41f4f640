#include "store/ReportWriter.h"
#include "store/sqlite/RollupUpkeep.h"
#include "store/sqlite/Rows.h"

#include <QDateTime>
#include <sqlite3.h>

#include <algorithm>

namespace ed {

struct ReportWriter::IssueState {
    int64_t id = 0;
    int status = 0;
    std::optional<int64_t> resolvedAt;
    int level = 0;
    int64_t firstSeen = INT64_MAX, lastSeen = INT64_MIN;
    int64_t visible = 0, hidden = 0;
    bool reopen = false;
    bool touched = false;
};

struct ReportWriter::Statements {
    explicit Statements(Connection &c) : rollups(c) { }
    Statement exists, insertReport, insertFts, insertPart, findIssue, insertIssue, updateIssue, progressSt;
    Statement alerting, insertPending, insertEvent; // store/AlertStore.h
    RollupUpkeep rollups; // issue_hours and issue_days of the batch's new reports
};

namespace {
std::string_view sv(const std::string &s) { return s; }
} // namespace

ReportWriter::ReportWriter(Database &db) : m_db(db), m_sql(std::make_unique<Statements>(connectionOf(db)))
{
    Connection &c = connectionOf(m_db);
    m_sql->exists = c.prepare("SELECT 1 FROM reports WHERE dedup_key = ?");
    m_sql->insertReport = c.prepare(
        "INSERT INTO reports(dedup_key, event_id, timestamp, level, logger, message, status_code, site, method,"
        " path, exception_type, exception_value, remote_addr, issue_id, hidden_by, frame_count, source, body, raw,"
        " undecided) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    m_sql->insertFts = c.prepare("INSERT INTO reports_fts(rowid, message, exception, path, frames) VALUES(?,?,?,?,?)");
    m_sql->insertPart = c.prepare("INSERT OR IGNORE INTO parts(hash, data) VALUES(?, ?)");
    m_sql->findIssue = c.prepare("SELECT id, status, resolved_at, level FROM issues WHERE fingerprint = ?");
    m_sql->insertIssue = c.prepare(
        "INSERT INTO issues(fingerprint, title, culprit, level, logger, exception_type, first_seen, last_seen)"
        " VALUES(?,?,?,?,?,?,?,?)");
    m_sql->updateIssue = c.prepare(
        "UPDATE issues SET count = count + ?2, hidden_count = hidden_count + ?3,"
        " first_seen = min(first_seen, ?4), last_seen = max(last_seen, ?5), level = max(level, ?6),"
        " status = CASE WHEN ?7 THEN 0 ELSE status END, regression = CASE WHEN ?7 THEN 1 ELSE regression END"
        " WHERE id = ?1");
    m_sql->progressSt = c.prepare("INSERT INTO import_files(path, head_hash, offset, line, size, updated_at) VALUES(?,?,?,?,?,?)"
                                  " ON CONFLICT(path) DO UPDATE SET head_hash=excluded.head_hash, offset=excluded.offset,"
                                  " line=excluded.line, size=excluded.size, updated_at=excluded.updated_at");
    m_sql->alerting = c.prepare("SELECT EXISTS (SELECT 1 FROM alert_rules WHERE enabled AND kind <> 'digest')");
    m_sql->insertPending = c.prepare("INSERT INTO alert_pending(first_report, last_report, committed_at) VALUES(?,?,?)");
    m_sql->insertEvent = c.prepare("INSERT OR REPLACE INTO alert_events(report_id, new_issue, regression) VALUES(?,?,?)");
}

ReportWriter::~ReportWriter()
{
    if (m_inTx)
        rollback();
}

Result<void> ReportWriter::begin()
{
    for (Statement *st :
         {&m_sql->exists, &m_sql->insertReport, &m_sql->insertFts, &m_sql->insertPart, &m_sql->findIssue, &m_sql->insertIssue,
          &m_sql->updateIssue, &m_sql->progressSt, &m_sql->alerting, &m_sql->insertPending, &m_sql->insertEvent})
        if (!st->valid())
            return Error{QStringLiteral("database schema mismatch: %1").arg(st->prepareError())};
    if (!m_sql->rollups.valid())
        return Error{QStringLiteral("database schema mismatch: %1").arg(m_sql->rollups.prepareError())};
    if (auto r = connectionOf(m_db).exec("BEGIN IMMEDIATE"); !r)
        return Error{QStringLiteral("cannot start writing to %1: %2").arg(m_db.path(), r.error())};
    m_inTx = true;
    m_issues.clear(); // another process may have changed issue states since the last batch
    m_progress.clear();
    m_sql->rollups.clear();
    // Read inside the transaction: a rule added meanwhile counts from this batch on.
    m_sql->alerting.reset();
    m_alerting = m_sql->alerting.step() && m_sql->alerting.int64(0) != 0;
    m_sql->alerting.reset();
    m_firstReport = m_lastReport = 0;
    m_alertEvents.clear();
    return {};
}

Result<ReportWriter::IssueState *> ReportWriter::issueFor(const TransformedRecord &rec)
{
    auto it = m_issues.find(rec.grouping.fingerprint);
    if (it != m_issues.end())
        return it->second.get();
    auto state = std::make_unique<IssueState>();
    const std::string_view fp(reinterpret_cast<const char *>(rec.grouping.fingerprint.data()), 16);
    m_sql->findIssue.reset();
    m_sql->findIssue.bindBlob(1, fp);
    if (m_sql->findIssue.step()) {
        state->id = m_sql->findIssue.int64(0);
        state->status = int(m_sql->findIssue.int64(1));
        if (!m_sql->findIssue.isNull(2))
            state->resolvedAt = m_sql->findIssue.int64(2);
        state->level = int(m_sql->findIssue.int64(3));
        m_sql->findIssue.reset();
    } else {
        if (m_sql->findIssue.errorCode() != SQLITE_DONE)
            return m_sql->findIssue.failure();
        m_sql->findIssue.reset();
        m_sql->insertIssue.bindBlob(1, fp).bind(2, rec.grouping.title).bind(3, rec.grouping.culprit).bind(4, rec.level);
        m_sql->insertIssue.bindTextOrNull(5, sv(rec.logger));
        m_sql->insertIssue.bindTextOrNull(6, sv(rec.exceptionType));
        m_sql->insertIssue.bind(7, rec.timestamp).bind(8, rec.timestamp);
        if (!m_sql->insertIssue.exec())
            return m_sql->insertIssue.failure();
        state->id = connectionOf(m_db).lastInsertId();
        state->touched = true; // new: reported as such by add()
    }
    IssueState *raw = state.get();
    m_issues.emplace(rec.grouping.fingerprint, std::move(state));
    return raw;
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
    const TransformedRecord &rec = prepared.rec;
    const std::string_view key(reinterpret_cast<const char *>(rec.dedupKey.data()), 16);
    m_sql->exists.reset();
    m_sql->exists.bindBlob(1, key);
    const bool exists = m_sql->exists.step();
    m_sql->exists.reset();
    if (exists) {
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
    IssueState *is = *issue;
    result.newIssue = is->touched && is->visible == 0 && is->hidden == 0 && is->firstSeen == INT64_MAX;

    m_stored.clear();
    for (const PreparedPart &p : prepared.parts) {
        // Without data the part was known when the record was prepared: stored already.
        if (p.compressed.empty() || m_parts.known(p.hash))
            continue;
        m_sql->insertPart.bindBlob(1, std::string_view(reinterpret_cast<const char *>(p.hash.data()), 16))
            .bindBlob(2, p.compressed);
        if (!m_sql->insertPart.exec()) {
            result.fatal = true;
            result.reason = m_sql->insertPart.error();
            return result;
        }
        m_stored.push_back(p.hash);
    }

    Statement &st = m_sql->insertReport;
    st.bindBlob(1, key);
    st.bindTextOrNull(2, sv(rec.eventId));
    st.bind(3, rec.timestamp).bind(4, rec.level);
    st.bindTextOrNull(5, sv(rec.logger));
    st.bind(6, sv(rec.message));
    if (rec.statusCode)
        st.bind(7, *rec.statusCode);
    else
        st.bindNull(7);
    st.bindTextOrNull(8, sv(rec.site));
    st.bindTextOrNull(9, sv(rec.method));
    st.bindTextOrNull(10, sv(rec.path));
    st.bindTextOrNull(11, sv(rec.exceptionType));
    st.bindTextOrNull(12, sv(rec.exceptionValue));
    st.bindTextOrNull(13, sv(rec.remoteAddr));
    st.bind(14, is->id);
    if (hidden)
        st.bind(15, verdict.rule);
    else
        st.bindNull(15);
    st.bind(16, rec.frameCount);
    if (source.isEmpty())
        st.bindNull(17);
    else
        st.bind(17, source);
    st.bindBlob(18, prepared.body);
    if (prepared.raw.empty())
        st.bindNull(19);
    else
        st.bindBlob(19, prepared.raw);
    if (verdict.undecided.isEmpty())
        st.bindNull(20);
    else
        st.bind(20, verdict.undecided);
    if (!st.exec()) {
        result.fatal = true;
        result.reason = st.error();
        return result;
    }
    const int64_t reportId = connectionOf(m_db).lastInsertId();
    m_sql->insertFts.bind(1, reportId)
        .bind(2, sv(rec.message))
        .bind(3, sv(rec.ftsException))
        .bind(4, sv(rec.path))
        .bind(5, sv(rec.ftsFrames));
    if (!m_sql->insertFts.exec()) {
        result.fatal = true;
        result.reason = m_sql->insertFts.error();
        return result;
    }
    if (!m_stored.empty())
        m_parts.add(m_stored);
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
    if (!hidden && is->status == 1 && (!is->resolvedAt || rec.timestamp > *is->resolvedAt)) {
        // A resolved issue seen again after its resolution: reopened, a regression.
        is->reopen = true;
        is->status = 0;
        result.regression = true;
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
    for (auto &[fp, is] : m_issues) {
        if (!is->touched || (is->visible == 0 && is->hidden == 0 && !is->reopen))
            continue;
        m_sql->updateIssue.bind(1, is->id)
            .bind(2, is->visible)
            .bind(3, is->hidden)
            .bind(4, is->firstSeen == INT64_MAX ? INT64_MAX : is->firstSeen)
            .bind(5, is->lastSeen == INT64_MIN ? INT64_MIN : is->lastSeen)
            .bind(6, is->level)
            .bind(7, int64_t(is->reopen ? 1 : 0));
        if (!m_sql->updateIssue.exec())
            return m_sql->updateIssue.failure();
        is->visible = is->hidden = 0;
        is->reopen = false;
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
    if (auto r = connectionOf(m_db).exec("COMMIT"); !r) {
        rollback();
        return Error{QStringLiteral("cannot commit to %1: %2").arg(m_db.path(), r.error())};
    }
    m_inTx = false;
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
    m_inTx = false;
    m_issues.clear();
    m_parts.clear(); // parts added in this batch are gone with it
    m_sql->rollups.clear();
}

} // namespace ed
