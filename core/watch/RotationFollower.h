#pragma once
// Carries a rotated file's import progress over to its new name.
//
// logrotate and Python's RotatingFileHandler rename errors.jsonl to
// errors.jsonl.1 (and .1 to .2, ...) and start a new errors.jsonl. import_files
// is keyed by path, so without help the renamed file would be read again from
// its start (every line a duplicate), and the lines written to it after our
// last look (a process still holding the old file open keeps appending) must
// still be read, exactly once. A path "needs a row" when import_files has none
// for it or has one that no longer matches its head; it inherits a row:
//  - by inode: for every file it has imported the follower remembers its inode
//    and the row it left; a path now holding a remembered inode inherits that
//    row. This is exact even when the old path's row has already been
//    overwritten by the new file under that name.
//  - by head hash, for renames that happened while nobody watched: the row of
//    another path in the same folder that no longer matches its own file (gone,
//    replaced or truncated), when the new path's head matches that row's hash.
// Either way the head hash is checked, so a reused inode cannot mislead it.
// Only for v1 files: e-mail files are read whole and deduplicated by Message-ID.
#include "store/Database.h"
#include "store/ImportFileStore.h"
#include "base/Result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>

namespace ed {

class RotationFollower {
public:
    explicit RotationFollower(Database &db) : m_db(db) { }

    // Before an import of `files` (v1 files): gives renamed files the row of
    // their former name. Returns "old -> new" for each one recognized.
    Result<QStringList> adopt(const QStringList &files);
    // After an import: remember the inode and row of each of these files.
    void remember(const QStringList &files);

private:
    using Row = FileProgress; // a row of import_files
    using FileId = std::pair<uint64_t, uint64_t>; // device, inode

    std::optional<Row> rowFor(const QString &canonicalPath);
    static bool matches(const QString &path, const Row &row);
    static std::optional<FileId> fileId(const QString &path);

    Database &m_db;
    std::map<FileId, Row> m_byInode;
};

} // namespace ed
