#pragma once
// Cuts a file of e-mails into messages without understanding MIME: an mbox
// ("From " separator lines, ">From " unescaped), the files of Django's
// file-based e-mail backend (each message followed by a line of 79 '-'), or a
// single message. That framing is not MIME, so it is done here; each message is
// then handed to GMime whole. Reads the file in blocks and holds one message
// at a time, capped at kMaxMessageBytes.
#include "base/Result.h"

#include <QFile>
#include <QString>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace ed::mail {

enum class MailFileForm { SingleMessage, Mbox, FileBackend };

struct MailChunk {
    std::string_view raw; // the message alone, without framing lines (mbox: ">From " unescaped)
    std::string_view fromLine; // mbox: the "From " separator line, without its newline
    int64_t number = 0; // 1-based message number in the file
    int64_t endOffset = 0; // bytes of the file consumed through this message
    int64_t size = 0; // bytes of the message in the file
    bool oversized = false; // over kMaxMessageBytes: raw is empty, size tells how large
    bool cutShort = false; // the file ended inside this message (no closing separator)
};

class MailSplitter {
public:
    static constexpr int64_t kMaxMessageBytes = 32ll << 20;

    static Result<std::unique_ptr<MailSplitter>> open(const QString &path);

    // The next message; false at the end of the file or on a read error.
    bool next(MailChunk &chunk);
    // When the flag is set, next() ends as at the end of the file, also in the
    // middle of a message (one over the cap is still read through to its end).
    void setStopFlag(const std::atomic<bool> *stop) { m_stop = stop; }
    QString error() const { return m_error; }
    MailFileForm form() const { return m_form; }
    int64_t bytesRead() const { return m_fileOffset; }

private:
    MailSplitter() = default;
    bool readBlock();
    // The next line of the file with its newline (a piece of it when it is very long).
    bool nextLine(std::string_view &line, bool &atLineStart);
    void startMessage();
    // One line of the file into the message being built (counted, not kept, past the cap).
    void appendToMessage(std::string_view line);
    void finishMessage(MailChunk &chunk, int64_t endOffset, bool cutShort);
    bool isSeparator(std::string_view line) const;

    QFile m_file;
    MailFileForm m_form = MailFileForm::SingleMessage;
    bool m_mbox = false;
    QString m_error;

    std::string m_block; // bytes read, not yet cut into lines
    size_t m_blockPos = 0;
    bool m_eof = false;
    int64_t m_fileOffset = 0; // bytes of the file handed out as lines
    bool m_atLineStart = true;

    std::string m_message; // the message being built (or the one last returned)
    std::string m_fromLine; // mbox: the separator line of the message being built
    int64_t m_messageSize = 0;
    bool m_oversized = false;
    bool m_inMessage = false;
    bool m_prevBlank = true; // mbox: "From " starts a message only after a blank line
    int64_t m_number = 0;
    bool m_done = false;
    std::string m_carry; // a line read that opens the next message
    bool m_hasCarry = false;

    // File backend: a line of 79 '-' ends a message only when what follows is
    // a header line or the end of the file; until then it is held here.
    // The blank lines after it are held with it up to kMaxMessageBytes, then only counted.
    std::string m_pendingSeparator;
    int64_t m_pendingUncounted = 0;
    int64_t m_pendingEndOffset = 0;
    const std::atomic<bool> *m_stop = nullptr;
};

} // namespace ed::mail
