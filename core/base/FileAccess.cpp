#include "base/FileAccess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ed {
namespace {

QString errnoText(int err) { return QString::fromLocal8Bit(strerror(err)); }

QString fileTypeName(mode_t mode)
{
    if (S_ISFIFO(mode))
        return QStringLiteral("a FIFO");
    if (S_ISSOCK(mode))
        return QStringLiteral("a socket");
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return QStringLiteral("a device");
    if (S_ISDIR(mode))
        return QStringLiteral("a folder");
    return QStringLiteral("a special file");
}

} // namespace

Result<int> openRegularFile(const QString &path, bool *notRegular)
{
    if (notRegular)
        *notRegular = false;
    const QByteArray native = QFile::encodeName(path);
    // O_NONBLOCK: open() of a FIFO returns at once instead of waiting for a writer.
    const int fd = ::open(native.constData(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return Error{QStringLiteral("cannot open: %1").arg(errnoText(errno))};
    struct stat st;
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        return Error{QStringLiteral("cannot open: %1").arg(errnoText(err))};
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        if (notRegular)
            *notRegular = true;
        return Error{QStringLiteral("%1, not a regular file").arg(fileTypeName(st.st_mode))};
    }
    // Reads of a regular file never block for long; the flag is cleared so that
    // the descriptor behaves as any other (zlib and QFile expect that).
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0)
        (void)::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return fd;
}

Result<QByteArray> readFileHead(const QString &path, qsizetype bytes, bool *notRegular)
{
    auto fd = openRegularFile(path, notRegular);
    if (!fd)
        return fd.failure();
    QByteArray head(std::max<qsizetype>(bytes, 0), '\0');
    qsizetype got = 0;
    while (got < head.size()) {
        const ssize_t n = ::pread(*fd, head.data() + got, size_t(head.size() - got), off_t(got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int err = errno;
            ::close(*fd);
            return Error{QStringLiteral("cannot read: %1").arg(errnoText(err))};
        }
        if (n == 0)
            break;
        got += n;
    }
    ::close(*fd);
    head.truncate(got);
    return head;
}

Result<void> createPrivateFolder(const QString &path)
{
    const QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    if (QFileInfo(clean).isDir())
        return {};
    const QString parent = QFileInfo(clean).absolutePath();
    if (parent != clean) {
        if (auto r = createPrivateFolder(parent); !r)
            return r;
    }
    if (::mkdir(QFile::encodeName(clean).constData(), 0700) != 0 && errno != EEXIST)
        return Error{QStringLiteral("cannot create the folder %1: %2").arg(clean, errnoText(errno))};
    return {};
}

Result<void> createPrivateFile(const QString &path)
{
    if (auto r = createPrivateFolder(QFileInfo(path).absolutePath()); !r)
        return r;
    // O_EXCL: a file that exists (made by another process a moment ago too) is not touched.
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return {};
        return Error{QStringLiteral("cannot create %1: %2").arg(path, errnoText(errno))};
    }
    ::close(fd);
    return {};
}

bool resolvesInside(const QString &path, const QString &canonicalFolder)
{
    const QString target = QFileInfo(path).canonicalFilePath();
    if (target.isEmpty() || canonicalFolder.isEmpty())
        return false;
    if (canonicalFolder == QLatin1String("/"))
        return true;
    return target.startsWith(canonicalFolder + QLatin1Char('/'));
}

} // namespace ed
