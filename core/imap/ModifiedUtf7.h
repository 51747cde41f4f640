#pragma once
// IMAP's modified UTF-7 for mailbox names (RFC 3501 §5.1.3): what a folder
// such as "Fehlerberichte/Größe" or "エラー" is called on the wire
// ("Fehlerberichte/Gr&APYA3w-e", "&MKgw6TD8-"). libcurl passes the mailbox of
// a URL and the text of a custom command as they are, and neither GMime nor
// GLib offers this codec, so it lives here. Settings, URLs (RFC 5092: UTF-8,
// percent-encoded) and messages keep the Unicode name; only what is sent to
// the server is encoded.
#include <QByteArray>
#include <QString>
#include <optional>

namespace ed::mutf7 {

// Printable US-ASCII (0x20-0x7e) stands for itself, '&' is "&-", every other
// run of characters is its UTF-16 in base64 with ',' for '/', unpadded,
// between '&' and '-'.
QByteArray encode(const QString &name);
// The name a server sent; nullopt when it is not valid modified UTF-7 (an
// 8-bit byte, an unterminated or padded run, a run that encodes printable
// ASCII or an odd number of bytes, a lone surrogate).
std::optional<QString> decode(const QByteArray &wire);

} // namespace ed::mutf7
