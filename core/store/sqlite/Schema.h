#pragma once
// The schema as a list of forward migrations; index i takes version i to i+1.
#include <string_view>
#include <vector>

namespace ed {

const std::vector<std::string_view> &schemaMigrations();

} // namespace ed
