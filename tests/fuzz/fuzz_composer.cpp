// The message Django would have sent for a stored report (MailComposer, the
// rebuilt text and HTML reports), to admins and to managers, made into MIME by
// GMime, with no header added by the report's text. The input is a v1 record:
// it must pass the import path (RecordTransformer, which gives the row's level
// and status) as a stored one has.
#include "FuzzSupport.h"
#include "model/RecordTransformer.h"
#include "model/ReportJson.h"
#include "send/MailComposer.h"
#include "send/MimeMessage.h"

#include <QJsonDocument>

namespace {

// How many header lines of the message's top level start with `name` (case-insensitive).
int headerLines(const QByteArray &message, const QByteArray &name)
{
    const qsizetype end = message.indexOf("\n\n");
    int n = 0;
    for (const QByteArray &line : message.left(end < 0 ? message.size() : end).split('\n'))
        if (line.toLower().startsWith(name))
            ++n;
    return n;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const ed::FilterSet &filters = ed::fuzz::defaultFilters();
    static ed::RecordTransformer transformer(filters);
    ed::TransformedRecord out;
    if (!transformer.transform(ed::fuzz::bytes(data, size), false, out))
        return 0;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!doc.isObject())
        return 0;

    ed::ReportDetail report;
    report.row.id = 1;
    report.row.level = out.level;
    report.row.statusCode = out.statusCode;
    report.record = doc.object();
    report.report = ed::reportFromRecord(report.record);

    ed::ComposerSettings settings;
    settings.subjectPrefix = QStringLiteral("[Shop] ");
    settings.serverEmail = QStringLiteral("errors@shop.example.com");
    settings.internalIps = {QStringLiteral("10.0.0.5")};
    settings.admins = {QStringLiteral("Ops <ops@example.com>")};
    settings.managers = {QStringLiteral("web@example.com")};
    static const ed::MailComposer composer(settings);
    for (const ed::MailAudience audience : {ed::MailAudience::Admins, ed::MailAudience::Managers}) {
        const ed::MailDraft draft = composer.compose(report, audience);
        // Headers are set through GMime only: report text cannot add a header.
        const auto message = ed::renderMessage(draft);
        if (!message)
            std::fprintf(stderr, "cannot render: %s\n", qPrintable(message.error()));
        FUZZ_CHECK(message.ok());
        // Report text (subject, host, message) must not add a header or a recipient.
        FUZZ_CHECK(headerLines(message->bytes, "to:") == 1);
        FUZZ_CHECK(headerLines(message->bytes, "from:") == 1);
        FUZZ_CHECK(headerLines(message->bytes, "subject:") == 1);
        FUZZ_CHECK(headerLines(message->bytes, "cc:") == 0 && headerLines(message->bytes, "bcc:") == 0);
    }
    return 0;
}
