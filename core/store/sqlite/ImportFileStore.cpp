#include "store/ImportFileStore.h"

#include "store/sqlite/Rows.h"

#include <QDateTime>

namespace ed {
namespace {

constexpr const char *kSelect = "SELECT path, head_hash, byte_offset, line, size FROM import_files";

// path, head_hash, byte_offset, line, size
FileProgress progressFrom(const Statement &st)
{
    FileProgress p;
    p.path = st.qtext(0);
    const std::string_view h = st.blob(1);
    p.headHash = QByteArray(h.data(), qsizetype(h.size()));
    p.offset = st.int64(2);
    p.line = st.int64(3);
    p.size = st.int64(4);
    return p;
}

} // namespace

// An upsert on the path (the only key), in the form both engines accept.
const char
    *const kPutProgress = "INSERT INTO import_files(path, head_hash, byte_offset, line, size, updated_at) VALUES(?,?,?,?,?,?)"
                          " ON CONFLICT(path) DO UPDATE SET head_hash = excluded.head_hash, byte_offset = excluded.byte_offset,"
                          " line = excluded.line, size = excluded.size, updated_at = excluded.updated_at";

void bindFileProgress(Statement &st, const FileProgress &p)
{
    st.bind(1, p.path)
        .bindBlob(2, std::string_view(p.headHash.constData(), size_t(p.headHash.size())))
        .bind(3, p.offset)
        .bind(4, p.line)
        .bind(5, p.size)
        .bind(6, QDateTime::currentMSecsSinceEpoch());
}

Result<std::optional<FileProgress>> ImportFileStore::find(const QString &path)
{
    Statement st = connectionOf(m_db).prepare(std::string(kSelect) + " WHERE path = ?");
    if (!st.valid())
        return st.failure();
    st.bind(1, path);
    if (st.step())
        return std::optional<FileProgress>(progressFrom(st));
    if (!st.done())
        return st.failure();
    return std::optional<FileProgress>();
}

Result<std::vector<FileProgress>> ImportFileStore::inFolder(const QString &folder)
{
    const QString prefix = folder.endsWith(QLatin1Char('/')) ? folder : folder + QLatin1Char('/');
    Statement st = connectionOf(m_db).prepare(std::string(kSelect) + " WHERE path > ? AND path < ?");
    if (!st.valid())
        return st.failure();
    // Every path that starts with prefix sorts between prefix and prefix with its '/' raised to '0'.
    st.bind(1, prefix).bind(2, prefix.left(prefix.size() - 1) + QLatin1Char('0'));
    std::vector<FileProgress> rows;
    while (st.step()) {
        FileProgress p = progressFrom(st);
        if (p.path.indexOf(QLatin1Char('/'), prefix.size()) < 0) // not in a subfolder
            rows.push_back(std::move(p));
    }
    if (!st.done())
        return st.failure();
    return rows;
}

Result<void> ImportFileStore::putAll(const std::vector<FileProgress> &rows)
{
    Transaction tx(connectionOf(m_db));
    if (!tx.active())
        return connectionOf(m_db).failure();
    Statement put = connectionOf(m_db).prepare(kPutProgress);
    if (!put.valid())
        return put.failure();
    for (const FileProgress &row : rows) {
        put.reset();
        bindFileProgress(put, row);
        if (!put.exec())
            return put.failure();
    }
    return tx.commit();
}

} // namespace ed
