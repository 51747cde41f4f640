#include "SmtpSupport.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace edtest {

bool applyCorpusSettings(ed::Database &db)
{
    ed::Config c(db);
    const auto people = [](std::initializer_list<std::pair<const char *, const char *>> list) {
        QJsonArray a;
        for (const auto &[n, addr] : list)
            a.append(QJsonArray{QString::fromLatin1(n), QString::fromLatin1(addr)});
        return a;
    };
    return c.set(ed::ConfigKey::EmailSubjectPrefix, QStringLiteral("[Shop] ")).ok() &&
           c.set(ed::ConfigKey::InternalIps, QJsonArray{QStringLiteral("10.0.0.5")}).ok() &&
           c.set(ed::ConfigKey::ServerEmail, QStringLiteral("errors@shop.example.com")).ok() &&
           c.set(ed::ConfigKey::Admins, people({{"Ops Team", "ops@example.com"}, {"Ana Lima", "ana@example.com"}})).ok() &&
           c.set(ed::ConfigKey::Managers, people({{"Site Manager", "manager@example.com"}})).ok();
}

SmtpServer::SmtpServer(const QString &dir, const QStringList &options) : m_dir(dir)
{
    m_proc.setProcessChannelMode(QProcess::SeparateChannels);
    m_proc.start(kPython, QStringList{smtpServerScript(), QStringLiteral("serve"), QStringLiteral("--dir"), dir} + options);
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 20000 && m_port == 0) {
        if (!m_proc.waitForReadyRead(500) && m_proc.state() != QProcess::Running)
            break;
        while (m_proc.canReadLine()) {
            const QByteArray line = m_proc.readLine().trimmed();
            if (line.startsWith("PORT "))
                m_port = line.mid(5).toInt();
        }
    }
    if (m_port == 0)
        qWarning() << "smtp_server.py did not start:" << m_proc.readAllStandardError();
}

SmtpServer::~SmtpServer()
{
    m_proc.closeWriteChannel(); // the script exits when its stdin closes
    if (!m_proc.waitForFinished(5000)) {
        m_proc.kill();
        m_proc.waitForFinished(2000);
    }
}

int SmtpServer::accepted()
{
    m_proc.waitForReadyRead(0);
    while (m_proc.canReadLine())
        if (m_proc.readLine().trimmed() == "ACCEPTED")
            ++m_accepted;
    return m_accepted;
}

QStringList SmtpServer::messages() const
{
    QStringList out;
    for (const QString &f : QDir(m_dir).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        out << m_dir + u'/' + f.chopped(5);
    return out;
}

QJsonObject SmtpServer::envelope(const QString &base)
{
    QFile f(base + QStringLiteral(".json"));
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

QJsonDocument runScript(const QStringList &args)
{
    QProcess p;
    p.start(kPython, QStringList{smtpServerScript()} + args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        qWarning() << "smtp_server.py" << args << "failed:" << p.readAllStandardError();
        return {};
    }
    return QJsonDocument::fromJson(p.readAllStandardOutput());
}

QJsonObject parseMessage(const QString &emlPath) { return runScript({QStringLiteral("parse"), emlPath}).object(); }
QJsonObject parseMessageBytes(const QByteArray &bytes, const QString &scratchDir)
{
    const QString path = scratchDir + QStringLiteral("/parse-me.eml");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(bytes);
    f.close();
    return parseMessage(path);
}

QString partText(const QJsonObject &parsed, const QString &type)
{
    for (const QJsonValue &p : parsed.value(QStringLiteral("parts")).toArray())
        if (p.toObject().value(QStringLiteral("content_type")).toString() == type)
            return p.toObject().value(QStringLiteral("text")).toString();
    return {};
}

QStringList headerNames(const QJsonObject &parsed)
{
    QStringList out;
    for (const QJsonValue &h : parsed.value(QStringLiteral("headers")).toArray())
        out << h.toArray().at(0).toString().toLower();
    return out;
}

QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &x : v.toArray())
        out << x.toString();
    return out;
}

QString recordKey(const QJsonObject &r)
{
    const QJsonObject req = r.value(QStringLiteral("request")).toObject();
    if (req.isEmpty())
        return QStringLiteral("norequest|") + r.value(QStringLiteral("message")).toString();
    const QJsonObject meta = req.value(QStringLiteral("META")).toObject();
    if (r.value(QStringLiteral("status_code")).toInt() == 404)
        return QStringLiteral("404|%1|%2|%3")
            .arg(req.value(QStringLiteral("full_path")).toString(), meta.value(QStringLiteral("REMOTE_ADDR")).toString(),
                 meta.value(QStringLiteral("HTTP_REFERER")).toString());
    return QStringLiteral("request|%1|%2|%3|%4")
        .arg(meta.value(QStringLiteral("REQUEST_METHOD")).toString(), meta.value(QStringLiteral("PATH_INFO")).toString(),
             meta.value(QStringLiteral("REMOTE_ADDR")).toString(), req.value(QStringLiteral("url")).toString());
}

QString emailKey(const QJsonObject &m)
{
    const QString kind = m.value(QStringLiteral("kind")).toString();
    if (kind == QLatin1String("norequest"))
        return QStringLiteral("norequest|") + m.value(QStringLiteral("message")).toString();
    if (kind == QLatin1String("404"))
        return QStringLiteral("404|%1|%2|%3")
            .arg(m.value(QStringLiteral("path")).toString(), m.value(QStringLiteral("ip")).toString(),
                 m.value(QStringLiteral("referer")).toString());
    return QStringLiteral("request|%1|%2|%3|%4")
        .arg(m.value(QStringLiteral("method")).toString(), m.value(QStringLiteral("path")).toString(),
             m.value(QStringLiteral("ip")).toString(), m.value(QStringLiteral("url")).toString());
}

int unusedLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        qFatal("unusedLoopbackPort: socket() failed: %s", strerror(errno));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) != 0) {
        const int err = errno;
        ::close(fd);
        qFatal("unusedLoopbackPort: bind() or getsockname() on 127.0.0.1 failed: %s", strerror(err));
    }
    ::close(fd);
    const int port = ntohs(a.sin_port);
    if (port == 0)
        qFatal("unusedLoopbackPort: the kernel gave port 0");
    return port;
}

} // namespace edtest
