#pragma once
// One table of copy-store (store/StoreCopy.h) as both databases hold it, and
// the statements that read it in key order from one and write it to the other.
#include "base/Result.h"
#include "store/sqlite/StoreCatalog.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ed {

class Connection;

struct CopyCell {
    bool null = true;
    int64_t number = 0; // an Integer column's value
    std::string bytes; // a Text or Blob column's value
};
using CopyRow = std::vector<CopyCell>;

class TableCopy {
public:
    // The source's table and the destination's of the same name: an Error
    // naming the table when their columns differ (another schema).
    static Result<TableCopy> match(const CatalogTable &source, const CatalogTable &destination);

    const std::string &name() const { return m_name; }
    bool rollup() const { return m_rollup; }
    // Whether the key is one integer column (an id): figures() then sums it.
    bool integerKey() const;

    // Rows of the source (the destination), without copy-store's marker.
    Result<int64_t> sourceRows(Connection &source) const;
    Result<int64_t> destinationRows(Connection &destination) const;
    // The key of the destination's last row in key order: where a resumed copy goes on.
    Result<std::optional<CopyRow>> lastKey(Connection &destination) const;
    // Up to `limit` source rows after `after` (all columns, the source's order).
    Result<std::vector<CopyRow>> read(Connection &source, const std::optional<CopyRow> &after, int limit) const;
    // Inserts the rows into the destination (inside the caller's transaction).
    Result<void> write(Connection &destination, const std::vector<CopyRow> &rows) const;
    CopyRow keyOf(const CopyRow &row) const;

    // count(*), and (max, sum) of the id, or of the rollups' visible and hidden counts.
    struct Figures {
        int64_t rows = 0;
        std::optional<std::pair<int64_t, int64_t>> checks;
    };
    Result<Figures> figures(Connection &c, bool isSource) const;

private:
    std::string columnList(bool source) const;
    std::string keyList(bool source, const char *direction) const;
    std::string withoutMarker(bool source) const; // " AND ..." for config, else empty
    std::string m_name;
    bool m_rollup = false;
    std::vector<std::string> m_sourceNames, m_destinationNames; // the same columns, each side's names
    std::vector<CatalogColumn::Kind> m_kinds;
    std::vector<size_t> m_key; // into the columns
};

} // namespace ed
