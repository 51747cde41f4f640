#pragma once
// Opening the files ErrorDeck reads and creating the ones it writes, safely
// against what a hostile folder may hold:
//  - a FIFO (or a link to one) would block open() until a writer comes, and a
//    device or socket is no report: files are opened with O_NONBLOCK and only a
//    regular file is kept (checked with fstat on the open descriptor);
//  - the database, its WAL, backups and logs hold what the sites sent: they are
//    created readable by their owner only (0600, folders 0700), whatever the umask.
#include "base/Result.h"

#include <QByteArray>
#include <QString>

namespace ed {

// A read-only descriptor of `path` (links followed), blocking reads, close-on-exec;
// an error ("cannot open: ...", "a FIFO, not a regular file") when it cannot be
// opened or is not a regular file. The caller names the file.
// `notRegular`, when given, tells the two apart.
Result<int> openRegularFile(const QString &path, bool *notRegular = nullptr);

// Up to `bytes` bytes from the start of the regular file `path`, opened as
// openRegularFile() does (errors and `notRegular` the same).
Result<QByteArray> readFileHead(const QString &path, qsizetype bytes, bool *notRegular = nullptr);

// Creates `path` empty with mode 0600 when it does not exist (an existing file
// is left as it is); folders missing on the way are created 0700.
Result<void> createPrivateFile(const QString &path);
// Creates the folder and any missing parents with mode 0700 (existing ones are left as they are).
Result<void> createPrivateFolder(const QString &path);

// Whether `path`, its links resolved, lies inside the folder whose canonical
// path is `canonicalFolder`.
bool resolvesInside(const QString &path, const QString &canonicalFolder);

} // namespace ed
