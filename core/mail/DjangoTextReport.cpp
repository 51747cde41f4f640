// Django's plain-text error report read back. The body of an AdminEmailHandler
// e-mail is "<log message>\n\n<report>", the report being technical_500.txt:
//
//   <Type>[ at <path_info>]            ("Report" without an exception)
//   <value>
//
//   [Request Method: ..., Request URL: ...]
//   Django Version, Python Executable/Version/Path, Server time,
//   Installed Applications/Middleware (pprint, several lines)
//   [Template loader postmortem, Template error]
//   Traceback (most recent call last):     frames, causes' frames first
//   Exception Type / Exception Value [notes]
//   Request information: USER, GET, POST, FILES, COOKIES, META  | Request data not supplied
//   Settings: Using settings module ..., NAME = repr
//
// Sections this parser does not know are kept as text, never a failure.
#include "mail/DjangoReportParser.h"

#include <algorithm>

namespace ed::mail {

namespace {

// At most `max` bytes of `s`, never ending inside a UTF-8 character (the
// title of an unknown section becomes a JSON key: it must stay valid text).
std::string_view utf8Prefix(std::string_view s, size_t max)
{
    if (s.size() <= max)
        return s;
    size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
        --n; // s[n] continues a character that starts before it
    return s.substr(0, n);
}

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool endsWith(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.substr(s.size() - p.size()) == p; }

bool isBlank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

bool isIdentifierPath(std::string_view s)
{
    if (s.empty())
        return false;
    for (size_t i = 0; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        const bool ok = c == '_' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80 ||
                        (i > 0 && c >= '0' && c <= '9');
        if (!ok)
            return false;
    }
    return true;
}

std::vector<std::string_view> splitLines(std::string_view text)
{
    std::vector<std::string_view> lines;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos) {
            lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return lines;
}

std::string joinLines(const std::vector<std::string_view> &lines, size_t from, size_t to)
{
    std::string out;
    for (size_t i = from; i < to && i < lines.size(); ++i) {
        if (i > from)
            out += '\n';
        out += lines[i];
    }
    return out;
}

// A line that starts one of the report's sections after the environment.
bool isSectionStart(std::string_view line)
{
    return line == "Traceback (most recent call last):" || startsWith(line, "Exception Type: ") ||
           line == "Request information:" || line == "Request data not supplied" || line == "Settings:" ||
           startsWith(line, "Template loader postmortem") || line == "Template error:";
}

constexpr std::string_view kExplicitHead = "The above exception (";
constexpr std::string_view kExplicitTail = ") was the direct cause of the following exception:";
constexpr std::string_view kImplicitHead = "During handling of the above exception (";
constexpr std::string_view kImplicitTail = "), another exception occurred:";

// A Python 3.11+ column marker under the failing line (Django 4.1+): "    ^^^^^" or "~~~^^^".
bool isColumnMarker(std::string_view line) { return !isBlank(line) && line.find_first_not_of(" ^~") == std::string_view::npos; }

struct FrameLineParts {
    std::string_view filename, function;
    std::optional<int64_t> lineno;
};

// `  File "<filename>", line <n>, in <function>` or, without source, `  File "<filename>", in <function>`.
std::optional<FrameLineParts> parseFrameLine(std::string_view line)
{
    if (!startsWith(line, "  File \""))
        return std::nullopt;
    std::string_view rest = line.substr(8);
    FrameLineParts out;
    const size_t withLine = rest.rfind("\", line ");
    if (withLine != std::string_view::npos) {
        std::string_view tail = rest.substr(withLine + 8);
        size_t digits = 0;
        int64_t n = 0;
        while (digits < tail.size() && tail[digits] >= '0' && tail[digits] <= '9' && digits < 18)
            n = n * 10 + (tail[digits++] - '0');
        if (digits > 0 && startsWith(tail.substr(digits), ", in ")) {
            out.filename = rest.substr(0, withLine);
            out.lineno = n;
            out.function = tail.substr(digits + 5);
            return out;
        }
    }
    const size_t noLine = rest.rfind("\", in ");
    if (noLine == std::string_view::npos)
        return std::nullopt;
    out.filename = rest.substr(0, noLine);
    out.function = rest.substr(noLine + 6);
    return out;
}

class TextReportParser {
public:
    explicit TextReportParser(std::string_view body) : m_lines(splitLines(body)) { }

    std::optional<DjangoReport> parse();

private:
    size_t parseEnvironment(size_t i);
    size_t parseTraceback(size_t i);
    size_t parseExceptionSummary(size_t i);
    size_t parseRequest(size_t i);
    size_t parseSettings(size_t i);
    size_t keepUnknown(size_t i, std::string_view title);
    bool splitHead(std::string_view head);

    std::vector<std::string_view> m_lines;
    DjangoReport m_report;
    std::string m_type; // from the head line
    std::string m_summaryType; // from "Exception Type:"
    std::string m_summaryValue;
    bool m_hasRequestHead = false;
    std::string m_pathInfo;
    std::vector<std::vector<ReportFrame>> m_segments{1};
    struct Marker {
        std::string value;
        bool explicitCause = false;
    };
    std::vector<Marker> m_markers;
};

bool TextReportParser::splitHead(std::string_view head)
{
    // head = message + "\n\n" + "<Type>[ at <path>]" + "\n" + value. The message and
    // the value may hold blank lines themselves: take the first "\n\n" followed
    // by a line that reads as the report's title.
    size_t p = 0;
    for (;;) {
        p = head.find("\n\n", p);
        if (p == std::string_view::npos)
            return false;
        const size_t titleStart = p + 2;
        size_t titleEnd = head.find('\n', titleStart);
        if (titleEnd == std::string_view::npos)
            titleEnd = head.size();
        const std::string_view title = head.substr(titleStart, titleEnd - titleStart);
        std::string_view type = title;
        std::string_view path;
        const size_t at = title.find(" at ");
        if (at != std::string_view::npos) {
            type = title.substr(0, at);
            path = title.substr(at + 4);
        }
        const bool typeOk = m_summaryType.empty() ? isIdentifierPath(type) : (type == m_summaryType || type == "Report");
        const bool pathOk = m_hasRequestHead ? at != std::string_view::npos : at == std::string_view::npos;
        if (typeOk && pathOk) {
            m_report.message = std::string(head.substr(0, p));
            m_type = std::string(type);
            m_pathInfo = std::string(path);
            m_report.chain.clear();
            std::string_view value = titleEnd < head.size() ? head.substr(titleEnd + 1) : std::string_view();
            m_report.hasException = type != "Report";
            ReportException top;
            top.type = m_type;
            top.value = value == "No exception message supplied" ? std::string() : std::string(value);
            m_report.chain.push_back(std::move(top));
            return true;
        }
        p += 1;
    }
}

size_t TextReportParser::parseEnvironment(size_t i)
{
    auto pprintBlock = [&](size_t &k) {
        // The pprint lines after "Installed ...:", up to the next known line.
        const size_t start = k;
        while (k < m_lines.size() && !isBlank(m_lines[k]) && !isSectionStart(m_lines[k]) &&
               !startsWith(m_lines[k], "Installed Middleware:"))
            ++k;
        return joinLines(m_lines, start, k);
    };
    while (i < m_lines.size()) {
        const std::string_view line = m_lines[i];
        auto value = [&](std::string_view key) { return std::string(line.substr(key.size())); };
        if (startsWith(line, "Django Version: ")) {
            m_report.djangoVersion = value("Django Version: ");
        } else if (startsWith(line, "Python Executable: ")) {
            m_report.pythonExecutable = value("Python Executable: ");
        } else if (startsWith(line, "Python Version: ")) {
            m_report.pythonVersion = value("Python Version: ");
        } else if (startsWith(line, "Python Path: ")) {
            m_report.pythonPath = value("Python Path: ");
            m_report.sysPath = pythonStringList(m_report.pythonPath);
        } else if (startsWith(line, "Server time: ")) {
            m_report.serverTime = value("Server time: ");
        } else if (line == "Installed Applications:") {
            ++i;
            m_report.installedApps = pprintBlock(i);
            continue;
        } else if (line == "Installed Middleware:") {
            ++i;
            m_report.installedMiddleware = pprintBlock(i);
            continue;
        } else if (isBlank(line)) {
        } else {
            return i; // the next section, known or not
        }
        ++i;
    }
    return i;
}

size_t TextReportParser::parseTraceback(size_t i)
{
    ReportFrame *last = nullptr;
    bool expectContext = false;
    while (i < m_lines.size()) {
        const std::string_view line = m_lines[i];
        if (startsWith(line, "Exception Type: ") || line == "Request information:" || line == "Request data not supplied" ||
            line == "Settings:")
            return i;
        if (expectContext && startsWith(line, "    ")) {
            // Django strips the line ({% spaceless %}); the HTML has it indented.
            last->contextLine = std::string(line.substr(4));
            expectContext = false;
            ++i;
            continue;
        }
        expectContext = false;
        if (last && isColumnMarker(line)) {
            ++i;
            continue;
        }
        if (auto f = parseFrameLine(line)) {
            ReportFrame frame;
            frame.filename = std::string(f->filename);
            frame.function = std::string(f->function);
            frame.lineno = f->lineno;
            m_segments.back().push_back(std::move(frame));
            last = &m_segments.back().back();
            expectContext = f->lineno.has_value();
            ++i;
            continue;
        }
        const bool explicitCause = startsWith(line, kExplicitHead);
        if (explicitCause || startsWith(line, kImplicitHead)) {
            // "(str(cause))" may run over several lines.
            const std::string_view head = explicitCause ? kExplicitHead : kImplicitHead;
            const std::string_view tail = explicitCause ? kExplicitTail : kImplicitTail;
            size_t j = i;
            while (j < m_lines.size() && !endsWith(m_lines[j], tail))
                ++j;
            if (j < m_lines.size()) {
                std::string text = joinLines(m_lines, i, j + 1);
                text = text.substr(head.size(), text.size() - head.size() - tail.size());
                m_markers.push_back({std::move(text), explicitCause});
                m_segments.emplace_back();
                last = nullptr;
                i = j + 1;
                continue;
            }
        }
        if (line == "  None" || line == "  Traceback: None" || isBlank(line)) {
            ++i; // a frame without a traceback: nothing to show
            continue;
        }
        // Unknown inside the traceback: keep it.
        m_report.otherSections.emplace_back("Traceback", std::string(line));
        ++i;
    }
    return i;
}

size_t TextReportParser::parseExceptionSummary(size_t i)
{
    std::string_view type = m_lines[i].substr(16);
    const size_t at = type.find(" at ");
    if (at != std::string_view::npos)
        type = type.substr(0, at);
    m_summaryType = std::string(type);
    ++i;
    if (i < m_lines.size() && startsWith(m_lines[i], "Exception Value: ")) {
        const size_t start = i;
        ++i;
        while (i < m_lines.size() && m_lines[i] != "Request information:" && m_lines[i] != "Request data not supplied" &&
               m_lines[i] != "Settings:")
            ++i;
        std::string all = joinLines(m_lines, start, i).substr(17);
        while (!all.empty() && all.back() == '\n')
            all.pop_back();
        m_summaryValue = std::move(all);
    }
    return i;
}

size_t TextReportParser::parseRequest(size_t i)
{
    ReportRequest &req = m_report.request.emplace();
    KeyValues *section = nullptr;
    auto header = [&](std::string_view line, std::string_view name, std::string_view none, KeyValues &target) {
        if (line == std::string(name) + ":" || line == std::string(name) + ": " + std::string(none)) {
            section = &target;
            return true;
        }
        return false;
    };
    for (; i < m_lines.size(); ++i) {
        const std::string_view line = m_lines[i];
        if (line == "Settings:")
            return i;
        if (startsWith(line, "USER: ")) {
            req.user = std::string(line.substr(6));
            section = nullptr;
            continue;
        }
        if (header(line, "GET", "No GET data", req.get) || header(line, "POST", "No POST data", req.post) ||
            header(line, "FILES", "No FILES data", req.files) || header(line, "COOKIES", "No cookie data", req.cookies) ||
            header(line, "META", "", req.meta))
            continue;
        if (isBlank(line)) {
            section = nullptr;
            continue;
        }
        const size_t eq = line.find(" = ");
        if (section && eq != std::string_view::npos) {
            section->emplace_back(std::string(line.substr(0, eq)), std::string(line.substr(eq + 3)));
            continue;
        }
        m_report.otherSections.emplace_back("Request information", std::string(line));
    }
    return i;
}

size_t TextReportParser::parseSettings(size_t i)
{
    for (; i < m_lines.size(); ++i) {
        const std::string_view line = m_lines[i];
        if (startsWith(line, "Using settings module")) {
            m_report.settingsModule = std::string(line.substr(std::min(line.size(), size_t(22))));
            continue;
        }
        if (isBlank(line))
            return i + 1;
        const size_t eq = line.find(" = ");
        if (eq == std::string_view::npos)
            return i;
        m_report.settings.emplace_back(std::string(line.substr(0, eq)), std::string(line.substr(eq + 3)));
    }
    return i;
}

size_t TextReportParser::keepUnknown(size_t i, std::string_view title)
{
    // Up to the next section this parser knows.
    const size_t start = i;
    ++i;
    while (i < m_lines.size() && !isSectionStart(m_lines[i]))
        ++i;
    std::string text = joinLines(m_lines, start, i);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    if (!text.empty())
        m_report.otherSections.emplace_back(std::string(title), std::move(text));
    return i;
}

std::optional<DjangoReport> TextReportParser::parse()
{
    // The environment block starts every report: find it first.
    size_t envLine = 0;
    while (envLine < m_lines.size() && !startsWith(m_lines[envLine], "Django Version: "))
        ++envLine;
    if (envLine == m_lines.size() || envLine < 2)
        return std::nullopt;
    size_t headEnd = envLine; // lines before it: message, title, value, request head
    if (headEnd >= 2 && startsWith(m_lines[headEnd - 1], "Request URL: ") &&
        startsWith(m_lines[headEnd - 2], "Request Method: ")) {
        m_hasRequestHead = true;
        m_report.request.emplace();
        m_report.request->method = std::string(m_lines[headEnd - 2].substr(16));
        m_report.request->url = std::string(m_lines[headEnd - 1].substr(13));
        headEnd -= 2;
    }
    // The blank line before "Request Method:" / "Django Version:".
    if (headEnd == 0 || !isBlank(m_lines[headEnd - 1]))
        return std::nullopt;
    --headEnd;

    size_t i = parseEnvironment(envLine);
    while (i < m_lines.size()) {
        const std::string_view line = m_lines[i];
        if (line == "Traceback (most recent call last):") {
            i = parseTraceback(i + 1);
        } else if (startsWith(line, "Exception Type: ")) {
            i = parseExceptionSummary(i);
        } else if (line == "Request information:") {
            const ReportRequest head = m_report.request.value_or(ReportRequest{});
            i = parseRequest(i + 1);
            m_report.request->method = head.method;
            m_report.request->url = head.url;
        } else if (line == "Request data not supplied") {
            ++i;
        } else if (line == "Settings:") {
            i = parseSettings(i + 1);
        } else if (isBlank(line)) {
            ++i;
        } else if (startsWith(line, "You\xE2\x80\x99re seeing this error because") ||
                   startsWith(line, "You're seeing this error because")) {
            break; // the DEBUG page's footer: not part of an e-mail report
        } else {
            i = keepUnknown(i, utf8Prefix(line, 60));
        }
    }

    // The head, knowing now the type the summary gave.
    const std::string head = joinLines(m_lines, 0, headEnd);
    if (!splitHead(head)) {
        // No title line found after a blank line: the message may be empty.
        if (!splitHead("\n\n" + head))
            return std::nullopt;
    }
    if (m_report.request)
        m_report.request->pathInfo = m_pathInfo;

    // The frames, oldest exception first, become the chain, newest first.
    ReportException &top = m_report.chain.front();
    if (!m_summaryValue.empty() && top.value.size() < m_summaryValue.size() && startsWith(m_summaryValue, top.value))
        // Django 5's exception notes follow the value under "Exception Value:".
        m_report.exceptionNotes = std::string(std::string_view(m_summaryValue).substr(top.value.size()));
    while (!m_report.exceptionNotes.empty() && m_report.exceptionNotes.front() == '\n')
        m_report.exceptionNotes.erase(0, 1);
    if (!m_report.hasException)
        return std::move(m_report);
    const size_t n = m_segments.size();
    top.frames = std::move(m_segments[n - 1]);
    if (n > 1)
        top.causeExplicit = m_markers[n - 2].explicitCause;
    for (size_t k = n - 1; k-- > 0;) {
        ReportException cause;
        cause.value = m_markers[k].value;
        cause.frames = std::move(m_segments[k]);
        cause.causeExplicit = k > 0 && m_markers[k - 1].explicitCause;
        m_report.chain.push_back(std::move(cause));
    }
    return std::move(m_report);
}

} // namespace

std::optional<DjangoReport> parseDjangoTextReport(std::string_view body)
{
    std::string normalized;
    if (body.find('\r') != std::string_view::npos) {
        normalized.reserve(body.size());
        for (size_t i = 0; i < body.size(); ++i)
            if (!(body[i] == '\r' && i + 1 < body.size() && body[i + 1] == '\n'))
                normalized += body[i];
        body = normalized;
    }
    TextReportParser parser(body);
    return parser.parse();
}

} // namespace ed::mail
