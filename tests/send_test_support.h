#pragma once
// Shared by tst_compose and tst_smtp: a real database with the corpus imported,
// the corpus's Django settings, and tests/smtp_server.py (aiosmtpd and Python's
// email package) for everything that must be checked by an independent parser.
#include "store/Config.h"
#include "store/Database.h"
#include "model/Filter.h"
#include "store/ReportStore.h"
#include "import/Importer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace edtest {

inline const QString kPython = QStringLiteral("/usr/bin/python3"); // the one with aiosmtpd
inline QString smtpServerScript() { return QStringLiteral(ERRORDECK_TESTS_DIR "/smtp_server.py"); }
inline QString corpusDir() { return QStringLiteral(ERRORDECK_CORPUS); }

// Imports records.jsonl into a new database at `path` with the given filters.
inline std::unique_ptr<ed::Database> importCorpus(const QString &path, const ed::Scrubber &scrubber)
{
    auto db = ed::Database::open(path);
    if (!db) {
        qWarning() << db.error();
        return nullptr;
    }
    auto owned = std::make_unique<ed::Database>(std::move(*db));
    ed::NullRecordFilter filter;
    ed::Importer importer(*owned, scrubber, filter);
    const ed::ImportSummary s = importer.run({corpusDir() + QStringLiteral("/records.jsonl")});
    if (!s.fatal.isEmpty() || s.stored != 98) {
        qWarning() << "import:" << s.fatal << s.stored;
        return nullptr;
    }
    return owned;
}

// EMAIL_SUBJECT_PREFIX, INTERNAL_IPS, SERVER_EMAIL, ADMINS, MANAGERS as the corpus site had them.
inline bool applyCorpusSettings(ed::Database &db)
{
    ed::Config c(db);
    const auto people = [](std::initializer_list<std::pair<const char *, const char *>> list) {
        QJsonArray a;
        for (const auto &[n, addr] : list)
            a.append(QJsonArray{QString::fromLatin1(n), QString::fromLatin1(addr)});
        return a;
    };
    return c.set(ed::ConfigKey::EmailSubjectPrefix, QStringLiteral("[Shop] ")).ok()
        && c.set(ed::ConfigKey::InternalIps, QJsonArray{QStringLiteral("10.0.0.5")}).ok()
        && c.set(ed::ConfigKey::ServerEmail, QStringLiteral("errors@shop.example.com")).ok()
        && c.set(ed::ConfigKey::Admins, people({{"Ops Team", "ops@example.com"}, {"Ana Lima", "ana@example.com"}})).ok()
        && c.set(ed::ConfigKey::Managers, people({{"Site Manager", "manager@example.com"}})).ok();
}

// tests/smtp_server.py serving on 127.0.0.1 for one test (a free port, see
// port()); stops when it goes out of scope. Each message received becomes
// NNNN.eml and NNNN.json (the envelope) in `dir`.
class SmtpServer {
public:
    SmtpServer(const QString &dir, const QStringList &options) : m_dir(dir)
    {
        m_proc.setProcessChannelMode(QProcess::SeparateChannels);
        m_proc.start(edtest::kPython, QStringList{edtest::smtpServerScript(), QStringLiteral("serve"), QStringLiteral("--dir"), dir} + options);
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
    ~SmtpServer()
    {
        m_proc.closeWriteChannel(); // the script exits when its stdin closes
        if (!m_proc.waitForFinished(5000)) {
            m_proc.kill();
            m_proc.waitForFinished(2000);
        }
    }
    int port() const { return m_port; }
    // --silent: the connections accepted so far (its "ACCEPTED" lines). Reads
    // what has arrived without blocking; call it from a wait loop.
    int accepted()
    {
        m_proc.waitForReadyRead(0);
        while (m_proc.canReadLine())
            if (m_proc.readLine().trimmed() == "ACCEPTED")
                ++m_accepted;
        return m_accepted;
    }
    QStringList messages() const
    {
        QStringList out;
        for (const QString &f : QDir(m_dir).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
            out << m_dir + u'/' + f.chopped(5);
        return out;
    }
    static QJsonObject envelope(const QString &base)
    {
        QFile f(base + QStringLiteral(".json"));
        return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
    }

private:
    QString m_dir;
    QProcess m_proc;
    int m_port = 0;
    int m_accepted = 0;
};

// Runs smtp_server.py with `args` and returns its JSON output.
inline QJsonDocument runScript(const QStringList &args)
{
    QProcess p;
    p.start(kPython, QStringList{smtpServerScript()} + args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        qWarning() << "smtp_server.py" << args << "failed:" << p.readAllStandardError();
        return {};
    }
    return QJsonDocument::fromJson(p.readAllStandardOutput());
}

// A message as Python's email package reads it.
inline QJsonObject parseMessage(const QString &emlPath) { return runScript({QStringLiteral("parse"), emlPath}).object(); }
inline QJsonObject parseMessageBytes(const QByteArray &bytes, const QString &scratchDir)
{
    const QString path = scratchDir + QStringLiteral("/parse-me.eml");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(bytes);
    f.close();
    return parseMessage(path);
}

// The text of the first part of the given content type.
inline QString partText(const QJsonObject &parsed, const QString &type)
{
    for (const QJsonValue &p : parsed.value(QStringLiteral("parts")).toArray())
        if (p.toObject().value(QStringLiteral("content_type")).toString() == type)
            return p.toObject().value(QStringLiteral("text")).toString();
    return {};
}

inline QStringList headerNames(const QJsonObject &parsed)
{
    QStringList out;
    for (const QJsonValue &h : parsed.value(QStringLiteral("headers")).toArray())
        out << h.toArray().at(0).toString().toLower();
    return out;
}

inline QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &x : v.toArray())
        out << x.toString();
    return out;
}

// What identifies a request in a v1 record and in one of Django's e-mails
// (smtp_server.py corpus): equal keys, the same request.
inline QString recordKey(const QJsonObject &r)
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

inline QString emailKey(const QJsonObject &m)
{
    const QString kind = m.value(QStringLiteral("kind")).toString();
    if (kind == QLatin1String("norequest"))
        return QStringLiteral("norequest|") + m.value(QStringLiteral("message")).toString();
    if (kind == QLatin1String("404"))
        return QStringLiteral("404|%1|%2|%3")
            .arg(m.value(QStringLiteral("path")).toString(), m.value(QStringLiteral("ip")).toString(), m.value(QStringLiteral("referer")).toString());
    return QStringLiteral("request|%1|%2|%3|%4")
        .arg(m.value(QStringLiteral("method")).toString(), m.value(QStringLiteral("path")).toString(), m.value(QStringLiteral("ip")).toString(),
             m.value(QStringLiteral("url")).toString());
}

// records.jsonl, one object per line, in order.
inline QList<QJsonObject> corpusRecords()
{
    QList<QJsonObject> out;
    QFile f(corpusDir() + QStringLiteral("/records.jsonl"));
    if (!f.open(QIODevice::ReadOnly))
        return out;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (!line.isEmpty())
            out << QJsonDocument::fromJson(line).object();
    }
    return out;
}

// A loopback port bound and closed again without listening: nobody answers there.
// Fails loudly when the socket cannot be had: port 0 would become curl's port 25.
inline int unusedLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        qFatal("unusedLoopbackPort: socket() failed: %s", strerror(errno));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) != 0) {
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
