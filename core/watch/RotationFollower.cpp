#include "watch/RotationFollower.h"

#include "base/FileAccess.h"
#include "import/Importer.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

namespace ed {

namespace {

bool isGzip(const QString &path)
{
    auto magic = readFileHead(path, 2); // a FIFO put in a rotated file's place must not block
    return magic && magic->size() == 2 && uchar(magic->at(0)) == 0x1f && uchar(magic->at(1)) == 0x8b;
}

} // namespace

std::optional<RotationFollower::FileId> RotationFollower::fileId(const QString &path)
{
#ifdef Q_OS_UNIX
    struct stat st;
    if (::stat(QFile::encodeName(path).constData(), &st) == 0)
        return FileId{uint64_t(st.st_dev), uint64_t(st.st_ino)};
#else
    (void)path;
#endif
    return std::nullopt;
}

std::optional<RotationFollower::Row> RotationFollower::rowFor(const QString &canonicalPath)
{
    Statement st = m_db.conn().prepare("SELECT head_hash, offset, line, size FROM import_files WHERE path = ?");
    st.bind(1, canonicalPath);
    if (!st.step())
        return std::nullopt;
    Row r;
    r.path = canonicalPath;
    const std::string_view h = st.blob(0);
    r.headHash = QByteArray(h.data(), qsizetype(h.size()));
    r.offset = st.int64(1);
    r.line = st.int64(2);
    r.size = st.int64(3);
    return r;
}

// Whether the file at `path` can go on from `row`: the same first bytes, and
// (plain files) at least as long as what was read.
bool RotationFollower::matches(const QString &path, const Row &row)
{
    const QFileInfo info(path);
    if (!info.exists())
        return false;
    if (info.size() < row.offset && !isGzip(path))
        return false;
    return fileHeadHash(path, row.offset) == row.headHash;
}

Result<QStringList> RotationFollower::adopt(const QStringList &files)
{
    struct Need {
        QString path; // canonical
        std::optional<FileId> id;
    };
    std::vector<Need> needs;
    QSet<QString> folders;
    for (const QString &f : files) {
        const QString canonical = QFileInfo(f).canonicalFilePath();
        if (canonical.isEmpty())
            continue;
        const auto own = rowFor(canonical);
        if (own && matches(canonical, *own))
            continue;
        needs.push_back({canonical, fileId(canonical)});
        folders.insert(QFileInfo(canonical).path());
    }
    if (needs.empty())
        return QStringList();

    // Rows in the same folders whose own file no longer matches them.
    std::vector<Row> stale;
    for (const QString &dir : std::as_const(folders)) {
        const QString prefix = dir.endsWith(QLatin1Char('/')) ? dir : dir + QLatin1Char('/');
        Statement st = m_db.conn().prepare(
            "SELECT path, head_hash, offset, line, size FROM import_files WHERE path > ? AND path < ?");
        // Every path that starts with prefix sorts between prefix and prefix with its '/' raised to '0'.
        st.bind(1, prefix).bind(2, prefix.left(prefix.size() - 1) + QLatin1Char('0'));
        while (st.step()) {
            Row r;
            r.path = st.qtext(0);
            if (r.path.indexOf(QLatin1Char('/'), prefix.size()) >= 0)
                continue; // in a subfolder
            const std::string_view h = st.blob(1);
            r.headHash = QByteArray(h.data(), qsizetype(h.size()));
            r.offset = st.int64(2);
            r.line = st.int64(3);
            r.size = st.int64(4);
            if (r.offset > 0 && !matches(r.path, r))
                stale.push_back(std::move(r));
        }
        if (!st.valid() || st.errorCode() != 101 /* SQLITE_DONE */)
            return Error{QStringLiteral("cannot read import progress from %1: %2").arg(m_db.path(), st.error())};
    }

    // Decide every inheritance before writing any: a row may pass on while its
    // own path inherits another one (.1 -> .2 while errors.jsonl -> .1).
    std::vector<std::pair<QString, Row>> moves;
    for (const Need &n : needs) {
        std::optional<Row> from;
        if (n.id) {
            const auto it = m_byInode.find(*n.id);
            if (it != m_byInode.end() && it->second.path != n.path && it->second.offset > 0
                && matches(n.path, it->second))
                from = it->second;
        }
        // A stale row that matches and got further wins over the inode's: the
        // inode's row is the one remembered after an earlier check, and a later
        // import may have read on before the file was renamed (renamed before
        // remember() saw it: that import's row is under the old name only).
        for (const Row &r : stale) {
            if (r.path != n.path && QFileInfo(r.path).path() == QFileInfo(n.path).path() && matches(n.path, r)
                && (!from || r.offset > from->offset))
                from = r;
        }
        if (from)
            moves.emplace_back(n.path, *from);
    }
    if (moves.empty())
        return QStringList();

    QStringList done;
    Transaction tx(m_db.conn());
    Statement put = m_db.conn().prepare(
        "INSERT OR REPLACE INTO import_files(path, head_hash, offset, line, size, updated_at) VALUES(?,?,?,?,?,?)");
    for (const auto &[path, row] : moves) {
        put.reset();
        put.bind(1, path)
            .bindBlob(2, std::string_view(row.headHash.constData(), size_t(row.headHash.size())))
            .bind(3, row.offset)
            .bind(4, row.line)
            .bind(5, QFileInfo(path).size())
            .bind(6, QDateTime::currentMSecsSinceEpoch());
        if (!put.exec())
            return Error{QStringLiteral("cannot record import progress in %1: %2").arg(m_db.path(), put.error())};
        done << QStringLiteral("%1 -> %2").arg(row.path, path);
    }
    if (auto c = tx.commit(); !c)
        return c.failure();
    return done;
}

void RotationFollower::remember(const QStringList &files)
{
    for (const QString &f : files) {
        const QString canonical = QFileInfo(f).canonicalFilePath();
        if (canonical.isEmpty())
            continue;
        const auto id = fileId(canonical);
        if (!id)
            continue;
        // Only when the row is this file's: renamed since the import, the path
        // holds another file, and the import's row belongs to the old inode.
        if (auto row = rowFor(canonical); row && matches(canonical, *row))
            m_byInode[*id] = *row;
    }
}

} // namespace ed
