// The secret scrubber on free text and on key names: the default rules, and the
// default rules plus the security review's backtracking-prone value pattern
// (tests/data/hostile/failopen.jsonl), under which an sk_live_ key must still
// be masked when PCRE2 gives up. The first byte picks the zone of the key test.
#include "FuzzSupport.h"
#include "filters/SecretScrubber.h"

namespace {

const ed::SecretScrubber &reviewScrubber()
{
    static std::unique_ptr<ed::SecretScrubber> s = [] {
        ed::ScrubSettings settings;
        settings.valuePatterns = {QStringLiteral("(?:a+)+$|sk_live_[A-Za-z0-9]+")};
        auto r = ed::SecretScrubber::create(settings);
        if (!r) {
            std::fprintf(stderr, "fuzz: %s\n", qPrintable(r.error()));
            std::abort();
        }
        return std::move(*r);
    }();
    return *s;
}

bool isAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// An "sk_live_" followed by a letter or digit: what the review's pattern matches.
bool holdsLiveKey(std::string_view text)
{
    for (size_t at = text.find("sk_live_"); at != std::string_view::npos; at = text.find("sk_live_", at + 1))
        if (at + 8 < text.size() && isAlnum(text[at + 8]))
            return true;
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const ed::Scrubber &defaults = ed::fuzz::defaultFilters();
    const auto zone = ed::ScrubZone(data[0] % (int(ed::ScrubZone::Environment) + 1));
    const std::string_view text = ed::fuzz::bytes(data + 1, size - 1);

    (void)defaults.isSensitiveKey(zone, text);
    (void)reviewScrubber().isSensitiveKey(zone, text);

    std::string scrubbed(text);
    (void)defaults.scrubText(scrubbed);

    std::string reviewed(text);
    (void)reviewScrubber().scrubText(reviewed);
    if (holdsLiveKey(reviewed))
        std::fprintf(stderr, "left in clear: %s\n", reviewed.c_str());
    FUZZ_CHECK(!holdsLiveKey(reviewed));
    return 0;
}
