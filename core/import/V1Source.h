#pragma once
// v1 JSON Lines (plain or gzip) as a RecordSource.
#include "import/LineReader.h"
#include "model/RecordSource.h"

namespace ed {

class V1Source final : public RecordSource {
public:
    explicit V1Source(std::unique_ptr<LineReader> reader) : m_reader(std::move(reader)) { }
    bool next(SourceItem &item) override;
    QString endError() const override { return m_reader->error(); }
    int64_t bytesRead() const override { return m_reader->bytesRead(); }
    void setStopFlag(const std::atomic<bool> *stop) override { m_reader->setStopFlag(stop); }
    QString unitName() const override { return QStringLiteral("line"); }
    bool resumable() const override { return true; }

private:
    std::unique_ptr<LineReader> m_reader;
};

} // namespace ed
