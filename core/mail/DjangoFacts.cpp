#include "mail/DjangoFacts.h"

#include <QByteArray>
#include <QRegularExpression>
#include <QString>

#include <algorithm>
#include <iterator>

namespace ed::mail {

namespace {
bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
} // namespace

std::string percentDecoded(std::string_view s)
{
    if (s.find('%') == std::string_view::npos)
        return std::string(s);
    return QByteArray::fromPercentEncoding(QByteArray(s.data(), qsizetype(s.size()))).toStdString();
}

bool isBuiltinException(std::string_view type)
{
    static constexpr std::string_view kNames[] = {"ArithmeticError",
                                                  "AssertionError",
                                                  "AttributeError",
                                                  "BaseException",
                                                  "BaseExceptionGroup",
                                                  "BlockingIOError",
                                                  "BrokenPipeError",
                                                  "BufferError",
                                                  "BytesWarning",
                                                  "ChildProcessError",
                                                  "ConnectionAbortedError",
                                                  "ConnectionError",
                                                  "ConnectionRefusedError",
                                                  "ConnectionResetError",
                                                  "DeprecationWarning",
                                                  "EOFError",
                                                  "EncodingWarning",
                                                  "EnvironmentError",
                                                  "Exception",
                                                  "ExceptionGroup",
                                                  "FileExistsError",
                                                  "FileNotFoundError",
                                                  "FloatingPointError",
                                                  "FutureWarning",
                                                  "GeneratorExit",
                                                  "IOError",
                                                  "ImportError",
                                                  "ImportWarning",
                                                  "IndentationError",
                                                  "IndexError",
                                                  "InterruptedError",
                                                  "IsADirectoryError",
                                                  "KeyError",
                                                  "KeyboardInterrupt",
                                                  "LookupError",
                                                  "MemoryError",
                                                  "ModuleNotFoundError",
                                                  "NameError",
                                                  "NotADirectoryError",
                                                  "NotImplementedError",
                                                  "OSError",
                                                  "OverflowError",
                                                  "PendingDeprecationWarning",
                                                  "PermissionError",
                                                  "ProcessLookupError",
                                                  "RecursionError",
                                                  "ReferenceError",
                                                  "ResourceWarning",
                                                  "RuntimeError",
                                                  "RuntimeWarning",
                                                  "StopAsyncIteration",
                                                  "StopIteration",
                                                  "SyntaxError",
                                                  "SyntaxWarning",
                                                  "SystemError",
                                                  "SystemExit",
                                                  "TabError",
                                                  "TimeoutError",
                                                  "TypeError",
                                                  "UnboundLocalError",
                                                  "UnicodeDecodeError",
                                                  "UnicodeEncodeError",
                                                  "UnicodeError",
                                                  "UnicodeTranslateError",
                                                  "UnicodeWarning",
                                                  "UserWarning",
                                                  "ValueError",
                                                  "Warning",
                                                  "ZeroDivisionError"};
    return std::find(std::begin(kNames), std::end(kNames), type) != std::end(kNames);
}

bool isLibraryPath(std::string_view filename)
{
    static const QRegularExpression stdlib(QStringLiteral(R"(/lib(64)?/python\d[\d.]*/)"));
    if (filename.empty() || filename.front() == '<')
        return true; // "<frozen importlib._bootstrap>", "<string>"
    if (filename.find("/site-packages/") != std::string_view::npos || filename.find("/dist-packages/") != std::string_view::npos)
        return true;
    return stdlib.match(QString::fromUtf8(filename.data(), qsizetype(filename.size()))).hasMatch();
}

namespace {

bool isIdentifier(std::string_view s)
{
    if (s.empty() || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (char c : s)
        if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              static_cast<unsigned char>(c) >= 0x80))
            return false;
    return true;
}

} // namespace

// The dotted module a file is imported as: below site-/dist-packages, else
// below the longest entry of the report's Python Path. Empty when unknown
// (a script run as __main__ cannot be told from its file).
std::string moduleForFile(std::string_view filename, const std::vector<std::string> &sysPath)
{
    std::string_view rel;
    for (std::string_view marker : {std::string_view("/site-packages/"), std::string_view("/dist-packages/")}) {
        const size_t at = filename.rfind(marker);
        if (at != std::string_view::npos) {
            rel = filename.substr(at + marker.size());
            break;
        }
    }
    if (rel.empty()) {
        size_t best = 0;
        for (const std::string &p : sysPath) {
            if (p.empty() || p.size() <= best || filename.size() <= p.size() + 1)
                continue;
            if (startsWith(filename, p) && filename[p.size()] == '/') {
                best = p.size();
                rel = filename.substr(p.size() + 1);
            }
        }
    }
    if (rel.size() < 4 || rel.substr(rel.size() - 3) != ".py")
        return {};
    rel.remove_suffix(3);
    std::string module;
    size_t start = 0;
    while (start <= rel.size()) {
        const size_t slash = rel.find('/', start);
        const std::string_view part = rel.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        if (!isIdentifier(part))
            return {};
        if (!(part == "__init__" && slash == std::string_view::npos)) {
            if (!module.empty())
                module += '.';
            module += part;
        }
        if (slash == std::string_view::npos)
            break;
        start = slash + 1;
    }
    return module;
}

UrlParts splitUrl(std::string_view url)
{
    UrlParts u;
    const size_t scheme = url.find("://");
    if (scheme == std::string_view::npos)
        return u;
    u.scheme = std::string(url.substr(0, scheme));
    std::string_view rest = url.substr(scheme + 3);
    const size_t slash = rest.find('/');
    u.host = std::string(rest.substr(0, slash));
    u.fullPath = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    const size_t hash = u.fullPath.find('#');
    if (hash != std::string::npos)
        u.fullPath.resize(hash);
    u.path = percentDecoded(std::string_view(u.fullPath).substr(0, u.fullPath.find('?')));
    u.ok = true;
    return u;
}

// What Django's log_response() writes: "<reason phrase>: <path>", logged by
// django.request with the response's status.
std::optional<int> statusFromMessage(std::string_view message, std::string_view path)
{
    static constexpr std::pair<int, std::string_view> kPhrases[] = {{400, "Bad Request"},
                                                                    {401, "Unauthorized"},
                                                                    {403, "Forbidden"},
                                                                    {404, "Not Found"},
                                                                    {405, "Method Not Allowed"},
                                                                    {408, "Request Timeout"},
                                                                    {410, "Gone"},
                                                                    {413, "Request Entity Too Large"},
                                                                    {413, "Content Too Large"},
                                                                    {429, "Too Many Requests"},
                                                                    {500, "Internal Server Error"},
                                                                    {501, "Not Implemented"},
                                                                    {502, "Bad Gateway"},
                                                                    {503, "Service Unavailable"},
                                                                    {504, "Gateway Timeout"}};
    for (const auto &[code, phrase] : kPhrases) {
        if (message.size() == phrase.size() + 2 + path.size() && startsWith(message, phrase) &&
            message.substr(phrase.size(), 2) == ": " && message.substr(phrase.size() + 2) == path)
            return code;
    }
    return std::nullopt;
}

} // namespace ed::mail
