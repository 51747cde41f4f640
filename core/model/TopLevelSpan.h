#pragma once
// Where one top-level member's object lies in a record's text, found without
// building the record's DOM (simdjson On-Demand: its structural index, the
// other values skipped). A block that comes back in every record (Django's
// settings: two thirds of a v1 record's bytes) is then known by its bytes, and
// RecordTransformer parses and writes it once per worker instead of once per
// record.
#include "base/Hash.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ed {

class TopLevelSpan {
public:
    TopLevelSpan();
    ~TopLevelSpan();
    TopLevelSpan(const TopLevelSpan &) = delete;
    TopLevelSpan &operator=(const TopLevelSpan &) = delete;

    // `json` must stay readable for simdjson's padding past its end. True, with
    // `span` the object's text in `json` ('{' to '}' and the blanks after), when
    // `json` is one JSON object (and nothing after it) with exactly one member
    // named `key` whose value is an object. False otherwise, and on any doubt:
    // the caller then parses the whole record as usual (and reports its errors).
    bool find(std::string_view json, std::string_view key, std::string_view &span);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// The parts a worker wrote for the block texts it met, by text; a few (a
// site's settings seldom change), the oldest replaced first.
class SeenBlocks {
public:
    struct Entry {
        Hash128 textHash, hash; // of the block's text, of the part written
        std::string text, json;
    };
    const Entry *find(const Hash128 &textHash, std::string_view text) const;
    void remember(Entry e);

private:
    static constexpr size_t kEntries = 8;
    std::vector<Entry> m_entries;
    size_t m_next = 0; // replaced next when full
};

} // namespace ed
