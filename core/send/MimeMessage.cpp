#include "send/MimeMessage.h"

#include <QRegularExpression>
#include <gmime/gmime.h>
#include <mutex>

namespace ed {
namespace {

void ensureGMime()
{
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

// Owns one GObject reference.
template <typename T> struct GRef {
    T *p = nullptr;
    explicit GRef(T *x = nullptr) : p(x) { }
    ~GRef()
    {
        if (p)
            g_object_unref(p);
    }
    GRef(const GRef &) = delete;
    GRef &operator=(const GRef &) = delete;
    T *get() const { return p; }
    explicit operator bool() const { return p != nullptr; }
};

struct FormatOptions {
    GMimeFormatOptions *p;
    explicit FormatOptions(GMimeNewLineFormat nl = GMIME_NEWLINE_FORMAT_UNIX) : p(g_mime_format_options_new())
    {
        g_mime_format_options_set_newline_format(p, nl);
    }
    ~FormatOptions() { g_mime_format_options_free(p); }
};

QByteArray takeString(char *s)
{
    QByteArray out(s ? s : "");
    g_free(s);
    return out;
}

// An envelope address must be a bare addr-spec: anything that could end the
// SMTP command line or open another address is refused.
bool plainAddress(const QString &a)
{
    static const QRegularExpression re(QStringLiteral(R"(^[^\s<>(),;:"\\@]+@[^\s<>(),;:"\\@]+$)"));
    return re.match(a).hasMatch();
}

QString domainOf(const QString &address)
{
    const QString d = address.section(QLatin1Char('@'), 1);
    return d.isEmpty() ? QStringLiteral("localhost") : d;
}

Result<RenderedMessage> serialize(GMimeMessage *m)
{
    FormatOptions opts;
    RenderedMessage out;
    out.bytes = takeString(g_mime_object_to_string(GMIME_OBJECT(m), opts.p));
    out.messageId = QString::fromUtf8(g_mime_message_get_message_id(m));
    if (out.bytes.isEmpty())
        return Error{QStringLiteral("GMime produced an empty message")};
    return out;
}

void stamp(GMimeMessage *m, const QString &domain)
{
    GDateTime *now = g_date_time_new_now_utc();
    g_mime_message_set_date(m, now);
    g_date_time_unref(now);
    char *id = g_mime_utils_generate_message_id(domain.toUtf8().constData());
    g_mime_message_set_message_id(m, id);
    g_free(id);
}

GMimeTextPart *textPart(const char *subtype, const QString &text)
{
    GMimeTextPart *part = g_mime_text_part_new_with_subtype(subtype);
    g_mime_text_part_set_text(part, text.toUtf8().constData());
    // Quoted-printable keeps long report lines within SMTP's limits, readable.
    g_mime_part_set_content_encoding(GMIME_PART(part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
    return part;
}

GMimeMessage *parse(const QByteArray &bytes)
{
    GRef<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.constData(), size_t(bytes.size())));
    GRef<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    return g_mime_parser_construct_message(parser.get(), nullptr);
}

} // namespace

Result<QList<Mailbox>> parseMailboxes(const QStringList &entries)
{
    ensureGMime();
    QList<Mailbox> out;
    for (const QString &entry : entries) {
        if (entry.trimmed().isEmpty())
            continue;
        if (entry.contains(QLatin1Char('\r')) || entry.contains(QLatin1Char('\n')))
            return Error{QStringLiteral("'%1' holds a line break: not an address").arg(entry.simplified())};
        GRef<InternetAddressList> list(internet_address_list_parse(nullptr, entry.toUtf8().constData()));
        const int n = list ? internet_address_list_length(list.get()) : 0;
        if (n == 0)
            return Error{QStringLiteral("'%1' is not an e-mail address").arg(entry)};
        for (int i = 0; i < n; ++i) {
            InternetAddress *a = internet_address_list_get_address(list.get(), i);
            if (!INTERNET_ADDRESS_IS_MAILBOX(a))
                return Error{QStringLiteral("'%1' is an address group; list the addresses instead").arg(entry)};
            const QString addr = QString::fromUtf8(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)));
            if (!plainAddress(addr))
                return Error{QStringLiteral("'%1' is not an e-mail address").arg(addr.isEmpty() ? entry : addr)};
            out.append({QString::fromUtf8(internet_address_get_name(a)), addr});
        }
    }
    return out;
}

Result<DraftAddresses> parseDraftAddresses(const MailDraft &draft)
{
    auto from = parseMailboxes({draft.from});
    if (!from)
        return Error{QStringLiteral("SERVER_EMAIL: ") + from.error()};
    if (from->size() != 1)
        return Error{QStringLiteral("SERVER_EMAIL must be exactly one address")};
    auto to = parseMailboxes(draft.to);
    if (!to)
        return Error{QStringLiteral("Recipients: ") + to.error()};
    return DraftAddresses{from->first(), std::move(*to)};
}

Result<RenderedMessage> renderMessage(const MailDraft &draft)
{
    auto addresses = parseDraftAddresses(draft);
    if (!addresses)
        return addresses.failure();
    return renderMessage(draft, *addresses);
}

Result<RenderedMessage> renderMessage(const MailDraft &draft, const DraftAddresses &addresses)
{
    ensureGMime();
    if (addresses.to.isEmpty())
        return Error{QStringLiteral("no recipients")};

    GRef<GMimeMessage> m(g_mime_message_new(TRUE));
    const Mailbox &sender = addresses.from;
    internet_address_list_add(
        g_mime_message_get_from(m.get()),
        GRef<InternetAddress>(internet_address_mailbox_new(sender.name.toUtf8().constData(), sender.address.toUtf8().constData()))
            .get());
    for (const Mailbox &r : addresses.to) {
        GRef<InternetAddress> a(internet_address_mailbox_new(r.name.toUtf8().constData(), r.address.toUtf8().constData()));
        internet_address_list_add(g_mime_message_get_addresses(m.get(), GMIME_ADDRESS_TYPE_TO), a.get());
    }
    // A line break in a header value would start a new header: Django's
    // format_subject escapes them, and so does the composer; this is the last guard.
    QString subject = draft.subject;
    subject.replace(QLatin1Char('\n'), QLatin1String("\\n")).replace(QLatin1Char('\r'), QLatin1String("\\r"));
    g_mime_message_set_subject(m.get(), subject.toUtf8().constData(), "utf-8");
    stamp(m.get(), domainOf(sender.address));

    GRef<GMimeTextPart> plain(textPart("plain", draft.text));
    if (draft.html.isEmpty()) {
        g_mime_message_set_mime_part(m.get(), GMIME_OBJECT(plain.get()));
    } else {
        GRef<GMimeMultipart> alt(g_mime_multipart_new_with_subtype("alternative"));
        GRef<GMimeTextPart> html(textPart("html", draft.html));
        g_mime_multipart_add(alt.get(), GMIME_OBJECT(plain.get()));
        g_mime_multipart_add(alt.get(), GMIME_OBJECT(html.get()));
        g_mime_message_set_mime_part(m.get(), GMIME_OBJECT(alt.get()));
    }
    return serialize(m.get());
}

Result<RenderedMessage> restampMessage(const QByteArray &message)
{
    ensureGMime();
    GRef<GMimeMessage> m(parse(message));
    if (!m)
        return Error{QStringLiteral("the stored message could not be parsed")};
    InternetAddressList *from = g_mime_message_get_from(m.get());
    QString domain = QStringLiteral("localhost");
    if (from && internet_address_list_length(from) > 0) {
        InternetAddress *a = internet_address_list_get_address(from, 0);
        if (INTERNET_ADDRESS_IS_MAILBOX(a))
            domain = domainOf(QString::fromUtf8(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a))));
    }
    stamp(m.get(), domain);
    return serialize(m.get());
}

QByteArray toCrlf(const QByteArray &message)
{
    ensureGMime();
    GRef<GMimeStream> mem(g_mime_stream_mem_new());
    {
        GRef<GMimeStream> filtered(g_mime_stream_filter_new(mem.get()));
        GRef<GMimeFilter> unix2dos(g_mime_filter_unix2dos_new(FALSE));
        g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered.get()), unix2dos.get());
        g_mime_stream_write(filtered.get(), message.constData(), size_t(message.size()));
        g_mime_stream_flush(filtered.get());
    }
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
    return QByteArray(reinterpret_cast<const char *>(bytes->data), qsizetype(bytes->len));
}

Result<MessageSummary> summarizeMessage(const QByteArray &message)
{
    ensureGMime();
    GRef<GMimeMessage> m(parse(message));
    if (!m)
        return Error{QStringLiteral("the stored message could not be parsed")};
    FormatOptions opts;
    MessageSummary s;
    s.subject = QString::fromUtf8(g_mime_message_get_subject(m.get()));
    s.messageId = QString::fromUtf8(g_mime_message_get_message_id(m.get()));
    s.from = QString::fromUtf8(takeString(internet_address_list_to_string(g_mime_message_get_from(m.get()), opts.p, FALSE)));
    s.to = QString::fromUtf8(takeString(internet_address_list_to_string(g_mime_message_get_to(m.get()), opts.p, FALSE)));
    return s;
}

} // namespace ed
