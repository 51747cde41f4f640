#include "sentry/SentryEvent.h"

#include "base/JsonWriter.h"
#include "mail/DjangoFacts.h"

#include <QDateTime>
#include <simdjson.h>

#include <algorithm>
#include <vector>

namespace ed::sentry {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

std::string_view str(element e, std::string_view key)
{
    std::string_view s;
    if (e.is_object() && e[key].get(s) == simdjson::SUCCESS)
        return s;
    return {};
}

bool child(element e, std::string_view key, element &out)
{
    return e.is_object() && e[key].get(out) == simdjson::SUCCESS && !out.is_null();
}

// A value as the text v1 keeps for a variable or a header: a string as it
// is, anything else as compact JSON.
std::string asText(element e)
{
    std::string_view s;
    if (e.get(s) == simdjson::SUCCESS)
        return std::string(s);
    return simdjson::minify(e);
}

// Sentry's "values" wrapper ({"values": [...]}) or a bare array.
bool valuesOf(element e, simdjson::dom::array &out)
{
    element inner;
    if (e.is_object() && e["values"].get(inner) == simdjson::SUCCESS)
        e = inner;
    return e.get(out) == simdjson::SUCCESS;
}

std::string v1Level(std::string_view level)
{
    if (level == "fatal" || level == "critical")
        return "CRITICAL";
    if (level == "warning" || level == "warn")
        return "WARNING";
    if (level == "info" || level == "log")
        return "INFO";
    if (level == "debug")
        return "DEBUG";
    return "ERROR";
}

// ErrorDeck decides what is the site's own code, not the SDK (1.9.10 marks
// Django's frames in-app): the same rule as for e-mails, plus node's own
// modules and node_modules.
bool inApp(std::string_view absPath, std::string_view filename)
{
    const std::string_view path = absPath.empty() ? filename : absPath;
    if (path.rfind("node:", 0) == 0 || path.find("/node_modules/") != std::string_view::npos)
        return false;
    return !mail::isLibraryPath(path);
}

void writeStringList(JsonWriter &w, element e)
{
    w.beginArray();
    simdjson::dom::array a;
    if (e.get(a) == simdjson::SUCCESS)
        for (element x : a)
            w.string(asText(x));
    w.endArray();
}

void writeFrame(JsonWriter &w, element f)
{
    const std::string_view absPath = str(f, "abs_path"), filename = str(f, "filename");
    w.beginObject();
    w.key("filename");
    w.string(absPath.empty() ? filename : absPath);
    w.key("module");
    w.string(str(f, "module"));
    w.key("function");
    w.string(str(f, "function"));
    int64_t lineno = 0;
    if (f.is_object() && f["lineno"].get(lineno) == simdjson::SUCCESS) {
        w.key("lineno");
        w.integer(lineno);
    }
    element pre, post, line;
    const bool hasPre = child(f, "pre_context", pre);
    if (hasPre) {
        w.key("pre_context");
        writeStringList(w, pre);
        simdjson::dom::array a;
        if (lineno > 0 && pre.get(a) == simdjson::SUCCESS) {
            w.key("pre_context_lineno");
            w.integer(lineno - int64_t(a.size()));
        }
    }
    if (child(f, "context_line", line)) {
        w.key("context_line");
        w.string(asText(line));
    }
    if (child(f, "post_context", post)) {
        w.key("post_context");
        writeStringList(w, post);
    }
    w.key("in_app");
    w.boolean(inApp(absPath, filename));
    element vars;
    if (child(f, "vars", vars) && vars.is_object()) {
        w.key("vars");
        w.beginObject();
        for (auto field : object(vars)) {
            w.key(field.key);
            w.string(asText(field.value));
        }
        w.endObject();
    }
    w.endObject();
}

// The chain as v1 nests it: the raised exception first, its cause inside it.
// Sentry lists the oldest first and the raised one last; newer SDKs say the
// same with mechanism.exception_id and parent_id instead.
std::vector<element> raisedFirst(simdjson::dom::array values)
{
    std::vector<element> list(values.begin(), values.end());
    struct Node {
        element e;
        int64_t id = -1, parent = -1;
        bool explicitCause = false;
    };
    std::vector<Node> nodes;
    bool allIds = !list.empty();
    for (element v : list) {
        Node n{v};
        element mech;
        if (child(v, "mechanism", mech)) {
            if (mech["exception_id"].get(n.id) != simdjson::SUCCESS)
                allIds = false;
            if (mech["parent_id"].get(n.parent) != simdjson::SUCCESS)
                n.parent = -1;
        } else {
            allIds = false;
        }
        nodes.push_back(n);
    }
    if (!allIds) {
        std::reverse(list.begin(), list.end());
        return list;
    }
    std::vector<element> out;
    auto root = std::find_if(nodes.begin(), nodes.end(), [](const Node &n) { return n.parent < 0; });
    int64_t at = root == nodes.end() ? nodes.back().id : root->id;
    std::vector<int64_t> seen;
    while (out.size() < nodes.size()) {
        auto it = std::find_if(nodes.begin(), nodes.end(), [&](const Node &n) { return n.id == at; });
        if (it == nodes.end() || std::find(seen.begin(), seen.end(), at) != seen.end())
            break; // a cycle or a gap: what was found stands
        seen.push_back(at);
        out.push_back(it->e);
        auto next = std::find_if(nodes.begin(), nodes.end(), [&](const Node &n) { return n.parent == at; });
        if (next == nodes.end())
            break;
        at = next->id;
    }
    return out;
}

void writeException(JsonWriter &w, const std::vector<element> &chain, size_t i)
{
    element e = chain[i];
    const std::string_view type = str(e, "type");
    std::string_view module = str(e, "module");
    if (module.empty() && mail::isBuiltinException(type))
        module = "builtins";
    w.beginObject();
    w.key("type");
    w.string(type);
    w.key("module");
    w.string(module);
    w.key("value");
    w.string(str(e, "value"));
    w.key("frames");
    w.beginArray();
    element st;
    simdjson::dom::array frames;
    if (child(e, "stacktrace", st) && st["frames"].get(frames) == simdjson::SUCCESS)
        for (element f : frames)
            writeFrame(w, f);
    w.endArray();
    w.key("cause");
    if (i + 1 < chain.size()) {
        writeException(w, chain, i + 1);
        element mech;
        w.key("cause_explicit");
        w.boolean(child(chain[i + 1], "mechanism", mech) && str(mech, "source") == "cause");
    } else {
        w.null();
        w.key("cause_explicit");
        w.boolean(false);
    }
    w.endObject();
}

// "a=1; b=2" (a Cookie header as the SDK may send it) or an object.
void writeCookies(JsonWriter &w, element c)
{
    w.beginObject();
    std::string_view s;
    if (c.get(s) == simdjson::SUCCESS) {
        size_t at = 0;
        while (at < s.size()) {
            size_t end = s.find(';', at);
            if (end == std::string_view::npos)
                end = s.size();
            std::string_view pair = s.substr(at, end - at);
            while (!pair.empty() && pair.front() == ' ')
                pair.remove_prefix(1);
            const size_t eq = pair.find('=');
            if (!pair.empty()) {
                w.key(pair.substr(0, eq));
                w.string(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
            }
            at = end + 1;
        }
    } else if (c.is_object()) {
        for (auto field : object(c)) {
            w.key(field.key);
            w.string(asText(field.value));
        }
    }
    w.endObject();
}

// A query string's parameters, each a list of its values (a QueryDict).
void writeQuery(JsonWriter &w, std::string_view q)
{
    std::vector<std::pair<std::string, std::vector<std::string>>> params;
    size_t at = 0;
    while (at < q.size()) {
        size_t end = q.find('&', at);
        if (end == std::string_view::npos)
            end = q.size();
        const std::string_view pair = q.substr(at, end - at);
        at = end + 1;
        if (pair.empty())
            continue;
        const size_t eq = pair.find('=');
        auto decode = [](std::string_view s) {
            std::string plus(s);
            std::replace(plus.begin(), plus.end(), '+', ' ');
            return mail::percentDecoded(plus);
        };
        const std::string key = decode(pair.substr(0, eq));
        const std::string value = eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1));
        auto it = std::find_if(params.begin(), params.end(), [&](const auto &p) { return p.first == key; });
        if (it == params.end())
            params.push_back({key, {value}});
        else
            it->second.push_back(value);
    }
    w.beginObject();
    for (const auto &[k, vs] : params) {
        w.key(k);
        w.beginArray();
        for (const auto &v : vs)
            w.string(v);
        w.endArray();
    }
    w.endObject();
}

std::string metaName(std::string_view header)
{
    std::string name(header);
    for (char &c : name)
        c = c == '-' ? '_' : char(std::toupper(static_cast<unsigned char>(c)));
    if (name != "CONTENT_TYPE" && name != "CONTENT_LENGTH")
        name.insert(0, "HTTP_");
    return name;
}

void writeRequest(JsonWriter &w, element req, const element *user)
{
    const std::string_view url = str(req, "url"), query = str(req, "query_string");
    mail::UrlParts parts = mail::splitUrl(url);
    w.beginObject();
    w.key("method");
    w.string(str(req, "method"));
    if (parts.ok) {
        std::string fullPath = parts.fullPath;
        if (!query.empty() && fullPath.find('?') == std::string::npos)
            fullPath += "?" + std::string(query);
        w.key("scheme");
        w.string(parts.scheme);
        w.key("host");
        w.string(parts.host);
        w.key("path");
        w.string(parts.path);
        w.key("full_path");
        w.string(fullPath);
        w.key("url");
        w.string(parts.scheme + "://" + parts.host + fullPath);
    }
    element env, headers, data, cookies;
    std::string_view remote;
    const bool hasEnv = child(req, "env", env);
    if (hasEnv)
        remote = str(env, "REMOTE_ADDR");
    if (remote.empty() && user)
        remote = str(*user, "ip_address");
    if (!remote.empty()) {
        w.key("remote_addr");
        w.string(remote);
    }
    std::string_view who;
    if (user)
        who = !str(*user, "username").empty() ? str(*user, "username")
              : !str(*user, "email").empty()  ? str(*user, "email")
                                              : str(*user, "id");
    if (!who.empty()) {
        w.key("user");
        w.string(who);
    }
    w.key("GET");
    writeQuery(w, query);
    w.key("POST");
    w.beginObject();
    if (child(req, "data", data)) {
        if (data.is_object()) {
            for (auto field : object(data)) {
                w.key(field.key);
                w.string(asText(field.value));
            }
        } else {
            w.key("body");
            w.string(asText(data));
        }
    }
    w.endObject();
    w.key("COOKIES");
    if (child(req, "cookies", cookies)) {
        writeCookies(w, cookies);
    } else {
        w.beginObject();
        w.endObject();
    }
    w.key("META");
    w.beginObject();
    if (child(req, "headers", headers) && headers.is_object())
        for (auto field : object(headers)) {
            w.key(metaName(field.key));
            w.string(asText(field.value));
        }
    if (hasEnv && env.is_object())
        for (auto field : object(env)) {
            w.key(field.key);
            w.string(asText(field.value));
        }
    w.endObject();
    w.endObject();
}

bool isHex32(std::string_view s)
{
    if (s.size() != 32 && s.size() != 36)
        return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == '-'; });
}

} // namespace

std::string formatLogMessage(std::string_view message, const std::vector<std::string> &params)
{
    std::string out;
    size_t next = 0;
    for (size_t i = 0; i < message.size(); ++i) {
        const char c = message[i];
        if (c != '%' || i + 1 >= message.size()) {
            out += c;
            continue;
        }
        const char spec = message[i + 1];
        if (spec == '%') {
            out += '%';
            ++i;
        } else if (std::string_view("sdrifx").find(spec) != std::string_view::npos) {
            if (next >= params.size())
                return std::string(message);
            out += params[next++];
            ++i;
        } else {
            out += c;
        }
    }
    return next == params.size() ? out : std::string(message);
}

Result<EventFacts> eventToV1Record(std::string_view event, int64_t site, std::string_view attachments, std::string &json)
{
    thread_local simdjson::dom::parser parser;
    element root;
    if (auto err = parser.parse(event.data(), event.size(), true).get(root); err)
        return makeError(QStringLiteral("the event is not JSON: %1").arg(QString::fromUtf8(simdjson::error_message(err))),
                         ErrorKind::InvalidInput);
    if (!root.is_object())
        return makeError(QStringLiteral("the event is not a JSON object"), ErrorKind::InvalidInput);
    EventFacts facts;
    const std::string_view eventId = str(root, "event_id");
    if (!eventId.empty() && isHex32(eventId))
        facts.eventId = eventId;

    // The chain, the message and what Django would have logged for it.
    std::vector<element> chain;
    element exc;
    simdjson::dom::array values;
    if (child(root, "exception", exc) && valuesOf(exc, values))
        chain = raisedFirst(values);
    bool djangoRequest = false;
    element mech;
    if (!chain.empty() && child(chain.front(), "mechanism", mech))
        djangoRequest = str(mech, "type") == "django";

    std::string message, logger(str(root, "logger"));
    element logentry, req, user;
    const bool hasRequest = child(root, "request", req);
    const bool hasUser = child(root, "user", user);
    if (child(root, "logentry", logentry) || child(root, "message", logentry)) {
        std::string_view formatted = str(logentry, "formatted");
        if (formatted.empty()) {
            std::vector<std::string> params;
            simdjson::dom::array pa;
            if (logentry["params"].get(pa) == simdjson::SUCCESS)
                for (element p : pa)
                    params.push_back(asText(p));
            message = formatLogMessage(str(logentry, "message"), params);
        } else {
            message = formatted;
        }
        std::string_view plain;
        if (message.empty() && logentry.get(plain) == simdjson::SUCCESS)
            message = plain; // "message": "text" in the legacy form
    }
    if (message.empty() && djangoRequest && hasRequest) {
        // What django.request logs for the same failure, so the reports of it
        // read and filter alike whichever way they came.
        const mail::UrlParts parts = mail::splitUrl(str(req, "url"));
        message = "Internal Server Error: " + (parts.ok ? parts.path : std::string(str(req, "url")));
        if (logger.empty())
            logger = "django.request";
    }
    if (message.empty() && !chain.empty()) {
        message = std::string(str(chain.front(), "type"));
        if (const std::string_view v = str(chain.front(), "value"); !v.empty())
            message += ": " + std::string(v);
    }
    if (message.empty())
        message = "(no message)";

    json.clear();
    JsonWriter w(json);
    w.beginObject();
    w.key("format");
    w.string("errordeck/1");
    if (!facts.eventId.empty()) {
        w.key("event_id");
        w.string(facts.eventId);
    }
    w.key("timestamp");
    element ts;
    double seconds = 0;
    std::string_view tsText;
    if (child(root, "timestamp", ts) && ts.get(tsText) == simdjson::SUCCESS)
        w.string(tsText);
    else if (child(root, "timestamp", ts) && ts.get(seconds) == simdjson::SUCCESS)
        w.number(seconds);
    else
        w.string(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString());
    w.key("level");
    w.string(v1Level(str(root, "level")));
    if (!logger.empty()) {
        w.key("logger");
        w.string(logger);
    }
    w.key("message");
    w.string(message);
    if (djangoRequest) {
        w.key("status_code");
        w.integer(500);
    }
    w.key("site");
    w.string(std::to_string(site));
    if (!chain.empty()) {
        w.key("exception");
        writeException(w, chain, 0);
    }
    if (hasRequest && req.is_object()) {
        w.key("request");
        writeRequest(w, req, hasUser ? &user : nullptr);
    }
    w.key("environment");
    w.beginObject();
    if (const std::string_view host = str(root, "server_name"); !host.empty()) {
        w.key("hostname");
        w.string(host);
    }
    element contexts, runtime;
    if (child(root, "contexts", contexts) && child(contexts, "runtime", runtime)) {
        w.key("runtime");
        w.string(std::string(str(runtime, "name")) + " " + std::string(str(runtime, "version")));
    }
    w.endObject();
    // What v1 has no field for, under the Sentry names.
    w.key("extra");
    w.beginObject();
    for (std::string_view key : {"release", "environment", "server_name", "platform", "transaction", "dist"}) {
        if (const std::string_view v = str(root, key); !v.empty()) {
            w.key(key);
            w.string(v);
        }
    }
    for (std::string_view key : {"user", "tags", "contexts", "extra", "fingerprint", "_meta", "sdk"}) {
        element v;
        if (child(root, key, v)) {
            w.key(key == "extra" ? std::string_view("sentry_extra") : key);
            w.raw(simdjson::minify(v));
        }
    }
    element crumbs;
    simdjson::dom::array crumbList;
    if (child(root, "breadcrumbs", crumbs) && valuesOf(crumbs, crumbList) && crumbList.size() > 0) {
        w.key("breadcrumbs");
        w.raw(simdjson::minify(crumbList));
    }
    if (!attachments.empty()) {
        w.key("attachments");
        w.raw(attachments);
    }
    w.endObject();
    w.endObject();
    return facts;
}

} // namespace ed::sentry
