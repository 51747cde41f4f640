#include "imap/ModifiedUtf7.h"

namespace ed::mutf7 {
namespace {

bool isDirect(char16_t c) { return c >= 0x20 && c <= 0x7e; }

// RFC 3501's base64 alphabet: '/' replaced by ','.
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

int valueOf(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == ',')
        return 63;
    return -1;
}

// One run of UTF-16 code units as modified base64, without '&' and '-'.
void appendBase64(QByteArray &out, const char16_t *units, qsizetype count)
{
    quint32 bits = 0;
    int held = 0;
    for (qsizetype i = 0; i < count; ++i) {
        bits = (bits << 16) | quint32(units[i]);
        held += 16;
        while (held >= 6) {
            held -= 6;
            out += kAlphabet[(bits >> held) & 0x3f];
        }
        bits &= (1u << held) - 1; // keep only the bits not yet written
    }
    if (held > 0)
        out += kAlphabet[(bits << (6 - held)) & 0x3f]; // zero bits fill the last character
}

} // namespace

QByteArray encode(const QString &name)
{
    QByteArray out;
    out.reserve(name.size() + 8);
    const char16_t *units = reinterpret_cast<const char16_t *>(name.utf16());
    qsizetype i = 0;
    while (i < name.size()) {
        const char16_t c = units[i];
        if (c == u'&') {
            out += "&-";
            ++i;
        } else if (isDirect(c)) {
            out += char(c);
            ++i;
        } else {
            qsizetype end = i;
            while (end < name.size() && !isDirect(units[end]))
                ++end;
            out += '&';
            appendBase64(out, units + i, end - i);
            out += '-';
            i = end;
        }
    }
    return out;
}

std::optional<QString> decode(const QByteArray &wire)
{
    QString out;
    qsizetype i = 0;
    while (i < wire.size()) {
        const char c = wire[i];
        if (!isDirect(char16_t(static_cast<unsigned char>(c))))
            return std::nullopt; // 8-bit or control: not modified UTF-7
        if (c != '&') {
            out += QLatin1Char(c);
            ++i;
            continue;
        }
        const qsizetype end = wire.indexOf('-', i + 1);
        if (end < 0)
            return std::nullopt;
        if (end == i + 1) { // "&-"
            out += u'&';
            i = end + 1;
            continue;
        }
        quint32 bits = 0;
        int held = 0;
        QString run;
        for (qsizetype j = i + 1; j < end; ++j) {
            const int v = valueOf(wire[j]);
            if (v < 0)
                return std::nullopt; // '=' padding, '/', anything outside the alphabet
            bits = (bits << 6) | quint32(v);
            held += 6;
            if (held >= 16) {
                held -= 16;
                run += QChar(char16_t((bits >> held) & 0xffff));
                bits &= (1u << held) - 1;
            }
        }
        // What is left must be fewer than 6 zero bits: a whole number of UTF-16 units.
        if (held >= 6 || bits != 0 || run.isEmpty())
            return std::nullopt;
        for (qsizetype k = 0; k < run.size(); ++k) {
            const char16_t u = run[k].unicode();
            if (isDirect(u))
                return std::nullopt; // printable ASCII must stand for itself
            if (QChar::isHighSurrogate(u)) {
                if (k + 1 >= run.size() || !QChar::isLowSurrogate(run[k + 1].unicode()))
                    return std::nullopt;
                ++k;
            } else if (QChar::isLowSurrogate(u)) {
                return std::nullopt;
            }
        }
        // Two runs in a row ("&AGE-&AGE-") are not the shortest form; accepted, as servers do.
        out += run;
        i = end + 1;
    }
    return out;
}

} // namespace ed::mutf7
