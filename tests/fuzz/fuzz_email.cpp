// One e-mail, as mail import reads each message: through GMime
// (readMimeMessage), Django's report read back into a v1 record
// (mailToV1Record), and that record through the import path. An input that
// starts with "From " is an mbox message: its first line is the separator.
#include "FuzzSupport.h"
#include "model/RecordTransformer.h"
#include "mail/MailRecord.h"
#include "mail/MimeReader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view message = ed::fuzz::bytes(data, size);
    std::string_view fromLine;
    if (message.starts_with("From ")) {
        const size_t nl = message.find('\n');
        fromLine = message.substr(0, nl);
        message = nl == std::string_view::npos ? std::string_view() : message.substr(nl + 1);
    }
    auto mail = ed::mail::readMimeMessage(message, fromLine);
    if (!mail)
        return 0;
    std::string json;
    if (!ed::mail::mailToV1Record(*mail, json))
        return 0;

    const ed::FilterSet &filters = ed::fuzz::defaultFilters();
    static ed::RecordTransformer transformer(filters);
    ed::TransformedRecord out;
    // The importer stores what mailToV1Record wrote; a record it cannot read back is its bug.
    const auto r = transformer.transform(json, false, out);
    if (!r)
        std::fprintf(stderr, "the record made from the e-mail is rejected: %s\n%s\n", qPrintable(r.error()), json.c_str());
    FUZZ_CHECK(r.ok());
    return 0;
}
