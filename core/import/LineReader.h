#pragma once
// Reads a file, plain or gzip, as lines without holding it in memory.
// Lines longer than the limit are skipped without being buffered.
#include "base/Result.h"

#include <QString>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace ed {

class LineReader {
public:
    struct Line {
        std::string_view text; // without the newline; readable padding follows it
        int64_t number = 0; // 1-based
        int64_t endOffset = 0; // uncompressed bytes through the newline
        bool terminated = true; // false for a last line without its newline
        int64_t length = 0; // the full length, also for a line too long to keep
        bool tooLong = false; // text is empty: the line was over the limit
    };

    ~LineReader();
    // Opens `path`, detecting gzip by its magic bytes; starts at `offset`
    // (uncompressed) taken to be the start of line `firstLine`.
    static Result<std::unique_ptr<LineReader>> open(const QString &path, int64_t offset = 0, int64_t firstLine = 1,
                                                    size_t maxLineBytes = 16u << 20);
    bool next(Line &line);
    // When the flag is set, next() ends as at the end of the file, also in the
    // middle of a line too long to keep (a gzip bomb of one line takes minutes
    // to read through): a stop is honoured at once. The line is read again by a
    // resumed import.
    void setStopFlag(const std::atomic<bool> *stop) { m_stop = stop; }
    const QString &error() const { return m_error; }
    int64_t bytesRead() const; // of the file on disk
    bool isGzip() const { return m_gzip != nullptr; }

private:
    LineReader() = default;
    bool fill();

    int m_fd = -1;
    void *m_gzip = nullptr; // gzFile
    std::string m_buf; // capacity holds the padding past the data
    size_t m_begin = 0, m_end = 0;
    size_t m_maxLine = 0;
    int64_t m_offset = 0, m_line = 0;
    bool m_eof = false;
    QString m_error;
    QString m_path;
    const std::atomic<bool> *m_stop = nullptr;
};

} // namespace ed
