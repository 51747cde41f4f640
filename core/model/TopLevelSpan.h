#pragma once
// Where one top-level member's object lies in a record's text, found without
// building the record's DOM (simdjson On-Demand: its structural index, the
// other values skipped). A block that comes back in every record (Django's
// settings: two thirds of a v1 record's bytes) is then known by its bytes, and
// RecordTransformer parses and writes it once per worker instead of once per
// record.
#include <memory>
#include <string_view>

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

} // namespace ed
