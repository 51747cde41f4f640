#include "watch/RotationFollower.h"

#include "base/FileAccess.h"
#include "import/Importer.h"

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
    auto row = ImportFileStore(m_db).find(canonicalPath);
    return row ? *row : std::nullopt; // unreadable: as if it had none
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
        auto rows = ImportFileStore(m_db).inFolder(dir);
        if (!rows)
            return Error{QStringLiteral("cannot read import progress from %1: %2").arg(m_db.path(), rows.error()),
                         rows.errorKind()};
        for (Row &r : *rows)
            if (r.offset > 0 && !matches(r.path, r))
                stale.push_back(std::move(r));
    }

    // Decide every inheritance before writing any: a row may pass on while its
    // own path inherits another one (.1 -> .2 while errors.jsonl -> .1).
    std::vector<std::pair<QString, Row>> moves;
    for (const Need &n : needs) {
        std::optional<Row> from;
        if (n.id) {
            const auto it = m_byInode.find(*n.id);
            if (it != m_byInode.end() && it->second.path != n.path && it->second.offset > 0 && matches(n.path, it->second))
                from = it->second;
        }
        // A stale row that matches and got further wins over the inode's: the
        // inode's row is the one remembered after an earlier check, and a later
        // import may have read on before the file was renamed (renamed before
        // remember() saw it: that import's row is under the old name only).
        for (const Row &r : stale) {
            if (r.path != n.path && QFileInfo(r.path).path() == QFileInfo(n.path).path() && matches(n.path, r) &&
                (!from || r.offset > from->offset))
                from = r;
        }
        if (from)
            moves.emplace_back(n.path, *from);
    }
    if (moves.empty())
        return QStringList();

    QStringList done;
    std::vector<Row> inherited;
    for (const auto &[path, row] : moves) {
        Row r = row;
        r.path = path;
        r.size = QFileInfo(path).size();
        inherited.push_back(std::move(r));
        done << QStringLiteral("%1 -> %2").arg(row.path, path);
    }
    if (auto put = ImportFileStore(m_db).putAll(inherited); !put)
        return Error{QStringLiteral("cannot record import progress in %1: %2").arg(m_db.path(), put.error()), put.errorKind()};
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
