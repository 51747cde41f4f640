#include "ImapSupport.h"

#include "SmtpSupport.h"
#include "TestSupport.h"

#include "import/ImportFilters.h"

#include <QDebug>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QThread>
#include <curl/curl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace edtest {
namespace {

struct Upload {
    const QByteArray *data = nullptr;
    qsizetype at = 0;
};

size_t readUpload(char *buf, size_t size, size_t n, void *userp)
{
    auto *u = static_cast<Upload *>(userp);
    const size_t count = std::min(size * n, size_t(u->data->size() - u->at));
    memcpy(buf, u->data->constData() + u->at, count);
    u->at += qsizetype(count);
    return count;
}

size_t collect(char *data, size_t size, size_t n, void *userp)
{
    static_cast<QByteArray *>(userp)->append(data, qsizetype(size * n));
    return size * n;
}

QByteArray crlf(QByteArray m)
{
    m.replace("\r\n", "\n");
    m.replace('\n', "\r\n");
    return m;
}

bool waitForPort(int port, QProcess &proc)
{
    for (int i = 0; i < 400 && proc.state() == QProcess::Running; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(quint16(port));
        const bool up = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
        if (fd >= 0)
            ::close(fd);
        if (up)
            return true;
        QThread::msleep(50);
    }
    return false;
}

} // namespace

DovecotServer::DovecotServer(Options options)
{
    const QString d = m_dir.path();
    // Dovecot's mail processes never run as root: as root the test gives the
    // mail to nobody (and the login to Debian's dovenull), else to ourselves.
    const bool root = ::geteuid() == 0;
    const passwd *me = ::getpwuid(::geteuid());
    const QString self = me ? QString::fromLocal8Bit(me->pw_name) : QString();
    const uint uid = root ? 65534 : ::geteuid(), gid = root ? 65534 : ::getegid();
    QFile::setPermissions(d, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                 QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::ExeOther);
    QDir(d).mkpath(QStringLiteral("home"));
    QDir(d).mkpath(QStringLiteral("run"));
    QDir(d).mkpath(QStringLiteral("state"));
    if (root && ::chown(QFile::encodeName(d + QStringLiteral("/home")).constData(), uid, gid) != 0) {
        m_error = QStringLiteral("cannot give %1/home to uid %2").arg(d).arg(uid);
        return;
    }
    // An EC (P-256) key: an RSA-2048 one took 0.3-1.3 s of openssl on a loaded
    // machine, for each of the twenty-odd servers the suites start.
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                   QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                   QStringLiteral("-keyout"), d + QStringLiteral("/key.pem"), QStringLiteral("-out"),
                   d + QStringLiteral("/cert.pem"), QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                   QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                   QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost")});
    if (!openssl.waitForFinished(60000) || openssl.exitCode() != 0) {
        m_error = QStringLiteral("openssl req failed: %1").arg(QString::fromLocal8Bit(openssl.readAllStandardError()));
        return;
    }
    writeFile(d + QStringLiteral("/passwd"), QByteArray(kUser) + ":{PLAIN}" + kPassword + "\n");
    for (int attempt = 0; attempt < 3; ++attempt) {
        m_imapsPort = unusedLoopbackPort();
        m_imapPort = unusedLoopbackPort();
        QString conf = QStringLiteral(R"(protocols = imap
listen = 127.0.0.1
base_dir = %1/run
state_dir = %1/state
log_path = %1/dovecot.log
ssl = yes
ssl_cert = <%1/cert.pem
ssl_key = <%1/key.pem
disable_plaintext_auth = yes
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u %1/passwd
}
userdb {
  driver = static
  args = uid=%2 gid=%3 home=%1/home/%u
}
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
  separator = /
}
first_valid_uid = 1
first_valid_gid = 1
default_login_user = %4
default_internal_user = %5
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = %6
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = %7
    ssl = yes
  }
%8}
%9%10)");
        conf = conf.arg(d)
                   .arg(uid)
                   .arg(gid)
                   .arg(root ? QStringLiteral("dovenull") : self, root ? QStringLiteral("dovecot") : self)
                   .arg(m_imapPort)
                   .arg(m_imapsPort)
                   .arg(root ? QString() : QStringLiteral("  chroot =\n"),
                        root ? QString() : QStringLiteral("service anvil {\n  chroot =\n}\n"))
                   .arg(options.idle ? QString()
                                     : QStringLiteral("imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT "
                                                      "THREAD=REFERENCES MULTIAPPEND UNSELECT CHILDREN NAMESPACE UIDPLUS "
                                                      "LIST-EXTENDED I18NLEVEL=1 LITERAL+ MOVE\n"));
        // %u is Dovecot's, not QString's: arg() left it alone (it numbers only %1..%99).
        writeFile(d + QStringLiteral("/dovecot.conf"), conf.toUtf8());
        m_proc.setProcessChannelMode(QProcess::MergedChannels);
        m_proc.start(QStringLiteral("/usr/sbin/dovecot"),
                     {QStringLiteral("-F"), QStringLiteral("-c"), d + QStringLiteral("/dovecot.conf")});
        if (!m_proc.waitForStarted(10000)) {
            m_error = QStringLiteral("cannot start /usr/sbin/dovecot (is dovecot-imapd installed?): %1")
                          .arg(m_proc.errorString());
            return;
        }
        if (waitForPort(m_imapsPort, m_proc) && waitForPort(m_imapPort, m_proc))
            return;
        m_error = QStringLiteral("dovecot did not listen: %1 %2").arg(QString::fromLocal8Bit(m_proc.readAll()), log());
        stop();
    }
}

DovecotServer::~DovecotServer() { stop(); }

void DovecotServer::stop()
{
    if (m_proc.state() == QProcess::NotRunning)
        return;
    m_proc.terminate();
    if (!m_proc.waitForFinished(10000)) {
        m_proc.kill();
        m_proc.waitForFinished(5000);
    }
}

QString DovecotServer::caFile() const { return m_dir.filePath(QStringLiteral("cert.pem")); }
QString DovecotServer::keyFile() const { return m_dir.filePath(QStringLiteral("key.pem")); }

QString DovecotServer::url(const QString &folder, bool startTls) const
{
    return QStringLiteral("%1://%2@127.0.0.1:%3/%4")
        .arg(startTls ? QStringLiteral("imap") : QStringLiteral("imaps"), QString::fromLatin1(kUser))
        .arg(startTls ? m_imapPort : m_imapsPort)
        .arg(folder);
}

QString DovecotServer::log() const { return QString::fromUtf8(readFile(m_dir.filePath(QStringLiteral("dovecot.log")))); }

ed::Result<QByteArray> DovecotServer::request(const QString &folder, const QByteArray &command, const QByteArray *upload)
{
    CURL *curl = curl_easy_init();
    const QByteArray url = QStringLiteral("imaps://127.0.0.1:%1/%2").arg(m_imapsPort).arg(folder).toUtf8();
    const QByteArray ca = caFile().toUtf8();
    QByteArray out;
    Upload up{upload, 0};
    char errbuf[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_URL, url.constData());
    curl_easy_setopt(curl, CURLOPT_USERNAME, kUser);
    curl_easy_setopt(curl, CURLOPT_PASSWORD, kPassword);
    curl_easy_setopt(curl, CURLOPT_CAINFO, ca.constData());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out);
    if (!command.isEmpty())
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, command.constData());
    if (upload) {
        curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(curl, CURLOPT_READFUNCTION, readUpload);
        curl_easy_setopt(curl, CURLOPT_READDATA, &up);
        curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t(upload->size()));
    }
    const CURLcode rc = curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK)
        return ed::Error{QStringLiteral("test IMAP request %1 on %2 failed: %3")
                             .arg(QString::fromUtf8(command), folder, QString::fromUtf8(errbuf))};
    return out;
}

ed::Result<void> DovecotServer::append(const QString &folder, const QByteArray &message)
{
    const QByteArray m = crlf(message);
    auto r = request(folder, {}, &m);
    return r ? ed::Result<void>() : ed::Result<void>(r.failure());
}

ed::Result<void> DovecotServer::create(const QString &folder)
{
    auto r = request({}, "CREATE \"" + folder.toUtf8() + '"');
    return r ? ed::Result<void>() : ed::Result<void>(r.failure());
}

ed::Result<void> DovecotServer::remove(const QString &folder)
{
    auto r = request({}, "DELETE \"" + folder.toUtf8() + '"');
    return r ? ed::Result<void>() : ed::Result<void>(r.failure());
}

ed::Result<std::vector<uint>> DovecotServer::search(const QString &folder, const QByteArray &criteria)
{
    auto r = request(folder, "UID SEARCH " + criteria);
    if (!r)
        return r.failure();
    std::vector<uint> uids;
    for (const QByteArray &line : r->split('\n'))
        if (line.startsWith("* SEARCH"))
            for (const QByteArray &w : line.mid(8).trimmed().split(' '))
                if (w.toUInt())
                    uids.push_back(w.toUInt());
    return uids;
}

ed::Result<void> DovecotServer::markAllUnread(const QString &folder)
{
    auto r = request(folder, "UID STORE 1:* -FLAGS.SILENT (\\Seen)");
    return r ? ed::Result<void>() : ed::Result<void>(r.failure());
}

CuttingImapProxy::CuttingImapProxy(const DovecotServer &server, uint uid, int afterBytes)
{
    m_proc.start(kPython, {supportScript(QStringLiteral("imap_cutting_proxy.py")), server.caFile(), server.keyFile(),
                           QString::number(server.imapsPort()), QString::number(uid), QString::number(afterBytes)});
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
        qWarning() << "imap_cutting_proxy.py did not start:" << m_proc.readAllStandardError();
}

CuttingImapProxy::~CuttingImapProxy()
{
    m_proc.kill();
    m_proc.waitForFinished(5000);
}

QString CuttingImapProxy::url(const QString &folder) const
{
    return QStringLiteral("imaps://%1@127.0.0.1:%2/%3").arg(QString::fromLatin1(DovecotServer::kUser)).arg(m_port).arg(folder);
}

bool CuttingImapProxy::hasCut()
{
    m_proc.waitForReadyRead(0);
    while (m_proc.canReadLine())
        if (m_proc.readLine().startsWith("CUT "))
            m_cut = true;
    return m_cut;
}

ed::MailboxSettings mailboxSettings(const DovecotServer &server, const QString &url)
{
    ed::MailboxSettings s;
    auto u = ed::ImapUrl::parse(url);
    if (!u)
        qFatal("url: %s", qPrintable(u.error()));
    s.imap.url = *u;
    s.imap.password = QString::fromLatin1(DovecotServer::kPassword);
    s.imap.caFile = server.caFile();
    s.imap.timeoutSeconds = 30;
    return s;
}

ed::MailboxSummary importMailbox(ed::Database &db, const ed::MailboxSettings &settings)
{
    auto filters = ed::makeImportFilters(db);
    if (!filters)
        qFatal("filters: %s", qPrintable(filters.error()));
    ed::MailboxImporter importer(db, *filters->scrubber, *filters->filter);
    return importer.run(settings);
}

QString mailboxProblems(const ed::MailboxSummary &s)
{
    QStringList p;
    for (const auto &pr : s.import.problems)
        p << pr.reason;
    return p.join(QStringLiteral("; ")) + (s.serverError.isEmpty() ? QString() : QStringLiteral(" SERVER: ") + s.serverError) +
           (s.import.fatal.isEmpty() ? QString() : QStringLiteral(" FATAL: ") + s.import.fatal);
}

QByteArray imapErrorMail(const QString &label, int n, int padding)
{
    QByteArray m = QStringLiteral("From: errors@shop.example.com\r\nTo: ops@example.com\r\nSubject: [Shop] ERROR: %2 %1\r\n"
                                  "Message-ID: <imap-%3-%1@shop.example.com>\r\nDate: Sun, 22 Nov 2026 09:55:30 +0000\r\n"
                                  "Content-Type: text/plain; charset=\"utf-8\"\r\n\r\n%2 %1\r\n\r\nTraceback: none\r\n")
                       .arg(n)
                       .arg(label, label.toLower().replace(u' ', u'-'))
                       .toUtf8();
    for (int i = 0; i < padding; ++i)
        m += "request line " + QByteArray::number(i) + ": nothing of note here\r\n";
    return m;
}

std::vector<QByteArray> corpusMessages()
{
    std::vector<QByteArray> out;
    QDir eml(corpus(QStringLiteral("eml")));
    for (const QString &name : eml.entryList({QStringLiteral("*.eml")}, QDir::Files, QDir::Name))
        out.push_back(crlf(readFile(eml.filePath(name))));
    const QByteArray mbox = readFile(corpus(QStringLiteral("reports.mbox")));
    qsizetype at = 0;
    while (at < mbox.size()) {
        // Each message starts with a "From " line at the start of the file or after a blank line.
        qsizetype next = mbox.indexOf("\n\nFrom ", at);
        const qsizetype end = next < 0 ? mbox.size() : next + 1;
        QByteArray m = mbox.mid(at, end - at);
        m = m.mid(m.indexOf('\n') + 1); // the "From " line
        QList<QByteArray> lines = m.split('\n');
        for (QByteArray &line : lines) {
            qsizetype gt = 0;
            while (gt < line.size() && line[gt] == '>')
                ++gt;
            if (gt > 0 && line.mid(gt).startsWith("From "))
                line.remove(0, 1); // mboxrd: one '>' less
        }
        m = lines.join('\n');
        out.push_back(crlf(m));
        at = next < 0 ? mbox.size() : next + 2;
    }
    return out;
}

} // namespace edtest
