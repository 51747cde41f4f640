#include "filters/SendLogScrub.h"

#include "mail/MimeReader.h"
#include "model/Filter.h"

namespace ed {

bool scrubSendLogTexts(const Scrubber &scrubber, SendLogTexts &t)
{
    bool any = false;
    for (std::string *text : {&t.subject, &t.reply, &t.error, &t.transcript})
        any = scrubber.scrubText(*text) || any;
    auto scrubbed = mail::scrubMimeMessage(t.message, [&scrubber](std::string &s) { return scrubber.scrubText(s); });
    if (!scrubbed) // not readable as a message: scrubbed as plain text, never left as it was
        return scrubber.scrubText(t.message) || any;
    return *scrubbed || any;
}

} // namespace ed
