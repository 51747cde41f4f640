#include "send/SendLog.h"

#include "filters/SendLogScrub.h"

namespace ed {

Result<int64_t> SendLog::add(const SendLogEntry &entry, const QByteArray &message)
{
    // What reaches the log is scrubbed like every report text: the user may
    // have typed into the draft, and the server's replies quote what it got.
    SendLogEntry e = entry;
    SendLogTexts t{e.subject.toStdString(), e.reply.toStdString(), e.error.toStdString(), e.transcript.toStdString(),
                   message.toStdString()};
    if (m_scrubber && scrubSendLogTexts(*m_scrubber, t)) {
        e.subject = QString::fromStdString(t.subject);
        e.reply = QString::fromStdString(t.reply);
        e.error = QString::fromStdString(t.error);
        e.transcript = QString::fromStdString(t.transcript);
    }
    return m_store.add(e, t.message);
}

} // namespace ed
