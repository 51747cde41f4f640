#pragma once
// Sentry's envelope format (https://develop.sentry.dev/sdk/envelopes/): a JSON
// header line, then items, each a JSON header line and a payload of `length`
// bytes or, without `length`, up to the next newline. The last newline may be
// missing; item types ErrorDeck does not read are kept as types only.
// Never trusted: every size is capped and every error names the item.
#include <QString>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ed::sentry {

struct EnvelopeLimits {
    size_t maxItems = 1000;
    size_t maxEventBytes = 1u << 20; // event, transaction (Sentry's own limit)
    size_t maxAttachmentBytes = 1u << 20; // kept with their event; larger ones are dropped
    size_t maxOtherBytes = 1u << 20; // session, sessions, client_report, ...
};

struct EnvelopeItem {
    std::string type; // "event", "attachment", "session", ...
    std::string filename, contentType; // attachments
    std::string_view payload; // into the parsed body
    bool oversized = false; // over its cap: payload left empty
};

struct Envelope {
    std::string eventId, dsn; // from the envelope header, when given
    std::vector<EnvelopeItem> items;
};

struct EnvelopeResult {
    Envelope envelope;
    QString error; // malformed (400): names the line or item
    bool tooLarge = false; // an event over its cap (413)
    bool ok() const { return error.isEmpty(); }
};

// `body` must outlive the result (payloads point into it).
EnvelopeResult parseEnvelope(std::string_view body, const EnvelopeLimits &limits = {});

} // namespace ed::sentry
