#include "store/StoreCopy.h"

#include "store/sqlite/SqlDialect.h"
#include "store/sqlite/Sqlite.h"
#include "store/sqlite/StoreCatalog.h"
#include "store/sqlite/TableCopy.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

namespace ed {

namespace {

// What names a database in the marker: a file by its canonical path, a server
// by its URL without a password.
QString identityOf(Database &db)
{
    if (Database::isServerUrl(db.path()))
        return db.path();
    const QFileInfo info(db.path());
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? info.absoluteFilePath() : canonical;
}

Result<int64_t> schemaVersionOf(Connection &c)
{
    // Where each engine keeps it (Database.cpp, postgres/PgDatabase.cpp).
    return c.scalar(c.engine() == Engine::Postgres ? "SELECT coalesce(max(version), 0) FROM errordeck_schema"
                                                   : "PRAGMA user_version");
}

// The source's reports and issues as a copy began: a resumed copy refuses a
// source that has changed since (rows already copied would be stale).
Result<QJsonObject> sourceFingerprint(Connection &c)
{
    QJsonObject o;
    for (const char *table : {"reports", "issues"}) {
        Statement st = c.prepare(std::string("SELECT count(*), coalesce(max(id), 0), coalesce(sum(id), 0) FROM ") + table);
        if (!st.step())
            return st.failure();
        o.insert(QLatin1String(table),
                 QStringLiteral("%1 rows, ids to %2, id sum %3").arg(st.int64(0)).arg(st.int64(1)).arg(st.int64(2)));
    }
    return o;
}

Result<std::optional<QJsonObject>> readMarker(Connection &c)
{
    Statement st = c.prepare("SELECT value FROM config WHERE name = ?");
    st.bind(1, std::string_view(kCopyMarker));
    if (!st.step())
        return st.done() ? Result<std::optional<QJsonObject>>(std::optional<QJsonObject>()) : st.failure();
    const QByteArray json(st.text(0).data(), qsizetype(st.text(0).size()));
    return std::optional<QJsonObject>(QJsonDocument::fromJson(json).object());
}

Result<void> writeMarker(Connection &c, const QJsonObject &marker)
{
    const QByteArray json = QJsonDocument(marker).toJson(QJsonDocument::Compact);
    Statement st = c.prepare("INSERT INTO config(name, value) VALUES(?, ?)");
    st.bind(1, std::string_view(kCopyMarker)).bind(2, std::string_view(json.constData(), size_t(json.size())));
    if (!st.exec())
        return st.failure();
    return {};
}

// The source's snapshot for the whole run: every table read as of one moment,
// however other processes write meanwhile. Rolled back (it only read) at the end.
class SourceSnapshot {
public:
    explicit SourceSnapshot(Connection &c) : m_conn(c), m_ok(bool(c.exec(sqldialect::beginSnapshot(dialectOf(c))))) { }
    ~SourceSnapshot()
    {
        if (m_ok)
            (void)m_conn.exec("ROLLBACK");
    }
    bool ok() const { return m_ok; }

private:
    Connection &m_conn;
    bool m_ok;
};

// issue_hours and issue_days from the copied reports, in the destination's
// form (sqldialect::rollupNoStatus/rollupNoText for "none"): what ReportWriter
// and the triggers would have made of them. One text for floor division on
// both engines (SQLite's / truncates as PostgreSQL's does).
Result<void> rebuildRollups(Connection &c)
{
    const SqlDialect d = dialectOf(c);
    const QString noStatus = sqldialect::rollupNoStatus(d), noText = sqldialect::rollupNoText(d);
    const std::string hours =
        QStringLiteral(
            "INSERT INTO issue_hours(hour, issue_id, level, status_code, logger, exception_type, visible, hidden)"
            " SELECT CASE WHEN r.timestamp >= 0 THEN r.timestamp / 3600000 ELSE -((-r.timestamp + 3599999) / 3600000) END,"
            " r.issue_id, r.level, coalesce(r.status_code, %1), coalesce(r.logger, %2), coalesce(r.exception_type, %2),"
            " sum(CASE WHEN r.hidden_by IS NULL THEN 1 ELSE 0 END), sum(CASE WHEN r.hidden_by IS NULL THEN 0 ELSE 1 END)"
            " FROM reports r GROUP BY 1, 2, 3, 4, 5, 6")
            .arg(noStatus, noText)
            .toStdString();
    for (const char *sql : {"DELETE FROM issue_hours", "DELETE FROM issue_days"})
        if (auto r = c.exec(sql); !r)
            return r;
    if (auto r = c.exec(hours); !r)
        return r;
    return c.exec("INSERT INTO issue_days(day, issue_id, level, status_code, logger, exception_type, visible, hidden)"
                  " SELECT CASE WHEN h.hour >= 0 THEN h.hour / 24 ELSE -((-h.hour + 23) / 24) END, h.issue_id, h.level,"
                  " h.status_code, h.logger, h.exception_type, sum(h.visible), sum(h.hidden)"
                  " FROM issue_hours h GROUP BY 1, 2, 3, 4, 5, 6");
}

// The highest id the source's engine has handed out for an id it picks (an
// AUTOINCREMENT's sqlite_sequence, an identity's sequence): alert_rules
// promises never to reuse an id, even one whose rule was removed.
int64_t sourceHighWater(Connection &src, const std::string &table, const std::string &column)
{
    Statement st;
    if (src.engine() == Engine::Postgres) {
        st = src.prepare("SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence(?, ?)::regclass), 0)");
        st.bind(1, std::string_view(table)).bind(2, std::string_view(column));
    } else {
        st = src.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?");
        st.bind(1, std::string_view(table));
    }
    return st.step() ? st.int64(0) : 0; // no sequence (or no sqlite_sequence yet): nothing handed out
}

// The destination's engine-picked ids past every copied one (and past what the
// source handed out): PostgreSQL's identities by setval, SQLite's AUTOINCREMENT
// in sqlite_sequence (which SQLite already moved past the copied ids).
Result<void> setIdsPastCopied(Connection &src, Connection &dst, const std::vector<CatalogTable> &dstTables)
{
    for (const CatalogTable &t : dstTables) {
        if (t.key.size() != 1)
            continue;
        const CatalogColumn &id = t.columns[t.key[0]];
        if (dst.engine() == Engine::Postgres) {
            if (!id.identity)
                continue;
            auto copied = dst.scalar("SELECT coalesce(max(\"" + id.name + "\"), 0) FROM \"" + t.name + '"');
            if (!copied)
                return copied.failure();
            const int64_t past = std::max(*copied, sourceHighWater(src, t.name, id.sameAs));
            if (past <= 0)
                continue; // nothing handed out: the identity starts at 1 as it is
            Statement st = dst.prepare("SELECT setval(pg_get_serial_sequence(?, ?), ?)");
            st.bind(1, std::string_view(t.name)).bind(2, std::string_view(id.name)).bind(3, past);
            if (!st.step())
                return st.failure();
        } else {
            auto autoincrement = dst.scalar("SELECT count(*) FROM sqlite_schema WHERE name = '" + t.name +
                                            "' AND sql LIKE '%AUTOINCREMENT%'");
            if (!autoincrement)
                return autoincrement.failure();
            const int64_t past = *autoincrement ? sourceHighWater(src, t.name, id.sameAs) : 0;
            if (past <= 0)
                continue;
            Statement up = dst.prepare("UPDATE sqlite_sequence SET seq = ?1 WHERE name = ?2 AND seq < ?1");
            up.bind(1, past).bind(2, std::string_view(t.name));
            Statement add = dst.prepare("INSERT INTO sqlite_sequence(name, seq) SELECT ?2, ?1 WHERE NOT EXISTS (SELECT 1 FROM "
                                        "sqlite_sequence WHERE name = ?2)");
            add.bind(1, past).bind(2, std::string_view(t.name));
            if (!up.exec() || !add.exec())
                return up.failure().message.isEmpty() ? add.failure() : up.failure();
        }
    }
    return {};
}

struct Plan {
    std::vector<TableCopy> tables;
    std::vector<CatalogTable> destinationCatalog;
};

Result<Plan> planCopy(Connection &src, Connection &dst)
{
    auto srcTables = readStoreCatalog(src);
    if (!srcTables)
        return srcTables.failure();
    auto dstTables = readStoreCatalog(dst);
    if (!dstTables)
        return dstTables.failure();
    Plan plan;
    for (const CatalogTable &s : *srcTables) {
        const auto d = std::find_if(dstTables->begin(), dstTables->end(),
                                    [&](const CatalogTable &t) { return t.name == s.name; });
        if (d == dstTables->end())
            return Error{QStringLiteral("the destination has no table %1: are the two at one schema version?")
                             .arg(QString::fromStdString(s.name))};
        auto t = TableCopy::match(s, *d);
        if (!t)
            return t.failure();
        plan.tables.push_back(std::move(*t));
    }
    if (dstTables->size() != srcTables->size())
        return Error{QStringLiteral("the destination has %1 tables, the source %2: are the two at one schema version?")
                         .arg(dstTables->size())
                         .arg(srcTables->size())};
    plan.destinationCatalog = std::move(*dstTables);
    return plan;
}

} // namespace

Result<StoreCopySummary> copyStore(Database &source, Database &destination, const StoreCopyOptions &options)
{
    QElapsedTimer clock;
    clock.start();
    Connection &src = connectionOf(source);
    Connection &dst = connectionOf(destination);
    const QString srcName = source.path(), dstName = destination.path(); // URLs without their passwords
    const QString srcIdentity = identityOf(source);
    if (srcIdentity == identityOf(destination))
        return Error{QStringLiteral("%1 is both the source and the destination").arg(srcName), ErrorKind::InvalidInput};

    auto srcVersion = schemaVersionOf(src);
    if (!srcVersion)
        return Error{QStringLiteral("%1: %2").arg(srcName, srcVersion.error()), srcVersion.errorKind()};
    auto dstVersion = schemaVersionOf(dst);
    if (!dstVersion)
        return Error{QStringLiteral("%1: %2").arg(dstName, dstVersion.error()), dstVersion.errorKind()};
    if (*srcVersion != *dstVersion)
        return Error{QStringLiteral("%1 is at schema %2 and %3 at schema %4: open both with the same ErrorDeck first")
                         .arg(srcName)
                         .arg(*srcVersion)
                         .arg(dstName)
                         .arg(*dstVersion),
                     ErrorKind::InvalidInput};

    SourceSnapshot snapshot(src);
    if (!snapshot.ok())
        return Error{QStringLiteral("%1: cannot start reading: %2").arg(srcName, src.lastError()), src.failure().kind};
    auto plan = planCopy(src, dst);
    if (!plan)
        return Error{QStringLiteral("copying %1 to %2: %3").arg(srcName, dstName, plan.error()), plan.errorKind()};

    // An unfinished copy's destination as a source would copy half a store.
    auto srcMarker = readMarker(src);
    if (!srcMarker)
        return Error{QStringLiteral("%1: %2").arg(srcName, srcMarker.error()), srcMarker.errorKind()};
    if (*srcMarker)
        return Error{QStringLiteral("%1 is an unfinished copy of %2: finish that copy first (run it again)")
                         .arg(srcName, (*srcMarker)->value(QLatin1String("source")).toString()),
                     ErrorKind::InvalidInput};

    auto fingerprint = sourceFingerprint(src);
    if (!fingerprint)
        return Error{QStringLiteral("%1: %2").arg(srcName, fingerprint.error()), fingerprint.errorKind()};
    auto marker = readMarker(dst);
    if (!marker)
        return Error{QStringLiteral("%1: %2").arg(dstName, marker.error()), marker.errorKind()};
    StoreCopySummary summary;
    if (*marker) {
        const QString from = (*marker)->value(QLatin1String("source")).toString();
        if (from != srcIdentity)
            return Error{QStringLiteral("%1 holds an unfinished copy of %2, not of %3: it was left untouched")
                             .arg(dstName, from, srcIdentity),
                         ErrorKind::Conflict};
        if ((*marker)->value(QLatin1String("fingerprint")).toObject() != *fingerprint)
            return Error{QStringLiteral("%1 has changed since the unfinished copy into %2 began: copy it into a new, empty "
                                        "database instead; %2 was left as it is")
                             .arg(srcName, dstName),
                         ErrorKind::Conflict};
        summary.resumed = true;
    } else {
        // Reports first: what a user would miss; then any other row.
        std::vector<const TableCopy *> order;
        for (const TableCopy &t : plan->tables) {
            if (t.name() == "reports")
                order.insert(order.begin(), &t);
            else
                order.push_back(&t);
        }
        for (const TableCopy *t : order) {
            auto rows = t->destinationRows(dst);
            if (!rows)
                return Error{QStringLiteral("%1: %2").arg(dstName, rows.error()), rows.errorKind()};
            if (*rows > 0)
                return Error{QStringLiteral("%1 already holds %2 (not from an unfinished copy of %3): copy-store copies "
                                            "into a new, empty database only; it was left untouched")
                                 .arg(dstName,
                                      t->name() == "reports"
                                          ? QStringLiteral("%1 reports").arg(*rows)
                                          : QStringLiteral("%1 rows in %2").arg(*rows).arg(QString::fromStdString(t->name())),
                                      srcIdentity),
                             ErrorKind::Conflict};
        }
        QJsonObject m{{QStringLiteral("source"), srcIdentity}, {QStringLiteral("fingerprint"), *fingerprint}};
        if (auto r = writeMarker(dst, m); !r)
            return Error{QStringLiteral("%1: cannot start the copy: %2").arg(dstName, r.error()), r.errorKind()};
    }

    // The totals, for the progress.
    std::vector<int64_t> totals;
    StoreCopyProgress progress;
    for (const TableCopy &t : plan->tables) {
        auto n = t.rollup() ? Result<int64_t>(int64_t(0)) : t.sourceRows(src);
        if (!n)
            return Error{QStringLiteral("%1: %2").arg(srcName, n.error()), n.errorKind()};
        totals.push_back(*n);
        progress.rowsTotal += *n;
        progress.tableCount += t.rollup() ? 0 : 1;
    }

    const int batch = std::max(1, options.batchRows);
    for (size_t i = 0; i < plan->tables.size(); ++i) {
        const TableCopy &t = plan->tables[i];
        if (t.rollup())
            continue;
        const auto failed = [&](const Error &e) {
            return Error{QStringLiteral("copying %1 to %2: %3").arg(srcName, dstName, e.message), e.kind};
        };
        auto done = t.destinationRows(dst);
        if (!done)
            return failed(done.failure());
        auto after = t.lastKey(dst);
        if (!after)
            return failed(after.failure());
        progress.table = QString::fromStdString(t.name());
        progress.tableIndex += 1;
        progress.tableDone = *done;
        progress.tableTotal = totals[i];
        progress.rowsDone += *done;
        for (;;) {
            auto rows = t.read(src, *after, batch);
            if (!rows)
                return failed(rows.failure());
            if (rows->empty())
                break;
            Transaction tx(dst);
            if (!tx.active())
                return failed(dst.failure());
            if (auto r = t.write(dst, *rows); !r)
                return failed(r.failure());
            if (auto r = tx.commit(); !r)
                return failed(r.failure());
            const auto n = int64_t(rows->size());
            progress.tableDone += n;
            progress.rowsDone += n;
            summary.rowsCopied += n;
            *after = t.keyOf(rows->back());
            if (options.progress)
                options.progress(progress);
            if (options.cancel && options.cancel->isCancelled())
                return Error{QStringLiteral("the copy of %1 to %2 was cancelled after %3 of %4 rows; run it again to go on")
                                 .arg(srcName, dstName)
                                 .arg(progress.rowsDone)
                                 .arg(progress.rowsTotal),
                             ErrorKind::Interrupted};
            if (n < batch)
                break;
        }
        progress.tableFinished = true;
        if (options.progress)
            options.progress(progress);
        progress.tableFinished = false;
    }

    {
        const auto failed = [&](const Error &e) {
            return Error{QStringLiteral("%1: finishing the copy: %2").arg(dstName, e.message), e.kind};
        };
        Transaction tx(dst);
        if (!tx.active())
            return failed(dst.failure());
        if (auto r = rebuildRollups(dst); !r)
            return failed(r.failure());
        if (auto r = setIdsPastCopied(src, dst, plan->destinationCatalog); !r)
            return failed(r.failure());
        if (auto r = tx.commit(); !r)
            return failed(r.failure());
    }

    for (const TableCopy &t : plan->tables) {
        auto s = t.figures(src, true);
        if (!s)
            return Error{QStringLiteral("%1: %2").arg(srcName, s.error()), s.errorKind()};
        auto d = t.figures(dst, false);
        if (!d)
            return Error{QStringLiteral("%1: %2").arg(dstName, d.error()), d.errorKind()};
        StoreCopyFigures f;
        f.table = QString::fromStdString(t.name());
        f.sourceRows = s->rows;
        f.destinationRows = d->rows;
        f.checks = t.rollup() ? QStringLiteral("visible, hidden") : t.integerKey() ? QStringLiteral("max id, id sum") : QString();
        f.sourceChecks = s->checks;
        f.destinationChecks = d->checks;
        summary.tables.push_back(std::move(f));
    }
    if (summary.verified()) {
        Statement st = dst.prepare("DELETE FROM config WHERE name = ?");
        st.bind(1, std::string_view(kCopyMarker));
        if (!st.exec())
            return Error{
                QStringLiteral("%1: the copy is verified, but its marker cannot be removed: %2").arg(dstName, st.error()),
                st.failure().kind};
        (void)destination.refreshQueryStatistics(); // planner statistics for the new rows; slower queries at worst
    }
    summary.seconds = double(clock.elapsed()) / 1000.0;
    return summary;
}

} // namespace ed
