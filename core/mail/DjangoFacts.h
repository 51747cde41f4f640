#pragma once
// What a Django e-mail implies without saying it: which module a file is,
// whether a frame is the site's own code, a built-in exception's module, the
// parts of a request URL, and the status behind Django's "<reason>: <path>".
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ed::mail {

std::string percentDecoded(std::string_view s);

// Python's built-in exception classes: their module is "builtins".
bool isBuiltinException(std::string_view type);

// Code of the Python installation or of installed packages, not the site's own.
bool isLibraryPath(std::string_view filename);

// The dotted module a file is imported as: below site-/dist-packages, else
// below the longest entry of the report's Python Path. Empty when unknown.
std::string moduleForFile(std::string_view filename, const std::vector<std::string> &sysPath);

struct UrlParts {
    std::string scheme, host, path, fullPath; // path percent-decoded, fullPath as written
    bool ok = false;
};
UrlParts splitUrl(std::string_view url);

// The status of Django's log_response() message "<reason phrase>: <path>".
std::optional<int> statusFromMessage(std::string_view message, std::string_view path);

} // namespace ed::mail
