#pragma once
// 128-bit content hashes (XXH3) for parts, dedup keys and fingerprints.
#include <QByteArray>
#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace ed {

using Hash128 = std::array<uint8_t, 16>;

Hash128 hash128(std::string_view data);
QByteArray toBytes(const Hash128 &h);
std::string toHex(const Hash128 &h);
bool fromHex(std::string_view hex, Hash128 &out);

struct Hash128Hasher {
    size_t operator()(const Hash128 &h) const
    {
        size_t v;
        static_assert(sizeof v <= sizeof h);
        std::memcpy(&v, h.data(), sizeof v);
        return v;
    }
};

} // namespace ed
