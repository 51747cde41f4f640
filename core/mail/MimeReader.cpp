#include "MimeReader.h"

#include <gmime/gmime.h>

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
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

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
    return !charset || !*charset || g_ascii_strcasecmp(charset, "utf-8") == 0 || g_ascii_strcasecmp(charset, "utf8") == 0
           || g_ascii_strcasecmp(charset, "us-ascii") == 0;
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
    if (!g_utf8_validate(out.data(), gssize(out.size()), nullptr)) {
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
    auto consider = [&](GMimeObject *part) -> Result<void> {
        if (!part || !GMIME_IS_TEXT_PART(part) || isAttachment(part))
            return {};
        GMimeContentType *ct = g_mime_object_get_content_type(part);
        if (!out.hasText && g_mime_content_type_is_type(ct, "text", "plain")) {
            auto t = partText(GMIME_TEXT_PART(part), "text/plain");
            if (!t)
                return Error{t.error()};
            out.text = std::move(*t);
            out.hasText = true;
        } else if (!out.hasHtml && g_mime_content_type_is_type(ct, "text", "html")) {
            auto t = partText(GMIME_TEXT_PART(part), "text/html");
            if (!t)
                return Error{t.error()};
            out.html = std::move(*t);
            out.hasHtml = true;
        }
        return {};
    };
    if (top && !GMIME_IS_MULTIPART(top)) {
        if (auto r = consider(top); !r)
            return Error{r.error()};
    } else {
        while (g_mime_part_iter_is_valid(iter)) {
            if (auto r = consider(g_mime_part_iter_get_current(iter)); !r)
                return Error{r.error()};
            if (!g_mime_part_iter_next(iter))
                break;
        }
    }
    return out;
}

} // namespace ed::mail
