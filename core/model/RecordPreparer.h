#pragma once
// The half of storing a record that needs no database: parse and transform
// (RecordTransformer, which scrubs), the filter verdict, the scrubbed raw view
// and the compression of body, raw and parts. It is the CPU work of an import,
// so the importer runs one RecordPreparer per worker thread; the other half,
// store/ReportWriter::store, runs on the one thread that owns the connection.
// No SQL here: the result is plain data.
#include "base/Compression.h"
#include "base/Hash.h"
#include "model/Filter.h"
#include "model/RecordTransformer.h"

#include <QString>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace ed {

// A part a record refers to; `compressed` is empty when the part was known to
// be stored already when the record was prepared (see KnownParts).
struct PreparedPart {
    Hash128 hash{};
    std::string compressed;
};

struct PreparedRecord {
    QString error; // the record is unusable: rejected with this reason
    TransformedRecord rec; // its body and newParts moved out into the fields below
    FilterDecision verdict;
    std::string body; // compressed
    std::string raw; // the raw view, scrubbed and compressed; empty when the source is v1
    std::vector<PreparedPart> parts; // every part the body refers to
};

// The hashes of parts the writer has stored (in a committed or in the open
// batch), shared with the preparers so a part repeated in every record (the
// settings, the environment) is compressed once, not once per record. The
// writer adds; preparers only ask. A hash missing here costs a compression and
// an INSERT OR IGNORE, never a missing part.
class KnownParts {
public:
    bool known(const Hash128 &h) const
    {
        std::shared_lock lock(m_mutex);
        return m_known.count(h) != 0;
    }
    void add(const std::vector<Hash128> &hashes)
    {
        std::unique_lock lock(m_mutex);
        if (m_known.size() + hashes.size() > kMaxEntries)
            m_known.clear(); // bounded memory
        m_known.insert(hashes.begin(), hashes.end());
    }
    void clear()
    {
        std::unique_lock lock(m_mutex);
        m_known.clear();
    }

private:
    static constexpr size_t kMaxEntries = 1u << 20;
    mutable std::shared_mutex m_mutex;
    std::unordered_set<Hash128, Hash128Hasher> m_known;
};

// One per thread: the transformer, the compressor and the scrubber and filter
// it is given keep per-call state. `known` may be shared by all.
class RecordPreparer {
public:
    RecordPreparer(const Scrubber &scrubber, const RecordFilter &filter, const KnownParts &known);

    // `json` must stay readable for simdjson's padding past its end when
    // `padded`; `raw` is the text of a non-v1 source for the raw view.
    void prepare(std::string_view json, bool padded, std::string_view raw, PreparedRecord &out);

private:
    const Scrubber &m_scrubber;
    const RecordFilter &m_filter;
    const KnownParts &m_known;
    RecordTransformer m_transformer;
    // Level 1, not zstd's default 3: on 20,000 generated v1 reports the
    // stored bytes are the same (18.94 MB against 18.92) for a quarter less
    // compression CPU (a third of a worker's instructions at 3); e-mails' raw
    // text 3% larger. Negative levels: 27% larger. Any level reads back the same.
    Compressor m_compressor{1};
    std::string m_rawScrubbed;
};

} // namespace ed
