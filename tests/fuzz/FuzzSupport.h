#pragma once
// What the harnesses share: one scratch database (ErrorDeck's real schema and
// default settings) and the import filters it gives, built once per process.
// Each harness defines LLVMFuzzerTestOneInput; libFuzzer calls it (the fuzz
// preset), or regress_main.cpp does on the committed regression inputs.
#include "store/Database.h"
#include "filters/FilterSet.h"

#include <QTemporaryDir>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

// A property the input broke: abort so that libFuzzer keeps the input (and a
// regression run fails), naming what was expected.
#define FUZZ_CHECK(cond)                                                                                                         \
    do {                                                                                                                         \
        if (!(cond)) {                                                                                                           \
            std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond);                                   \
            std::abort();                                                                                                        \
        }                                                                                                                        \
    } while (0)

namespace ed::fuzz {

inline std::string_view bytes(const uint8_t *data, size_t size) { return {reinterpret_cast<const char *>(data), size}; }

// A folder that lives as long as the process (for the database and temporary input files).
inline const QTemporaryDir &scratchDir()
{
    static QTemporaryDir dir;
    if (!dir.isValid()) {
        std::fprintf(stderr, "fuzz: cannot create a temporary folder\n");
        std::abort();
    }
    return dir;
}

inline Database &scratchDatabase()
{
    static Database db = [] {
        auto r = Database::open(scratchDir().filePath(QStringLiteral("fuzz.sqlite3")));
        if (!r) {
            std::fprintf(stderr, "fuzz: cannot open the scratch database: %s\n", qPrintable(r.error()));
            std::abort();
        }
        return std::move(*r);
    }();
    return db;
}

// The filters a fresh database imports with: default scrubbing and Django's 404 rules.
inline const FilterSet &defaultFilters()
{
    static std::unique_ptr<FilterSet> filters = [] {
        auto r = FilterSet::load(scratchDatabase());
        if (!r) {
            std::fprintf(stderr, "fuzz: cannot build the default filters: %s\n", qPrintable(r.error()));
            std::abort();
        }
        return std::move(*r);
    }();
    return *filters;
}

} // namespace ed::fuzz
