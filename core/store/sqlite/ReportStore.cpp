#include "store/ReportStore.h"
#include "store/sqlite/ReportListPlan.h"
#include "store/sqlite/Rollups.h"
#include "store/sqlite/IssueViews.h"
#include "store/sqlite/Rows.h"
#include "store/sqlite/SearchSql.h"
#include "store/sqlite/SqlDialect.h"

#include "base/Compression.h"
#include "base/Hash.h"
#include "model/RecordTransformer.h"
#include "model/ReportJson.h"

#include <QDateTime>
#include <algorithm>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace ed {

void bindVariants(Statement &st, const std::vector<QVariant> &values, int first)
{
    int i = first;
    for (const QVariant &v : values) {
        if (v.typeId() == QMetaType::LongLong || v.typeId() == QMetaType::Int)
            st.bind(i++, int64_t(v.toLongLong()));
        else
            st.bind(i++, v.toString());
    }
}

const char *reportRowColumns()
{
    return "r.id, r.event_id, r.timestamp, r.level, r.logger, r.message, r.status_code, r.site, r.method,"
           " r.path, r.exception_type, r.exception_value, r.remote_addr, r.issue_id, r.hidden_by, r.frame_count, r.undecided";
}

ReportRow reportRowFrom(const Statement &st, int c)
{
    ReportRow r;
    r.id = st.int64(c + 0);
    r.eventId = st.qtext(c + 1);
    r.timestamp = st.int64(c + 2);
    r.level = int(st.int64(c + 3));
    r.logger = st.qtext(c + 4);
    r.message = st.qtext(c + 5);
    if (!st.isNull(c + 6))
        r.statusCode = int(st.int64(c + 6));
    r.site = st.qtext(c + 7);
    r.method = st.qtext(c + 8);
    r.path = st.qtext(c + 9);
    r.exceptionType = st.qtext(c + 10);
    r.exceptionValue = st.qtext(c + 11);
    r.remoteAddr = st.qtext(c + 12);
    r.issueId = st.int64(c + 13);
    r.hiddenBy = st.qtext(c + 14);
    r.frameCount = int(st.int64(c + 15));
    r.undecided = st.qtext(c + 16);
    return r;
}

const char *reportSortColumn(ReportSort s)
{
    switch (s) {
    case ReportSort::Timestamp: return "r.timestamp";
    case ReportSort::Level: return "r.level";
    case ReportSort::Logger: return "r.logger";
    case ReportSort::Message: return "r.message";
    case ReportSort::Status: return "r.status_code";
    case ReportSort::Path: return "r.path";
    case ReportSort::Type: return "r.exception_type";
    case ReportSort::Issue: return "r.issue_id";
    case ReportSort::Id: return "r.id";
    }
    return "r.timestamp";
}

namespace {

const char *issueSortColumn(IssueSort s)
{
    switch (s) {
    case IssueSort::LastSeen: return "last_seen";
    case IssueSort::FirstSeen: return "first_seen";
    case IssueSort::Count: return "n";
    case IssueSort::Title: return "title";
    case IssueSort::Culprit: return "culprit";
    case IssueSort::Level: return "level";
    case IssueSort::Status: return "status";
    }
    return "last_seen";
}

IssueRow issueFrom(const Statement &st)
{
    IssueRow i;
    i.id = st.int64(0);
    i.title = st.qtext(1);
    i.culprit = st.qtext(2);
    i.level = int(st.int64(3));
    i.logger = st.qtext(4);
    i.exceptionType = st.qtext(5);
    i.firstSeen = st.int64(6);
    i.lastSeen = st.int64(7);
    i.count = st.int64(8);
    i.hiddenCount = st.int64(9);
    i.status = IssueStatus(st.int64(10));
    i.regression = st.int64(11) != 0;
    if (!st.isNull(12))
        i.ignoreUntil = st.int64(12);
    if (!st.isNull(13))
        i.ignoreUntilCount = st.int64(13);
    i.resolvedInNextRelease = st.int64(14) != 0;
    i.reviewed = st.int64(15) != 0;
    // An ignore whose time ran out is unresolved (store/sqlite/IssueViews.h).
    if (i.status == IssueStatus::Ignored && i.ignoreUntil && *i.ignoreUntil <= QDateTime::currentMSecsSinceEpoch())
        i.status = IssueStatus::Unresolved;
    return i;
}

constexpr const char *kIssueColumns =
    "id, title, culprit, level, logger, exception_type, first_seen, last_seen, count, hidden_count, status, regression,"
    " ignore_until, ignore_until_count, resolved_in IS NOT NULL, reviewed";
constexpr int kIssueColumnCount = 16;

} // namespace

double ReportStore::loggerShare(const QString &prefix)
{
    // Issue counters stand in for a histogram: an issue's reports share its logger.
    Statement st = connectionOf(m_db).prepare(
        "SELECT coalesce(sum(CASE WHEN logger = ?1 OR (logger > ?2 AND logger < ?3) THEN count + hidden_count END), 0),"
        " coalesce(sum(count + hidden_count), 0) FROM issues");
    st.bind(1, prefix).bind(2, prefix + QLatin1Char('.')).bind(3, prefix + QLatin1Char('/'));
    if (!st.step() || st.int64(1) == 0)
        return 0;
    return double(st.int64(0)) / double(st.int64(1));
}

Result<std::vector<ReportRow>> ReportStore::listReports(const SearchQuery &q, int limit, int64_t offset, ReportSort sort,
                                                        bool descending, const std::optional<ReportKey> &after)
{
    Connection &c = connectionOf(m_db);
    SearchHints hints;
    if (sort == ReportSort::Timestamp)
        hints.loggerShare = [this](const QString &p) { return loggerShare(p); };
    // FTS5's vocabulary; PostgreSQL answers a prefix in the tsquery itself (SearchSql.cpp).
    if (dialectOf(c) == SqlDialect::Sqlite)
        hints.prefixTerms = [&c](const QString &word) { return prefixTerms(c, word); };
    auto filter = searchSql(q, dialectOf(c), hints);
    if (!filter)
        return filter.failure();
    // Matching issues that hold a twentieth of the reports or more: walking the
    // reports in the sort's index order meets the first rows soon.
    if (filter->joinsIssues && !filter->issueWhere.isEmpty())
        filter->reportsFirst = issueShare(c, filter->issueWhere) >= 0.05;
    // Ties in the sort column are broken by time, then id: the order of the
    // column's (column, timestamp) index, so the first rows need no sort of all.
    const bool byTime = sort == ReportSort::Timestamp || sort == ReportSort::Id;
    const QString column = QString::fromLatin1(reportSortColumn(sort));
    const QString key = byTime ? column + QStringLiteral(", r.id") : column + QStringLiteral(", r.timestamp, r.id");
    QString afterCond;
    std::vector<QVariant> afterBinds;
    if (after) {
        afterCond = QStringLiteral("(%1) %2 (%3)")
                        .arg(key, descending ? QStringLiteral("<") : QStringLiteral(">"),
                             byTime ? QStringLiteral("?, ?") : QStringLiteral("?, ?, ?"));
        afterBinds.push_back(after->value);
        if (!byTime)
            afterBinds.push_back(qint64(after->timestamp));
        afterBinds.push_back(qint64(after->id));
        prependCondition(*filter, afterCond, afterBinds);
    }
    // A path: prefix that many reports share (/api/): walking the reports by
    // time meets the newest matches soon, where the path's index would gather
    // and sort them all. A capped count on that index tells which.
    if (sort == ReportSort::Timestamp && filter->ftsMatch.isEmpty() && hasPathPrefix(q)) {
        auto broad = pathIsBroad(c, *filter);
        if (!broad)
            return broad.failure();
        if (*broad)
            filter->indexedBy = filter->timeIndex();
    }
    // NULLs (no logger, status, path or type) first in ascending order, as
    // SQLite sorts them; PostgreSQL sorts them last unless told. Only the sort
    // column says so: the time and id after it are NOT NULL, and an ORDER BY
    // naming NULLS on them no longer matches PostgreSQL's index order (a btree
    // walked backwards is DESC NULLS FIRST), which then sorts every report for
    // the first 100. The same order on SQLite, whose DESC puts NULLs last anyway.
    const QString dir = descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC");
    const bool nullable = sort == ReportSort::Logger || sort == ReportSort::Status || sort == ReportSort::Path ||
                          sort == ReportSort::Type;
    const QString nulls = !nullable ? QString() : descending ? QStringLiteral(" NULLS LAST") : QStringLiteral(" NULLS FIRST");
    QStringList order;
    for (const QString &part : sqldialect::sortKeyOf(dialectOf(c), column))
        order << part + dir + nulls;
    if (!byTime)
        order << QStringLiteral("r.timestamp") + dir;
    order << QStringLiteral("r.id") + dir;
    auto run = [&](const SqlFilter &f) -> Result<std::vector<ReportRow>> {
        const QString sql = QStringLiteral("SELECT %1%2 ORDER BY %3 LIMIT ? OFFSET ?")
                                .arg(QString::fromLatin1(reportRowColumns()), f.fromClause(), order.join(QStringLiteral(", ")));
        Statement st = c.prepare(sql.toStdString());
        if (!st.valid())
            return st.failure();
        bindVariants(st, f.binds);
        const int n = int(f.binds.size());
        st.bind(n + 1, sqlLimit(limit)).bind(n + 2, offset);
        std::vector<ReportRow> rows;
        while (st.step())
            rows.push_back(reportRowFrom(st));
        if (!st.done())
            return st.failure();
        return rows;
    };
    // The newest rows under a word (ReportListPlan.h: newestWindow).
    if (!filter->ftsMatch.isEmpty() && sort == ReportSort::Timestamp && descending && offset == 0 && limit > 0) {
        auto window = newestWindow(c, q, *filter, afterCond, afterBinds);
        if (!window)
            return window.failure();
        if (!*window)
            return std::vector<ReportRow>(); // no report at all in range
        auto rows = run((*window)->bounded);
        if (!rows || (*window)->wholeRange || int(rows->size()) >= limit)
            return rows;
    }
    return run(*filter);
}

Result<int64_t> ReportStore::countReports(const SearchQuery &q)
{
    const SqlDialect d = dialectOf(connectionOf(m_db));
    auto filter = searchSql(q, d);
    if (!filter)
        return filter.failure();
    const auto rows = rollupRows(q, d);
    Statement st = connectionOf(m_db).prepare((rows ? QStringLiteral("SELECT coalesce(sum(n), 0) FROM (%1) AS u").arg(rows->sql)
                                                    : QStringLiteral("SELECT count(*)") + filter->aggregateFromClause())
                                                  .toStdString());
    if (!st.valid())
        return st.failure();
    bindVariants(st, rows ? rows->binds : filter->binds);
    if (!st.step())
        return st.failure();
    return st.int64(0);
}

Result<bool> ReportStore::hasReports()
{
    auto n = connectionOf(m_db).scalar("SELECT EXISTS (SELECT 1 FROM reports)");
    if (!n)
        return n.failure();
    return *n != 0;
}

// Loads parts by hash, each once per report: a deep recursion repeats the same
// frame context hundreds of times.
struct ReportStore::PartLoader {
    Statement st;
    QHash<QByteArray, QJsonObject> cache;

    Result<QJsonObject> get(const QString &hex)
    {
        const QByteArray key = hex.toLatin1();
        if (auto it = cache.constFind(key); it != cache.constEnd())
            return *it;
        Hash128 h;
        if (!fromHex(std::string_view(key.constData(), size_t(key.size())), h))
            return Error{QStringLiteral("bad part reference %1").arg(hex)};
        st.reset();
        st.bindBlob(1, std::string_view(reinterpret_cast<const char *>(h.data()), 16));
        if (!st.step())
            return Error{QStringLiteral("missing part %1").arg(hex)};
        auto json = decompress(st.blob(0));
        st.reset();
        if (!json)
            return json.failure();
        const QJsonObject part = QJsonDocument::fromJson(QByteArray::fromStdString(*json)).object();
        cache.insert(key, part);
        return part;
    }
};

// Parts stand at three places only (RecordTransformer puts them there): the
// settings, the environment, and each frame's source context.
Result<QJsonObject> ReportStore::expandParts(QJsonObject record, PartLoader &parts)
{
    const QString mergeKey = QStringLiteral("$merge");
    auto merge = [&](QJsonObject &obj) -> Result<void> {
        const auto ref = obj.constFind(mergeKey);
        if (ref == obj.constEnd() || !ref->isString())
            return {};
        auto part = parts.get(ref->toString());
        if (!part)
            return part.failure();
        obj.remove(mergeKey);
        for (auto it = part->begin(); it != part->end(); ++it)
            obj.insert(it.key(), it.value());
        return {};
    };
    for (const QString &key : {QStringLiteral("settings"), QStringLiteral("environment")}) {
        if (!record.value(key).isObject())
            continue;
        QJsonObject obj = record.value(key).toObject();
        if (auto r = merge(obj); !r)
            return r.failure();
        record.insert(key, obj);
    }
    // The exception chain, innermost cause last; rebuilt from the inside out.
    std::vector<QJsonObject> chain;
    for (QJsonValue e = record.value(QStringLiteral("exception")); e.isObject() && chain.size() < 200;
         e = e.toObject().value(QStringLiteral("cause")))
        chain.push_back(e.toObject());
    for (QJsonObject &exc : chain) {
        QJsonArray frames = exc.value(QStringLiteral("frames")).toArray();
        for (qsizetype i = 0; i < frames.size(); ++i) {
            QJsonObject f = frames[i].toObject();
            if (!f.contains(mergeKey))
                continue;
            if (auto r = merge(f); !r)
                return r.failure();
            frames[i] = f;
        }
        if (exc.contains(QStringLiteral("frames")))
            exc.insert(QStringLiteral("frames"), frames);
    }
    for (size_t i = chain.size(); i-- > 1;)
        chain[i - 1].insert(QStringLiteral("cause"), chain[i]);
    if (!chain.empty())
        record.insert(QStringLiteral("exception"), chain.front());
    return record;
}

Result<ReportDetail> ReportStore::loadReport(int64_t id)
{
    Statement st = connectionOf(m_db).prepare((QStringLiteral("SELECT %1, r.body, r.raw, r.source FROM reports r WHERE r.id = ?")
                                                   .arg(QString::fromLatin1(reportRowColumns())))
                                                  .toStdString());
    st.bind(1, id);
    if (auto row = st.stepToRow(QStringLiteral("no report %1").arg(id)); !row)
        return row.failure();
    ReportDetail d;
    d.row = reportRowFrom(st);
    constexpr int kBody = kReportRowColumnCount, kRaw = kReportRowColumnCount + 1, kSource = kReportRowColumnCount + 2;
    auto body = decompress(st.blob(kBody));
    if (!body)
        return Error{QStringLiteral("report %1: %2").arg(id).arg(body.error())};
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(*body), &perr);
    if (!doc.isObject())
        return Error{QStringLiteral("report %1: stored body is not JSON (%2)").arg(id).arg(perr.errorString())};
    if (!st.isNull(kRaw)) {
        auto raw = decompress(st.blob(kRaw));
        if (raw)
            d.raw = QString::fromStdString(*raw);
    }
    d.source = st.qtext(kSource);
    PartLoader parts{connectionOf(m_db).prepare("SELECT data FROM parts WHERE hash = ?"), {}};
    auto record = expandParts(doc.object(), parts);
    if (!record)
        return record.failure();
    d.record = *record;
    d.report = reportFromRecord(d.record);
    return d;
}

Result<int64_t> ReportStore::findByEventId(const QString &eventId)
{
    const Hash128 key = RecordTransformer::dedupKeyForEventId(eventId.toStdString());
    Statement st = connectionOf(m_db).prepare("SELECT id FROM reports WHERE dedup_key = ?");
    st.bindBlob(1, std::string_view(reinterpret_cast<const char *>(key.data()), 16));
    if (!st.step())
        return Error{QStringLiteral("no report with event id %1").arg(eventId)};
    return st.int64(0);
}

Result<std::vector<IssueRow>> ReportStore::listIssues(const SearchQuery &q, int limit, int64_t offset, IssueSort sort,
                                                      bool descending)
{
    const SqlDialect d = dialectOf(connectionOf(m_db));
    auto filter = searchSql(q, d);
    if (!filter)
        return filter.failure();
    // NULLs (an issue without culprit) first in ascending order, as SQLite sorts them.
    const QString dir = descending ? QStringLiteral("DESC NULLS LAST") : QStringLiteral("ASC NULLS FIRST");
    const QString view = q.view ? issueViewCondition(*q.view, queryNow(q)) : QString();
    QString sql;
    std::vector<QVariant> binds;
    const bool plain = q.text.trimmed().isEmpty() && !q.since && !q.until && !q.issueId;
    if (plain) {
        // The stored counters answer without touching the reports. A view
        // reads its issues through issues_status, not every issue in the
        // sort's order: Resolved and Ignored are usually a few.
        sql = QStringLiteral("SELECT %1, %2 AS n FROM issues i%7 WHERE %3%6 ORDER BY %4 %5, id %5 LIMIT ? OFFSET ?")
                  .arg(QString::fromLatin1(kIssueColumns),
                       q.includeHidden ? QStringLiteral("count + hidden_count") : QStringLiteral("count"),
                       q.includeHidden ? QStringLiteral("count + hidden_count > 0") : QStringLiteral("count > 0"),
                       QString::fromLatin1(issueSortColumn(sort)), dir,
                       view.isEmpty() ? QString() : QStringLiteral(" AND ") + view,
                       view.isEmpty() ? QString() : sqldialect::indexedBy(d, QStringLiteral("issues_status")));
    } else if (auto rows = rollupRows(q, d)) {
        // Issue-level fields, the level and time: the per-issue counts answer.
        sql = QStringLiteral("SELECT %1, m.n FROM issues i JOIN (SELECT issue_id AS iid, sum(n) AS n FROM (%2) AS u GROUP BY 1"
                             " HAVING sum(n) > 0) m ON m.iid = i.id%5 ORDER BY %3 %4, id %4 LIMIT ? OFFSET ?")
                  .arg(QString::fromLatin1(kIssueColumns), rows->sql, QString::fromLatin1(issueSortColumn(sort)), dir,
                       view.isEmpty() ? QString() : QStringLiteral(" WHERE ") + view);
        binds = std::move(rows->binds);
    } else {
        sql = QStringLiteral("SELECT %1, m.n FROM issues i JOIN (SELECT r.issue_id AS iid, count(*) AS n%2 GROUP BY r.issue_id) m"
                             " ON m.iid = i.id%5 ORDER BY %3 %4, id %4 LIMIT ? OFFSET ?")
                  .arg(QString::fromLatin1(kIssueColumns), filter->aggregateFromClause(),
                       QString::fromLatin1(issueSortColumn(sort)), dir,
                       view.isEmpty() ? QString() : QStringLiteral(" WHERE ") + view);
        binds = filter->binds;
    }
    Statement st = connectionOf(m_db).prepare(sql.toStdString());
    if (!st.valid())
        return st.failure();
    bindVariants(st, binds);
    const int n = int(binds.size());
    st.bind(n + 1, sqlLimit(limit)).bind(n + 2, offset);
    std::vector<IssueRow> rows;
    while (st.step()) {
        IssueRow row = issueFrom(st);
        row.count = st.int64(kIssueColumnCount);
        rows.push_back(row);
    }
    if (!st.done())
        return st.failure();
    return rows;
}

Result<IssueRow> ReportStore::loadIssue(int64_t id)
{
    Statement st = connectionOf(m_db).prepare(
        QStringLiteral("SELECT %1 FROM issues WHERE id = ?").arg(QString::fromLatin1(kIssueColumns)).toStdString());
    st.bind(1, id);
    if (auto row = st.stepToRow(QStringLiteral("no issue %1").arg(id)); !row)
        return row.failure();
    return issueFrom(st);
}

Result<int64_t> ReportStore::latestReportOfIssue(int64_t issueId)
{
    Statement st = connectionOf(m_db).prepare(
        "SELECT id FROM reports WHERE issue_id = ? ORDER BY timestamp DESC, id DESC LIMIT 1");
    st.bind(1, issueId);
    if (auto row = st.stepToRow(QStringLiteral("issue #%1 has no reports").arg(issueId)); !row)
        return row.failure();
    return st.int64(0);
}

Result<void> ReportStore::setIssueStatus(int64_t id, IssueStatus status)
{
    // In the writers' turn (Sqlite.h's Transaction): a batch that read the
    // issue's state before this cannot commit a decision made on it after.
    Connection &c = connectionOf(m_db);
    Transaction tx(c);
    if (!tx.active())
        return c.failure();
    // CAST: PostgreSQL takes a bind's type from its use, and a CASE's THEN alone says text.
    Statement st = c.prepare(
        "UPDATE issues SET status = ?2, resolved_at = CASE WHEN ?2 = 1 THEN CAST(?3 AS BIGINT) ELSE NULL END,"
        " regression = CASE WHEN ?2 = 0 THEN regression ELSE 0 END, resolved_in = NULL, ignore_until = NULL,"
        " ignore_until_count = NULL WHERE id = ?1");
    st.bind(1, id).bind(2, int(status)).bind(3, QDateTime::currentMSecsSinceEpoch());
    if (!st.exec())
        return st.failure();
    if (c.changes() == 0)
        return Error{QStringLiteral("no issue %1").arg(id)};
    return tx.commit(StoreChange::Issues);
}

Result<std::unordered_map<int64_t, std::vector<int64_t>>> ReportStore::issuesDailyCounts(const std::vector<int64_t> &issueIds,
                                                                                         int days, int64_t endMs)
{
    constexpr int64_t day = 86400000, hour = 3600000;
    const int64_t start = endMs - int64_t(days) * day;
    std::unordered_map<int64_t, std::vector<int64_t>> out;
    if (issueIds.empty())
        return out;
    QStringList marks;
    for (size_t i = 0; i < issueIds.size(); ++i)
        marks << QStringLiteral("?%1").arg(i + 3);
    // A day of whole hours is a sum of hourly counts: no report is read.
    const bool hourly = start % hour == 0 && endMs % hour == 0;
    const QString sql =
        hourly ? QStringLiteral("SELECT issue_id, (hour * 3600000 - ?1) / 86400000, sum(visible) FROM issue_hours"
                                " WHERE hour >= ?1 / 3600000 AND hour < ?2 / 3600000 AND issue_id IN (%1) GROUP BY 1, 2")
               : QStringLiteral(
                     "SELECT issue_id, (timestamp - ?1) / 86400000, count(*) FROM reports"
                     " WHERE timestamp >= ?1 AND timestamp < ?2 AND hidden_by IS NULL AND issue_id IN (%1) GROUP BY 1, 2");
    Statement st = connectionOf(m_db).prepare(sql.arg(marks.join(QLatin1Char(','))).toStdString());
    st.bind(1, start).bind(2, endMs);
    for (size_t i = 0; i < issueIds.size(); ++i) {
        st.bind(int(i + 3), issueIds[i]);
        out.emplace(issueIds[i], std::vector<int64_t>(size_t(days), 0));
    }
    while (st.step()) {
        const int64_t k = st.int64(1);
        auto it = out.find(st.int64(0));
        if (it != out.end() && k >= 0 && k < days)
            it->second[size_t(k)] += st.int64(2);
    }
    if (!st.done())
        return st.failure();
    return out;
}

Result<StoreStats> ReportStore::stats()
{
    StoreStats s;
    Connection &c = connectionOf(m_db);
    Statement st = c.prepare("SELECT count(*), count(hidden_by), min(timestamp), max(timestamp) FROM reports");
    if (!st.step())
        return st.failure();
    s.reports = st.int64(0);
    s.hidden = st.int64(1);
    s.firstSeen = st.int64(2);
    s.lastSeen = st.int64(3);
    auto issues = c.scalar("SELECT count(*) FROM issues WHERE count + hidden_count > 0");
    auto parts = c.scalar("SELECT count(*) FROM parts");
    if (!issues || !parts)
        return (!issues ? issues : parts).failure();
    s.issues = *issues;
    s.parts = *parts;
    // Each breakdown read to its end: a step that fails (busy, interrupted,
    // corrupt) is an error, not a shorter list.
    auto each = [](Statement q, const auto &take) -> Result<void> {
        if (!q.valid())
            return q.failure();
        while (q.step())
            take(q);
        if (!q.done())
            return q.failure();
        return {};
    };
    if (auto r = each(c.prepare("SELECT level, count(*) FROM reports WHERE hidden_by IS NULL GROUP BY level ORDER BY level DESC"),
                      [&](const Statement &q) { s.byLevel.emplace_back(int(q.int64(0)), q.int64(1)); });
        !r)
        return r.failure();
    if (auto r = each(c.prepare("SELECT coalesce(logger, ''), count(*) FROM reports WHERE hidden_by IS NULL GROUP BY logger "
                                "ORDER BY 2 DESC, 1 LIMIT 10"),
                      [&](const Statement &q) { s.byLogger.emplace_back(q.qtext(0), q.int64(1)); });
        !r)
        return r.failure();
    if (auto r = each(c.prepare("SELECT status_code, count(*) FROM reports WHERE hidden_by IS NULL AND status_code IS NOT NULL "
                                "GROUP BY status_code ORDER BY 2 DESC, 1"),
                      [&](const Statement &q) { s.byStatus.emplace_back(int(q.int64(0)), q.int64(1)); });
        !r)
        return r.failure();
    if (dialectOf(c) == SqlDialect::Postgres) {
        // The server's database is no file: its size on the server's disk.
        auto bytes = c.scalar("SELECT pg_database_size(current_database())");
        if (!bytes)
            return bytes.failure();
        s.fileBytes = *bytes;
        return s;
    }
    const QString path = m_db.path();
    s.fileBytes = QFileInfo(path).size() + QFileInfo(path + QStringLiteral("-wal")).size();
    return s;
}

Result<int64_t> ReportStore::deleteReports(const std::vector<int64_t> &ids)
{
    Connection &c = connectionOf(m_db);
    Transaction tx(c);
    if (!tx.active())
        return c.failure();
    Statement get = c.prepare("SELECT issue_id, hidden_by IS NOT NULL FROM reports WHERE id = ?");
    Statement delR = c.prepare("DELETE FROM reports WHERE id = ?");
    Statement delF = c.prepare(sqldialect::ftsDeleteReport(dialectOf(c)).toStdString());
    Statement upd = c.prepare("UPDATE issues SET count = count - ?2, hidden_count = hidden_count - ?3 WHERE id = ?1");
    int64_t deleted = 0;
    for (int64_t id : ids) {
        get.reset();
        get.bind(1, id);
        if (!get.step())
            continue;
        const int64_t issue = get.int64(0);
        const bool hidden = get.int64(1) != 0;
        get.reset();
        delR.bind(1, id);
        delF.bind(1, id);
        upd.bind(1, issue).bind(2, int64_t(hidden ? 0 : 1)).bind(3, int64_t(hidden ? 1 : 0));
        if (!delR.exec() || !delF.exec() || !upd.exec())
            return c.failure();
        ++deleted;
    }
    if (auto r = tx.commit(StoreChange::Reports | StoreChange::Issues); !r)
        return r.failure();
    return deleted;
}

} // namespace ed
