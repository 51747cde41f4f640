#pragma once
// The tables of an open store as the engine's own catalog lists them (SQLite's
// sqlite_schema and pragma_table_info, PostgreSQL's information_schema), for
// copy-store (store/StoreCopy.h): read, not written down here, so that a table
// or column added by a later schema is copied without a change here, and a
// table the two databases do not share is refused instead of left behind.
#include "base/Result.h"

#include <string>
#include <vector>

namespace ed {

class Connection;

struct CatalogColumn {
    enum class Kind { Integer, Text, Blob };
    std::string name; // as the SQL names it (SQLite's FTS5 key is rowid)
    std::string sameAs; // the name both engines share (rowid is report_id on PostgreSQL)
    Kind kind = Kind::Text;
    bool identity = false; // PostgreSQL: GENERATED ... AS IDENTITY (a sequence to set past the ids)
};

struct CatalogTable {
    std::string name;
    std::vector<CatalogColumn> columns; // without generated ones (PostgreSQL's tsvector)
    std::vector<size_t> key; // the primary key, as indexes into columns, in key order
    bool rollup = false; // issue_hours, issue_days: rebuilt from the reports, not copied
};

// Every table of the store (not SQLite's own, FTS5's shadow tables or
// PostgreSQL's errordeck_schema), parents before the tables whose foreign keys
// name them, the rest by name.
Result<std::vector<CatalogTable>> readStoreCatalog(Connection &c);

} // namespace ed
