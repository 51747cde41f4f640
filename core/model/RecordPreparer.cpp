#include "model/RecordPreparer.h"

namespace ed {

RecordPreparer::RecordPreparer(const Scrubber &scrubber, const RecordFilter &filter, const KnownParts &known)
    : m_scrubber(scrubber), m_filter(filter), m_known(known), m_transformer(scrubber)
{
}

void RecordPreparer::prepare(std::string_view json, bool padded, std::string_view raw, PreparedRecord &out)
{
    out.error.clear();
    out.body.clear();
    out.raw.clear();
    out.parts.clear();
    out.verdict = {};
    if (auto r = m_transformer.transform(json, padded, out.rec); !r) {
        out.error = r.error();
        return;
    }
    TransformedRecord &rec = out.rec;
    // Duplicates get a verdict too: whether a record is one is known only to
    // the writer. The verdict of a duplicate is never used.
    out.verdict = m_filter.decide(rec.facts());
    if (out.verdict.verdict == Verdict::Drop)
        return; // nothing of it is stored
    out.parts.reserve(rec.newParts.size());
    for (PendingPart &p : rec.newParts) {
        PreparedPart &part = out.parts.emplace_back();
        part.hash = p.hash;
        if (!m_known.known(p.hash))
            m_compressor.compress(p.json, part.compressed);
    }
    rec.newParts.clear();
    m_compressor.compress(rec.body, out.body);
    std::string().swap(rec.body); // the compressed copy is what waits for the writer
    if (!raw.empty()) {
        m_rawScrubbed.assign(raw);
        m_scrubber.scrubText(m_rawScrubbed);
        m_compressor.compress(m_rawScrubbed, out.raw);
    }
}

} // namespace ed
