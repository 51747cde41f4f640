#include "mail/MailSplitter.h"

#include "base/FileAccess.h"

#include <cstring>
#include <unistd.h>

namespace ed::mail {

namespace {

constexpr qint64 kBlockBytes = 1 << 20;
// A line longer than this is handed on in pieces, so one endless line cannot
// make the block grow without bound; separators and "From " lines are short.
constexpr size_t kMaxLinePiece = 1 << 20;
constexpr size_t kSeparatorDashes = 79;

bool isBlank(std::string_view line) { return line == "\n" || line == "\r\n" || line.empty(); }

std::string_view withoutNewline(std::string_view line)
{
    if (!line.empty() && line.back() == '\n')
        line.remove_suffix(1);
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    return line;
}

// "Name: value" with an RFC 5322 field name: what starts a message after a separator.
bool isHeaderLine(std::string_view line)
{
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
        return false;
    for (size_t i = 0; i < colon; ++i) {
        const unsigned char c = static_cast<unsigned char>(line[i]);
        if (c <= 32 || c >= 127)
            return false;
    }
    return true;
}

} // namespace

Result<std::unique_ptr<MailSplitter>> MailSplitter::open(const QString &path)
{
    std::unique_ptr<MailSplitter> s(new MailSplitter);
    auto fd = openRegularFile(path);
    if (!fd)
        return Error{QStringLiteral("%1: %2").arg(path, fd.error())};
    if (!s->m_file.open(*fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle)) {
        ::close(*fd);
        return Error{QStringLiteral("%1: cannot open: %2").arg(path, s->m_file.errorString())};
    }
    if (!s->readBlock())
        return Error{QStringLiteral("%1: cannot read: %2").arg(path, s->m_error)};
    // The form is found from the content: an mbox starts with a "From " line.
    size_t pos = 0;
    if (s->m_block.compare(0, 3, "\xEF\xBB\xBF") == 0)
        pos = 3;
    while (pos < s->m_block.size() && (s->m_block[pos] == '\n' || s->m_block[pos] == '\r'))
        ++pos;
    s->m_mbox = s->m_block.compare(pos, 5, "From ") == 0;
    s->m_form = s->m_mbox ? MailFileForm::Mbox : MailFileForm::SingleMessage;
    return s;
}

bool MailSplitter::readBlock()
{
    const size_t old = m_block.size();
    m_block.resize(old + size_t(kBlockBytes));
    const qint64 n = m_file.read(m_block.data() + old, kBlockBytes);
    if (n < 0) {
        m_block.resize(old);
        m_error = m_file.errorString();
        m_eof = true;
        return false;
    }
    m_block.resize(old + size_t(n));
    if (n == 0)
        m_eof = true;
    return true;
}

bool MailSplitter::nextLine(std::string_view &line, bool &atLineStart)
{
    atLineStart = m_atLineStart;
    for (;;) {
        const size_t avail = m_block.size() - m_blockPos;
        const char *p = m_block.data() + m_blockPos;
        if (const void *nl = std::memchr(p, '\n', avail)) {
            const size_t n = size_t(static_cast<const char *>(nl) - p) + 1;
            line = std::string_view(p, n);
            m_blockPos += n;
            m_fileOffset += int64_t(n);
            m_atLineStart = true;
            return true;
        }
        if (m_eof || avail >= kMaxLinePiece) {
            if (avail == 0)
                return false;
            line = std::string_view(p, avail);
            m_blockPos += avail;
            m_fileOffset += int64_t(avail);
            m_atLineStart = false;
            return true;
        }
        m_block.erase(0, m_blockPos);
        m_blockPos = 0;
        readBlock();
    }
}

void MailSplitter::startMessage()
{
    m_message.clear();
    m_fromLine.clear();
    m_messageSize = 0;
    m_oversized = false;
    m_inMessage = true;
}

void MailSplitter::appendToMessage(std::string_view line)
{
    m_messageSize += int64_t(line.size());
    if (m_oversized)
        return;
    if (m_messageSize > kMaxMessageBytes) {
        // Keep counting, hold nothing: the message is rejected by its size alone.
        m_oversized = true;
        std::string().swap(m_message);
        return;
    }
    m_message.append(line);
}

bool MailSplitter::isSeparator(std::string_view line) const
{
    line = withoutNewline(line);
    return line.size() == kSeparatorDashes && line.find_first_not_of('-') == std::string_view::npos;
}

void MailSplitter::finishMessage(MailChunk &chunk, int64_t endOffset, bool cutShort)
{
    m_inMessage = false;
    chunk = MailChunk{};
    chunk.number = ++m_number;
    chunk.endOffset = endOffset;
    chunk.size = m_messageSize;
    chunk.oversized = m_oversized;
    chunk.cutShort = cutShort;
    if (m_oversized)
        return;
    // Both framings add one newline after the message (the backend writes
    // message + "\n", an mbox a blank line before the next "From "): drop it.
    std::string_view all(m_message);
    if (all.size() >= 2 && all.substr(all.size() - 2) == "\n\n")
        all.remove_suffix(1);
    else if (all.size() >= 4 && all.substr(all.size() - 4) == "\r\n\r\n")
        all.remove_suffix(2);
    chunk.raw = all;
    chunk.fromLine = m_fromLine;
}

bool MailSplitter::next(MailChunk &chunk)
{
    if (m_done)
        return false;
    std::string_view line;
    bool atLineStart = true;
    for (;;) {
        if (m_stop && m_stop->load(std::memory_order_relaxed)) {
            m_done = true; // the message in progress is not handed out: read again next time
            return false;
        }
        if (m_hasCarry) {
            line = m_carry;
            atLineStart = true;
            m_hasCarry = false;
        } else if (!nextLine(line, atLineStart)) {
            break;
        }

        if (m_mbox) {
            const bool fromLine = atLineStart && m_prevBlank && line.substr(0, 5) == "From ";
            if (fromLine) {
                if (m_inMessage) {
                    // This line opens the next message: hand the current one out first.
                    m_carry.assign(line);
                    m_hasCarry = true;
                    finishMessage(chunk, m_fileOffset - int64_t(line.size()), false);
                    return true;
                }
                startMessage();
                m_fromLine.assign(withoutNewline(line));
                m_messageSize = int64_t(line.size());
                m_prevBlank = false;
                continue;
            }
            if (!m_inMessage) {
                // Text before the first "From " line: not part of any message.
                m_prevBlank = isBlank(line);
                continue;
            }
            m_prevBlank = atLineStart && isBlank(line);
            // mboxrd/mboxo: a body line ">From " (">>From ", ...) was escaped by one '>'.
            if (atLineStart && line.size() > 5 && line[0] == '>') {
                const size_t gts = line.find_first_not_of('>');
                if (gts != std::string_view::npos && line.substr(gts, 5) == "From ") {
                    appendToMessage(line.substr(1));
                    m_messageSize += 1; // the file's bytes, not the unescaped ones
                    continue;
                }
            }
            appendToMessage(line);
            continue;
        }

        // A single message, or the file-based backend's messages and separators.
        if (!m_pendingSeparator.empty()) {
            if (isBlank(line)) {
                // Held only while the message could still take them: past the cap
                // they are counted, so endless blank lines cannot fill memory.
                if (m_messageSize + int64_t(m_pendingSeparator.size() + line.size()) <= kMaxMessageBytes)
                    m_pendingSeparator.append(line);
                else
                    m_pendingUncounted += int64_t(line.size());
                continue;
            }
            if (atLineStart && isHeaderLine(line)) {
                // Confirmed: the separator closed the message; this line opens the next.
                m_form = MailFileForm::FileBackend;
                m_pendingSeparator.clear();
                m_pendingUncounted = 0;
                m_carry.assign(line);
                m_hasCarry = true;
                finishMessage(chunk, m_pendingEndOffset, false);
                return true;
            }
            // Only a line of dashes inside a message.
            const std::string held = std::move(m_pendingSeparator);
            m_pendingSeparator.clear();
            appendToMessage(held);
            if (m_pendingUncounted > 0) {
                // The blank lines not held take the message past the cap.
                m_messageSize += m_pendingUncounted;
                m_pendingUncounted = 0;
                m_oversized = true;
                std::string().swap(m_message);
            }
        }
        if (!m_inMessage) {
            if (isBlank(line))
                continue; // blank lines between messages
            startMessage();
        }
        if (atLineStart && isSeparator(line)) {
            m_pendingSeparator.assign(line);
            m_pendingEndOffset = m_fileOffset;
            continue;
        }
        appendToMessage(line);
    }

    m_done = true;
    if (!m_pendingSeparator.empty()) {
        // A separator at the end of the file closes the last message.
        m_form = MailFileForm::FileBackend;
        m_pendingSeparator.clear();
        m_pendingUncounted = 0;
        if (m_inMessage) {
            finishMessage(chunk, m_pendingEndOffset, false);
            return true;
        }
        return false;
    }
    if (!m_inMessage)
        return false;
    bool cut = false;
    if (m_mbox) {
        // Every message of an mbox ends with a newline (and a blank line).
        cut = m_messageSize > 0 && !m_atLineStart;
    } else {
        // In a file of the backend every message is followed by its separator.
        cut = m_form == MailFileForm::FileBackend;
    }
    finishMessage(chunk, m_fileOffset, cut);
    return true;
}

} // namespace ed::mail
