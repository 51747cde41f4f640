#pragma once
// Helpers shared by the test suites: the corpus, temporary databases, imports.
#include "store/Database.h"
#include "model/Filter.h"
#include "import/Importer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <zlib.h>

namespace edtest {

inline QString corpus(const QString &rel = QString())
{
    return rel.isEmpty() ? QStringLiteral(ERRORDECK_CORPUS) : QStringLiteral(ERRORDECK_CORPUS "/") + rel;
}

inline QList<QJsonObject> corpusRecords()
{
    QList<QJsonObject> out;
    QFile f(corpus(QStringLiteral("records.jsonl")));
    if (!f.open(QIODevice::ReadOnly))
        return out;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (!line.isEmpty())
            out << QJsonDocument::fromJson(line).object();
    }
    return out;
}

inline QJsonObject truth()
{
    QFile f(corpus(QStringLiteral("truth.json")));
    // Without it every check built on it would pass vacuously.
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(f.fileName()));
    return QJsonDocument::fromJson(f.readAll()).object();
}

// Every secret value truth.json lists: the settings' and each request's.
inline QStringList corpusSecrets()
{
    const QJsonObject t = truth();
    QStringList out;
    for (const QJsonValue &v : t.value(QStringLiteral("settings_secrets")).toArray())
        out << v.toString();
    for (const QJsonValue &r : t.value(QStringLiteral("requests")).toArray())
        for (const QJsonValue &v : r.toObject().value(QStringLiteral("secrets")).toArray())
            out << v.toString();
    out.removeDuplicates();
    if (out.isEmpty())
        qFatal("truth.json lists no secrets");
    return out;
}

inline void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(data), data.size());
}

// `data` as one gzip member (what `gzip` writes), for import tests of .gz files.
inline QByteArray gzip(const QByteArray &data, int level = 6)
{
    QByteArray out(qsizetype(compressBound(uLong(data.size()))) + 64, '\0');
    z_stream zs{};
    deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    zs.avail_in = uInt(data.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = uInt(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(qsizetype(zs.total_out));
    deflateEnd(&zs);
    return out;
}

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

// Imports with no scrubbing and no rules: what the store itself does.
inline ed::ImportSummary importPlain(ed::Database &db, const QStringList &paths, int batch = 5000)
{
    ed::NullScrubber scrubber;
    ed::NullRecordFilter filter;
    ed::Importer importer(db, scrubber, filter);
    importer.setBatchSize(batch);
    return importer.run(paths);
}

inline QString problemsText(const ed::ImportSummary &s)
{
    QString out;
    for (const auto &p : s.problems)
        out += QStringLiteral("%1:%2: %3\n").arg(p.file).arg(p.line).arg(p.reason);
    return out;
}

} // namespace edtest
