#include "mail/MimeReader.h"

#include <gmime/gmime.h>
#include <simdjson.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

namespace ed::mail {

namespace {

void initGMime()
{
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

struct GObjectUnref {
    void operator()(gpointer p) const
    {
        if (p)
            g_object_unref(p);
    }
};
template <typename T> using GPtr = std::unique_ptr<T, GObjectUnref>;

struct GFreeDeleter {
    void operator()(gpointer p) const { g_free(p); }
};
using GChars = std::unique_ptr<char, GFreeDeleter>;

struct ParserOptionsDeleter {
    void operator()(GMimeParserOptions *o) const { g_mime_parser_options_free(o); }
};

struct Warning {
    GMimeParserWarning code;
    std::string item;
};

void collectWarning(gint64, GMimeParserWarning code, const gchar *item, gpointer user)
{
    static_cast<std::vector<Warning> *>(user)->push_back({code, item ? item : ""});
}

// The parser's findings that mean the structure cannot be trusted.
const char *brokenStructure(GMimeParserWarning code)
{
    switch (code) {
    case GMIME_WARN_MALFORMED_MULTIPART: return "a multipart without any parts";
    case GMIME_WARN_TRUNCATED_MESSAGE: return "the message is cut short (a multipart without its closing boundary)";
    case GMIME_WARN_MALFORMED_MESSAGE: return "the message is malformed";
    case GMIME_CRIT_INVALID_HEADER_NAME: return "an invalid header name";
    case GMIME_CRIT_CONFLICTING_HEADER: return "conflicting headers";
    case GMIME_CRIT_CONFLICTING_PARAMETER: return "conflicting header parameters";
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY: return "a multipart without a boundary parameter";
    case GMIME_CRIT_NESTING_OVERFLOW: return "MIME parts nested too deeply";
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT: return "a MIME part with neither headers nor content";
    default: return nullptr;
    }
}

std::string formatIso(GDateTime *dt)
{
    if (!dt)
        return {};
    GChars s(g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S%:z"));
    return s ? std::string(s.get()) : std::string();
}

std::string addressList(InternetAddressList *list)
{
    if (!list || internet_address_list_length(list) == 0)
        return {};
    GChars s(internet_address_list_to_string(list, nullptr, FALSE));
    return s ? std::string(s.get()) : std::string();
}

bool isAscii(std::string_view s)
{
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80)
            return false;
    return true;
}

// The decoded text of a text part as UTF-8, or an error for an unknown charset.
// The part's content with only its transfer encoding (base64, quoted-printable) undone.
std::string transferDecoded(GMimeTextPart *part)
{
    GMimeDataWrapper *content = g_mime_part_get_content(GMIME_PART(part));
    if (!content)
        return {};
    GPtr<GMimeStream> mem(g_mime_stream_mem_new());
    g_mime_data_wrapper_write_to_stream(content, mem.get());
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
    return bytes ? std::string(reinterpret_cast<const char *>(bytes->data), bytes->len) : std::string();
}

bool isUtf8Charset(const char *charset)
{
    return !charset || !*charset || g_ascii_strcasecmp(charset, "utf-8") == 0 || g_ascii_strcasecmp(charset, "utf8") == 0 ||
           g_ascii_strcasecmp(charset, "us-ascii") == 0;
}

// What g_utf8_validate() answers (a NUL byte counts as invalid there), with
// simdjson's vectorised check: glib's, byte by byte, was 5% of an e-mail
// import's worker instructions. Both reject overlong forms, surrogates and
// code points above U+10FFFF, and accept noncharacters.
bool validUtf8(const std::string &s)
{
    return std::memchr(s.data(), 0, s.size()) == nullptr && simdjson::validate_utf8(s.data(), s.size());
}

Result<std::string> partText(GMimeTextPart *part, const char *what)
{
    const char *charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
    std::string out;
    if (isUtf8Charset(charset)) {
        // Django's charset: UTF-8 needs no conversion, only a validity check below.
        out = transferDecoded(part);
    } else {
        GChars text(g_mime_text_part_get_text(part));
        out = text ? std::string(text.get()) : std::string();
    }
    if (!isUtf8Charset(charset)) {
        iconv_t cd = g_mime_iconv_open("UTF-8", charset);
        if (cd == (iconv_t)-1) {
            // GMime hands the bytes back undecoded; ASCII reads the same in any charset.
            if (!isAscii(out))
                return Error{QStringLiteral("unknown charset \"%1\" in the %2 part: its text cannot be decoded")
                                 .arg(QString::fromUtf8(charset), QString::fromLatin1(what))};
        } else {
            g_mime_iconv_close(cd);
        }
    }
    if (!validUtf8(out)) {
        // No charset declared (or a lying one): keep what can be read.
        GChars valid(g_utf8_make_valid(out.data(), gssize(out.size())));
        out = valid.get();
    }
    return out;
}

bool isAttachment(GMimeObject *obj)
{
    GMimeContentDisposition *d = g_mime_object_get_content_disposition(obj);
    return d && g_mime_content_disposition_is_attachment(d);
}

// The raw view's text of one MIME object (see MimeMessage::decodedRaw). GMime
// has parsed and decoded everything; only the layout is written here, because
// GMime's own writer would put the transfer encoding and RFC 2047 words back.
class DecodedWriter {
public:
    explicit DecodedWriter(std::string &out) : m_out(out) { }

    // A part whose text readMimeMessage() has decoded already: not decoded twice.
    void reuse(GMimeObject *part, const std::string &text) { m_decoded.emplace_back(part, &text); }

    void message(GMimeMessage *message, int depth)
    {
        // The message's header list holds its part's Content-* headers too; they
        // are written with the part, once.
        headers(GMIME_OBJECT(message), /*skipContent=*/true);
        GMimeObject *part = g_mime_message_get_mime_part(message);
        if (part)
            object(part, depth + 1);
        else
            m_out += '\n';
    }

private:
    static bool isContentHeader(const char *name) { return g_ascii_strncasecmp(name, "Content-", 8) == 0; }

    void header(const char *name, const char *value)
    {
        m_out += name;
        m_out += ": ";
        // Decoded values are unfolded; a stray line break would fake a header.
        for (const char *c = value ? value : ""; *c; ++c)
            m_out += (*c == '\r' || *c == '\n') ? ' ' : *c;
        m_out += '\n';
    }

    void headers(GMimeObject *obj, bool skipContent)
    {
        GMimeHeaderList *list = g_mime_object_get_header_list(obj);
        const int n = g_mime_header_list_get_count(list);
        for (int i = 0; i < n; ++i) {
            GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
            const char *name = g_mime_header_get_name(h);
            if (skipContent && isContentHeader(name))
                continue;
            header(name, g_mime_header_get_value(h)); // GMime 3: unfolded, RFC 2047 decoded
        }
    }

    // A leaf's headers, with what its body now is in place of what it was.
    void leafHeaders(GMimeObject *obj, const char *contentType, const char *encoding)
    {
        GMimeHeaderList *list = g_mime_object_get_header_list(obj);
        const int n = g_mime_header_list_get_count(list);
        for (int i = 0; i < n; ++i) {
            GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
            const char *name = g_mime_header_get_name(h);
            if (g_ascii_strcasecmp(name, "Content-Type") == 0 && contentType)
                header(name, contentType);
            else if (g_ascii_strcasecmp(name, "Content-Transfer-Encoding") == 0)
                continue;
            else
                header(name, g_mime_header_get_value(h));
        }
        if (encoding)
            header("Content-Transfer-Encoding", encoding);
        m_out += '\n';
    }

    void object(GMimeObject *obj, int depth)
    {
        if (depth > 32) { // GMime refuses deeper nesting anyway
            m_out += "\n[MIME parts nested too deeply: not shown]\n";
            return;
        }
        if (GMIME_IS_MULTIPART(obj))
            multipart(GMIME_MULTIPART(obj), depth);
        else if (GMIME_IS_MESSAGE_PART(obj)) {
            headers(obj, false);
            m_out += '\n';
            if (GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj)))
                message(inner, depth + 1);
        } else if (GMIME_IS_TEXT_PART(obj))
            text(GMIME_TEXT_PART(obj));
        else if (GMIME_IS_PART(obj))
            notStored(GMIME_PART(obj));
        else {
            headers(obj, false);
            m_out += '\n';
        }
    }

    void multipart(GMimeMultipart *mp, int depth)
    {
        GMimeObject *obj = GMIME_OBJECT(mp);
        headers(obj, false);
        m_out += '\n';
        const char *b = g_mime_multipart_get_boundary(mp);
        const std::string boundary = b ? b : "";
        if (const char *prologue = g_mime_multipart_get_prologue(mp)) {
            m_out += prologue;
            m_out += '\n';
        }
        const int n = g_mime_multipart_get_count(mp);
        for (int i = 0; i < n; ++i) {
            m_out += "--" + boundary + '\n';
            object(g_mime_multipart_get_part(mp, i), depth + 1);
            if (!m_out.empty() && m_out.back() != '\n')
                m_out += '\n';
        }
        m_out += "--" + boundary + "--\n";
        if (const char *epilogue = g_mime_multipart_get_epilogue(mp)) {
            m_out += epilogue;
            m_out += '\n';
        }
    }

    void text(GMimeTextPart *part)
    {
        GMimeObject *obj = GMIME_OBJECT(part);
        GMimeContentType *ct = g_mime_object_get_content_type(obj);
        Result<std::string> body = decodedText(part);
        GChars type(g_strdup_printf("%s/%s; charset=utf-8", g_mime_content_type_get_media_type(ct),
                                    g_mime_content_type_get_media_subtype(ct)));
        if (!body) {
            // An unknown charset on non-ASCII bytes: not readable, so not kept.
            leafHeaders(obj, type.get(), "8bit");
            m_out += "[text in an unknown charset: not stored]\n";
            return;
        }
        leafHeaders(obj, type.get(), "8bit");
        if (g_mime_content_type_is_type(ct, "text", "html"))
            appendHtmlUnescaped(*body); // a value reads as text, as in the text/plain part
        else
            m_out += *body;
    }

    // HTML's character references undone (numeric ones and those Django's
    // escape() writes): the scrubber then sees a value as it was, not split
    // by entities. The raw view shows the markup as text, so nothing is lost.
    void appendHtmlUnescaped(std::string_view s)
    {
        static const std::pair<std::string_view, std::string_view> named[] = {
            {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", "\xC2\xA0"}};
        size_t i = 0;
        while (i < s.size()) {
            const size_t amp = s.find('&', i);
            if (amp == std::string_view::npos) {
                m_out.append(s.substr(i));
                return;
            }
            m_out.append(s.substr(i, amp - i));
            i = amp + 1;
            const size_t semi = s.find(';', amp);
            if (semi == std::string_view::npos || semi - amp > 10) {
                m_out += '&';
                continue;
            }
            const std::string_view ref = s.substr(amp + 1, semi - amp - 1);
            std::string replacement;
            if (ref.size() > 1 && ref[0] == '#') {
                const bool hex = ref[1] == 'x' || ref[1] == 'X';
                const std::string digits(ref.substr(hex ? 2 : 1));
                char *end = nullptr;
                const unsigned long cp = digits.empty() ? 0 : std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
                if (end && *end == '\0' && cp > 0 && g_unichar_validate(gunichar(cp))) {
                    char utf8[6];
                    replacement.assign(utf8, size_t(g_unichar_to_utf8(gunichar(cp), utf8)));
                }
            } else {
                for (const auto &[name, text] : named)
                    if (ref == name)
                        replacement = text;
            }
            if (replacement.empty()) {
                m_out += '&'; // not a reference we know: kept as written
                continue;
            }
            m_out += replacement;
            i = semi + 1;
        }
    }

    void notStored(GMimePart *part)
    {
        GMimeObject *obj = GMIME_OBJECT(part);
        GMimeContentType *ct = g_mime_object_get_content_type(obj);
        GChars type(g_mime_content_type_get_mime_type(ct));
        const char *name = g_mime_part_get_filename(part);
        std::string size = "unknown size";
        if (GMimeDataWrapper *content = g_mime_part_get_content(part)) {
            GPtr<GMimeStream> null(g_mime_stream_null_new());
            const gint64 written = g_mime_data_wrapper_write_to_stream(content, null.get()); // decoded
            if (written >= 0)
                size = std::to_string(written) + " bytes";
        }
        leafHeaders(obj, nullptr, nullptr);
        m_out += "[attachment";
        if (name && *name) {
            m_out += " \"";
            m_out += name;
            m_out += '"';
        }
        m_out += ", ";
        m_out += type ? type.get() : "application/octet-stream";
        m_out += ", " + size + ": not stored]\n";
    }

    Result<std::string> decodedText(GMimeTextPart *part) const
    {
        for (const auto &[known, text] : m_decoded)
            if (known == GMIME_OBJECT(part))
                return *text;
        return partText(part, "text");
    }

    std::string &m_out;
    std::vector<std::pair<GMimeObject *, const std::string *>> m_decoded;
};

} // namespace

std::string rfc5322DateToIso(const std::string &date)
{
    if (date.empty())
        return {};
    initGMime();
    GDateTime *dt = g_mime_utils_header_decode_date(date.c_str());
    std::string out = formatIso(dt);
    if (dt)
        g_date_time_unref(dt);
    return out;
}

Result<MimeMessage> readMimeMessage(std::string_view bytes, std::string_view mboxFromLine)
{
    initGMime();
    GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
    GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
    std::vector<Warning> warnings;
    std::unique_ptr<GMimeParserOptions, ParserOptionsDeleter> options(g_mime_parser_options_new());
    g_mime_parser_options_set_warning_callback(options.get(), collectWarning, &warnings);
    GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options.get()));
    if (!message)
        return Error{QStringLiteral("not an e-mail message: GMime found no message in it")};
    for (const Warning &w : warnings) {
        if (const char *what = brokenStructure(w.code)) {
            QString text = QStringLiteral("broken MIME structure: %1").arg(QString::fromLatin1(what));
            // What GMime points at, on one line and short: it may be any bytes of the message.
            QString item = QString::fromUtf8(w.item.data(), qsizetype(std::min<size_t>(w.item.size(), 80)));
            item = item.left(item.indexOf(QLatin1Char('\n'))).trimmed();
            for (QChar &c : item)
                if (!c.isPrint())
                    c = QChar(0xFFFD);
            if (!item.isEmpty())
                text += QStringLiteral(" (%1)").arg(item);
            return Error{text};
        }
    }

    MimeMessage out;
    GMimeObject *obj = GMIME_OBJECT(message.get());
    out.headerCount = g_mime_header_list_get_count(g_mime_object_get_header_list(obj));
    if (const char *s = g_mime_message_get_subject(message.get()))
        out.subject = s;
    if (const char *s = g_mime_message_get_message_id(message.get()))
        out.messageId = s;
    out.from = addressList(g_mime_message_get_from(message.get()));
    out.to = addressList(g_mime_message_get_to(message.get()));
    out.dateIso = formatIso(g_mime_message_get_date(message.get()));
    if (mboxFromLine.size() > 5) {
        // "From sender Sun Nov 22 09:55:49 2026": the date follows the sender.
        const std::string_view rest = mboxFromLine.substr(5);
        const size_t sp = rest.find(' ');
        if (sp != std::string_view::npos)
            out.mboxFromDateIso = rfc5322DateToIso(std::string(rest.substr(sp + 1)));
    }

    GMimePartIter *iter = g_mime_part_iter_new(obj);
    std::unique_ptr<GMimePartIter, void (*)(GMimePartIter *)> iterOwner(iter, g_mime_part_iter_free);
    GMimeObject *top = g_mime_message_get_mime_part(message.get());
    GMimeObject *textPart = nullptr, *htmlPart = nullptr; // their text is out.text and out.html
    auto consider = [&](GMimeObject *part) -> Result<void> {
        if (!part || !GMIME_IS_TEXT_PART(part) || isAttachment(part))
            return {};
        GMimeContentType *ct = g_mime_object_get_content_type(part);
        if (!out.hasText && g_mime_content_type_is_type(ct, "text", "plain")) {
            auto t = partText(GMIME_TEXT_PART(part), "text/plain");
            if (!t)
                return t.failure();
            out.text = std::move(*t);
            out.hasText = true;
            textPart = part;
        } else if (!out.hasHtml && g_mime_content_type_is_type(ct, "text", "html")) {
            auto t = partText(GMIME_TEXT_PART(part), "text/html");
            if (!t)
                return t.failure();
            out.html = std::move(*t);
            out.hasHtml = true;
            htmlPart = part;
        }
        return {};
    };
    if (top && !GMIME_IS_MULTIPART(top)) {
        if (auto r = consider(top); !r)
            return r.failure();
    } else {
        while (g_mime_part_iter_is_valid(iter)) {
            if (auto r = consider(g_mime_part_iter_get_current(iter)); !r)
                return r.failure();
            if (!g_mime_part_iter_next(iter))
                break;
        }
    }
    DecodedWriter raw(out.decodedRaw);
    if (textPart)
        raw.reuse(textPart, out.text);
    if (htmlPart)
        raw.reuse(htmlPart, out.html);
    raw.message(message.get(), 0);
    return out;
}

namespace {

bool scrubHeaders(GMimeObject *obj, const std::function<bool(std::string &)> &scrub)
{
    bool changed = false;
    GMimeHeaderList *list = g_mime_object_get_header_list(obj);
    const int n = g_mime_header_list_get_count(list);
    for (int i = 0; i < n; ++i) {
        GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
        const char *name = g_mime_header_get_name(h);
        // The structure stays as GMime wrote it: a boundary is random, and one
        // the scrubber took for a token would no longer be a valid boundary.
        if (g_ascii_strcasecmp(name, "Content-Type") == 0 || g_ascii_strcasecmp(name, "Content-Transfer-Encoding") == 0 ||
            g_ascii_strcasecmp(name, "MIME-Version") == 0)
            continue;
        const char *value = g_mime_header_get_value(h);
        std::string text = value ? value : "";
        if (scrub(text)) {
            // set_value encodes RFC 2047 words again where the text needs them.
            g_mime_header_set_value(h, nullptr, text.c_str(), "utf-8");
            changed = true;
        }
    }
    return changed;
}

bool scrubObject(GMimeObject *obj, const std::function<bool(std::string &)> &scrub, int depth)
{
    if (depth > 32)
        return false;
    bool changed = scrubHeaders(obj, scrub);
    if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        for (int i = 0; i < g_mime_multipart_get_count(mp); ++i) {
            GMimeObject *part = g_mime_multipart_get_part(mp, i);
            if (GMIME_IS_PART(part) && !GMIME_IS_TEXT_PART(part)) {
                // Not text: it cannot be scrubbed, so it is not kept.
                GChars type(g_mime_content_type_get_mime_type(g_mime_object_get_content_type(part)));
                const char *name = g_mime_part_get_filename(GMIME_PART(part));
                GMimeTextPart *note = g_mime_text_part_new_with_subtype("plain");
                GChars line(g_strdup_printf("[attachment \"%s\", %s: not stored]\n", name ? name : "",
                                            type ? type.get() : "application/octet-stream"));
                g_mime_text_part_set_text(note, line.get());
                g_mime_multipart_replace(mp, i, GMIME_OBJECT(note));
                g_object_unref(note);
                changed = true;
            } else {
                changed = scrubObject(part, scrub, depth + 1) || changed;
            }
        }
    } else if (GMIME_IS_MESSAGE_PART(obj)) {
        if (GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj)))
            changed = scrubObject(GMIME_OBJECT(inner), scrub, depth + 1) || changed;
    } else if (GMIME_IS_MESSAGE(obj)) {
        if (GMimeObject *part = g_mime_message_get_mime_part(GMIME_MESSAGE(obj)))
            changed = scrubObject(part, scrub, depth + 1) || changed;
    } else if (GMIME_IS_TEXT_PART(obj)) {
        GMimeTextPart *part = GMIME_TEXT_PART(obj);
        auto decoded = partText(part, "text");
        // Text in an unknown charset cannot be scrubbed, so it is not kept.
        std::string text = decoded ? std::move(*decoded) : std::string("[text in an unknown charset: not stored]\n");
        if (scrub(text) || !decoded) {
            const GMimeContentEncoding encoding = g_mime_part_get_content_encoding(GMIME_PART(part));
            g_mime_text_part_set_text(part, text.c_str()); // UTF-8 from here on
            g_mime_part_set_content_encoding(GMIME_PART(part), encoding == GMIME_CONTENT_ENCODING_BASE64
                                                                   ? GMIME_CONTENT_ENCODING_BASE64
                                                                   : GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
            changed = true;
        }
    }
    return changed;
}

} // namespace

Result<bool> scrubMimeMessage(std::string &bytes, const std::function<bool(std::string &)> &scrub)
{
    initGMime();
    GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
    GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
    if (!message)
        return Error{QStringLiteral("not an e-mail message: GMime found no message in it")};
    if (!scrubObject(GMIME_OBJECT(message.get()), scrub, 0))
        return false;
    GMimeFormatOptions *options = g_mime_format_options_new();
    g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_UNIX);
    GChars text(g_mime_object_to_string(GMIME_OBJECT(message.get()), options));
    g_mime_format_options_free(options);
    bytes = text ? std::string(text.get()) : std::string();
    return true;
}

} // namespace ed::mail
