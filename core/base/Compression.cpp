#include "base/Compression.h"

#include <zstd.h>

namespace ed {

Compressor::Compressor(int level) : m_ctx(ZSTD_createCCtx()), m_level(level) { }

Compressor::~Compressor() { ZSTD_freeCCtx(m_ctx); }

void Compressor::compress(std::string_view in, std::string &out)
{
    out.resize(ZSTD_compressBound(in.size()));
    const size_t n = ZSTD_compressCCtx(m_ctx, out.data(), out.size(), in.data(), in.size(), m_level);
    out.resize(ZSTD_isError(n) ? 0 : n);
}

Result<std::string> decompress(std::string_view in, size_t maxBytes)
{
    const unsigned long long size = ZSTD_getFrameContentSize(in.data(), in.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > maxBytes)
        return Error{QStringLiteral("stored data is corrupt (bad zstd frame)")};
    std::string out(size, '\0');
    const size_t n = ZSTD_decompress(out.data(), out.size(), in.data(), in.size());
    if (ZSTD_isError(n) || n != size)
        return Error{QStringLiteral("stored data is corrupt (%1)").arg(QString::fromUtf8(ZSTD_getErrorName(n)))};
    return out;
}

} // namespace ed
