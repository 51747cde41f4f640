#pragma once
// One e-mail through GMime 3: headers decoded (RFC 2047, folding), the
// text/plain and text/html bodies decoded from their transfer encoding and
// charset into UTF-8. Problems that make the message unreadable (a broken MIME
// structure, an unknown charset on non-ASCII text) come back as an Error.
#include "base/Result.h"

#include <QString>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace ed::mail {

struct MimeMessage {
    std::string subject, from, to, messageId;
    std::string dateIso; // "2026-11-22T09:55:30+00:00"; empty without a valid Date
    std::string text, html; // decoded, UTF-8
    bool hasText = false, hasHtml = false;
    int headerCount = 0;
    std::string mboxFromDateIso; // the date of an mbox "From " line, when there is one
    // The whole message for the raw view, decoded: headers with RFC 2047 words
    // decoded, text parts after transfer decoding and charset conversion (HTML
    // also after entity decoding), each marked 8bit UTF-8, the multipart
    // structure kept; non-text attachments reduced to a line with their name,
    // type and size. Never the transfer-encoded bytes: a scrubber run over this
    // text sees every secret as text (base64 and quoted-printable hide them).
    std::string decodedRaw;
};

// `bytes` is one message (an mbox's ">From " lines already unescaped, so it is
// read as a plain message: GMime's mbox mode neither unescapes them nor could
// read an unescaped "From " body line). `mboxFromLine` is its mbox separator
// line, if it had one, for the date it carries.
Result<MimeMessage> readMimeMessage(std::string_view bytes, std::string_view mboxFromLine = {});

// Scrubs a whole message in place where its text is decoded, and writes it
// back through GMime in its own transfer encodings, still a sendable message
// (the send log keeps what was sent, for a resend): every header value after
// RFC 2047 decoding, every text part after transfer decoding and charset
// conversion. Parts that are not text are replaced by a line naming them.
// Returns whether anything changed; an Error when GMime cannot read it.
Result<bool> scrubMimeMessage(std::string &bytes, const std::function<bool(std::string &)> &scrub);

// An RFC 5322 date ("Sun, 22 Nov 2026 09:55:30 -0600") as ISO 8601 with its
// offset, or empty when GMime cannot read it.
std::string rfc5322DateToIso(const std::string &date);

} // namespace ed::mail
