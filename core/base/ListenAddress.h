#pragma once
// HOST:PORT of a listening socket, as `errordeck-cli serve --listen` and the
// app's ERRORDECK_RECEIVE_LISTEN take it: 127.0.0.1:8765, [::1]:8765, :8765
// (no host: loopback). Port 0 asks for any free port.
#include <QString>

namespace ed {

struct ListenAddress {
    QString host = QStringLiteral("127.0.0.1");
    int port = 8765;
};

inline bool parseListenAddress(const QString &text, ListenAddress &out, QString &why)
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

// Only this machine can connect: the DSN's key is the only secret, so any
// other address lets whoever reaches it and knows a DSN store reports.
inline bool isLoopbackHost(const QString &host)
{
    return host == QLatin1String("localhost") || host.startsWith(QLatin1String("127.")) || host == QLatin1String("::1");
}

} // namespace ed
