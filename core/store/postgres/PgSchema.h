#pragma once
// The ErrorDeck schema on PostgreSQL (the version table is Database's, in PgDatabase.cpp).
#include "base/Result.h"

namespace ed {

class Connection;

// Creates the schema at `version` (from the base, store/postgres/PgSchemaDdl.h,
// up to pgSchemaVersion()) in a database that has none yet: the base, then
// every step up to `version`, so that each step runs wherever a database is
// made. Inside the caller's transaction, which holds the migration's advisory lock.
Result<void> createPgSchema(Connection &conn, int version);

// Runs the steps from schema `from` to `to` inside the caller's transaction;
// the Error names the step that failed.
Result<void> migratePgSchema(Connection &conn, int from, int to);

} // namespace ed
