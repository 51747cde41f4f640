// RotationFollower without threads or timing: the steps of a watcher's checks
// replayed in the order that made tst_watch read a rotated line twice (about one
// run in four): the file is rotated after an import read it and before the
// follower remembered it.
#include "TestEngine.h"
#include "TestSupport.h"
#include "store/sqlite/Sqlite.h"
#include "watch/RotationFollower.h"

#include <QDir>
#include <QFileInfo>

using namespace ed;
using namespace edtest;

namespace {

QByteArray corpusLines(int from, int to)
{
    const QList<QByteArray> all = readFile(corpus(QStringLiteral("records.jsonl"))).split('\n');
    QByteArray out;
    for (int i = from; i < to; ++i)
        out += all.at(i) + '\n';
    return out;
}

void append(const QString &path, const QByteArray &data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Append));
    QCOMPARE(f.write(data), data.size());
}

} // namespace

class TestRotationFollower : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rotatedBetweenImportAndRemember()
    {
        QTemporaryDir dir;
        auto db = openTestDatabase(dir, QStringLiteral("t.sqlite3"));
        QVERIFY(db);
        const QString a = QFileInfo(dir.path()).canonicalFilePath() + QStringLiteral("/errors.jsonl");
        RotationFollower follower(*db);

        // A check: errors.jsonl read whole (10 lines), and remembered.
        writeFile(a, corpusLines(0, 10));
        QVERIFY(follower.adopt({a}).ok());
        QCOMPARE(importPlain(*db, {a}).stored, int64_t(10));
        follower.remember({a});

        // The next check reads the 5 lines appended since...
        append(a, corpusLines(10, 15));
        QVERIFY(follower.adopt({a}).ok());
        QCOMPARE(importPlain(*db, {a}).stored, int64_t(5));
        // ...and the site rotates the file before the check remembers it.
        QVERIFY(QFile::rename(a, a + QStringLiteral(".1")));
        writeFile(a, corpusLines(15, 17));
        follower.remember({a});
        // The process holding the old file open writes on into it.
        append(a + QStringLiteral(".1"), corpusLines(17, 19));

        // The check after: .1 goes on from line 15, the new file from its start.
        const QStringList both{a, a + QStringLiteral(".1")};
        const auto moved = follower.adopt(both);
        QVERIFY2(moved.ok(), qPrintable(moved ? QString() : moved.error()));
        QCOMPARE(*moved, QStringList{QStringLiteral("%1 -> %1.1").arg(a)});
        const ImportSummary s = importPlain(*db, both);
        QVERIFY2(s.problems.empty(), qPrintable(problemsText(s)));
        QCOMPARE(s.duplicates, int64_t(0)); // nothing read twice
        QCOMPARE(s.resumedLines, int64_t(15));
        QCOMPARE(s.stored, int64_t(4));
        QCOMPARE(*connectionOf(*db).scalar("SELECT count(*) FROM reports"), int64_t(19));
    }
};

QTEST_GUILESS_MAIN(TestRotationFollower)
#include "tst_rotation_follower.moc"
