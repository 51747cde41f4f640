#include "model/RecordTransformer.h"

#include "base/JsonWriter.h"
#include "base/Level.h"
#include "base/Timestamp.h"
#include "model/TopLevelSpan.h"

#include <simdjson.h>

#include <unordered_set>

namespace ed {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

namespace {

constexpr std::string_view kFormatV1 = "errordeck/1";

std::string_view typeName(element_type t)
{
    switch (t) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64: return "an integer";
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
    }
    return "unknown";
}

Error typeError(std::string_view field, std::string_view wanted, element e)
{
    return Error{QStringLiteral("field '%1' must be %2, not %3")
                     .arg(QString::fromUtf8(field.data(), qsizetype(field.size())),
                          QString::fromUtf8(wanted.data(), qsizetype(wanted.size())),
                          QString::fromUtf8(typeName(e.type()).data()))};
}

bool isNull(element e) { return e.type() == element_type::NULL_VALUE; }

} // namespace

RecordFacts TransformedRecord::facts() const
{
    RecordFacts f;
    f.level = level;
    f.logger = logger;
    f.message = message;
    f.statusCode = statusCode;
    f.exceptionType = exceptionType;
    f.exceptionTypes = exceptionTypes;
    f.host = host.empty() ? std::string_view(site) : std::string_view(host);
    f.fullPath = fullPath.empty() ? std::string_view(path) : std::string_view(fullPath);
    f.referer = referer;
    f.userAgent = userAgent;
    f.remoteAddr = remoteAddr;
    return f;
}

struct RecordTransformer::Impl {
    const Scrubber &scrubber;
    simdjson::dom::parser parser{RecordTransformer::kMaxRecordBytes};
    std::string scratch; // scrubbed copy of one string
    TransformedRecord *rec = nullptr;
    std::unordered_set<std::string> ftsFrameSeen;
    // Settings blocks this worker wrote (TopLevelSpan.h): a record whose block
    // is one of them is parsed with `{}` in its place and gets the part written before.
    static constexpr size_t kMinSettingsBytes = 512;
    SeenBlocks seenSettings;
    TopLevelSpan spans;
    std::string shortened; // the record with its settings as {}, padded
    const SeenBlocks::Entry *settingsSeen = nullptr; // this record's block, written before
    std::string_view settingsText; // this record's block, not seen yet: to remember
    Hash128 settingsTextHash{};

    explicit Impl(const Scrubber &s) : scrubber(s) { }

    // The scrubbed text of a string value, in `scratch`.
    const std::string &scrubbed(std::string_view s)
    {
        scratch.assign(s);
        scrubber.scrubText(scratch);
        return scratch;
    }

    void writeMasked(JsonWriter &w, element e)
    {
        // Keep the shape of lists (POST values are lists) so the count still shows.
        if (e.type() == element_type::ARRAY) {
            w.beginArray();
            simdjson::dom::array items = e.get_array().value_unsafe();
            for (element item : items) {
                (void)item;
                w.string(kScrubbedValue);
            }
            w.endArray();
        } else {
            w.string(kScrubbedValue);
        }
    }

    // Any value, scrubbing keys by zone and every string by value patterns.
    void writeValue(JsonWriter &w, element e, ScrubZone zone)
    {
        switch (e.type()) {
        case element_type::OBJECT: {
            w.beginObject();
            object members = e.get_object().value_unsafe();
            for (auto field : members) {
                w.key(field.key);
                if (zone != ScrubZone::None && scrubber.isSensitiveKey(zone, field.key))
                    writeMasked(w, field.value);
                else
                    writeValue(w, field.value, zone);
            }
            w.endObject();
            break;
        }
        case element_type::ARRAY: {
            w.beginArray();
            simdjson::dom::array items = e.get_array().value_unsafe();
            for (element item : items)
                writeValue(w, item, zone);
            w.endArray();
            break;
        }
        case element_type::STRING: w.string(scrubbed(e.get_string().value_unsafe())); break;
        case element_type::INT64: w.integer(e.get_int64().value_unsafe()); break;
        case element_type::UINT64: w.raw(std::to_string(e.get_uint64().value_unsafe())); break;
        case element_type::DOUBLE: w.number(e.get_double().value_unsafe()); break;
        case element_type::BOOL: w.boolean(e.get_bool().value_unsafe()); break;
        case element_type::NULL_VALUE: w.null(); break;
        }
    }

    // Stores `json` as a part (once) and writes a reference to it.
    void writePartRef(JsonWriter &w, std::string &&json) { writePartRef(w, hash128(json), std::move(json)); }
    void writePartRef(JsonWriter &w, const Hash128 &h, std::string &&json)
    {
        bool queued = false;
        for (const auto &p : rec->newParts)
            queued = queued || p.hash == h;
        if (!queued)
            rec->newParts.push_back({h, std::move(json)});
        w.key("$merge");
        w.string(toHex(h));
    }

    Result<void> writeObjectAsPart(JsonWriter &w, std::string_view name, element e, ScrubZone zone)
    {
        if (isNull(e)) {
            w.key(name);
            w.null();
            return {};
        }
        if (e.type() != element_type::OBJECT)
            return typeError(name, "an object", e);
        w.key(name);
        w.beginObject();
        if (zone == ScrubZone::Settings && settingsSeen) {
            writePartRef(w, settingsSeen->hash, std::string(settingsSeen->json));
            w.endObject();
            return {};
        }
        std::string json;
        JsonWriter pw(json);
        const int64_t undecided = scrubber.undecidedCount();
        writeValue(pw, e, zone);
        const Hash128 h = hash128(json);
        // Remembered unless a pattern could not decide on it: each such text counts.
        if (zone == ScrubZone::Settings && !settingsText.empty() && scrubber.undecidedCount() == undecided)
            seenSettings.remember({settingsTextHash, h, std::string(settingsText), json});
        writePartRef(w, h, std::move(json));
        w.endObject();
        return {};
    }

    // The text simdjson parses: `json` itself, or, when its settings block is one
    // written before, a copy with `{}` in its place (settingsSeen set).
    std::string_view textToParse(std::string_view json, bool padded)
    {
        settingsSeen = nullptr;
        settingsText = {};
        std::string_view span;
        if (!padded || json.size() < kMinSettingsBytes || !spans.find(json, "settings", span) || span.size() < kMinSettingsBytes)
            return json;
        settingsTextHash = hash128(span);
        settingsSeen = seenSettings.find(settingsTextHash, span);
        if (!settingsSeen) {
            settingsText = span;
            return json;
        }
        const size_t at = size_t(span.data() - json.data());
        shortened.assign(json.substr(0, at));
        shortened += "{}";
        shortened.append(json.substr(at + span.size()));
        const size_t n = shortened.size();
        shortened.append(simdjson::SIMDJSON_PADDING, ' ');
        return std::string_view(shortened.data(), n);
    }

    static bool isContextKey(std::string_view k)
    {
        return k == "pre_context" || k == "context_line" || k == "post_context" || k == "pre_context_lineno";
    }

    Result<void> writeFrame(JsonWriter &w, element e, GroupingFrame &gf)
    {
        if (e.type() != element_type::OBJECT)
            return Error{
                QStringLiteral("exception.frames must hold objects, not %1").arg(QString::fromUtf8(typeName(e.type()).data()))};
        object frame = e.get_object().value_unsafe();
        std::string context;
        JsonWriter cw(context);
        cw.beginObject();
        bool hasContext = false;
        w.beginObject();
        for (auto field : frame) {
            const std::string_view k = field.key;
            element v = field.value;
            if (isContextKey(k)) {
                hasContext = true;
                cw.key(k);
                writeValue(cw, v, ScrubZone::None);
                continue;
            }
            w.key(k);
            if (k == "vars") {
                if (!isNull(v) && v.type() != element_type::OBJECT)
                    return typeError("exception.frames[].vars", "an object", v);
                writeValue(w, v, ScrubZone::FrameVars);
                continue;
            }
            if ((k == "filename" || k == "module" || k == "function") && v.type() == element_type::STRING) {
                const std::string_view s = v.get_string().value_unsafe();
                (k == "filename" ? gf.filename : k == "module" ? gf.module : gf.function) = s;
            } else if (k == "in_app" && v.type() == element_type::BOOL) {
                gf.inApp = v.get_bool().value_unsafe();
            } else if (k == "lineno" && !isNull(v) && v.type() != element_type::INT64 && v.type() != element_type::UINT64) {
                return typeError("exception.frames[].lineno", "an integer", v);
            }
            writeValue(w, v, ScrubZone::None);
        }
        cw.endObject();
        if (hasContext)
            writePartRef(w, std::move(context));
        w.endObject();
        if (!gf.filename.empty() || !gf.function.empty()) {
            std::string key(gf.filename);
            key += ' ';
            key += gf.function;
            if (ftsFrameSeen.insert(key).second) {
                if (!rec->ftsFrames.empty())
                    rec->ftsFrames += '\n';
                rec->ftsFrames += key;
            }
        }
        return {};
    }

    Result<void> writeException(JsonWriter &w, element e, GroupingInput &gi, int depth)
    {
        if (e.type() != element_type::OBJECT)
            return typeError("exception", "an object or null", e);
        if (depth > 100)
            return Error{QStringLiteral("exception chain deeper than 100 causes")};
        object exc = e.get_object().value_unsafe();
        gi.chain.emplace_back();
        const size_t index = gi.chain.size() - 1;
        element cause;
        bool hasCause = false, causeNull = false;
        std::string type, value;
        w.beginObject();
        for (auto field : exc) {
            const std::string_view k = field.key;
            element v = field.value;
            if (k == "cause") {
                hasCause = !isNull(v);
                causeNull = isNull(v);
                cause = v;
                continue; // written last, after this exception's own fields
            }
            w.key(k);
            if (k == "frames") {
                if (isNull(v)) {
                    w.null();
                    continue;
                }
                if (v.type() != element_type::ARRAY)
                    return typeError("exception.frames", "an array", v);
                w.beginArray();
                simdjson::dom::array frames = v.get_array().value_unsafe();
                for (element f : frames) {
                    GroupingFrame gf;
                    if (auto r = writeFrame(w, f, gf); !r)
                        return r;
                    gi.chain[index].frames.push_back(gf);
                    ++rec->frameCount;
                }
                w.endArray();
                continue;
            }
            if (k == "type" && !isNull(v)) { // null: not known (an e-mail names only the last type)
                if (v.type() != element_type::STRING)
                    return typeError("exception.type", "a string or null", v);
                gi.chain[index].type = v.get_string().value_unsafe();
                type = gi.chain[index].type;
            } else if (k == "value" && v.type() == element_type::STRING) {
                value = scrubbed(v.get_string().value_unsafe());
            }
            writeValue(w, v, ScrubZone::None);
        }
        if (causeNull) {
            w.key("cause");
            w.null();
        } else if (hasCause) {
            w.key("cause");
            if (auto r = writeException(w, cause, gi, depth + 1); !r)
                return r;
        }
        w.endObject();
        if (index == 0) {
            rec->exceptionType = type;
            rec->exceptionValue = value;
        }
        if (!type.empty()) {
            if (!rec->exceptionTypes.empty())
                rec->exceptionTypes += ' ';
            rec->exceptionTypes += type;
        }
        if (!rec->ftsException.empty())
            rec->ftsException += '\n';
        rec->ftsException += type;
        if (!value.empty()) {
            if (!type.empty())
                rec->ftsException += ": ";
            rec->ftsException += value;
        }
        return {};
    }

    // The request: scrubbed by zone, with the fields the indexes and rules need kept aside.
    Result<void> writeRequest(JsonWriter &w, element e)
    {
        if (e.type() != element_type::OBJECT)
            return typeError("request", "an object or null", e);
        w.beginObject();
        object members = e.get_object().value_unsafe();
        for (auto field : members) {
            const std::string_view k = field.key;
            element v = field.value;
            w.key(k);
            ScrubZone zone = ScrubZone::None;
            if (k == "GET" || k == "POST" || k == "FILES")
                zone = ScrubZone::RequestData;
            else if (k == "COOKIES")
                zone = ScrubZone::Cookies;
            else if (k == "META")
                zone = ScrubZone::Meta;
            if (zone != ScrubZone::None) {
                if (!isNull(v) && v.type() != element_type::OBJECT)
                    return typeError(std::string("request.") + std::string(k), "an object", v);
                if (zone == ScrubZone::Meta && !isNull(v)) {
                    object meta = v.get_object().value_unsafe();
                    std::string_view s;
                    if (meta["HTTP_REFERER"].get(s) == simdjson::SUCCESS)
                        rec->referer = scrubbed(s);
                    if (meta["HTTP_USER_AGENT"].get(s) == simdjson::SUCCESS)
                        rec->userAgent = scrubbed(s);
                    if (rec->remoteAddr.empty() && meta["REMOTE_ADDR"].get(s) == simdjson::SUCCESS)
                        rec->remoteAddr = scrubbed(s);
                }
                writeValue(w, v, zone);
                continue;
            }
            if (v.type() == element_type::STRING) {
                const std::string &s = scrubbed(v.get_string().value_unsafe());
                if (k == "method")
                    rec->method = s;
                else if (k == "host")
                    rec->host = s;
                else if (k == "path")
                    rec->path = s;
                else if (k == "full_path")
                    rec->fullPath = s;
                else if (k == "url")
                    rec->url = s;
                else if (k == "remote_addr")
                    rec->remoteAddr = s;
                else if (k == "user")
                    rec->user = s;
                w.string(s);
                continue;
            }
            writeValue(w, v, ScrubZone::None);
        }
        w.endObject();
        return {};
    }

    Result<void> run(std::string_view json, bool padded, TransformedRecord &out)
    {
        out = TransformedRecord{};
        rec = &out;
        ftsFrameSeen.clear();
        if (json.size() > RecordTransformer::kMaxRecordBytes)
            return Error{QStringLiteral("record of %1 MB is over the %2 MB limit")
                             .arg(double(json.size()) / (1 << 20), 0, 'f', 1)
                             .arg(RecordTransformer::kMaxRecordBytes >> 20)};
        element root;
        const std::string_view text = textToParse(json, padded);
        auto err = parser.parse(reinterpret_cast<const uint8_t *>(text.data()), text.size(), !padded).get(root);
        if (err && settingsSeen) {
            // Not expected (the rest of a valid record is valid): the whole text
            // then, for the same verdict and message as always.
            settingsSeen = nullptr;
            err = parser.parse(reinterpret_cast<const uint8_t *>(json.data()), json.size(), !padded).get(root);
        }
        if (err == simdjson::UTF8_ERROR)
            return Error{QStringLiteral("invalid UTF-8")};
        if (err)
            return Error{QStringLiteral("not valid JSON (%1)").arg(QString::fromUtf8(simdjson::error_message(err)))};
        if (root.type() != element_type::OBJECT)
            return Error{
                QStringLiteral("a record must be a JSON object, not %1").arg(QString::fromUtf8(typeName(root.type()).data()))};
        object obj = root.get_object().value_unsafe();

        // Required fields and the format version first: reject before writing anything.
        element v;
        if (obj["format"].get(v) == simdjson::SUCCESS && !isNull(v)) {
            std::string_view f;
            if (v.get(f) != simdjson::SUCCESS)
                return typeError("format", "a string", v);
            if (f != kFormatV1)
                return Error{QStringLiteral("unsupported format '%1' (this version reads errordeck/1)")
                                 .arg(QString::fromUtf8(f.data(), qsizetype(f.size())))};
        }
        if (obj["timestamp"].get(v) != simdjson::SUCCESS || isNull(v))
            return Error{QStringLiteral("missing required field 'timestamp'")};
        if (v.type() == element_type::STRING) {
            const std::string_view ts = v.get_string().value_unsafe();
            const auto t = parseIsoTimestamp(ts);
            if (!t)
                return Error{QStringLiteral("invalid timestamp '%1'")
                                 .arg(QString::fromUtf8(ts.data(), qsizetype(std::min<size_t>(ts.size(), 64))))};
            out.timestamp = *t;
        } else if (v.is_number()) {
            const auto t = timestampFromSeconds(v.get_double().value_unsafe());
            if (!t)
                return Error{QStringLiteral("timestamp out of range")};
            out.timestamp = *t;
        } else {
            return typeError("timestamp", "a string or number", v);
        }
        if (obj["level"].get(v) != simdjson::SUCCESS || isNull(v))
            return Error{QStringLiteral("missing required field 'level'")};
        if (v.type() == element_type::STRING) {
            const std::string_view l = v.get_string().value_unsafe();
            const auto level = parseLevel(l);
            if (!level)
                return Error{QStringLiteral("unknown level '%1'")
                                 .arg(QString::fromUtf8(l.data(), qsizetype(std::min<size_t>(l.size(), 32))))};
            out.level = *level;
        } else if (v.type() == element_type::INT64) {
            const auto level = levelFromNumber(v.get_int64().value_unsafe());
            if (!level)
                return Error{QStringLiteral("level %1 is outside 0..50").arg(v.get_int64().value_unsafe())};
            out.level = *level;
        } else {
            return typeError("level", "a string or integer", v);
        }
        if (obj["message"].get(v) != simdjson::SUCCESS || isNull(v))
            return Error{QStringLiteral("missing required field 'message'")};
        if (v.type() != element_type::STRING)
            return typeError("message", "a string", v);
        if (obj["event_id"].get(v) == simdjson::SUCCESS && !isNull(v)) {
            std::string_view id;
            if (v.get(id) != simdjson::SUCCESS)
                return typeError("event_id", "a string", v);
            if (id.size() > 200)
                return Error{QStringLiteral("event_id longer than 200 characters")};
            out.eventId = id;
        }

        // One pass writes the body; known fields are checked and kept aside on the way.
        GroupingInput gi;
        JsonWriter w(out.body);
        w.beginObject();
        for (auto field : obj) {
            const std::string_view k = field.key;
            v = field.value;
            if (k == "exception") {
                w.key(k);
                if (isNull(v)) {
                    w.null();
                    continue;
                }
                if (auto r = writeException(w, v, gi, 0); !r)
                    return r;
            } else if (k == "request") {
                w.key(k);
                if (isNull(v)) {
                    w.null();
                    continue;
                }
                if (auto r = writeRequest(w, v); !r)
                    return r;
            } else if (k == "settings") {
                if (auto r = writeObjectAsPart(w, k, v, ScrubZone::Settings); !r)
                    return r;
            } else if (k == "environment") {
                if (auto r = writeObjectAsPart(w, k, v, ScrubZone::Environment); !r)
                    return r;
            } else if (k == "extra") {
                if (!isNull(v) && v.type() != element_type::OBJECT)
                    return typeError(k, "an object", v);
                w.key(k);
                writeValue(w, v, ScrubZone::Extra);
                std::string_view release;
                if (!isNull(v) && v["release"].get(release) == simdjson::SUCCESS)
                    out.release = scrubbed(release);
            } else if (k == "status_code") {
                w.key(k);
                if (isNull(v)) {
                    w.null();
                    continue;
                }
                int64_t code;
                if (v.get(code) != simdjson::SUCCESS)
                    return typeError(k, "an integer", v);
                if (code < 0 || code > 999)
                    return Error{QStringLiteral("status_code %1 is not an HTTP status").arg(code)};
                out.statusCode = int(code);
                w.integer(code);
            } else if (k == "logger" || k == "site" || k == "message") {
                w.key(k);
                if (isNull(v)) {
                    w.null();
                    continue;
                }
                if (v.type() != element_type::STRING)
                    return typeError(k, "a string", v);
                const std::string &s = scrubbed(v.get_string().value_unsafe());
                (k == "logger" ? out.logger : k == "site" ? out.site : out.message) = s;
                w.string(s);
            } else {
                w.key(k);
                writeValue(w, v, ScrubZone::None);
            }
        }
        w.endObject();

        if (out.site.empty())
            out.site = out.host;
        if (out.path.empty() && out.statusCode == 404) {
            constexpr std::string_view prefix = "Not Found: ";
            if (out.message.rfind(prefix, 0) == 0)
                out.path = out.message.substr(prefix.size());
        }
        out.dedupKey = out.eventId.empty() ? hash128(json) : dedupKeyForEventId(out.eventId);

        for (auto &e : gi.chain)
            if (&e == &gi.chain.front())
                e.value = out.exceptionValue;
        gi.logger = out.logger;
        gi.message = out.message;
        gi.statusCode = out.statusCode;
        gi.path = out.path;
        out.grouping = computeGrouping(gi);
        return {};
    }
};

RecordTransformer::RecordTransformer(const Scrubber &scrubber) : d(std::make_unique<Impl>(scrubber)) { }

RecordTransformer::~RecordTransformer() = default;

Result<void> RecordTransformer::transform(std::string_view json, bool padded, TransformedRecord &out)
{
    return d->run(json, padded, out);
}

Hash128 RecordTransformer::dedupKeyForEventId(std::string_view eventId)
{
    std::string key("id:");
    key += eventId;
    return hash128(key);
}

} // namespace ed
