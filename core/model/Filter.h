#pragma once
// The filter pipeline's interfaces. Import calls them on every record, in this
// order: RecordFilter::decide (drop or hide), then the Scrubber while the record
// is written out. The real rules live in core/filters/ (scrubbing, 404-ignore,
// drop and hide rules); NullFilters keeps everything and scrubs nothing.
#include <QString>
#include <optional>
#include <string>
#include <string_view>

namespace ed {

// Where a key stands in a record; the scrubber treats keys by zone.
enum class ScrubZone {
    None, // structural keys (type, filename, ...): never a secret by name
    Settings, // settings, at any depth
    RequestData, // request GET, POST, FILES
    Cookies, // request COOKIES: every value is a secret
    Meta, // request META (headers)
    FrameVars, // frame local variables
    Extra, // extra attributes of the log record
    Environment, // environment facts
};

class Scrubber {
public:
    virtual ~Scrubber() = default;
    // True when the value under `key` in `zone` must be replaced whole
    // (the key is kept, the value becomes Django's 20 asterisks).
    virtual bool isSensitiveKey(ScrubZone zone, std::string_view key) const = 0;
    // Rewrites secrets inside free text in place; returns true when it changed it.
    virtual bool scrubText(std::string &text) const = 0;
    // How often a bounded pattern of this copy could not decide so far: a
    // caller that reuses what it wrote for an identical text skips the reuse
    // when this moved, so every undecided text is still counted.
    virtual int64_t undecidedCount() const { return 0; }
};

// What the drop, hide and 404-ignore rules look at (values already scrubbed).
struct RecordFacts {
    int level = 0;
    std::string_view logger;
    std::string_view message;
    std::optional<int> statusCode;
    std::string_view exceptionType; // the exception raised last
    std::string_view exceptionTypes; // every type in the chain, space-separated
    std::string_view host; // request host (or site)
    std::string_view fullPath; // path with its query string
    std::string_view referer;
    std::string_view userAgent;
    std::string_view remoteAddr;
};

enum class Verdict { Keep, Hide, Drop };

struct FilterDecision {
    Verdict verdict = Verdict::Keep;
    QString rule; // the name of the rule that decided, for Hide and Drop
    // Rules that could not decide (their regex passed the match limit) and so
    // neither dropped nor hid the report: a flag for the report, empty mostly.
    QString undecided;
};

class RecordFilter {
public:
    virtual ~RecordFilter() = default;
    virtual FilterDecision decide(const RecordFacts &facts) const = 0;
};

class NullScrubber final : public Scrubber {
public:
    bool isSensitiveKey(ScrubZone, std::string_view) const override { return false; }
    bool scrubText(std::string &) const override { return false; }
};

class NullRecordFilter final : public RecordFilter {
public:
    FilterDecision decide(const RecordFacts &) const override { return {}; }
};

// Django's cleansed_substitute.
inline constexpr std::string_view kScrubbedValue = "********************";

} // namespace ed
