#include "import/LineReader.h"

#include "base/FileAccess.h"

#include <QFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

namespace ed {
namespace {
constexpr size_t kChunk = 1u << 20;
constexpr size_t kPadding = 64; // simdjson::SIMDJSON_PADDING
} // namespace

LineReader::~LineReader()
{
    if (m_gzip)
        gzclose(static_cast<gzFile>(m_gzip)); // closes m_fd too
    else if (m_fd >= 0)
        ::close(m_fd);
}

Result<std::unique_ptr<LineReader>> LineReader::open(const QString &path, int64_t offset, int64_t firstLine, size_t maxLineBytes)
{
    std::unique_ptr<LineReader> r(new LineReader);
    r->m_path = path;
    r->m_maxLine = maxLineBytes;
    auto fd = openRegularFile(path); // never blocks on a FIFO swapped in since the sniff
    if (!fd)
        return Error{QStringLiteral("%1: %2").arg(path, fd.error())};
    r->m_fd = *fd;
    unsigned char magic[2] = {0, 0};
    const ssize_t n = ::pread(r->m_fd, magic, 2, 0);
    if (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
        gzFile gz = gzdopen(r->m_fd, "rb");
        if (!gz)
            return Error{QStringLiteral("cannot read %1 as gzip").arg(path)};
        gzbuffer(gz, 256 * 1024);
        r->m_gzip = gz;
    }
    r->m_buf.resize(kChunk + kPadding);
    if (offset > 0) {
        if (!r->m_gzip) {
            if (::lseek(r->m_fd, offset, SEEK_SET) != offset)
                return Error{QStringLiteral("cannot seek in %1").arg(path)};
        } else if (gzseek(static_cast<gzFile>(r->m_gzip), offset, SEEK_SET) != offset) {
            return Error{QStringLiteral("cannot skip to byte %1 of %2").arg(offset).arg(path)};
        }
        r->m_offset = offset;
    }
    r->m_line = firstLine - 1;
    return r;
}

int64_t LineReader::bytesRead() const
{
    if (m_gzip)
        return gzoffset(static_cast<gzFile>(m_gzip));
    const off_t pos = ::lseek(m_fd, 0, SEEK_CUR);
    return pos < 0 ? 0 : int64_t(pos);
}

// Reads more bytes after m_end; false at the end of the file or on an error.
bool LineReader::fill()
{
    if (m_eof)
        return false;
    if (m_begin > 0) {
        std::memmove(m_buf.data(), m_buf.data() + m_begin, m_end - m_begin);
        m_end -= m_begin;
        m_begin = 0;
    }
    if (m_buf.size() - kPadding - m_end < kChunk / 2) {
        const size_t grown = std::min(m_buf.size() * 2, m_maxLine + 2 * kChunk + kPadding);
        if (grown > m_buf.size())
            m_buf.resize(grown);
    }
    const size_t room = m_buf.size() - kPadding - m_end;
    if (room == 0)
        return true; // caller handles a full buffer as a too-long line
    ssize_t got;
    if (m_gzip) {
        got = gzread(static_cast<gzFile>(m_gzip), m_buf.data() + m_end, unsigned(std::min<size_t>(room, 1u << 30)));
        if (got < 0) {
            int errnum = 0;
            const char *msg = gzerror(static_cast<gzFile>(m_gzip), &errnum);
            m_error = QStringLiteral("gzip data is damaged or truncated after line %1 (%2)")
                          .arg(m_line)
                          .arg(QString::fromLocal8Bit(msg ? msg : "error"));
            m_eof = true;
            return false;
        }
        if (got == 0) {
            // zlib returns 0 at a clean end and also when the last member was cut short.
            int errnum = 0;
            const char *msg = gzerror(static_cast<gzFile>(m_gzip), &errnum);
            if (errnum != Z_OK && errnum != Z_STREAM_END)
                m_error = QStringLiteral("gzip data is damaged or truncated after line %1 (%2)")
                              .arg(m_line)
                              .arg(QString::fromLocal8Bit(msg));
        }
    } else {
        do {
            got = ::read(m_fd, m_buf.data() + m_end, room);
        } while (got < 0 && errno == EINTR);
        if (got < 0) {
            m_error = QStringLiteral("read error after line %1: %2").arg(m_line).arg(QString::fromLocal8Bit(strerror(errno)));
            m_eof = true;
            return false;
        }
    }
    if (got == 0) {
        m_eof = true;
        return false;
    }
    m_end += size_t(got);
    return true;
}

bool LineReader::next(Line &line)
{
    for (;;) {
        const char *start = m_buf.data() + m_begin;
        const size_t avail = m_end - m_begin;
        const void *nl = std::memchr(start, '\n', avail);
        if (nl) {
            const size_t len = size_t(static_cast<const char *>(nl) - start);
            line = Line{};
            line.number = ++m_line;
            line.length = int64_t(len);
            if (len > m_maxLine) {
                line.tooLong = true;
            } else {
                line.text = std::string_view(start, len);
            }
            m_begin += len + 1;
            m_offset += int64_t(len) + 1;
            line.endOffset = m_offset;
            return true;
        }
        if (avail > m_maxLine) {
            // Too long to keep: drop what we have and count until the newline.
            int64_t length = int64_t(avail);
            m_begin = m_end = 0;
            for (;;) {
                if (m_stop && m_stop->load(std::memory_order_relaxed)) {
                    m_eof = true;
                    return false;
                }
                if (!fill()) {
                    line = Line{};
                    line.number = ++m_line;
                    line.tooLong = true;
                    line.terminated = false;
                    line.length = length;
                    m_offset += length;
                    line.endOffset = m_offset;
                    return true;
                }
                const void *p = std::memchr(m_buf.data(), '\n', m_end);
                if (p) {
                    const size_t part = size_t(static_cast<const char *>(p) - m_buf.data());
                    length += int64_t(part);
                    m_begin = part + 1;
                    line = Line{};
                    line.number = ++m_line;
                    line.tooLong = true;
                    line.length = length;
                    m_offset += length + 1;
                    line.endOffset = m_offset;
                    return true;
                }
                length += int64_t(m_end);
                m_begin = m_end = 0;
            }
        }
        if (!fill()) {
            if (m_end > m_begin) {
                // The last line, without its newline.
                line = Line{};
                line.number = ++m_line;
                line.text = std::string_view(m_buf.data() + m_begin, m_end - m_begin);
                line.length = int64_t(line.text.size());
                line.terminated = false;
                m_offset += line.length;
                line.endOffset = m_offset;
                m_begin = m_end;
                return true;
            }
            return false;
        }
    }
}

} // namespace ed
