#pragma once
// The few pieces of the store's SQL that no one text can say on both SQLite
// and PostgreSQL, each a function of the engine returning the fragment, in
// one place (docs/postgresql.md catalogues them). Everything else the store
// writes is in the common form: upserts as ON CONFLICT, ids by RETURNING,
// CASE instead of scalar min/max and of comparisons used as numbers.
#include "base/Result.h"
#include "store/StoreChange.h"

#include <QString>
#include <QStringList>
#include <cstdint>
#include <string>

namespace ed {

class Connection;
class Statement;

enum class SqlDialect { Sqlite, Postgres };

// The dialect of the engine behind `c`. One place to ask, for when the
// connection speaks more than SQLite (Connection::engine()).
SqlDialect dialectOf(const Connection &c);

namespace sqldialect {

// `column = ?` comparing text without regard to ASCII case: SQLite's
// `= ? COLLATE NOCASE`; PostgreSQL has no NOCASE: lower() on both sides.
QString equalsIgnoringCase(SqlDialect d, const QString &column);
// `column LIKE ? ESCAPE '\'` matching without regard to ASCII case, as
// SQLite's LIKE does: ILIKE on PostgreSQL (whose LIKE is exact).
QString likeIgnoringCase(SqlDialect d, const QString &column);
// likeIgnoringCase where a range of an index (comparedIgnoringCase) bounds the
// column already: the same on SQLite; on PostgreSQL the ILIKE on
// `(column || '')`, which no index answers, so the planner does not AND the
// column's trigram index (every report with /api/ anywhere in its path: ten
// times the range's rows) into the range's, and reports_path_prefix (which
// INCLUDEs the path) answers counts, issue lists and charts by itself.
QString likeWithinRange(SqlDialect d, const QString &column);
// `column` as an ORDER BY key sorting without regard to ASCII case
// (SQLite's NOCASE; lower() on PostgreSQL).
QString orderIgnoringCase(SqlDialect d, const QString &column);
// `column COLLATE NOCASE >= ?` (op any comparison): a bound of a range of
// text under ASCII case folding, which an index in that order answers
// (reports_path_prefix); lower() in byte order ("C") on PostgreSQL.
QString comparedIgnoringCase(SqlDialect d, const QString &column, const char *op);
// The rollups' key for "none" (a report with no status code, logger or
// type): SQLite's empty blob X'', which equals no value. PostgreSQL's
// columns are typed: -1 for no status code, '' for no logger or type (a
// stored logger or type is never empty: the store keeps those NULL).
QString rollupNoStatus(SqlDialect d);
QString rollupNoText(SqlDialect d);

// The start of a transaction that writes: SQLite's BEGIN IMMEDIATE takes the
// write lock now (no deadlock upgrading a read lock later); PostgreSQL locks
// rows as it writes them and has no IMMEDIATE.
const char *beginWriting(SqlDialect d);
// The start of a read transaction that sees one snapshot throughout (copy-store
// reads a whole store in it): SQLite's deferred BEGIN takes its snapshot at the
// first read and keeps it; PostgreSQL's default READ COMMITTED takes one per
// statement, REPEATABLE READ one for the transaction.
const char *beginSnapshot(SqlDialect d);
// After beginWriting, what makes writers on one PostgreSQL database take
// turns as SQLite's write lock makes them: one transaction-scoped advisory
// lock, taken by every transaction that writes the store (Transaction with
// `immediate`, ReportWriter before its batch's first record), released by its
// COMMIT or ROLLBACK, or by the server when the client dies. Null on SQLite,
// where BEGIN IMMEDIATE took the file's lock already. Why one lock rather than
// row locks: docs/postgresql.md, "Several writers". Bounded as SQLite's busy
// timeout bounds BEGIN IMMEDIATE: a `SET LOCAL lock_timeout` of writeWaitMs()
// first, so that a writer waiting longer fails with ErrorKind::Busy ("another
// writer has held the store for N s", PgConnection) instead of waiting for ever.
// Empty on SQLite.
std::string takeWriteLock(SqlDialect d);
// How long a writer waits for its turn on either engine (SQLite's busy timeout,
// PostgreSQL's lock_timeout for the write lock): 10 s. Tests set a short one.
int writeWaitMs();
void setWriteWaitMs(int ms);
// The error of a writer that waited writeWaitMs() for its turn in vain.
QString writerWaitedTooLong();
// After a SELECT that claims rows for this transaction to update: nothing on
// SQLite (BEGIN IMMEDIATE already keeps other writers out); on PostgreSQL
// " FOR UPDATE SKIP LOCKED", so a row another transaction is claiming is left
// to it rather than claimed twice (or waited for).
const char *claimingRows(SqlDialect d);

// Planner hints SQLite needs (it keeps no statistics here) and PostgreSQL
// neither has nor needs: " INDEXED BY index" after a table; a column kept
// from its index by a unary + (SQLite's idiom; PostgreSQL has no + on text).
QString indexedBy(SqlDialect d, const QString &index);
QString unindexed(SqlDialect d, const QString &column);
// The ORDER BY expressions of a report list sorted by `column` ("r.message"...):
// the column itself, but on PostgreSQL the message as
// left(r.message, 200), r.message, the order of its index reports_message
// (a btree entry cannot hold a whole message) then the exact one: the same
// order, as text in "C" order is decided within the first 200 characters
// when those differ.
QStringList sortKeyOf(SqlDialect d, const QString &column);
// The join to the issues that walks the reports first (SQLite's CROSS JOIN
// fixes the order; PostgreSQL's planner weighs it, and takes no ON there).
QString reportsFirstJoin(SqlDialect d);

// The full-text index, one function per use (FTS5 on SQLite; on PostgreSQL
// the table reports_fts with its tsvector `document`, docs/postgresql.md):
// the condition "report r.id matches the words bound to ?" (an FTS5 query on
// SQLite, a tsquery on PostgreSQL: SearchSql.cpp builds either).
QString ftsMatches(SqlDialect d);
// The condition "report r.id matches ?" over the reports with id >= a second ?.
QString ftsMatchesFrom(SqlDialect d);
// A report's row of the index, for INSERT ... VALUES(id, message, exception, path, frames).
QString ftsInsert(SqlDialect d);
// The index's words of one report (?5 its id), replaced with ?1..?4.
QString ftsRewrite(SqlDialect d);
// The index rows of one report (? its id).
QString ftsDeleteReport(SqlDialect d);
// The index rows of every report of an issue (? the issue's id).
QString ftsDeleteIssue(SqlDialect d);

// The change feed (store/StoreChanges.h). PostgreSQL: `NOTIFY errordeck_changes,
// 'reports'` (the kind's name), which the server delivers to every listener
// when the transaction commits (never after a rollback) and folds when one
// transaction says it twice; empty on SQLite, whose other connections see a
// commit in PRAGMA data_version instead.
QString notifyChange(SqlDialect d, StoreChange kind);
// The channel's name, as notifications carry it.
const char *changeChannel();
// What the feed's own connection runs to hear them: LISTEN errordeck_changes.
std::string listenForChanges();

} // namespace sqldialect

// Tells the change feed that `kinds` changed: in a transaction, delivered at
// its commit; outside one, at once. Nothing on SQLite. A failure inside a
// transaction must fail it (PostgreSQL aborts the transaction); after an
// autocommitted write it only delays the other apps' refresh.
Result<void> announceChange(Connection &c, StoreChangeKinds kinds);

// A LIMIT both engines take: SQLite reads a negative one as none,
// PostgreSQL refuses it; the largest number is none on both.
int64_t sqlLimit(int64_t limit);

// Steps an `INSERT ... RETURNING id` to its one row and gives the id (what
// last_insert_rowid() gave, in the form both engines have); the statement is
// reset after, so a kept statement holds no lock.
Result<int64_t> insertedId(Statement &st);

} // namespace ed
