#pragma once
// zstd for large text in the store (bodies and parts).
#include "base/Result.h"

#include <string>
#include <string_view>

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;

namespace ed {

class Compressor {
public:
    explicit Compressor(int level = 3);
    ~Compressor();
    Compressor(const Compressor &) = delete;
    Compressor &operator=(const Compressor &) = delete;
    // Replaces `out` with the compressed frame.
    void compress(std::string_view in, std::string &out);

private:
    ZSTD_CCtx_s *m_ctx;
    int m_level;
};

// Decompresses one frame; fails on corrupt data or a frame over `maxBytes`.
Result<std::string> decompress(std::string_view in, size_t maxBytes = size_t(1) << 30);

} // namespace ed
