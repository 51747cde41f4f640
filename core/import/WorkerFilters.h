#pragma once
// The scrubber and record filter each worker thread of an import prepares
// records with. FilterSet and SecretScrubber keep caches and counters and are
// meant for one thread at a time (their QRegularExpressions too are used
// through mutable state), so each worker gets its own copy, made from the same
// settings; NullScrubber and NullRecordFilter hold no state and are shared.
// Filters of any other kind cannot be copied: the import then prepares on one
// worker thread (still beside its reader and its writer).
#include "model/Filter.h"

#include <functional>
#include <memory>
#include <vector>

namespace ed {

class WorkerFilters {
public:
    // Up to `wanted` sets, the first being the originals.
    static WorkerFilters make(const Scrubber &scrubber, const RecordFilter &filter, int wanted);

    int count() const { return int(m_sets.size()); }
    const Scrubber &scrubber(int i) const { return *m_sets[size_t(i)].scrubber; }
    const RecordFilter &filter(int i) const { return *m_sets[size_t(i)].filter; }
    // Adds what the copies could not decide (regex match limits) to the
    // originals' counts, for the import's warnings. Call once the workers are done.
    void absorbIntoOriginals() const;

private:
    struct Set {
        const Scrubber *scrubber = nullptr;
        const RecordFilter *filter = nullptr;
        std::shared_ptr<const void> owned; // the copy behind both pointers
    };
    std::vector<Set> m_sets;
    std::vector<std::function<void()>> m_absorb;
};

} // namespace ed
