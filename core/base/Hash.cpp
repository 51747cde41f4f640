#include "base/Hash.h"

#include "base/Ascii.h"

#include <xxhash.h>

namespace ed {

Hash128 hash128(std::string_view data)
{
    const XXH128_hash_t h = XXH3_128bits(data.data(), data.size());
    XXH128_canonical_t canon;
    XXH128_canonicalFromHash(&canon, h);
    Hash128 out;
    std::memcpy(out.data(), canon.digest, out.size());
    return out;
}

QByteArray toBytes(const Hash128 &h) { return QByteArray(reinterpret_cast<const char *>(h.data()), int(h.size())); }

std::string toHex(const Hash128 &h)
{
    static const char digits[] = "0123456789abcdef";
    std::string s(32, '0');
    for (size_t i = 0; i < h.size(); ++i) {
        s[2 * i] = digits[h[i] >> 4];
        s[2 * i + 1] = digits[h[i] & 15];
    }
    return s;
}

bool fromHex(std::string_view hex, Hash128 &out)
{
    if (hex.size() != 32)
        return false;
    for (size_t i = 0; i < 16; ++i) {
        const int hi = hexDigit(hex[2 * i]), lo = hexDigit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = uint8_t(hi << 4 | lo);
    }
    return true;
}

} // namespace ed
