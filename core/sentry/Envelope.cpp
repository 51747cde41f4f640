#include "sentry/Envelope.h"

#include <simdjson.h>

namespace ed::sentry {

namespace {

using simdjson::dom::element;

// One header line as an object; false with `why` when it is not one.
bool parseHeader(simdjson::dom::parser &parser, std::string_view line, element &out, QString &why)
{
    auto doc = parser.parse(line.data(), line.size(), true);
    if (doc.error()) {
        why = QString::fromUtf8(simdjson::error_message(doc.error()));
        return false;
    }
    out = doc.value_unsafe();
    if (!out.is_object()) {
        why = QStringLiteral("not a JSON object");
        return false;
    }
    return true;
}

std::string stringField(element obj, std::string_view key)
{
    std::string_view s;
    if (obj[key].get(s) == simdjson::SUCCESS)
        return std::string(s);
    return {};
}

// The line starting at `at`, without its newline; `at` moves past it.
std::string_view takeLine(std::string_view body, size_t &at)
{
    const size_t nl = body.find('\n', at);
    const size_t end = nl == std::string_view::npos ? body.size() : nl;
    std::string_view line = body.substr(at, end - at);
    at = nl == std::string_view::npos ? body.size() : nl + 1;
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    return line;
}

size_t capFor(const std::string &type, const EnvelopeLimits &limits)
{
    if (type == "event" || type == "transaction")
        return limits.maxEventBytes;
    if (type == "attachment")
        return limits.maxAttachmentBytes;
    return limits.maxOtherBytes;
}

} // namespace

EnvelopeResult parseEnvelope(std::string_view body, const EnvelopeLimits &limits)
{
    EnvelopeResult r;
    simdjson::dom::parser parser;
    size_t at = 0;
    QString why;
    element header;
    const std::string_view first = takeLine(body, at);
    if (first.empty() || !parseHeader(parser, first, header, why)) {
        r.error = QStringLiteral("envelope header (line 1): %1").arg(first.empty() ? QStringLiteral("empty") : why);
        return r;
    }
    r.envelope.eventId = stringField(header, "event_id");
    r.envelope.dsn = stringField(header, "dsn");
    size_t index = 0;
    while (at < body.size()) {
        const std::string_view line = takeLine(body, at);
        if (line.empty())
            continue; // blank lines between items (and a trailing one) are allowed
        ++index;
        if (r.envelope.items.size() >= limits.maxItems) {
            r.error = QStringLiteral("more than %1 items in the envelope").arg(limits.maxItems);
            return r;
        }
        element ih;
        if (!parseHeader(parser, line, ih, why)) {
            r.error = QStringLiteral("item %1: header: %2").arg(index).arg(why);
            return r;
        }
        EnvelopeItem item;
        item.type = stringField(ih, "type");
        if (item.type.empty()) {
            r.error = QStringLiteral("item %1: header has no \"type\"").arg(index);
            return r;
        }
        item.filename = stringField(ih, "filename");
        item.contentType = stringField(ih, "content_type");
        std::string_view payload;
        uint64_t length = 0;
        element lenField;
        if (ih["length"].get(lenField) == simdjson::SUCCESS && !lenField.is_null()) {
            if (lenField.get(length) != simdjson::SUCCESS) {
                r.error = QStringLiteral("item %1 (%2): \"length\" is not a whole number")
                              .arg(index)
                              .arg(QString::fromStdString(item.type));
                return r;
            }
            if (length > body.size() - at) {
                r.error = QStringLiteral("item %1 (%2): \"length\" %3 runs past the end of the envelope (%4 bytes left)")
                              .arg(index)
                              .arg(QString::fromStdString(item.type))
                              .arg(length)
                              .arg(body.size() - at);
                return r;
            }
            payload = body.substr(at, size_t(length));
            at += size_t(length);
            // The newline after a payload with a length is optional at the end.
            if (at < body.size()) {
                if (body[at] == '\r' && at + 1 < body.size() && body[at + 1] == '\n')
                    ++at;
                if (body[at] != '\n') {
                    r.error = QStringLiteral("item %1 (%2): no newline after its %3 bytes")
                                  .arg(index)
                                  .arg(QString::fromStdString(item.type))
                                  .arg(length);
                    return r;
                }
                ++at;
            }
        } else {
            payload = takeLine(body, at);
        }
        if (payload.size() > capFor(item.type, limits)) {
            item.oversized = true;
            if (item.type == "event" || item.type == "transaction")
                r.tooLarge = item.type == "event";
        } else {
            item.payload = payload;
        }
        r.envelope.items.push_back(std::move(item));
    }
    return r;
}

} // namespace ed::sentry
