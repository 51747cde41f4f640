#pragma once
// A source of v1 records read from one file: JSON Lines, or e-mails turned
// into v1 records. The importer pulls items until next() returns false.
#include <QString>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>

namespace ed {

struct SourceItem {
    std::string_view json; // one v1 record (empty when `error` is set)
    bool padded = false; // json is followed by simdjson's padding of readable bytes
    std::string_view raw; // the raw view's text when it was not v1 (an e-mail, decoded)
    int64_t number = 0; // 1-based line or message number
    int64_t endOffset = 0; // bytes of the (uncompressed) file consumed through this item
    QString error; // set when this item is unusable: rejected with this reason
    bool skip = false; // nothing to import here (a blank line): not counted
    bool terminated = true; // false for a last line still missing its newline
    // An e-mail left whole by a source that defers its conversion (see
    // openMailSource): json and raw are empty, and convertMailMessage makes
    // them, on any thread (the import's workers).
    std::string_view message, fromLine;
};

class RecordSource {
public:
    virtual ~RecordSource() = default;
    virtual bool next(SourceItem &item) = 0;
    // After next() returned false: empty at a clean end, else what went wrong
    // (a truncated gzip, a read error); the items before it stand.
    virtual QString endError() const = 0;
    // Bytes of the file on disk consumed so far, for progress and MB/s.
    virtual int64_t bytesRead() const = 0;
    // "line" or "message", for messages like "file:12 (message 12)".
    virtual QString unitName() const = 0;
    // Whether endOffset of items can be given back to open() to resume there.
    virtual bool resumable() const { return false; }
    // When the flag is set, next() ends as at the end of the file, also in the
    // middle of an item (a line or an e-mail too large to keep still takes its
    // time to read through): the importer's cancel is honoured at once.
    virtual void setStopFlag(const std::atomic<bool> *stop) { (void)stop; }
};

} // namespace ed
