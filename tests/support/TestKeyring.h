#pragma once
// The keychain tests' side of the private Secret Service that
// tests/support/with_secret_service.sh starts (gnome-keyring-daemon on a bus
// of the test's own): where its HOME is, and what its keyring file holds, read
// from the file's bytes, not through the code under test.
//
// gnome-keyring keeps the "login" keyring in $XDG_DATA_HOME/keyrings/login.keyring:
// a header, each item's attributes as MD5 hashes, then the secrets AES-encrypted
// with a key derived from the keyring's unlock password. qtkeychain (libsecret)
// gives each item the attributes server = service ("ErrorDeck") and user = key
// ("postgresql:edtest@127.0.0.1:PORT"), so an entry is found there by the MD5 of
// its key, and its password must not be readable in the file's bytes.
#include <QByteArray>
#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtEndian>
#include <optional>
#include <signal.h>

namespace edtest::keyring {

// The folder with_secret_service.sh made (HOME and the XDG folders are in it),
// empty when the process does not run under it: a test then fails instead of
// writing to the keychain of the user who runs it.
inline QString home() { return qEnvironmentVariable("ERRORDECK_TEST_SECRET_SERVICE"); }

inline QString loginKeyringFile() { return home() + QStringLiteral("/.local/share/keyrings/login.keyring"); }

// What a keyring file says of itself, without its password.
struct KeyringFile {
    bool aes = false; // crypto 0: the secrets are AES-encrypted
    QStringList userHashes; // per item, the MD5 (hex) of its "user" attribute
    qsizetype encryptedBytes = 0;
};

// Parses gnome-keyring's binary keyring format (gkm-secret-binary.c); nullopt
// when the file is missing or not in that format.
inline std::optional<KeyringFile> readKeyringFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray b = f.readAll();
    static const QByteArray magic("GnomeKeyring\n\r\0\n", 16);
    if (!b.startsWith(magic) || b.size() < 24)
        return std::nullopt;
    qsizetype at = 20;
    bool bad = false;
    const auto u32 = [&]() -> quint32 {
        if (at + 4 > b.size()) {
            bad = true;
            return 0;
        }
        const quint32 v = qFromBigEndian<quint32>(b.constData() + at);
        at += 4;
        return v;
    };
    const auto str = [&]() -> QByteArray {
        const quint32 n = u32();
        if (bad || n == 0xffffffffu)
            return {};
        if (at + qsizetype(n) > b.size()) {
            bad = true;
            return {};
        }
        const QByteArray v = b.mid(at, n);
        at += n;
        return v;
    };
    KeyringFile out;
    out.aes = b.at(18) == 0;
    str(); // the keyring's name
    at += 8 + 8 + 4 + 4 + 4 + 8 + 16; // ctime, mtime, flags, lock timeout, hash iterations, salt, reserved
    const quint32 items = u32();
    for (quint32 i = 0; i < items && !bad; ++i) {
        u32(); // id
        u32(); // type
        const quint32 attributes = u32();
        for (quint32 a = 0; a < attributes && !bad; ++a) {
            const QByteArray name = str();
            if (u32() == 0) { // a string attribute, stored as its MD5
                const QByteArray value = str();
                if (name == "user")
                    out.userHashes << QString::fromLatin1(value);
            } else {
                u32(); // a number, hashed too
            }
        }
    }
    out.encryptedBytes = qsizetype(u32());
    if (bad)
        return std::nullopt;
    return out;
}

inline QString md5Hex(const QString &text)
{
    return QString::fromLatin1(QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Md5).toHex());
}

// Every file under `dir` whose raw bytes contain `needle` (in UTF-8 or UTF-16).
inline QStringList filesContaining(const QString &dir, const QString &needle)
{
    const QByteArray utf8 = needle.toUtf8();
    const QByteArray utf16(reinterpret_cast<const char *>(needle.utf16()), needle.size() * 2);
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (!f.open(QIODevice::ReadOnly))
            continue; // a socket in the runtime folder
        const QByteArray bytes = f.readAll();
        if (bytes.contains(utf8) || bytes.contains(utf16))
            out << f.fileName();
    }
    return out;
}

// How many files filesContaining() read under `dir` (so that a scan of nothing fails).
inline int filesUnder(const QString &dir)
{
    int n = 0;
    for (QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories); it.hasNext(); it.next())
        ++n;
    return n;
}

// The pid of the gnome-keyring-daemon that owns org.freedesktop.secrets on
// this test's own private bus (as with_secret_service.sh finds it), 0 when
// there is none: only under with_secret_service.sh, never a user's daemon.
inline qint64 secretServicePid()
{
    if (home().isEmpty())
        return 0;
    QProcess ask;
    ask.start(QStringLiteral("dbus-send"),
              {QStringLiteral("--session"), QStringLiteral("--print-reply=literal"),
               QStringLiteral("--dest=org.freedesktop.DBus"), QStringLiteral("/org/freedesktop/DBus"),
               QStringLiteral("org.freedesktop.DBus.GetConnectionUnixProcessID"),
               QStringLiteral("string:org.freedesktop.secrets")});
    if (!ask.waitForFinished(10000) || ask.exitCode() != 0)
        return 0;
    // "   uint32 12345"
    const QList<QByteArray> words = ask.readAllStandardOutput().simplified().split(' ');
    return words.size() == 2 ? words.at(1).toLongLong() : 0;
}

// The test's Secret Service stopped (SIGSTOP: alive, on the bus, answering
// nothing, as a hung daemon) for this object's life; SIGCONT at its end.
class StoppedSecretService {
public:
    StoppedSecretService() : m_pid(secretServicePid())
    {
        if (m_pid > 1 && ::kill(pid_t(m_pid), SIGSTOP) != 0)
            m_pid = 0;
    }
    ~StoppedSecretService()
    {
        if (ok())
            ::kill(pid_t(m_pid), SIGCONT);
    }
    StoppedSecretService(const StoppedSecretService &) = delete;
    StoppedSecretService &operator=(const StoppedSecretService &) = delete;
    bool ok() const { return m_pid > 1; }

private:
    qint64 m_pid;
};

} // namespace edtest::keyring
