// The store's change feed (store/StoreChanges.h), on both engines: a feed on
// one connection hears what other connections commit, within seconds and with
// the right kind: `errordeck-cli import` in a child process, an import and a
// triage through another Database of this process, a setting. Nothing is heard
// when nothing was written, or when a write rolled back; a burst of writes
// comes as one or two signals. When the connection goes (PostgreSQL: the server
// restarts; SQLite: the file is not there yet) the feed says so, and once it
// watches again it reports every kind, then follows new writes.
#include "store/Config.h"
#include "store/IssueTriage.h"
#include "store/ReportStore.h"
#include "store/StoreChanges.h"
#include "store/sqlite/SqlDialect.h"
#include "store/sqlite/Sqlite.h"
#include "PgSupport.h"
#include "TestEngine.h"
#include "TestSupport.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>

using namespace ed;
using namespace edtest;

Q_DECLARE_METATYPE(ed::StoreChangeKinds)

namespace {

// Generous: CI's two cores are shared by every test running at once.
constexpr int kHeardWithinMs = 10000;

StoreChanges::Options fastOptions()
{
    StoreChanges::Options o;
    o.pollMs = 200;
    o.coalesceMs = 150;
    o.retryMs = 200;
    o.retryMaxMs = 800;
    return o;
}

QByteArray record(const QString &id, const char *type)
{
    return errorRecordLine(id, QLatin1String(type), 1793613600000); // 2026-11-02T10:00Z
}

StoreChangeKinds kindsOf(const QSignalSpy &spy, qsizetype i) { return spy.at(i).at(0).value<StoreChangeKinds>(); }

// The union of every changed() the spy caught.
StoreChangeKinds allCaught(const QSignalSpy &spy)
{
    StoreChangeKinds k;
    for (qsizetype i = 0; i < spy.size(); ++i)
        k |= kindsOf(spy, i);
    return k;
}

// Waits until the spy caught a changed() that has `kind`.
bool heard(QSignalSpy &spy, StoreChange kind, int timeoutMs = kHeardWithinMs)
{
    QElapsedTimer t;
    t.start();
    while (!allCaught(spy).testFlag(kind)) {
        if (t.elapsed() > timeoutMs || !spy.wait(int(timeoutMs - t.elapsed()) + 1))
            return allCaught(spy).testFlag(kind);
    }
    return true;
}

} // namespace

class TestStoreChanges : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString writeBatch(const QByteArray &lines)
    {
        const QString file = m_dir.filePath(QStringLiteral("batch%1.jsonl").arg(++m_files));
        writeFile(file, lines);
        return file;
    }
    // A database with its schema; its location.
    QString newDatabase(std::unique_ptr<Database> &db)
    {
        const QString where = testDatabaseLocation(m_dir, QStringLiteral("changes%1.sqlite3").arg(++m_files));
        auto opened = Database::open(where);
        if (!opened)
            qFatal("%s: %s", qPrintable(where), qPrintable(opened.error()));
        db = std::make_unique<Database>(std::move(*opened));
        return where;
    }
    // A started feed, once it watches (a warning when it never does: the waits that follow fail then).
    std::unique_ptr<StoreChanges> watchingFeed(const QString &where, StoreChanges::Options options = fastOptions())
    {
        auto feed = std::make_unique<StoreChanges>(where, options);
        QSignalSpy watching(feed.get(), &StoreChanges::watching);
        feed->start();
        if (!watching.wait(kHeardWithinMs))
            qWarning("the feed on %s never watched", qPrintable(where));
        return feed;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qRegisterMetaType<ed::StoreChangeKinds>();
    }

    // Another process: errordeck-cli import, as a second importer would.
    void importByAnotherProcess()
    {
        std::unique_ptr<Database> db;
        const QString where = newDatabase(db);
        auto feed = watchingFeed(where);
        QVERIFY(feed->isWatching());
        QSignalSpy changed(feed.get(), &StoreChanges::changed);
        const QString file = writeBatch(record(QStringLiteral("a1"), "KeyError") + record(QStringLiteral("a2"), "ValueError"));
        QProcess cli;
        cli.start(QStringLiteral(ERRORDECK_CLI), {QStringLiteral("--db"), where, QStringLiteral("import"), file});
        QVERIFY(cli.waitForFinished(60000));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
        QVERIFY2(heard(changed, StoreChange::Reports), qPrintable(engineName()));
        QVERIFY(allCaught(changed).testFlag(StoreChange::Issues)); // the new issues' counts
    }

    // Another connection of this process (the app's writer beside its feed).
    void importByAnotherConnection()
    {
        std::unique_ptr<Database> db;
        const QString where = newDatabase(db);
        auto feed = watchingFeed(where);
        QSignalSpy changed(feed.get(), &StoreChanges::changed);
        const ImportSummary s = importPlain(*db, {writeBatch(record(QStringLiteral("b1"), "KeyError"))});
        QCOMPARE(s.stored, 1);
        QVERIFY(heard(changed, StoreChange::Reports));
    }

    // A triage elsewhere is an issue's change, not new reports (PostgreSQL
    // says exactly that; SQLite tells only new reports from the rest).
    void triageIsAnIssueChange()
    {
        std::unique_ptr<Database> db;
        const QString where = newDatabase(db);
        QCOMPARE(importPlain(*db, {writeBatch(record(QStringLiteral("c1"), "KeyError"))}).stored, 1);
        auto feed = watchingFeed(where);
        QSignalSpy changed(feed.get(), &StoreChanges::changed);
        auto issues = ReportStore(*db).listIssues(SearchQuery{}, 10);
        QVERIFY(issues && issues->size() == 1);
        QVERIFY(IssueTriage(*db).resolve({issues->front().id}).ok());
        QVERIFY(heard(changed, StoreChange::Issues));
        if (onPostgres())
            QCOMPARE(allCaught(changed), StoreChangeKinds(StoreChange::Issues));
        // The app's status menu takes another path to the same column.
        changed.clear();
        const auto reopened = ReportStore(*db).setIssueStatus(issues->front().id, IssueStatus::Unresolved);
        QVERIFY2(reopened.ok(), qPrintable(reopened.ok() ? QString() : reopened.error()));
        QVERIFY(heard(changed, StoreChange::Issues));
    }

    void settingIsASettingsChange()
    {
        std::unique_ptr<Database> db;
        const QString where = newDatabase(db);
        auto feed = watchingFeed(where);
        QSignalSpy changed(feed.get(), &StoreChanges::changed);
        Config config(*db);
        QVERIFY(config.set(ConfigKey::TimeZone, QStringLiteral("UTC")).ok());
        QVERIFY(heard(changed, StoreChange::Settings));
        if (onPostgres())
            QCOMPARE(allCaught(changed), StoreChangeKinds(StoreChange::Settings));
    }

    // A server whose password only the process's provider knows (the app's
    // keychain or dialog, Database::setServerPasswordProvider): the feed's own
    // connection gets it too, as every Database::open does.
    void feedAsksTheProcessForAPassword()
    {
        if (!onPostgres())
            QSKIP("a server's password: the PostgreSQL run has this case");
        std::unique_ptr<Database> db;
        const QString where = newDatabase(db);
        const QByteArray kept = qgetenv("PGPASSWORD");
        qunsetenv("PGPASSWORD");
        const auto restore = qScopeGuard([&] {
            Database::setServerPasswordProvider({});
            qputenv("PGPASSWORD", kept);
        });
        int asked = 0;
        Database::setServerPasswordProvider([&asked](const QString &) -> std::optional<QString> {
            ++asked;
            return QString::fromLatin1(PgCluster::kPassword);
        });
        StoreChanges feed(where, fastOptions());
        QSignalSpy watching(&feed, &StoreChanges::watching);
        QSignalSpy lost(&feed, &StoreChanges::lost);
        feed.start();
        QVERIFY2(watching.wait(kHeardWithinMs), lost.isEmpty() ? "" : qPrintable(lost.at(0).at(0).toString()));
        QCOMPARE(lost.size(), 0);
        QVERIFY(asked >= 1);
    }

    // Reading is no change, nor is a write that rolled back (NOTIFY is
    // delivered at commit only; SQLite's data_version moves at commit only).
    void quietWithoutACommit()
    {
        std::unique_ptr<Database> db;
        const QString where = newDatabase(db);
        QCOMPARE(importPlain(*db, {writeBatch(record(QStringLiteral("d1"), "KeyError"))}).stored, 1);
        auto feed = watchingFeed(where);
        QSignalSpy changed(feed.get(), &StoreChanges::changed);
        QSignalSpy lost(feed.get(), &StoreChanges::lost);
        QVERIFY(ReportStore(*db).listIssues(SearchQuery{}, 10).ok());
        {
            Connection &c = connectionOf(*db);
            Transaction tx(c);
            QVERIFY(tx.active());
            QVERIFY(c.exec("UPDATE issues SET status = 1").ok());
            QVERIFY(announceChange(c, StoreChange::Issues).ok());
        } // rolled back
        QVERIFY(!changed.wait(2000));
        QCOMPARE(changed.size(), 0);
        QCOMPARE(lost.size(), 0);
    }

    // A batch that stored nothing sends no notice (PostgreSQL): the same
    // records imported again (from the same file, and from a copy of it under
    // another name) are duplicates, and no app re-reads its lists for them.
    void reimportIsQuiet()
    {
        std::unique_ptr<Database> db;
        const QString where = newDatabase(db);
        const QByteArray lines = record(QStringLiteral("r1"), "KeyError") + record(QStringLiteral("r2"), "ValueError");
        const QString file = writeBatch(lines);
        QCOMPARE(importPlain(*db, {file}).stored, 2);
        auto feed = watchingFeed(where);
        QSignalSpy changed(feed.get(), &StoreChanges::changed);
        const ImportSummary again = importPlain(*db, {file});
        QCOMPARE(again.stored, 0);
        const ImportSummary copy = importPlain(*db, {writeBatch(lines)});
        QCOMPARE(copy.stored, 0);
        QCOMPARE(copy.duplicates, 2);
        // SQLite's feed hears every commit (data_version), and an import commits
        // its files' progress even when every record was a duplicate: it cannot
        // be quiet there (an unknown change is every kind). PostgreSQL's hears
        // only what writers NOTIFY.
        if (onPostgres()) {
            (void)changed.wait(2000);
            QVERIFY2(!allCaught(changed).testFlag(StoreChange::Reports) && !allCaught(changed).testFlag(StoreChange::Issues),
                     qPrintable(QString::number(int(allCaught(changed)), 16)));
        }
        // A new record after them is heard as before.
        QCOMPARE(importPlain(*db, {writeBatch(record(QStringLiteral("r3"), "KeyError"))}).stored, 1);
        QVERIFY(heard(changed, StoreChange::Reports));
    }

    // Many commits in a moment: one signal or two, not one each.
    void burstIsCoalesced()
    {
        std::unique_ptr<Database> db;
        const QString where = newDatabase(db);
        StoreChanges::Options options = fastOptions();
        options.coalesceMs = 1000; // the app's is 300; a wide one keeps a slow machine's burst in one or two
        auto feed = watchingFeed(where, options);
        QSignalSpy changed(feed.get(), &StoreChanges::changed);
        Config config(*db);
        for (int i = 0; i < 20; ++i)
            QVERIFY(config.set(ConfigKey::TimeZone, i % 2 ? QStringLiteral("UTC") : QStringLiteral("local")).ok());
        QVERIFY(heard(changed, StoreChange::Settings));
        (void)changed.wait(1500); // a second one, if the burst straddled the interval
        QVERIFY2(changed.size() <= 2, qPrintable(QString::number(changed.size())));
    }

    // The connection goes and comes back: PostgreSQL restarts; an SQLite file
    // that is not there yet is created. lost() names the problem, watching()
    // follows when it is back, with every kind (what came between is unknown),
    // and a write after that is heard as before.
    void comesBackAfterALoss()
    {
        std::unique_ptr<Database> db;
        QString where;
        if (onPostgres())
            where = newDatabase(db);
        else
            where = m_dir.filePath(QStringLiteral("later.sqlite3"));
        StoreChanges feed(where, fastOptions());
        QSignalSpy watching(&feed, &StoreChanges::watching);
        QSignalSpy lost(&feed, &StoreChanges::lost);
        QSignalSpy changed(&feed, &StoreChanges::changed);
        feed.start();
        if (onPostgres()) {
            QVERIFY(watching.wait(kHeardWithinMs));
            watching.clear();
            db.reset(); // its connection would be gone too
            const QString restarted = testCluster()->restart();
            QVERIFY2(restarted.isEmpty(), qPrintable(restarted));
            QVERIFY(lost.size() > 0 || lost.wait(kHeardWithinMs));
            QVERIFY2(lost.at(0).at(0).toString().contains(QStringLiteral("PostgreSQL")), qPrintable(lost.at(0).at(0).toString()));
            auto reopened = Database::open(where);
            QVERIFY2(reopened.ok(), qPrintable(reopened.ok() ? QString() : reopened.error()));
            db = std::make_unique<Database>(std::move(*reopened));
        } else {
            QVERIFY(lost.wait(kHeardWithinMs));
            QVERIFY2(lost.at(0).at(0).toString().contains(where), qPrintable(lost.at(0).at(0).toString()));
            QVERIFY(!feed.isWatching());
            auto created = Database::open(where);
            QVERIFY(created.ok());
            db = std::make_unique<Database>(std::move(*created));
        }
        QVERIFY(watching.size() > 0 || watching.wait(kHeardWithinMs));
        QVERIFY(feed.isWatching());
        QVERIFY(heard(changed, StoreChange::Settings)); // every kind: it cannot know what it missed
        QCOMPARE(allCaught(changed), allStoreChanges());
        changed.clear();
        QCOMPARE(importPlain(*db, {writeBatch(record(QStringLiteral("e1"), "KeyError"))}).stored, 1);
        QVERIFY(heard(changed, StoreChange::Reports));
    }
};

QTEST_GUILESS_MAIN(TestStoreChanges)
#include "tst_store_changes.moc"
