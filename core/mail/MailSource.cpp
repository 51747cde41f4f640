#include "mail/MailSource.h"

#include "mail/MailRecord.h"
#include "mail/MailSplitter.h"
#include "mail/MimeReader.h"

namespace ed {

namespace {

using namespace ed::mail;

QString megabytes(int64_t bytes) { return QString::number(double(bytes) / (1 << 20), 'f', 1); }

// Each message of the file, through GMime, as one v1 record.
class MailSource final : public RecordSource {
public:
    MailSource(std::unique_ptr<MailSplitter> splitter, bool defer) : m_splitter(std::move(splitter)), m_defer(defer) { }

    bool next(SourceItem &item) override
    {
        MailChunk chunk;
        if (!m_splitter->next(chunk))
            return false;
        item = SourceItem{};
        item.number = chunk.number;
        item.endOffset = chunk.endOffset;
        if (chunk.cutShort) {
            // A file still being written, or cut: this message is incomplete.
            m_endError = QStringLiteral("the file ends in the middle of message %1 (%2): it is cut short or still being "
                                        "written; that message was not imported")
                             .arg(chunk.number)
                             .arg(m_splitter->form() == MailFileForm::Mbox ? QStringLiteral("its last line has no newline")
                                                                           : QStringLiteral("no line of 79 '-' after it"));
            return false;
        }
        if (chunk.oversized) {
            item.error = QStringLiteral("message %1 is %2 MB, over the %3 MB limit for one e-mail; not imported")
                             .arg(chunk.number)
                             .arg(megabytes(chunk.size))
                             .arg(MailSplitter::kMaxMessageBytes >> 20);
            return true;
        }
        if (chunk.raw.find_first_not_of(" \t\r\n") == std::string_view::npos) {
            item.error = QStringLiteral("message %1 is empty").arg(chunk.number);
            return true;
        }
        if (m_defer) {
            item.message = chunk.raw;
            item.fromLine = chunk.fromLine;
            return true;
        }
        item.error = convertMailMessage(chunk.raw, chunk.fromLine, chunk.number, m_json, m_raw);
        if (item.error.isEmpty()) {
            item.raw = m_raw;
            item.json = m_json;
            item.padded = false;
        }
        return true;
    }

    QString endError() const override
    {
        if (!m_splitter->error().isEmpty())
            return QStringLiteral("read error: %1").arg(m_splitter->error());
        return m_endError;
    }
    int64_t bytesRead() const override { return m_splitter->bytesRead(); }
    void setStopFlag(const std::atomic<bool> *stop) override { m_splitter->setStopFlag(stop); }
    QString unitName() const override { return QStringLiteral("message"); }

private:
    std::unique_ptr<MailSplitter> m_splitter;
    bool m_defer = false;
    std::string m_json, m_raw;
    QString m_endError;
};

} // namespace

QString convertMailMessage(std::string_view message, std::string_view fromLine, int64_t number, std::string &json,
                           std::string &raw)
{
    auto mail = readMimeMessage(message, fromLine);
    if (!mail)
        return QStringLiteral("message %1: %2").arg(number).arg(mail.error());
    // The raw view gets the message decoded, never its transfer-encoded
    // bytes: base64 and quoted-printable would hide secrets from the scrubber.
    raw = std::move(mail->decodedRaw);
    if (auto r = mailToV1Record(*mail, json); !r)
        return QStringLiteral("message %1: %2").arg(number).arg(r.error());
    return {};
}

Result<std::unique_ptr<RecordSource>> openMailSource(const QString &path, bool deferConversion)
{
    auto splitter = MailSplitter::open(path);
    if (!splitter)
        return splitter.failure();
    return std::unique_ptr<RecordSource>(std::make_unique<MailSource>(std::move(*splitter), deferConversion));
}

} // namespace ed
