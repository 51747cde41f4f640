// A backup (core/store/Backup.h, `errordeck-cli backup`) is one file that stands on
// its own and is consistent while an import writes: taken in the middle of a
// real import, every copy opens, passes SQLite's integrity check, and its
// reports, issue counts and import offsets agree with one another.
#include "store/Backup.h"
#include "store/sqlite/Sqlite.h"

#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using namespace ed;

namespace {

using edtest::scalar;

// What must agree inside one consistent copy; empty when it does.
QString inconsistency(const QString &copyPath)
{
    if (QFile::exists(copyPath + QStringLiteral("-wal")) && QFileInfo(copyPath + QStringLiteral("-wal")).size() > 0)
        return QStringLiteral("a -wal beside the copy");
    auto copy = Database::open(copyPath, /*readOnly=*/true);
    if (!copy)
        return copy.error();
    if (scalar(*copy, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'") != 0)
        return QStringLiteral("integrity check failed");
    const int64_t reports = scalar(*copy, "SELECT count(*) FROM reports");
    const int64_t counted = scalar(*copy, "SELECT coalesce(sum(count + hidden_count), 0) FROM issues");
    if (reports != counted)
        return QStringLiteral("%1 reports, but the issues count %2").arg(reports).arg(counted);
    // Offsets are committed with their batch: lines done == reports stored from the file.
    const int64_t lines = scalar(*copy, "SELECT coalesce(sum(line), 0) FROM import_files WHERE path LIKE '%gen-%'");
    const int64_t fromFile = scalar(*copy, "SELECT count(*) FROM reports WHERE source LIKE '%gen-%'");
    if (lines != fromFile)
        return QStringLiteral("import offsets say %1 lines, %2 reports stored from the file").arg(lines).arg(fromFile);
    if (scalar(*copy, "SELECT count(*) FROM reports_fts") != reports)
        return QStringLiteral("the full-text index does not match the reports");
    return {};
}

} // namespace

class TestBackup : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_generated;

private Q_SLOTS:
    void initTestCase() { m_generated = edtest::generatedReports(m_dir, 20000); }

    void consistentWhileImporting()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("deck.sqlite3"));
        auto db = Database::open(path);
        QVERIFY(db);
        QVERIFY(edtest::importPlain(*db, {edtest::corpus(QStringLiteral("records.jsonl"))}).fatal.isEmpty());

        // The import writes through its own connection, in small batches, on another thread.
        std::atomic<bool> done{false};
        QString importError;
        std::thread importer([&] {
            auto writer = Database::open(path);
            if (!writer) {
                importError = writer.error();
                done = true;
                return;
            }
            const ImportSummary s = edtest::importPlain(*writer, {m_generated}, 200);
            importError = s.fatal;
            done = true;
        });
        QStringList problems;
        int copies = 0, midImport = 0;
        while (!done || copies < 2) {
            const QString out = dir.filePath(QStringLiteral("copy-%1.sqlite3").arg(copies++));
            const bool importing = !done;
            auto sum = backupDatabase(*db, out);
            if (!sum) {
                problems << sum.error();
                continue;
            }
            if (importing && sum->reports > 98 && sum->reports < 98 + 20000)
                ++midImport;
            const QString bad = inconsistency(out);
            if (!bad.isEmpty())
                problems << QStringLiteral("%1: %2").arg(QFileInfo(out).fileName(), bad);
            QFile::remove(out);
        }
        importer.join();
        QVERIFY2(importError.isEmpty(), qPrintable(importError));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        QVERIFY2(midImport >= 1, "no copy was taken in the middle of the import");
        // The last copy has everything.
        const QString last = dir.filePath(QStringLiteral("last.sqlite3"));
        auto sum = backupDatabase(*db, last);
        QVERIFY(sum);
        QCOMPARE(sum->reports, scalar(*db, "SELECT count(*) FROM reports"));
        QVERIFY(QFileInfo(last).permissions() & QFileDevice::ReadOwner);
        QVERIFY(!(QFileInfo(last).permissions() & QFileDevice::ReadOther));
    }

    void refusesToOverwrite()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("deck.sqlite3"));
        auto db = Database::open(path);
        QVERIFY(db);
        auto self = backupDatabase(*db, path);
        QVERIFY(!self);
        QVERIFY2(self.error().contains(QStringLiteral("the database itself")), qPrintable(self.error()));
        const QString other = dir.filePath(QStringLiteral("other.sqlite3"));
        edtest::writeFile(other, "keep me");
        auto exists = backupDatabase(*db, other);
        QVERIFY(!exists);
        QVERIFY2(exists.error().contains(other), qPrintable(exists.error()));
        QCOMPARE(edtest::readFile(other), QByteArray("keep me"));
        auto noFolder = backupDatabase(*db, dir.filePath(QStringLiteral("missing/copy.sqlite3")));
        QVERIFY(!noFolder);
        // Nothing half-written is left behind.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).filter(QStringLiteral("partial")), QStringList());
    }

    void commandLine()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("deck.sqlite3"));
        {
            auto db = Database::open(path);
            QVERIFY(db);
            QVERIFY(edtest::importPlain(*db, {edtest::corpus(QStringLiteral("records.jsonl"))}).fatal.isEmpty());
        }
        const QString out = dir.filePath(QStringLiteral("backup.sqlite3"));
        QProcess p;
        p.start(QStringLiteral(ERRORDECK_CLI), {QStringLiteral("backup"), out, QStringLiteral("--db"), path});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY2(p.readAllStandardOutput().contains("backed up 98 reports"), "summary line");
        QVERIFY(inconsistency(out).isEmpty());
        p.start(QStringLiteral(ERRORDECK_CLI), {QStringLiteral("backup"), out, QStringLiteral("--db"), path});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(p.readAllStandardError().contains("already exists"));
    }
};

QTEST_GUILESS_MAIN(TestBackup)
#include "tst_backup.moc"
