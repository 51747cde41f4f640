#pragma once
// The one support library of the tests (target errordeck_test_support): the
// corpus, files, temporary databases and imports. SmtpSupport.h adds
// tests/support/smtp_server.py, SecretScanner.h the raw look at database
// files, UiSupport.h (UI builds only) what the widget tests share.
#include "base/ThreadCheck.h"
#include "import/Importer.h"
#include "model/Filter.h"
#include "store/Database.h"
#include "store/SearchQuery.h"
#include "TestEngine.h" // testDatabaseLocation(): every suite can run on both engines

// What every suite uses, so a test needs no include of its own for it.
#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <cstdint>
#include <memory>

namespace edtest {

// The test itself (not the code under test) reads or writes the database on
// the UI thread a widget test registered (UiSupport.h's isolate()): the
// helpers below that touch a database are such scopes themselves.
class TestSideDb {
public:
    TestSideDb() : m_allow("the test sets up or checks the database") { }

private:
    ed::dbthread::AllowOnUiThread m_allow;
};
// f() in a TestSideDb scope: `onTestSide([&] { return SendLog(db).list(5); })`.
template <typename F> auto onTestSide(F &&f)
{
    const TestSideDb testSide;
    return f();
}

// Debian's python3: the one with Django, aiosmtpd and cryptography.
inline const QString kPython = QStringLiteral("/usr/bin/python3");

// tests/data/corpus, or a file in it.
QString corpusDir();
QString corpus(const QString &rel = QString());
// tests/support/<name>: the Python helpers the tests run.
QString supportScript(const QString &name);

// records.jsonl, one object per line, in order.
QList<QJsonObject> corpusRecords();
// truth.json; qFatal when it cannot be read (every check built on it would pass vacuously).
QJsonObject truth();
// Every secret value truth.json lists: the settings' and each request's.
QStringList corpusSecrets();

// Writes `data` to `path` (a QVERIFY failure when it cannot).
void writeFile(const QString &path, const QByteArray &data);
// The whole file, or empty when it cannot be read.
QByteArray readFile(const QString &path);
// `data` as one gzip member (what `gzip` writes), for import tests of .gz files.
QByteArray gzip(const QByteArray &data, int level = 6);

// Imports with no scrubbing and no rules: what the store itself does.
ed::ImportSummary importPlain(ed::Database &db, const QStringList &paths, int batch = 5000);
// Imports through the filters the database configures (ed::makeImportFilters), as the app does.
ed::ImportSummary importFiltered(ed::Database &db, const QStringList &paths);
QString problemsText(const ed::ImportSummary &s);

// The database testDatabaseLocation(dir, name) gives (a file, or a new PostgreSQL
// database in a .pg run) with the corpus's records.jsonl imported through its filters.
QString corpusDatabase(const QTemporaryDir &dir, const QString &name = QStringLiteral("corpus.sqlite3"));
// A new database at `path` with records.jsonl imported through `scrubber` and no
// record filter; null (and a warning) unless all 98 records were stored.
std::unique_ptr<ed::Database> importCorpus(const QString &path, const ed::Scrubber &scrubber);
// N generated reports (the benchmark generator, bench/gen_reports.py, over the corpus).
QString generatedReports(const QTemporaryDir &dir, int n, int seed = 1);

// Runs `cli` with `args` (an import into dbPath: a file or a server's URL),
// waits (generously: CI machines may be loaded) until its first batch is
// committed, then kills it with SIGKILL. With `source`, the batch is the first
// with a report of that file (another writer may be storing other reports).
// Empty when it was killed mid-import, else what went wrong.
QString killImportAfterFirstBatch(const QString &cli, const QStringList &args, const QString &dbPath,
                                  const QString &source = QString());

// The first column of the first row of `sql`, or -1 when it fails.
int64_t scalar(ed::Database &db, const char *sql);

// One v1 record line (docs/report-format-v1.md, newline-terminated) of a
// Django server error: `type` raised in a view function of the same name, so
// that each type is an issue of its own, at `ms`; `release` in extra when set.
QByteArray errorRecordLine(const QString &eventId, const QString &type, int64_t ms, const QString &release = QString());

// The event ids of the reports `query` finds (ReportStore::listReports, up to
// 1000), sorted; one "error: ..." entry when the search fails.
QStringList eventIdsMatching(ed::Database &db, const ed::SearchQuery &query);

} // namespace edtest
