// A Sentry envelope as the receiver reads it (core/sentry): parsed with the
// default caps, each event item turned into a v1 record, which must then be a
// record import accepts (RecordTransformer with the default filters).
#include "FuzzSupport.h"
#include "model/RecordTransformer.h"
#include "sentry/Envelope.h"
#include "sentry/SentryEvent.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view body = ed::fuzz::bytes(data, size);
    const ed::sentry::EnvelopeResult r = ed::sentry::parseEnvelope(body);
    if (!r.ok())
        return 0;
    static ed::RecordTransformer transformer(ed::fuzz::defaultFilters());
    for (const ed::sentry::EnvelopeItem &item : r.envelope.items) {
        // Payloads lie inside the body, and an oversized one is left empty.
        FUZZ_CHECK(item.payload.empty() || (item.payload.data() >= body.data() &&
                                            item.payload.data() + item.payload.size() <= body.data() + body.size()));
        if (item.type != "event")
            continue;
        std::string json;
        if (!ed::sentry::eventToV1Record(item.payload, 1, {}, json))
            continue;
        ed::TransformedRecord out;
        const auto t = transformer.transform(json, false, out);
        FUZZ_CHECK(t.ok());
    }
    return 0;
}
