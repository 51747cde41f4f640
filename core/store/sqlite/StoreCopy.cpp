#include "store/StoreCopy.h"

#include "store/Database.h"

#include "store/sqlite/CopyFinish.h"
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

// One run of copyStore: the steps in order, each an Error naming the database at fault.
class StoreCopier {
public:
    StoreCopier(Database &source, Database &destination, const StoreCopyOptions &options)
        : m_destination(destination),
          m_src(connectionOf(source)),
          m_dst(connectionOf(destination)),
          m_options(options),
          m_srcName(source.path()), // URLs without their passwords
          m_dstName(destination.path()),
          m_srcIdentity(identityOf(source))
    {
    }

    Result<StoreCopySummary> run()
    {
        QElapsedTimer clock;
        clock.start();
        if (m_srcIdentity == identityOf(m_destination))
            return Error{QStringLiteral("%1 is both the source and the destination").arg(m_srcName), ErrorKind::InvalidInput};
        if (auto r = currentSchemaVersions(); !r)
            return r.failure();
        SourceSnapshot snapshot(m_src);
        if (!snapshot.ok())
            return Error{QStringLiteral("%1: cannot start reading: %2").arg(m_srcName, m_src.lastError()), m_src.failure().kind};
        auto plan = planCopy(m_src, m_dst);
        if (!plan)
            return Error{QStringLiteral("copying %1 to %2: %3").arg(m_srcName, m_dstName, plan.error()), plan.errorKind()};
        m_plan = std::move(*plan);
        if (auto r = startOrResume(); !r)
            return r.failure();
        if (auto r = copyTables(); !r)
            return r.failure();
        if (auto r = finish(); !r)
            return r.failure();
        if (auto r = compareTables(); !r)
            return r.failure();
        if (m_summary.verified()) {
            Statement st = m_dst.prepare("DELETE FROM config WHERE name = ?");
            st.bind(1, std::string_view(kCopyMarker));
            if (!st.exec())
                return Error{
                    QStringLiteral("%1: the copy is verified, but its marker cannot be removed: %2").arg(m_dstName, st.error()),
                    st.failure().kind};
            (void)m_destination.refreshQueryStatistics(m_summary.rowsCopied); // planner statistics for the new rows; slower queries at worst
        }
        m_summary.seconds = double(clock.elapsed()) / 1000.0;
        return m_summary;
    }

private:
    Error at(const QString &name, const Error &e) const { return Error{QStringLiteral("%1: %2").arg(name, e.message), e.kind}; }

    // Both at the schema this build writes for their engine: the tables and
    // columns are then the same on both sides (a PostgreSQL version may differ
    // from the SQLite one by steps of its own, store/postgres/PgSchemaDdl.h).
    Result<void> currentSchemaVersions()
    {
        for (auto [conn, name] : {std::pair{&m_src, &m_srcName}, std::pair{&m_dst, &m_dstName}}) {
            auto version = schemaVersionOf(*conn);
            if (!version)
                return at(*name, version.failure());
            const int current = conn->engine() == Engine::Postgres ? Database::currentServerSchemaVersion()
                                                                   : Database::currentSchemaVersion();
            if (*version != current)
                return Error{QStringLiteral("%1 is at schema %2, and this ErrorDeck copies schema %3: open both with "
                                            "the same ErrorDeck first")
                                 .arg(*name)
                                 .arg(*version)
                                 .arg(current),
                             ErrorKind::InvalidInput};
        }
        return {};
    }

    // A new copy into an empty destination (marked), or the same copy again.
    Result<void> startOrResume()
    {
        // An unfinished copy's destination as a source would copy half a store.
        auto srcMarker = readMarker(m_src);
        if (!srcMarker)
            return at(m_srcName, srcMarker.failure());
        if (*srcMarker)
            return Error{QStringLiteral("%1 is an unfinished copy of %2: finish that copy first (run it again)")
                             .arg(m_srcName, (*srcMarker)->value(QLatin1String("source")).toString()),
                         ErrorKind::InvalidInput};
        auto fingerprint = sourceFingerprint(m_src);
        if (!fingerprint)
            return at(m_srcName, fingerprint.failure());
        auto marker = readMarker(m_dst);
        if (!marker)
            return at(m_dstName, marker.failure());
        if (*marker) {
            const QString from = (*marker)->value(QLatin1String("source")).toString();
            if (from != m_srcIdentity)
                return Error{QStringLiteral("%1 holds an unfinished copy of %2, not of %3: it was left untouched")
                                 .arg(m_dstName, from, m_srcIdentity),
                             ErrorKind::Conflict};
            if ((*marker)->value(QLatin1String("fingerprint")).toObject() != *fingerprint)
                return Error{QStringLiteral("%1 has changed since the unfinished copy into %2 began: copy it into a new, "
                                            "empty database instead; %2 was left as it is")
                                 .arg(m_srcName, m_dstName),
                             ErrorKind::Conflict};
            m_summary.resumed = true;
            return {};
        }
        // Reports first: what a user would miss; then any other row.
        std::vector<const TableCopy *> order;
        for (const TableCopy &t : m_plan.tables) {
            if (t.name() == "reports")
                order.insert(order.begin(), &t);
            else
                order.push_back(&t);
        }
        for (const TableCopy *t : order) {
            auto rows = t->destinationRows(m_dst);
            if (!rows)
                return at(m_dstName, rows.failure());
            if (*rows > 0)
                return Error{QStringLiteral("%1 already holds %2 (not from an unfinished copy of %3): copy-store copies "
                                            "into a new, empty database only; it was left untouched")
                                 .arg(m_dstName,
                                      t->name() == "reports"
                                          ? QStringLiteral("%1 reports").arg(*rows)
                                          : QStringLiteral("%1 rows in %2").arg(*rows).arg(QString::fromStdString(t->name())),
                                      m_srcIdentity),
                             ErrorKind::Conflict};
        }
        const QJsonObject m{{QStringLiteral("source"), m_srcIdentity}, {QStringLiteral("fingerprint"), *fingerprint}};
        if (auto r = writeMarker(m_dst, m); !r)
            return Error{QStringLiteral("%1: cannot start the copy: %2").arg(m_dstName, r.error()), r.errorKind()};
        return {};
    }

    Result<void> copyTables()
    {
        std::vector<int64_t> totals; // per table, for the progress
        for (const TableCopy &t : m_plan.tables) {
            auto n = t.rollup() ? Result<int64_t>(int64_t(0)) : t.sourceRows(m_src);
            if (!n)
                return at(m_srcName, n.failure());
            totals.push_back(*n);
            m_progress.rowsTotal += *n;
            m_progress.tableCount += t.rollup() ? 0 : 1;
        }
        for (size_t i = 0; i < m_plan.tables.size(); ++i) {
            if (m_plan.tables[i].rollup())
                continue;
            if (auto r = copyTable(m_plan.tables[i], totals[i]); !r) {
                if (r.errorKind() == ErrorKind::Interrupted)
                    return r;
                return Error{QStringLiteral("copying %1 to %2: %3").arg(m_srcName, m_dstName, r.error()), r.errorKind()};
            }
        }
        return {};
    }

    // The rows after the last key the destination holds, a batch per transaction.
    Result<void> copyTable(const TableCopy &t, int64_t total)
    {
        auto done = t.destinationRows(m_dst);
        if (!done)
            return done.failure();
        auto after = t.lastKey(m_dst);
        if (!after)
            return after.failure();
        m_progress.table = QString::fromStdString(t.name());
        m_progress.tableIndex += 1;
        m_progress.tableDone = *done;
        m_progress.tableTotal = total;
        m_progress.rowsDone += *done;
        const int batch = std::max(1, m_options.batchRows);
        for (;;) {
            auto rows = t.read(m_src, *after, batch);
            if (!rows)
                return rows.failure();
            if (rows->empty())
                break;
            Transaction tx(m_dst);
            if (!tx.active())
                return m_dst.failure();
            if (auto r = t.write(m_dst, *rows); !r)
                return r;
            if (auto r = tx.commit(); !r)
                return r;
            const auto n = int64_t(rows->size());
            m_progress.tableDone += n;
            m_progress.rowsDone += n;
            m_summary.rowsCopied += n;
            *after = t.keyOf(rows->back());
            if (m_options.progress)
                m_options.progress(m_progress);
            if (m_options.cancel && m_options.cancel->isCancelled())
                return Error{QStringLiteral("the copy of %1 to %2 was cancelled after %3 of %4 rows; run it again to go on")
                                 .arg(m_srcName, m_dstName)
                                 .arg(m_progress.rowsDone)
                                 .arg(m_progress.rowsTotal),
                             ErrorKind::Interrupted};
            if (n < batch)
                break;
        }
        m_progress.tableFinished = true;
        if (m_options.progress)
            m_options.progress(m_progress);
        m_progress.tableFinished = false;
        return {};
    }

    Result<void> finish()
    {
        const auto failed = [&](const Error &e) {
            return Error{QStringLiteral("%1: finishing the copy: %2").arg(m_dstName, e.message), e.kind};
        };
        Transaction tx(m_dst);
        if (!tx.active())
            return failed(m_dst.failure());
        if (auto r = rebuildRollups(m_dst); !r)
            return failed(r.failure());
        if (auto r = setIdsPastCopied(m_src, m_dst, m_plan.destinationCatalog); !r)
            return failed(r.failure());
        if (auto r = tx.commit(); !r)
            return failed(r.failure());
        return {};
    }

    Result<void> compareTables()
    {
        for (const TableCopy &t : m_plan.tables) {
            auto s = t.figures(m_src, true);
            if (!s)
                return at(m_srcName, s.failure());
            auto d = t.figures(m_dst, false);
            if (!d)
                return at(m_dstName, d.failure());
            StoreCopyFigures f;
            f.table = QString::fromStdString(t.name());
            f.sourceRows = s->rows;
            f.destinationRows = d->rows;
            f.checks = t.rollup()       ? QStringLiteral("visible, hidden")
                       : t.integerKey() ? QStringLiteral("max id, id sum")
                                        : QString();
            f.sourceChecks = s->checks;
            f.destinationChecks = d->checks;
            m_summary.tables.push_back(std::move(f));
        }
        return {};
    }

    Database &m_destination;
    Connection &m_src, &m_dst;
    const StoreCopyOptions &m_options;
    const QString m_srcName, m_dstName, m_srcIdentity;
    Plan m_plan;
    StoreCopyProgress m_progress;
    StoreCopySummary m_summary;
};

} // namespace

Result<StoreCopySummary> copyStore(Database &source, Database &destination, const StoreCopyOptions &options)
{
    return StoreCopier(source, destination, options).run();
}

} // namespace ed
