#pragma once
// --listen HOST:PORT of serve and sites: 127.0.0.1:8765, [::1]:8765, :8765.
#include <QString>

namespace ed::cli {

struct ServeAddress {
    QString host = QStringLiteral("127.0.0.1");
    int port = 8765;
};

inline bool parseServeAddress(const QString &text, ServeAddress &out, QString &why)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon < 0) {
        why = QStringLiteral("\"%1\" is not HOST:PORT (e.g. 127.0.0.1:8765)").arg(text);
        return false;
    }
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const int port = text.mid(colon + 1).toInt(&ok);
    if (!ok || port < 0 || port > 65535) {
        why = QStringLiteral("\"%1\" has no port from 0 to 65535").arg(text);
        return false;
    }
    out.host = host.isEmpty() ? QStringLiteral("127.0.0.1") : host;
    out.port = port;
    return true;
}

} // namespace ed::cli
