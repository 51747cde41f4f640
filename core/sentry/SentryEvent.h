#pragma once
// A Sentry event (https://develop.sentry.dev/sdk/event-payloads/) as a v1
// record (docs/report-format.md), so that it goes through the same import
// pipeline as every other source: scrubbing, filters, grouping. What v1 has a
// field for goes there (exception chain, frames, request, logger, level,
// message); what it has not (user, tags, contexts, breadcrumbs, release,
// environment, server name, the SDK's _meta) goes into `extra`, which is
// scrubbed by key and by value like the rest.
#include "base/Result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace ed::sentry {

struct EventFacts {
    std::string eventId; // 32 hex digits as the SDK sent it; empty when it sent none
};

// Writes the v1 record of `event` (a JSON object) into `json`. `site` is the
// site's project number (the report's `site`); `attachments` is a JSON array
// already written (or empty) of the small attachments that came with it.
Result<EventFacts> eventToV1Record(std::string_view event, int64_t site, std::string_view attachments, std::string &json);

// Python's %-formatting of a logentry message with its params, as logging does
// ("payment failed for order %s" with [17]); the message itself when the
// params do not fit it.
std::string formatLogMessage(std::string_view message, const std::vector<std::string> &params);

} // namespace ed::sentry
