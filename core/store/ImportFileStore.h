#pragma once
// How far each imported v1 file was read (table import_files): an import
// resumes there, and the rotation follower hands a row on to a renamed file.
#include "store/Database.h"
#include "base/Result.h"

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <optional>
#include <vector>

namespace ed {

struct FileProgress {
    QString path; // canonical
    QByteArray headHash; // of the file's first `offset` bytes
    int64_t offset = 0;
    int64_t line = 0;
    int64_t size = 0;
};

class ImportFileStore {
public:
    explicit ImportFileStore(Database &db) : m_db(db) { }

    // The row of one path; nullopt when it has none.
    Result<std::optional<FileProgress>> find(const QString &path);
    // The rows of the files directly in `folder` (not in its subfolders).
    Result<std::vector<FileProgress>> inFolder(const QString &folder);
    // Writes the rows (replacing each path's), all or none.
    Result<void> putAll(const std::vector<FileProgress> &rows);

private:
    Database &m_db;
};

} // namespace ed
