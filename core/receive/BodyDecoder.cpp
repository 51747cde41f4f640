#include "receive/BodyDecoder.h"

#include <brotli/decode.h>
#include <zlib.h>
#include <zstd.h>

#include <cctype>

namespace ed::receive {

namespace {
constexpr size_t kBuf = 64 * 1024;
}

struct BodyDecoder::Codec {
    enum class Kind { Identity, Gzip, Deflate, Brotli, Zstd } kind = Kind::Identity;
    z_stream z{};
    bool zInit = false, zEnded = false;
    bool deflateDecided = false; // deflate: zlib or raw, from the first two bytes
    std::string deflateHead;
    BrotliDecoderState *br = nullptr;
    BrotliDecoderResult brLast = BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT;
    ZSTD_DStream *zstd = nullptr;
    size_t zstdLast = 0;

    ~Codec()
    {
        if (zInit)
            inflateEnd(&z);
        if (br)
            BrotliDecoderDestroyInstance(br);
        if (zstd)
            ZSTD_freeDStream(zstd);
    }
};

BodyDecoder::BodyDecoder(std::string_view contentEncoding, size_t maxDecoded)
    : m_codec(std::make_unique<Codec>()), m_max(maxDecoded)
{
    std::string enc;
    for (char c : contentEncoding)
        if (c != ' ' && c != '\t')
            enc += char(std::tolower(static_cast<unsigned char>(c)));
    using K = Codec::Kind;
    if (enc.empty() || enc == "identity") {
        m_codec->kind = K::Identity;
    } else if (enc == "gzip" || enc == "x-gzip") {
        m_codec->kind = K::Gzip;
        m_codec->zInit = inflateInit2(&m_codec->z, 16 + MAX_WBITS) == Z_OK;
    } else if (enc == "deflate") {
        m_codec->kind = K::Deflate; // initialised on the first two bytes
    } else if (enc == "br") {
        m_codec->kind = K::Brotli;
        m_codec->br = BrotliDecoderCreateInstance(nullptr, nullptr, nullptr);
    } else if (enc == "zstd") {
        m_codec->kind = K::Zstd;
        m_codec->zstd = ZSTD_createDStream();
        if (m_codec->zstd) {
            ZSTD_initDStream(m_codec->zstd);
            // A frame's window is its memory: refuse windows over 8 MiB (bombs of memory, not only of output).
            ZSTD_DCtx_setParameter(m_codec->zstd, ZSTD_d_windowLogMax, 23);
        }
    } else {
        fail(Status::Unsupported,
             QStringLiteral("Content-Encoding \"%1\" is not one of gzip, deflate, br, zstd").arg(QString::fromUtf8(enc)));
    }
}

BodyDecoder::~BodyDecoder() = default;

bool BodyDecoder::fail(Status s, const QString &why)
{
    if (m_status == Status::Ok) {
        m_status = s;
        m_error = why;
    }
    return false;
}

bool BodyDecoder::feed(std::string_view piece)
{
    if (m_status != Status::Ok)
        return false;
    Codec &c = *m_codec;
    using K = Codec::Kind;
    auto tooLarge = [&] {
        return fail(Status::TooLarge, QStringLiteral("the body decompresses to more than %1 MiB").arg(m_max >> 20));
    };
    if (c.kind == K::Identity) {
        if (m_out.size() + piece.size() > m_max)
            return tooLarge();
        m_out.append(piece);
        return true;
    }
    if (c.kind == K::Deflate && !c.deflateDecided) {
        c.deflateHead.append(piece);
        if (c.deflateHead.size() < 2)
            return true;
        const auto b0 = static_cast<unsigned char>(c.deflateHead[0]), b1 = static_cast<unsigned char>(c.deflateHead[1]);
        const bool zlibHeader = (b0 & 0x0f) == 8 && ((b0 << 8) | b1) % 31 == 0;
        c.zInit = inflateInit2(&c.z, zlibHeader ? MAX_WBITS : -MAX_WBITS) == Z_OK;
        c.deflateDecided = true;
        std::string head;
        head.swap(c.deflateHead);
        return feed(head);
    }
    char buf[kBuf];
    if (c.kind == K::Gzip || c.kind == K::Deflate) {
        if (!c.zInit)
            return fail(Status::Corrupt, QStringLiteral("cannot start zlib"));
        if (c.zEnded)
            return piece.empty() || fail(Status::Corrupt, QStringLiteral("data after the end of the compressed stream"));
        c.z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(piece.data()));
        c.z.avail_in = uInt(piece.size());
        while (c.z.avail_in > 0) {
            c.z.next_out = reinterpret_cast<Bytef *>(buf);
            c.z.avail_out = sizeof buf;
            const int rc = inflate(&c.z, Z_NO_FLUSH);
            if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
                return fail(Status::Corrupt, QStringLiteral("the %1 body is corrupt (%2)")
                                                 .arg(c.kind == K::Gzip ? QStringLiteral("gzip") : QStringLiteral("deflate"))
                                                 .arg(QString::fromUtf8(c.z.msg ? c.z.msg : "zlib error")));
            const size_t got = sizeof buf - c.z.avail_out;
            if (m_out.size() + got > m_max)
                return tooLarge();
            m_out.append(buf, got);
            if (rc == Z_STREAM_END) {
                c.zEnded = true;
                if (c.z.avail_in > 0)
                    return fail(Status::Corrupt, QStringLiteral("data after the end of the compressed stream"));
                break;
            }
            if (rc == Z_BUF_ERROR && got == 0)
                break;
        }
        return true;
    }
    if (c.kind == K::Brotli) {
        if (!c.br)
            return fail(Status::Corrupt, QStringLiteral("cannot start brotli"));
        size_t availIn = piece.size();
        auto *nextIn = reinterpret_cast<const uint8_t *>(piece.data());
        do {
            size_t availOut = sizeof buf;
            auto *nextOut = reinterpret_cast<uint8_t *>(buf);
            c.brLast = BrotliDecoderDecompressStream(c.br, &availIn, &nextIn, &availOut, &nextOut, nullptr);
            if (c.brLast == BROTLI_DECODER_RESULT_ERROR)
                return fail(Status::Corrupt,
                            QStringLiteral("the br body is corrupt (%1)")
                                .arg(QString::fromUtf8(BrotliDecoderErrorString(BrotliDecoderGetErrorCode(c.br)))));
            const size_t got = sizeof buf - availOut;
            if (m_out.size() + got > m_max)
                return tooLarge();
            m_out.append(buf, got);
        } while (c.brLast == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT ||
                 (availIn > 0 && c.brLast != BROTLI_DECODER_RESULT_SUCCESS));
        if (availIn > 0)
            return fail(Status::Corrupt, QStringLiteral("data after the end of the compressed stream"));
        return true;
    }
    // zstd
    if (!c.zstd)
        return fail(Status::Corrupt, QStringLiteral("cannot start zstd"));
    ZSTD_inBuffer in{piece.data(), piece.size(), 0};
    // Until the input is used up and the decoder has no more output for it.
    for (;;) {
        ZSTD_outBuffer out{buf, sizeof buf, 0};
        const size_t rc = ZSTD_decompressStream(c.zstd, &out, &in);
        if (ZSTD_isError(rc))
            return fail(Status::Corrupt,
                        QStringLiteral("the zstd body is corrupt (%1)").arg(QString::fromUtf8(ZSTD_getErrorName(rc))));
        c.zstdLast = rc;
        if (m_out.size() + out.pos > m_max)
            return tooLarge();
        m_out.append(buf, out.pos);
        if (in.pos == in.size && out.pos < out.size)
            break;
    }
    return true;
}

bool BodyDecoder::finish()
{
    if (m_status != Status::Ok)
        return false;
    Codec &c = *m_codec;
    using K = Codec::Kind;
    const QString cut = QStringLiteral("the compressed body ends before its stream does");
    switch (c.kind) {
    case K::Identity: return true;
    case K::Deflate:
        if (!c.deflateDecided)
            return m_out.empty() && c.deflateHead.empty() ? true : fail(Status::Corrupt, cut);
        [[fallthrough]];
    case K::Gzip: return c.zEnded || fail(Status::Corrupt, cut);
    case K::Brotli: return c.brLast == BROTLI_DECODER_RESULT_SUCCESS || fail(Status::Corrupt, cut);
    case K::Zstd: return c.zstdLast == 0 || fail(Status::Corrupt, cut);
    }
    return true;
}

} // namespace ed::receive
