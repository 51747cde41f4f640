#pragma once
// The store's schema in PostgreSQL's dialect: what core/store/sqlite/Schema.cpp
// builds by its migrations, at the same version (Database::currentSchemaVersion()),
// as one script for an empty database. docs/postgresql.md says how each SQLite
// form was translated. A string only: no libpq needed to build it.
#include <string_view>

namespace ed {

// The whole schema: tables, indexes, constraints, the rollups' triggers and the
// full-text table with its tsvector. Plain CREATEs (no IF NOT EXISTS but for the
// pg_trgm extension), meant to run in one transaction: on a database that has
// it already, the first CREATE fails and nothing is half-applied.
std::string_view pgSchemaDdl();

// The schema version pgSchemaDdl() builds.
constexpr int kPgSchemaDdlVersion = 15;

} // namespace ed
