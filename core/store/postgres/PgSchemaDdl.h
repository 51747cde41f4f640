#pragma once
// The store's schema in PostgreSQL's dialect: what core/store/sqlite/Schema.cpp
// builds by its migrations, as one script for an empty database (the base),
// then PostgreSQL's own forward steps. docs/postgresql.md says how each SQLite
// form was translated. Strings only: no libpq needed to build them.
#include <string_view>
#include <vector>

namespace ed {

// The base schema: tables, indexes, constraints, the rollups' triggers and the
// full-text table with its tsvector, as SQLite's schema 15. Plain CREATEs (no
// IF NOT EXISTS but for the pg_trgm extension), meant to run in one
// transaction: on a database that has it already, the first CREATE fails and
// nothing is half-applied.
std::string_view pgSchemaDdl();

// The PostgreSQL schema version pgSchemaDdl() builds.
constexpr int kPgBaseSchemaVersion = 15;

// PostgreSQL's versions go on from the base on their own: step [i] takes
// schema kPgBaseSchemaVersion + i to the next. A change of the SQLite schema
// comes with a step here that makes the same change (tst_pg_schema_ddl checks
// kPgMirrorsSqliteSchema); a step may also be PostgreSQL's alone (16: the
// full-text document folds diacritics, which SQLite's FTS5 did already).
const std::vector<std::string_view> &pgSchemaMigrations();

// The schema this build writes on PostgreSQL: the base and every step.
int pgSchemaVersion();

// The SQLite schema (Database::currentSchemaVersion()) whose tables, columns
// and indexes the PostgreSQL schema at pgSchemaVersion() has.
constexpr int kPgMirrorsSqliteSchema = 15;

} // namespace ed
