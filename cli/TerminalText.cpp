#include "TerminalText.h"

#include <QFileDevice>

namespace ed::cli {
namespace {

// The embeddings, overrides and isolates that can make a terminal show text in
// another order than it is stored ("Trojan Source"); the plain direction marks
// of right-to-left text are left alone.
bool isBidiControl(char16_t c) { return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069); }

QString replaceControls(QStringView s, bool keepLayout)
{
    QString out;
    out.reserve(s.size());
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar ch = s[i];
        const char16_t c = ch.unicode();
        if (c < 0x20) {
            if (keepLayout && (c == u'\n' || c == u'\t'))
                out += ch;
            else if (keepLayout && c == u'\r' && i + 1 < s.size() && s[i + 1] == u'\n')
                continue; // a CRLF line end (e-mails have them) is a line end, a lone CR could overwrite the line
            else
                out += QChar(char16_t(0x2400 + c)); // ␛ for ESC, ␍ for CR, ...
        } else if (c == 0x7F) {
            out += QChar(char16_t(0x2421)); // ␡
        } else if ((c >= 0x80 && c <= 0x9F) || isBidiControl(c)) {
            out += QChar(QChar::ReplacementCharacter);
        } else {
            out += ch;
        }
    }
    return out;
}

// How many bytes at the end of data start a UTF-8 sequence that is not complete yet.
qsizetype incompleteTail(const QByteArray &data)
{
    const qsizetype n = data.size();
    for (qsizetype back = 1; back <= 3 && back <= n; ++back) {
        const auto b = uchar(data[n - back]);
        if ((b & 0xC0) == 0x80)
            continue; // a continuation byte: look further back for the lead
        const int length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        return length > back ? back : 0;
    }
    return 0;
}

} // namespace

QString terminalSafe(QStringView s) { return replaceControls(s, true); }

QString oneLine(QStringView s) { return replaceControls(s, false); }

TerminalSafeDevice::TerminalSafeDevice(QIODevice *target) : m_target(target)
{
    open(QIODevice::WriteOnly | QIODevice::Unbuffered);
}

TerminalSafeDevice::~TerminalSafeDevice()
{
    if (!m_pending.isEmpty())
        m_target->write(terminalSafe(QString::fromUtf8(m_pending)).toUtf8());
    if (auto *file = qobject_cast<QFileDevice *>(m_target))
        file->flush();
}

qint64 TerminalSafeDevice::writeData(const char *data, qint64 size)
{
    m_pending.append(data, size);
    qsizetype complete = m_pending.size() - incompleteTail(m_pending);
    if (complete > 0 && m_pending[complete - 1] == '\r')
        --complete; // whether it ends a CRLF shows with the next write
    const QByteArray safe = terminalSafe(QString::fromUtf8(m_pending.first(complete))).toUtf8();
    m_pending.remove(0, complete);
    if (m_target->write(safe) != safe.size())
        return -1;
    // QTextStream flushes only a QFileDevice it writes to itself: pass it on,
    // so that watch's lines reach a pipe as they happen.
    if (auto *file = qobject_cast<QFileDevice *>(m_target))
        file->flush();
    return size;
}

} // namespace ed::cli
