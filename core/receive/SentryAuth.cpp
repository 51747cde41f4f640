#include "receive/SentryAuth.h"

#include <cctype>

namespace ed::receive {

std::string keyFromAuthHeader(std::string_view value)
{
    // "Sentry sentry_key=abc, sentry_version=7, sentry_client=..."
    size_t at = 0;
    while (at < value.size()) {
        size_t end = value.find(',', at);
        if (end == std::string_view::npos)
            end = value.size();
        std::string_view pair = value.substr(at, end - at);
        at = end + 1;
        while (!pair.empty() && std::isspace(static_cast<unsigned char>(pair.front())))
            pair.remove_prefix(1);
        if (pair.size() >= 7 && (pair.substr(0, 7) == "Sentry " || pair.substr(0, 7) == "sentry "))
            pair.remove_prefix(7);
        while (!pair.empty() && std::isspace(static_cast<unsigned char>(pair.front())))
            pair.remove_prefix(1);
        constexpr std::string_view name = "sentry_key=";
        if (pair.substr(0, name.size()) == name) {
            std::string_view key = pair.substr(name.size());
            while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back())))
                key.remove_suffix(1);
            return std::string(key);
        }
    }
    return {};
}

DsnParts parseDsn(std::string_view dsn)
{
    DsnParts d;
    const size_t scheme = dsn.find("://");
    if (scheme == std::string_view::npos)
        return d;
    std::string_view rest = dsn.substr(scheme + 3);
    const size_t atSign = rest.find('@');
    if (atSign == std::string_view::npos)
        return d;
    std::string_view user = rest.substr(0, atSign);
    d.key = std::string(user.substr(0, user.find(':')));
    rest = rest.substr(atSign + 1);
    const size_t slash = rest.find('/');
    if (slash == std::string_view::npos)
        return d;
    d.host = std::string(rest.substr(0, slash));
    std::string_view path = rest.substr(slash + 1);
    while (!path.empty() && path.back() == '/')
        path.remove_suffix(1);
    const size_t last = path.rfind('/');
    const std::string_view project = last == std::string_view::npos ? path : path.substr(last + 1);
    if (project.empty() || project.size() > 18)
        return d;
    for (char c : project) {
        if (c < '0' || c > '9')
            return d;
        d.project = d.project * 10 + (c - '0');
    }
    d.ok = !d.key.empty();
    return d;
}

std::string makeDsn(std::string_view key, std::string_view host, int port, int64_t number)
{
    std::string h(host);
    if (h.find(':') != std::string::npos && h.front() != '[')
        h = "[" + h + "]"; // an IPv6 address
    return "http://" + std::string(key) + "@" + h + ":" + std::to_string(port) + "/" + std::to_string(number);
}

} // namespace ed::receive
