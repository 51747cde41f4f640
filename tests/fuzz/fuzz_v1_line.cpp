// One line of a v1 report file, as import reads it: parsed, scrubbed with the
// default rules, split into parts and full-text columns (RecordTransformer),
// then judged by the drop, hide and 404 rules.
#include "FuzzSupport.h"
#include "model/RecordTransformer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const ed::FilterSet &filters = ed::fuzz::defaultFilters();
    static ed::RecordTransformer transformer(filters);
    ed::TransformedRecord out;
    if (transformer.transform(ed::fuzz::bytes(data, size), false, out))
        (void)filters.decide(out.facts());
    return 0;
}
