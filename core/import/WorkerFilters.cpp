#include "import/WorkerFilters.h"

#include "filters/FilterSet.h"
#include "filters/SecretScrubber.h"

namespace ed {

WorkerFilters WorkerFilters::make(const Scrubber &scrubber, const RecordFilter &filter, int wanted)
{
    WorkerFilters w;
    w.m_sets.push_back({&scrubber, &filter, nullptr});
    const bool nullScrubber = dynamic_cast<const NullScrubber *>(&scrubber) != nullptr;
    const bool nullFilter = dynamic_cast<const NullRecordFilter *>(&filter) != nullptr;
    const auto *set = dynamic_cast<const FilterSet *>(&filter);
    const auto *secret = dynamic_cast<const SecretScrubber *>(&scrubber);
    const bool oneSet = set && static_cast<const Scrubber *>(set) == &scrubber;
    for (int i = 1; i < wanted; ++i) {
        if (nullScrubber && nullFilter) {
            w.m_sets.push_back({&scrubber, &filter, nullptr}); // stateless: shared
        } else if (oneSet) {
            auto copy = set->copyForThread();
            if (!copy)
                break; // it compiled once, so this does not happen; one thread fewer if it does
            std::shared_ptr<const FilterSet> owned(std::move(*copy));
            w.m_sets.push_back({owned.get(), owned.get(), owned});
            w.m_absorb.push_back([set, owned] { set->absorbUndecided(*owned); });
        } else if (secret && nullFilter) {
            auto copy = SecretScrubber::create(secret->settings());
            if (!copy)
                break;
            std::shared_ptr<const SecretScrubber> owned(std::move(*copy));
            w.m_sets.push_back({owned.get(), &filter, owned});
            w.m_absorb.push_back([secret, owned] { secret->absorbUndecided(*owned); });
        } else {
            break; // unknown filters: used from one thread only
        }
    }
    return w;
}

void WorkerFilters::absorbIntoOriginals() const
{
    for (const auto &absorb : m_absorb)
        absorb();
}

} // namespace ed
