#pragma once
// SQLite's parameter syntax in PostgreSQL's: the store writes its SQL once,
// with `?` and `?NNN`, and the PostgreSQL backend sends `$N`.
#include <string>
#include <string_view>

namespace ed {

struct PgSql {
    std::string text; // the SQL with $N in place of ? and ?NNN
    int parameters = 0; // the highest N: what SQLite's sqlite3_bind_parameter_count would say
};

// Numbers the parameters as SQLite does (`?` is one more than the highest so
// far, `?NNN` is NNN) and leaves alone whatever is inside a string literal
// ('...', E'...' with backslash escapes, $tag$...$tag$), a quoted identifier
// or a comment (-- and nested /* */).
PgSql translatePlaceholders(std::string_view sql);

} // namespace ed
