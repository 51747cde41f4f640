#include "store/sqlite/Sqlite.h"
#include "TestSupport.h"
#include "TestEngine.h"

#include "import/ImportFilters.h"
#include "store/ReportStore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <csignal>

#include <zlib.h>

namespace edtest {

QString corpusDir() { return QStringLiteral(ERRORDECK_CORPUS); }

QString corpus(const QString &rel) { return rel.isEmpty() ? corpusDir() : corpusDir() + u'/' + rel; }

QString supportScript(const QString &name) { return QStringLiteral(ERRORDECK_TEST_SUPPORT_DIR "/") + name; }

QList<QJsonObject> corpusRecords()
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

QJsonObject truth()
{
    QFile f(corpus(QStringLiteral("truth.json")));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(f.fileName()));
    return QJsonDocument::fromJson(f.readAll()).object();
}

QStringList corpusSecrets()
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

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(data), data.size());
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

QByteArray gzip(const QByteArray &data, int level)
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

ed::ImportSummary importPlain(ed::Database &db, const QStringList &paths, int batch)
{
    const TestSideDb testSide;
    ed::NullScrubber scrubber;
    ed::NullRecordFilter filter;
    ed::Importer importer(db, scrubber, filter);
    importer.setBatchSize(batch);
    return importer.run(paths);
}

ed::ImportSummary importFiltered(ed::Database &db, const QStringList &paths)
{
    const TestSideDb testSide;
    auto filters = ed::makeImportFilters(db);
    if (!filters)
        qFatal("filters: %s", qPrintable(filters.error()));
    ed::Importer importer(db, *filters->scrubber, *filters->filter);
    return importer.run(paths);
}

QString problemsText(const ed::ImportSummary &s)
{
    QString out;
    for (const auto &p : s.problems)
        out += QStringLiteral("%1:%2: %3\n").arg(p.file).arg(p.line).arg(p.reason);
    return out;
}

QString corpusDatabase(const QTemporaryDir &dir, const QString &name)
{
    const TestSideDb testSide;
    const QString path = testDatabaseLocation(dir, name);
    auto db = ed::Database::open(path);
    if (!db)
        qFatal("open: %s", qPrintable(db.error()));
    const ed::ImportSummary s = importFiltered(*db, {corpus(QStringLiteral("records.jsonl"))});
    if (s.stored == 0)
        qFatal("corpus import stored nothing");
    return path;
}

std::unique_ptr<ed::Database> importCorpus(const QString &path, const ed::Scrubber &scrubber)
{
    const TestSideDb testSide;
    auto db = ed::Database::open(path);
    if (!db) {
        qWarning() << db.error();
        return nullptr;
    }
    auto owned = std::make_unique<ed::Database>(std::move(*db));
    ed::NullRecordFilter filter;
    ed::Importer importer(*owned, scrubber, filter);
    const ed::ImportSummary s = importer.run({corpus(QStringLiteral("records.jsonl"))});
    if (!s.fatal.isEmpty() || s.stored != 98) {
        qWarning() << "import:" << s.fatal << s.stored;
        return nullptr;
    }
    return owned;
}

QString generatedReports(const QTemporaryDir &dir, int n, int seed)
{
    const QString out = dir.filePath(QStringLiteral("gen-%1-%2.jsonl").arg(n).arg(seed));
    const int rc = QProcess::execute(kPython, {QStringLiteral(ERRORDECK_BENCH_DIR "/gen_reports.py"),
                                               corpus(QStringLiteral("records.jsonl")), QString::number(n), out,
                                               QStringLiteral("--seed"), QString::number(seed)});
    if (rc != 0)
        qFatal("gen_reports.py failed");
    return out;
}

int64_t scalar(ed::Database &db, const char *sql)
{
    const TestSideDb testSide;
    auto v = connectionOf(db).scalar(sql);
    if (!v)
        qWarning("scalar(%s): %s", sql, qPrintable(v.error())); // -1 alone would hide why
    return v ? *v : -1;
}

QString killImportAfterFirstBatch(const QString &cli, const QStringList &args, const QString &dbPath, const QString &source)
{
    QProcess p;
    p.start(cli, args);
    if (!p.waitForStarted())
        return QStringLiteral("%1 did not start").arg(cli);
    // A server's database (TestEngine.h) is asked over one connection, kept
    // (each new one costs a password exchange); a file is opened afresh.
    const bool server = ed::Database::isServerUrl(dbPath);
    ed::Connection serverConnection;
    for (int i = 0; i < 4000 && p.state() == QProcess::Running; ++i) {
        QTest::qWait(10);
        const TestSideDb testSide;
        ed::Connection fileConnection;
        ed::Connection &c = server ? serverConnection : fileConnection;
        const bool opened = server ? c.isOpen() || bool(c.openServer(dbPath, {})) : bool(c.open(dbPath, false, true));
        if (opened) {
            if (source.isEmpty()) {
                const auto n = c.scalar("SELECT count(*) FROM reports");
                if (n.ok() && *n > 0)
                    break;
            } else {
                ed::Statement st = c.prepare("SELECT count(*) FROM reports WHERE source = ?");
                st.bind(1, source);
                if (st.step() && st.int64(0) > 0)
                    break;
            }
        }
    }
    // Only a live child is killed: processId() is 0 once it has exited, and
    // kill(0, ...) would kill this test's whole process group.
    if (p.state() != QProcess::Running || p.processId() <= 0)
        return QStringLiteral("the import finished before it could be killed (the test needs a bigger input)");
    if (::kill(pid_t(p.processId()), SIGKILL) != 0)
        return QStringLiteral("kill failed");
    if (!p.waitForFinished(30000))
        return QStringLiteral("the killed import did not end");
    // Killed by the signal, not finished on its own just before it.
    if (p.exitStatus() != QProcess::CrashExit)
        return QStringLiteral("the import ended on its own");
    return {};
}

QByteArray errorRecordLine(const QString &eventId, const QString &type, int64_t ms, const QString &release)
{
    const QJsonObject frame{{QStringLiteral("filename"), QStringLiteral("/srv/shop/views.py")},
                            {QStringLiteral("module"), QStringLiteral("shop.views")},
                            {QStringLiteral("function"), type},
                            {QStringLiteral("lineno"), 10},
                            {QStringLiteral("in_app"), true}};
    const QJsonObject exception{{QStringLiteral("type"), type},
                                {QStringLiteral("value"), QStringLiteral("boom")},
                                {QStringLiteral("frames"), QJsonArray{frame}}};
    QJsonObject r{{QStringLiteral("event_id"), eventId},
                  {QStringLiteral("timestamp"),
                   QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz+00:00"))},
                  {QStringLiteral("level"), QStringLiteral("ERROR")},
                  {QStringLiteral("logger"), QStringLiteral("django.request")},
                  {QStringLiteral("message"), QStringLiteral("Internal Server Error: /%1/").arg(type)},
                  {QStringLiteral("exception"), exception}};
    if (!release.isEmpty())
        r.insert(QStringLiteral("extra"), QJsonObject{{QStringLiteral("release"), release}});
    return QJsonDocument(r).toJson(QJsonDocument::Compact) + '\n';
}

QStringList eventIdsMatching(ed::Database &db, const ed::SearchQuery &query)
{
    auto rows = ed::ReportStore(db).listReports(query, 1000);
    if (!rows)
        return {QStringLiteral("error: ") + rows.error()};
    QStringList out;
    for (const ed::ReportRow &r : *rows)
        out << r.eventId;
    out.sort();
    return out;
}

} // namespace edtest
