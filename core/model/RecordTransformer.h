#pragma once
// Turns one v1 JSON record into what the store writes: indexed columns, a
// scrubbed body with repeated parts split out (settings, environment, frame
// source context), full-text columns and the grouping fingerprint.
// This is the import hot path: it reads simdjson's DOM and writes JSON once.
#include "model/Filter.h"
#include "model/Grouping.h"
#include "base/Hash.h"
#include "base/Result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ed {

struct PendingPart {
    Hash128 hash;
    std::string json;
};

struct TransformedRecord {
    std::string eventId; // empty when the producer gave none
    Hash128 dedupKey{}; // of the event id, else of the record's content
    int64_t timestamp = 0;
    int level = 0;
    std::string logger, message, site, method, host, path, fullPath, url, referer, userAgent, remoteAddr, user;
    std::optional<int> statusCode;
    std::string exceptionType, exceptionValue, exceptionTypes;
    std::string release; // extra.release (scrubbed), empty when none: resolving "in the next release"
    std::string body;
    std::vector<PendingPart> newParts;
    std::string ftsException, ftsFrames;
    Grouping grouping;
    int frameCount = 0;

    RecordFacts facts() const;
};

class RecordTransformer {
public:
    // newParts lists every part a record refers to; which of them are stored
    // already is the caller's to know (model/RecordPreparer's KnownParts).
    explicit RecordTransformer(const Scrubber &scrubber);
    ~RecordTransformer();

    // `json` must stay readable for simdjson::SIMDJSON_PADDING bytes past its end
    // when `padded` is true; otherwise it is copied.
    Result<void> transform(std::string_view json, bool padded, TransformedRecord &out);

    // The dedup key of an event id, as transform() computes it (for lookups by id).
    static Hash128 dedupKeyForEventId(std::string_view eventId);

    // Records larger than this are rejected before parsing.
    static constexpr size_t kMaxRecordBytes = 16u << 20;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace ed
