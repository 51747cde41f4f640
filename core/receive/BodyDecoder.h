#pragma once
// A request body's Content-Encoding undone as a stream, with caps: gzip,
// deflate (zlib-wrapped, as the RFC says, or raw, as some clients send it),
// br and zstd. The decompressed size is checked after every piece, so a
// small bomb never grows past the cap in memory.
#include <QString>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace ed::receive {

class BodyDecoder {
public:
    enum class Status { Ok, Unsupported, TooLarge, Corrupt };

    // An unknown encoding gives a decoder whose status() is Unsupported.
    BodyDecoder(std::string_view contentEncoding, size_t maxDecoded);
    ~BodyDecoder();
    BodyDecoder(const BodyDecoder &) = delete;
    BodyDecoder &operator=(const BodyDecoder &) = delete;

    // False once the status is no longer Ok.
    bool feed(std::string_view piece);
    // After the last piece: false when the compressed stream was cut short.
    bool finish();

    Status status() const { return m_status; }
    const QString &error() const { return m_error; }
    std::string &output() { return m_out; }

private:
    struct Codec;
    bool fail(Status s, const QString &why);
    std::unique_ptr<Codec> m_codec;
    std::string m_out;
    size_t m_max;
    Status m_status = Status::Ok;
    QString m_error;
};

} // namespace ed::receive
