#include "mail/MailRecord.h"

#include "mail/DjangoFacts.h"
#include "mail/DjangoReportParser.h"
#include "base/JsonWriter.h"

#include <QRegularExpression>
#include <QString>

#include <algorithm>

namespace ed::mail {

namespace {

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string trimmed(std::string_view s)
{
    const size_t a = s.find_first_not_of(" \t\r\n");
    if (a == std::string_view::npos)
        return {};
    const size_t b = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(a, b - a + 1));
}

class RecordBuilder {
public:
    RecordBuilder(const MimeMessage &mail, std::string &json) : m_mail(mail), m_json(json), m_w(json) { }

    Result<void> build();

private:
    void beginRecord(const std::string &timestamp, std::string_view level);
    void writeEmailExtra(const MailSubject &subject);
    Result<void> buildDjango(DjangoReport &report, const MailSubject &subject, const std::string &timestamp);
    Result<void> buildBrokenLink(const MailSubject &subject, const std::string &timestamp);
    Result<void> buildPlain(const MailSubject &subject, const std::string &timestamp);
    void writeException(const DjangoReport &report, size_t index);
    void writeFrame(const ReportFrame &f, const std::vector<std::string> &sysPath);
    void writeRequest(const ReportRequest &req);
    void writeReprObject(const KeyValues &kv, bool asLists);
    void stringOrNull(std::string_view s)
    {
        if (s.empty())
            m_w.null();
        else
            m_w.string(s);
    }

    const MimeMessage &m_mail;
    std::string &m_json;
    JsonWriter m_w;
};

void RecordBuilder::beginRecord(const std::string &timestamp, std::string_view level)
{
    m_w.beginObject();
    m_w.key("format");
    m_w.string("errordeck/1");
    if (!m_mail.messageId.empty()) {
        // The same message imported from another form (mbox, .eml, backend file) is the same event.
        m_w.key("event_id");
        m_w.string(m_mail.messageId);
    }
    m_w.key("timestamp");
    m_w.string(timestamp);
    m_w.key("level");
    m_w.string(level);
}

void RecordBuilder::writeEmailExtra(const MailSubject &subject)
{
    m_w.key("email");
    m_w.beginObject();
    m_w.key("subject");
    m_w.string(m_mail.subject);
    if (!subject.prefix.empty()) {
        m_w.key("subject_prefix");
        m_w.string(subject.prefix);
    }
    if (!m_mail.from.empty()) {
        m_w.key("from");
        m_w.string(m_mail.from);
    }
    if (!m_mail.to.empty()) {
        m_w.key("to");
        m_w.string(m_mail.to);
    }
    if (!m_mail.messageId.empty()) {
        m_w.key("message_id");
        m_w.string(m_mail.messageId);
    }
    if (subject.internalIp) {
        m_w.key("internal_ip");
        m_w.boolean(*subject.internalIp);
    }
    if (subject.brokenLink) {
        m_w.key("internal_link");
        m_w.boolean(subject.internalLink);
    }
    m_w.endObject();
}

void RecordBuilder::writeReprObject(const KeyValues &kv, bool asLists)
{
    m_w.beginObject();
    for (const auto &[k, v] : kv) {
        m_w.key(k);
        // Django prints one value per key (QueryDict.items() gives the last).
        if (asLists)
            m_w.beginArray();
        m_w.string(pythonReprToText(v));
        if (asLists)
            m_w.endArray();
    }
    m_w.endObject();
}

void RecordBuilder::writeFrame(const ReportFrame &f, const std::vector<std::string> &sysPath)
{
    m_w.beginObject();
    m_w.key("filename");
    m_w.string(f.filename);
    m_w.key("module");
    stringOrNull(moduleForFile(f.filename, sysPath));
    m_w.key("function");
    m_w.string(f.function);
    m_w.key("lineno");
    if (f.lineno)
        m_w.integer(*f.lineno);
    else
        m_w.null();
    m_w.key("pre_context_lineno");
    // The e-mail's page leaves the surrounding lines out: the context starts at the line.
    if (f.preContextLineno)
        m_w.integer(*f.preContextLineno);
    else if (f.lineno)
        m_w.integer(*f.lineno);
    else
        m_w.null();
    m_w.key("pre_context");
    m_w.beginArray();
    for (const std::string &l : f.preContext)
        m_w.string(l);
    m_w.endArray();
    m_w.key("context_line");
    stringOrNull(f.contextLine);
    m_w.key("post_context");
    m_w.beginArray();
    for (const std::string &l : f.postContext)
        m_w.string(l);
    m_w.endArray();
    m_w.key("in_app");
    // "frame user" on the page means "not django": installed packages too.
    m_w.boolean(f.inApp.value_or(true) && !isLibraryPath(f.filename));
    if (f.hasVars) {
        m_w.key("vars");
        m_w.beginObject();
        for (const auto &[k, v] : f.vars) {
            m_w.key(k);
            m_w.string(pythonReprToText(v)); // str values as text, as in v1 records
        }
        m_w.endObject();
    }
    m_w.endObject();
}

void RecordBuilder::writeException(const DjangoReport &report, size_t index)
{
    const ReportException &e = report.chain[index];
    m_w.beginObject();
    if (!e.type.empty()) {
        m_w.key("type");
        m_w.string(e.type);
        m_w.key("module");
        if (isBuiltinException(e.type))
            m_w.string("builtins");
        else
            m_w.null();
    }
    // A cause's type is not in the report: Django prints only str(cause).
    m_w.key("value");
    m_w.string(e.value);
    m_w.key("frames");
    m_w.beginArray();
    for (const ReportFrame &f : e.frames)
        writeFrame(f, report.sysPath);
    m_w.endArray();
    m_w.key("cause");
    if (index + 1 < report.chain.size())
        writeException(report, index + 1);
    else
        m_w.null();
    m_w.key("cause_explicit");
    m_w.boolean(index + 1 < report.chain.size() && e.causeExplicit);
    m_w.endObject();
}

void RecordBuilder::writeRequest(const ReportRequest &req)
{
    const UrlParts url = splitUrl(req.url);
    std::string remote;
    for (const auto &[k, v] : req.meta)
        if (k == "REMOTE_ADDR")
            remote = pythonReprToText(v);
    m_w.beginObject();
    m_w.key("method");
    stringOrNull(req.method);
    m_w.key("scheme");
    stringOrNull(url.scheme);
    m_w.key("host");
    stringOrNull(url.host);
    m_w.key("path");
    stringOrNull(url.ok ? url.path : req.pathInfo);
    m_w.key("full_path");
    stringOrNull(url.ok ? url.fullPath : req.pathInfo);
    m_w.key("url");
    stringOrNull(req.url);
    m_w.key("remote_addr");
    stringOrNull(remote);
    m_w.key("user");
    if (req.user)
        m_w.string(*req.user);
    else
        m_w.null();
    m_w.key("GET");
    writeReprObject(req.get, true);
    m_w.key("POST");
    writeReprObject(req.post, true);
    m_w.key("FILES");
    writeReprObject(req.files, true);
    m_w.key("COOKIES");
    writeReprObject(req.cookies, false);
    m_w.key("META");
    writeReprObject(req.meta, false);
    m_w.endObject();
}

Result<void> RecordBuilder::buildDjango(DjangoReport &report, const MailSubject &subject, const std::string &timestamp)
{
    if (m_mail.hasHtml)
        mergeDjangoHtmlReport(m_mail.html, report);
    std::string message = report.message.empty() ? subject.message : report.message;
    // Which logger wrote it, where Django's own message tells.
    std::string logger;
    std::optional<int> status;
    if (report.request) {
        const UrlParts url = splitUrl(report.request->url);
        status = statusFromMessage(message, url.ok ? url.path : report.request->pathInfo);
        if (!status && !report.request->pathInfo.empty())
            status = statusFromMessage(message, report.request->pathInfo);
        if (status)
            logger = "django.request";
    }
    if (!status && startsWith(message, "Invalid HTTP_HOST header: ")) {
        logger = "django.security.DisallowedHost";
        status = 400;
    }
    beginRecord(timestamp, subject.level.empty() ? std::string_view("ERROR") : std::string_view(subject.level));
    m_w.key("logger");
    stringOrNull(logger);
    m_w.key("message");
    m_w.string(message);
    m_w.key("status_code");
    if (status)
        m_w.integer(*status);
    else
        m_w.null();
    m_w.key("exception");
    if (report.hasException)
        writeException(report, 0);
    else
        m_w.null();
    m_w.key("request");
    if (report.request)
        writeRequest(*report.request);
    else
        m_w.null();
    m_w.key("settings");
    m_w.beginObject();
    for (const auto &[k, v] : report.settings) {
        m_w.key(k);
        m_w.string(pythonReprToText(v));
    }
    m_w.endObject();
    m_w.key("environment");
    m_w.beginObject();
    auto env = [&](std::string_view key, const std::string &value) {
        if (value.empty())
            return;
        m_w.key(key);
        m_w.string(value);
    };
    env("django_version", report.djangoVersion);
    env("python_version", report.pythonVersion);
    env("python_executable", report.pythonExecutable);
    const std::string serverTime = rfc5322DateToIso(report.serverTime);
    env("server_time", serverTime.empty() ? report.serverTime : serverTime);
    env("python_path", report.pythonPath);
    env("installed_apps", report.installedApps);
    env("installed_middleware", report.installedMiddleware);
    env("settings_module", report.settingsModule);
    m_w.endObject();
    m_w.key("extra");
    m_w.beginObject();
    writeEmailExtra(subject);
    if (!report.exceptionNotes.empty()) {
        m_w.key("exception_notes");
        m_w.string(report.exceptionNotes);
    }
    if (!report.otherSections.empty()) {
        // Parts of the report this version of the parser does not know, as text.
        m_w.key("report_sections");
        m_w.beginObject();
        std::vector<std::pair<std::string, std::string>> merged;
        for (const auto &[title, text] : report.otherSections) {
            auto it = std::find_if(merged.begin(), merged.end(), [&title = title](const auto &p) { return p.first == title; });
            if (it == merged.end())
                merged.emplace_back(title, text);
            else
                it->second += "\n" + text;
        }
        for (const auto &[title, text] : merged) {
            m_w.key(title);
            m_w.string(text);
        }
        m_w.endObject();
    }
    m_w.endObject();
    m_w.endObject();
    return {};
}

Result<void> RecordBuilder::buildBrokenLink(const MailSubject &subject, const std::string &timestamp)
{
    // BrokenLinkEmailsMiddleware's body: four "Label: value" lines.
    std::string referer, url, agent, ip;
    size_t pos = 0;
    const std::string_view body = m_mail.text;
    while (pos < body.size()) {
        size_t nl = body.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = body.size();
        std::string_view line = body.substr(pos, nl - pos);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (startsWith(line, "Referrer: ") || line == "Referrer:")
            referer = trimmed(line.substr(9));
        else if (startsWith(line, "Requested URL: "))
            url = trimmed(line.substr(15));
        else if (startsWith(line, "User agent: "))
            agent = trimmed(line.substr(12));
        else if (startsWith(line, "IP address: "))
            ip = trimmed(line.substr(12));
        pos = nl + 1;
    }
    if (url.empty())
        return Error{QStringLiteral("a broken-link e-mail without its \"Requested URL:\" line")};
    // Django writes "<none>" for a header the request did not have.
    if (agent == "<none>")
        agent.clear();
    if (ip == "<none>")
        ip.clear();
    const std::string path = percentDecoded(std::string_view(url).substr(0, url.find('?')));
    beginRecord(timestamp, "WARNING");
    m_w.key("logger");
    m_w.string("django.request");
    m_w.key("message");
    m_w.string("Not Found: " + path);
    m_w.key("status_code");
    m_w.integer(404);
    m_w.key("exception");
    m_w.null();
    m_w.key("request");
    m_w.beginObject();
    m_w.key("host");
    stringOrNull(subject.domain);
    m_w.key("path");
    m_w.string(path);
    m_w.key("full_path");
    m_w.string(url);
    m_w.key("remote_addr");
    stringOrNull(ip);
    m_w.key("META");
    m_w.beginObject();
    if (!referer.empty()) {
        m_w.key("HTTP_REFERER");
        m_w.string(referer);
    }
    if (!agent.empty()) {
        m_w.key("HTTP_USER_AGENT");
        m_w.string(agent);
    }
    if (!ip.empty()) {
        m_w.key("REMOTE_ADDR");
        m_w.string(ip);
    }
    m_w.endObject();
    m_w.endObject();
    m_w.key("extra");
    m_w.beginObject();
    writeEmailExtra(subject);
    m_w.endObject();
    m_w.endObject();
    return {};
}

Result<void> RecordBuilder::buildPlain(const MailSubject &subject, const std::string &timestamp)
{
    const std::string body = trimmed(m_mail.text);
    std::string message = trimmed(subject.level.empty() ? m_mail.subject : subject.message);
    if (message.empty()) {
        message = body.substr(0, body.find('\n'));
        if (message.empty())
            return Error{QStringLiteral("neither a subject nor a text body: nothing to import")};
    }
    // Not one of Django's: keep what it says, at the level its subject gives if any.
    beginRecord(timestamp, subject.level.empty() ? std::string_view("INFO") : std::string_view(subject.level));
    m_w.key("logger");
    m_w.null();
    m_w.key("message");
    m_w.string(message);
    m_w.key("exception");
    m_w.null();
    m_w.key("request");
    m_w.null();
    m_w.key("extra");
    m_w.beginObject();
    writeEmailExtra(subject);
    if (!body.empty()) {
        m_w.key("email_body");
        m_w.string(body);
    }
    m_w.endObject();
    m_w.endObject();
    return {};
}

Result<void> RecordBuilder::build()
{
    m_json.clear();
    if (m_mail.headerCount == 0)
        return Error{QStringLiteral("not an e-mail message: it has no header fields")};
    if (m_mail.subject.empty() && m_mail.from.empty() && m_mail.messageId.empty() && m_mail.dateIso.empty())
        return Error{QStringLiteral("not an e-mail message: none of Subject, From, Date or Message-ID")};
    const MailSubject subject = parseMailSubject(m_mail.subject);
    std::optional<DjangoReport> report;
    if (m_mail.hasText && !subject.brokenLink)
        report = parseDjangoTextReport(m_mail.text);
    // The report's time is the message's; without a Date, the report's server time.
    std::string timestamp = m_mail.dateIso;
    if (timestamp.empty() && report)
        timestamp = rfc5322DateToIso(report->serverTime);
    if (timestamp.empty())
        timestamp = m_mail.mboxFromDateIso;
    if (timestamp.empty())
        return Error{QStringLiteral("no readable Date header (nor a server time in the report): the report's time is unknown")};
    if (subject.brokenLink && m_mail.hasText) {
        if (auto r = buildBrokenLink(subject, timestamp); r)
            return r;
        m_json.clear(); // not the middleware's body after all: a plain report
    }
    if (report)
        return buildDjango(*report, subject, timestamp);
    return buildPlain(subject, timestamp);
}

} // namespace

MailSubject parseMailSubject(const std::string &subjectText)
{
    MailSubject s;
    // Django flattens the subject to one line; folded headers arrive unfolded.
    const QString subject = QString::fromStdString(subjectText).simplified();
    static const QRegularExpression broken(QStringLiteral(R"(^(.*?)Broken (INTERNAL )?link on (\S+)$)"));
    static const QRegularExpression error(
        QStringLiteral(R"(^(.*?)\b(CRITICAL|ERROR|WARNING|INFO|DEBUG)(?: \((internal|EXTERNAL) IP\))?: (.*)$)"),
        QRegularExpression::DotMatchesEverythingOption);
    if (const auto m = broken.match(subject); m.hasMatch()) {
        s.brokenLink = true;
        s.prefix = m.captured(1).toStdString();
        s.internalLink = !m.captured(2).isEmpty();
        s.domain = m.captured(3).toStdString();
        s.message = subject.toStdString();
        return s;
    }
    if (const auto m = error.match(subject); m.hasMatch()) {
        s.prefix = m.captured(1).toStdString();
        s.level = m.captured(2).toStdString();
        if (!m.captured(3).isEmpty())
            s.internalIp = m.captured(3) == QLatin1String("internal");
        s.message = m.captured(4).toStdString();
        return s;
    }
    s.message = subject.toStdString();
    return s;
}

Result<void> mailToV1Record(const MimeMessage &mail, std::string &json)
{
    RecordBuilder builder(mail, json);
    return builder.build();
}

} // namespace ed::mail
