#pragma once
// The ErrorDeck schema on PostgreSQL (the version table is Database's, in PgDatabase.cpp).
#include "base/Result.h"

namespace ed {

class Connection;

// Creates the schema at `version` in a database that has none yet, inside the
// caller's transaction (which holds the migration's advisory lock).
Result<void> createPgSchema(Connection &conn, int version);

} // namespace ed
