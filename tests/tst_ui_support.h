#pragma once
// Helpers for the desktop app's tests: a database with the corpus imported
// through the real importer and filters, generated bulk data, waiting.
#include "store/Database.h"
#include "store/sqlite/Sqlite.h"
#include "import/ImportFilters.h"
#include "views/Resources.h"
#include "import/Importer.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace uitest {

inline QString corpus(const QString &rel) { return QStringLiteral(ERRORDECK_CORPUS "/") + rel; }

// Keeps QSettings and app data of the tests away from the user's.
inline void isolate()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("ErrorDeckTests"));
    QCoreApplication::setApplicationName(QStringLiteral("errordeck-ui-tests"));
    ed::initUiResources();
}

inline ed::ImportSummary importInto(ed::Database &db, const QStringList &paths)
{
    auto filters = ed::makeImportFilters(db);
    if (!filters)
        qFatal("filters: %s", qPrintable(filters.error()));
    ed::Importer imp(db, *filters->scrubber, *filters->filter);
    return imp.run(paths);
}

// A database at dir/name with the corpus's records.jsonl imported.
inline QString corpusDatabase(const QTemporaryDir &dir, const QString &name = QStringLiteral("corpus.sqlite3"))
{
    const QString path = dir.filePath(name);
    auto db = ed::Database::open(path);
    if (!db)
        qFatal("open: %s", qPrintable(db.error()));
    const ed::ImportSummary s = importInto(*db, {corpus(QStringLiteral("records.jsonl"))});
    if (s.stored == 0)
        qFatal("corpus import stored nothing");
    return path;
}

// N generated reports (the benchmark generator, bench/gen_reports.py, over the corpus).
inline QString generatedReports(const QTemporaryDir &dir, int n, int seed = 1)
{
    const QString out = dir.filePath(QStringLiteral("gen-%1-%2.jsonl").arg(n).arg(seed));
    const int rc = QProcess::execute(QStringLiteral("/usr/bin/python3"),
                                     {QStringLiteral(ERRORDECK_BENCH_DIR "/gen_reports.py"), corpus(QStringLiteral("records.jsonl")),
                                      QString::number(n), out, QStringLiteral("--seed"), QString::number(seed)});
    if (rc != 0)
        qFatal("gen_reports.py failed");
    return out;
}

inline int64_t scalar(ed::Database &db, const char *sql)
{
    auto v = connectionOf(db).scalar(sql);
    return v ? *v : -1;
}

} // namespace uitest

namespace uitest {
inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace uitest
