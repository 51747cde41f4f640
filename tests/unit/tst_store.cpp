// The database: creation, refusal of what is not ours, migrations (file cases:
// SQLite only), reads, searches and sorts on both engines (tst_store.pg).
#include "store/AlertStore.h"
#include "store/Database.h"
#include "store/sqlite/Sqlite.h"
#include "store/MailboxStore.h"
#include "store/ReportStore.h"
#include "store/SavedSearchStore.h"
#include "store/SearchValues.h"
#include "store/SiteStore.h"
#include "store/sqlite/Schema.h"
#include "TestEngine.h"
#include "TestSupport.h"
#include "store/sqlite/Schema.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QRegularExpression>
#include <functional>

using namespace ed;
using namespace edtest;

// The cases about the file itself (its header, WAL mode, PRAGMA user_version,
// the migration scripts and the .bak copy beside the file) have no server
// counterpart; the SQLite run, which CI takes too, still runs them. The
// server's schema version and refusals are tst_pg_connection's.
#define SQLITE_FILE_ONLY "the file's header, journal mode, user_version and migration copies"

class TestStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void createsNewDatabase()
    {
        if (onPostgres())
            QSKIP("SQLite file only: " SQLITE_FILE_ONLY);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("sub/folder/new.sqlite3"));
        auto db = Database::open(path);
        QVERIFY2(db, qPrintable(db ? QString() : db.error()));
        QCOMPARE(*connectionOf(*db).scalar("PRAGMA user_version"), int64_t(Database::currentSchemaVersion()));
        QCOMPARE(*connectionOf(*db).scalar("PRAGMA application_id"), int64_t(Database::kApplicationId));
        auto mode = connectionOf(*db).prepare("PRAGMA journal_mode");
        QVERIFY(mode.step());
        QCOMPARE(mode.qtext(0), QStringLiteral("wal"));
    }

    void refusesTextFile()
    {
        if (onPostgres())
            QSKIP("SQLite file only: " SQLITE_FILE_ONLY);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("notes.txt"));
        writeFile(path, "these are my notes, not a database\n");
        auto db = Database::open(path);
        QVERIFY(!db);
        QVERIFY2(db.error().contains(QStringLiteral("not an ErrorDeck database")), qPrintable(db.error()));
        QVERIFY(db.error().contains(path));
        QCOMPARE(readFile(path), QByteArray("these are my notes, not a database\n"));
    }

    void refusesOtherSqliteDatabase()
    {
        if (onPostgres())
            QSKIP("SQLite file only: " SQLITE_FILE_ONLY);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("other.sqlite3"));
        {
            Connection c;
            QVERIFY(c.open(path, true));
            QVERIFY(c.exec("CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers(name) VALUES('x')"));
        }
        const QByteArray before = readFile(path);
        auto db = Database::open(path);
        QVERIFY(!db);
        QVERIFY2(db.error().contains(QStringLiteral("not an ErrorDeck database")), qPrintable(db.error()));
        QCOMPARE(readFile(path), before);
    }

    void refusesNewerSchema()
    {
        if (onPostgres())
            QSKIP("SQLite file only: " SQLITE_FILE_ONLY);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("future.sqlite3"));
        {
            auto db = Database::open(path);
            QVERIFY(db);
            QVERIFY(connectionOf(*db).exec("PRAGMA user_version=" + std::to_string(Database::currentSchemaVersion() + 5)));
        }
        const QByteArray before = readFile(path);
        auto db = Database::open(path);
        QVERIFY(!db);
        QVERIFY2(db.error().contains(QStringLiteral("newer ErrorDeck")), qPrintable(db.error()));
        QCOMPARE(readFile(path), before);
    }

    void refusesCorruptFile()
    {
        if (onPostgres())
            QSKIP("SQLite file only: " SQLITE_FILE_ONLY);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("corrupt.sqlite3"));
        {
            auto db = Database::open(path);
            QVERIFY(db);
            auto s = importPlain(*db, {corpus(QStringLiteral("records.jsonl"))});
            QCOMPARE(s.stored, int64_t(98));
            QVERIFY(connectionOf(*db).exec("PRAGMA wal_checkpoint(TRUNCATE)"));
        }
        // Keep the header, smash the schema page.
        QByteArray bytes = readFile(path);
        for (int i = 100; i < 4096; ++i)
            bytes[i] = char(0xA5);
        writeFile(path, bytes);
        auto db = Database::open(path);
        QVERIFY(!db);
        QVERIFY2(db.error().contains(path), qPrintable(db.error()));
        QCOMPARE(readFile(path), bytes);
    }

    // A database created at every earlier schema (by today's migration steps)
    // opens, migrates and then stores and reads reports. Real files written by
    // the old builds, with their reports, are tst_migrations'; today's writer
    // cannot write an old schema (its columns are today's).
    void migratesFromEveryOlderVersion()
    {
        if (onPostgres())
            QSKIP("SQLite file only: " SQLITE_FILE_ONLY);
        for (int v = 1; v < Database::currentSchemaVersion(); ++v) {
            QTemporaryDir dir;
            const QString path = dir.filePath(QStringLiteral("old.sqlite3"));
            {
                auto old = Database::createAtVersion(path, v);
                QVERIFY2(old, qPrintable(old ? QString() : old.error()));
                QCOMPARE(*connectionOf(*old).scalar("PRAGMA user_version"), int64_t(v));
                QVERIFY(connectionOf(*old).exec("INSERT INTO issues(fingerprint, title, culprit, level, first_seen, last_seen)"
                                                " VALUES(x'00', 'kept', '', 40, 0, 0)"));
            }
            auto db = Database::open(path);
            QVERIFY2(db, qPrintable(db ? QString() : db.error()));
            QCOMPARE(*connectionOf(*db).scalar("PRAGMA user_version"), int64_t(Database::currentSchemaVersion()));
            QCOMPARE(*connectionOf(*db).scalar("SELECT count(*) FROM issues WHERE title = 'kept'"), int64_t(1));
            auto s = importPlain(*db, {corpus(QStringLiteral("records.jsonl"))});
            QCOMPARE(s.stored, int64_t(98));
            ReportStore store(*db);
            QCOMPARE(*store.countReports(SearchQuery{}), int64_t(98));
            auto d = store.loadReport(1);
            QVERIFY(d);
            QVERIFY(d->record.value(QStringLiteral("settings")).toObject().contains(QStringLiteral("DEBUG")));
            // The old file was kept beside it before migrating.
            QVERIFY(QFileInfo::exists(path + QStringLiteral(".schema%1.bak").arg(v)));
            // The new tables work.
            QVERIFY(connectionOf(*db).exec("INSERT INTO config(name, value) VALUES('APPEND_SLASH', 'true')"));
        }
    }

    void readsReportBackWhole()
    {
        QTemporaryDir dir;
        auto db = openTestDatabase(dir, QStringLiteral("r.sqlite3"));
        QVERIFY(db);
        QCOMPARE(importPlain(*db, {corpus(QStringLiteral("records.jsonl"))}).stored, int64_t(98));
        ReportStore store(*db);
        const QList<QJsonObject> records = corpusRecords();
        // Every record comes back equal to what was imported (no scrubbing in this test).
        for (const QJsonObject &rec : records) {
            auto id = store.findByEventId(rec.value(QStringLiteral("event_id")).toString());
            QVERIFY(id);
            auto d = store.loadReport(*id);
            QVERIFY2(d, qPrintable(d ? QString() : d.error()));
            QCOMPARE(d->record, rec);
        }
    }

    void queriesFilter()
    {
        QTemporaryDir dir;
        auto db = openTestDatabase(dir, QStringLiteral("q.sqlite3"));
        QVERIFY(db);
        QCOMPARE(importPlain(*db, {corpus(QStringLiteral("records.jsonl"))}).stored, int64_t(98));
        ReportStore store(*db);
        const QList<QJsonObject> records = corpusRecords();
        auto count = [&](const QString &q) {
            SearchQuery sq;
            sq.text = q;
            auto n = store.countReports(sq);
            return n ? qint64(*n) : qint64(-1);
        };
        auto expect = [&](auto pred) {
            qint64 n = 0;
            for (const QJsonObject &r : records)
                n += pred(r) ? 1 : 0;
            return n;
        };
        QCOMPARE(count(QStringLiteral("status:404")),
                 expect([](const QJsonObject &r) { return r.value(QStringLiteral("status_code")).toInt() == 404; }));
        QCOMPARE(count(QStringLiteral("status:4xx")),
                 expect([](const QJsonObject &r) { return r.value(QStringLiteral("status_code")).toInt() / 100 == 4; }));
        QCOMPARE(count(QStringLiteral("level:error")),
                 expect([](const QJsonObject &r) { return r.value(QStringLiteral("level")) == QStringLiteral("ERROR"); }));
        QCOMPARE(count(QStringLiteral("level:>=warning")), qint64(98));
        QCOMPARE(count(QStringLiteral("logger:django.security")), expect([](const QJsonObject &r) {
                     return r.value(QStringLiteral("logger")).toString().startsWith(QStringLiteral("django.security."));
                 }));
        QCOMPARE(count(QStringLiteral("logger:django")), expect([](const QJsonObject &r) {
                     return r.value(QStringLiteral("logger")).toString().startsWith(QStringLiteral("django."));
                 }));
        QCOMPARE(count(QStringLiteral("type:KeyError")), expect([](const QJsonObject &r) {
                     return r.value(QStringLiteral("exception")).toObject().value(QStringLiteral("type")) ==
                            QStringLiteral("KeyError");
                 }));
        QCOMPARE(count(QStringLiteral("-type:KeyError")), 98 - count(QStringLiteral("type:KeyError")));
        QCOMPARE(count(QStringLiteral("path:/products/*")), expect([](const QJsonObject &r) {
                     return r.value(QStringLiteral("request"))
                         .toObject()
                         .value(QStringLiteral("path"))
                         .toString()
                         .startsWith(QStringLiteral("/products/"));
                 }));
        // Full text: a word of the exception value, a frame's function name.
        QCOMPARE(count(QStringLiteral("gateway")), expect([](const QJsonObject &r) {
                     return r.value(QStringLiteral("exception"))
                         .toObject()
                         .value(QStringLiteral("value"))
                         .toString()
                         .contains(QStringLiteral("gateway"));
                 }));
        QVERIFY(count(QStringLiteral("_helper_lookup")) > 0);
        QCOMPARE(count(QStringLiteral("_helper_lookup")), count(QStringLiteral("type:KeyError")));
        QCOMPARE(count(QStringLiteral("is:unresolved")), qint64(98));
        SearchQuery bad;
        bad.text = QStringLiteral("level:loud");
        QVERIFY(!store.countReports(bad));
        QVERIFY(store.countReports(bad).error().contains(QStringLiteral("loud")));
    }

    void issueStatusAndRegression()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("one.jsonl"));
        auto db = openTestDatabase(dir, QStringLiteral("s.sqlite3"));
        QVERIFY(db);
        auto line = [](const char *id, const char *ts) {
            return QByteArray("{\"event_id\":\"") + id + "\",\"timestamp\":\"" + ts +
                   "\",\"level\":\"ERROR\",\"logger\":\"shop\",\"message\":\"m\",\"exception\":{\"type\":\"KeyError\","
                   "\"value\":\"'x'\",\"frames\":[{\"filename\":\"/srv/a.py\",\"module\":\"shop.a\",\"function\":\"f\","
                   "\"lineno\":1,\"in_app\":true}]}}\n";
        };
        writeFile(file, line("a1", "2026-11-01T00:00:00Z"));
        QCOMPARE(importPlain(*db, {file}).stored, int64_t(1));
        ReportStore store(*db);
        auto issues = store.listIssues(SearchQuery{}, 10);
        QCOMPARE(issues->size(), size_t(1));
        const int64_t issueId = issues->front().id;
        QVERIFY(store.setIssueStatus(issueId, IssueStatus::Resolved));
        QCOMPARE(store.loadIssue(issueId)->status, IssueStatus::Resolved);
        // A report from before the resolution does not reopen it...
        writeFile(file, line("a2", "2026-11-02T00:00:00Z"));
        QCOMPARE(importPlain(*db, {file}).regressions, int64_t(0));
        QCOMPARE(store.loadIssue(issueId)->status, IssueStatus::Resolved);
        // ...one from after it does, as a regression.
        writeFile(file, line("a3", "2099-01-01T00:00:00Z"));
        auto s = importPlain(*db, {file});
        QCOMPARE(s.regressions, int64_t(1));
        auto reopened = store.loadIssue(issueId);
        QCOMPARE(reopened->status, IssueStatus::Unresolved);
        QVERIFY(reopened->regression);
        QCOMPARE(reopened->count, int64_t(3));
        // Ignored stays ignored.
        QVERIFY(store.setIssueStatus(issueId, IssueStatus::Ignored));
        writeFile(file, line("a4", "2099-01-02T00:00:00Z"));
        QCOMPARE(importPlain(*db, {file}).stored, int64_t(1));
        QCOMPARE(store.loadIssue(issueId)->status, IssueStatus::Ignored);
    }

    void deleteKeepsCountsRight()
    {
        QTemporaryDir dir;
        auto db = openTestDatabase(dir, QStringLiteral("d.sqlite3"));
        QVERIFY(db);
        QCOMPARE(importPlain(*db, {corpus(QStringLiteral("records.jsonl"))}).stored, int64_t(98));
        ReportStore store(*db);
        SearchQuery q;
        q.text = QStringLiteral("type:ZeroDivisionError");
        auto rows = store.listReports(q, 100);
        QVERIFY(rows && rows->size() >= 2);
        const int64_t issue = rows->front().issueId;
        const int64_t before = store.loadIssue(issue)->count;
        QCOMPARE(*store.deleteReports({rows->at(0).id, rows->at(1).id}), int64_t(2));
        QCOMPARE(store.loadIssue(issue)->count, before - 2);
        QVERIFY(!store.loadReport(rows->at(0).id));
        auto ftsCount = connectionOf(*db).scalar("SELECT count(*) FROM reports_fts");
        QCOMPARE(*ftsCount, int64_t(96));
    }

    // Sorted by a column, ties come by time then id (the order of the column's
    // index, so the first rows need no sort of everything): checked here on the
    // rows themselves, and paging by keyset gives the same rows as one query.
    void sortedPagesFollowTheIndexOrder()
    {
        QTemporaryDir dir;
        auto db = openTestDatabase(dir, QStringLiteral("s.sqlite3"));
        QVERIFY(db);
        QCOMPARE(importPlain(*db, {corpus(QStringLiteral("records.jsonl"))}).stored, int64_t(98));
        ReportStore store(*db);
        using Value = std::function<QVariant(const ReportRow &)>;
        const std::vector<std::pair<ReportSort, Value>> sorts = {
            {ReportSort::Level, [](const ReportRow &r) { return QVariant(qint64(r.level)); }},
            {ReportSort::Issue, [](const ReportRow &r) { return QVariant(qint64(r.issueId)); }},
            {ReportSort::Message, [](const ReportRow &r) { return QVariant(r.message.toUtf8()); }}, // SQLite compares UTF-8 bytes
            {ReportSort::Timestamp, [](const ReportRow &r) { return QVariant(qint64(r.timestamp)); }},
        };
        for (const auto &[sortBy, value] : sorts) {
            const ReportSort sort = sortBy; // a variable, not a binding: lambdas capture it (clang 14)
            for (bool desc : {true, false}) {
                auto all = store.listReports(SearchQuery{}, 1000, 0, sort, desc);
                QVERIFY(all && all->size() == 98);
                int ties = 0;
                for (size_t i = 1; i < all->size(); ++i) {
                    const ReportRow &a = (*all)[i - 1], &b = (*all)[i];
                    const int c = QVariant::compare(value(a), value(b)) == QPartialOrdering::Less      ? -1
                                  : QVariant::compare(value(a), value(b)) == QPartialOrdering::Greater ? 1
                                                                                                       : 0;
                    const auto key = [&](const ReportRow &r) {
                        return std::pair(sort == ReportSort::Timestamp ? 0 : r.timestamp, r.id);
                    };
                    QVERIFY2(desc ? (c > 0 || (c == 0 && key(a) > key(b))) : (c < 0 || (c == 0 && key(a) < key(b))),
                             qPrintable(QStringLiteral("rows %1 and %2 out of order").arg(a.id).arg(b.id)));
                    ties += c == 0 ? 1 : 0;
                }
                QVERIFY(ties > 0 || sort == ReportSort::Timestamp);
                std::vector<int64_t> paged;
                std::optional<ReportKey> after;
                for (;;) {
                    auto page = store.listReports(SearchQuery{}, 7, 0, sort, desc, after);
                    QVERIFY(page);
                    if (page->empty())
                        break;
                    for (const ReportRow &r : *page)
                        paged.push_back(r.id);
                    QVERIFY2(paged.size() <= all->size(), "the pages do not end"); // a wrong key repeats a page
                    after = ReportKey{value(page->back()), page->back().id, page->back().timestamp};
                }
                std::vector<int64_t> one;
                for (const ReportRow &r : *all)
                    one.push_back(r.id);
                QCOMPARE(paged, one);
            }
        }
    }

    // A report with no logger, status, path or type sorts first ascending and
    // last descending, as SQLite orders NULLs, on both engines (PostgreSQL's
    // own order is the reverse; ReportStore says NULLS on the sort column only).
    void missingValuesSortFirstAscending()
    {
        QTemporaryDir dir;
        auto db = openTestDatabase(dir, QStringLiteral("n.sqlite3"));
        QVERIFY(db);
        QCOMPARE(importPlain(*db, {corpus(QStringLiteral("records.jsonl"))}).stored, int64_t(98));
        ReportStore store(*db);
        using Missing = std::function<bool(const ReportRow &)>;
        const std::vector<std::pair<ReportSort, Missing>> sorts = {
            {ReportSort::Logger, [](const ReportRow &r) { return r.logger.isNull(); }},
            {ReportSort::Status, [](const ReportRow &r) { return !r.statusCode.has_value(); }},
            {ReportSort::Path, [](const ReportRow &r) { return r.path.isNull(); }},
            {ReportSort::Type, [](const ReportRow &r) { return r.exceptionType.isNull(); }},
        };
        for (const auto &[sort, missing] : sorts) {
            for (bool desc : {false, true}) {
                auto all = store.listReports(SearchQuery{}, 1000, 0, sort, desc);
                QVERIFY(all && all->size() == 98);
                const auto n = std::count_if(all->begin(), all->end(), missing);
                if (sort != ReportSort::Logger) // every corpus report has a logger
                    QVERIFY2(n > 0 && n < 98, "the corpus has reports with and without the value");
                // The missing ones are one run, at the start ascending, at the end descending.
                const auto first = desc ? all->end() - n : all->begin();
                QVERIFY2(std::all_of(first, first + n, missing),
                         qPrintable(QStringLiteral("sort %1 %2: the reports without a value are not %3")
                                        .arg(int(sort))
                                        .arg(desc ? "desc" : "asc", desc ? "last" : "first")));
            }
        }
    }

    // The breakdowns of `stats`: by count, ties by name (either engine would
    // otherwise give them in any order), and the size the store takes.
    void statsBreakTiesByName()
    {
        QTemporaryDir dir;
        auto db = openTestDatabase(dir, QStringLiteral("st.sqlite3"));
        QByteArray lines;
        int n = 0;
        // Loggers z.a and a.z twice each, m.m once; status 503 and 404 twice each, 500 once.
        for (const auto &[logger, status] :
             {std::pair("z.a", 503), std::pair("a.z", 404), std::pair("z.a", 503), std::pair("m.m", 500), std::pair("a.z", 404)})
            lines += QStringLiteral(R"({"event_id":"s%1","timestamp":"2026-11-01T00:00:0%1Z","level":"ERROR","logger":"%2",)"
                                    R"("message":"m","status_code":%3})")
                         .arg(++n)
                         .arg(QLatin1String(logger))
                         .arg(status)
                         .toUtf8() +
                     '\n';
        const QString file = dir.filePath(QStringLiteral("s.jsonl"));
        writeFile(file, lines);
        QCOMPARE(importPlain(*db, {file}).stored, int64_t(5));
        auto s = ReportStore(*db).stats();
        QVERIFY2(s, qPrintable(s ? QString() : s.error()));
        QCOMPARE(s->reports, int64_t(5));
        using Named = std::vector<std::pair<QString, int64_t>>;
        QCOMPARE(Named(s->byLogger.begin(), s->byLogger.end()),
                 (Named{{QStringLiteral("a.z"), 2}, {QStringLiteral("z.a"), 2}, {QStringLiteral("m.m"), 1}}));
        using Numbered = std::vector<std::pair<int, int64_t>>;
        QCOMPARE(Numbered(s->byStatus.begin(), s->byStatus.end()), (Numbered{{404, 2}, {503, 2}, {500, 1}}));
        QVERIFY2(s->fileBytes > 0, qPrintable(QString::number(s->fileBytes)));
        // The values the search box offers: each stored value once, in order.
        auto values = loadSearchValues(*db);
        QVERIFY2(values, qPrintable(values ? QString() : values.error()));
        QCOMPARE(values->value(QStringLiteral("logger")),
                 (QStringList{QStringLiteral("a.z"), QStringLiteral("m.m"), QStringLiteral("z.a")}));
        QCOMPARE(values->value(QStringLiteral("status")),
                 (QStringList{QStringLiteral("404"), QStringLiteral("500"), QStringLiteral("503")}));
    }

    // Saved searches by name in any case, one per name; IMAP positions with
    // the full 32 bits of a UIDVALIDITY, replaced in place.
    void savedSearchesAndMailboxPositions()
    {
        QTemporaryDir dir;
        auto db = openTestDatabase(dir, QStringLiteral("ss.sqlite3"));
        SavedSearchStore searches(*db);
        for (const auto &[name, query] : {std::pair("b", "level:error"), std::pair("A", "is:unresolved"),
                                          std::pair("C", "status:5xx"), std::pair("b", "level:warning")})
            QVERIFY(searches.save(QLatin1String(name), QLatin1String(query)));
        auto listed = searches.list();
        QVERIFY2(listed, qPrintable(listed ? QString() : listed.error()));
        QStringList got;
        for (const SavedSearch &s : *listed)
            got << s.name + QLatin1Char('=') + s.query;
        QCOMPARE(got, (QStringList{QStringLiteral("A=is:unresolved"), QStringLiteral("b=level:warning"),
                                   QStringLiteral("C=status:5xx")}));
        QVERIFY(searches.remove(listed->front().id));
        QCOMPARE(searches.list()->size(), size_t(2));

        MailboxStore boxes(*db);
        const QString url = QStringLiteral("imaps://errors@mail.example.com:993/INBOX");
        QVERIFY(boxes.put({url, 4'000'000'000u, 17}));
        QVERIFY(boxes.put({url, 4'000'000'000u, 4'100'000'000u}));
        auto found = boxes.find(url);
        QVERIFY2(found && *found, qPrintable(found ? QString() : found.error()));
        QCOMPARE((*found)->uidValidity, 4'000'000'000u);
        QCOMPARE((*found)->lastUid, 4'100'000'000u);
        QCOMPARE(boxes.all()->size(), size_t(1));
        QVERIFY(!*boxes.find(QStringLiteral("imaps://other@mail.example.com:993/INBOX")));
    }

    // A rule's throttle of one issue: one row however often it is mailed (the
    // upsert names its key, which PostgreSQL requires), held back mails add
    // up, and the next mail starts them from zero.
    void alertThrottlePerRuleAndIssue()
    {
        QTemporaryDir dir;
        auto db = openTestDatabase(dir, QStringLiteral("a.sqlite3"));
        AlertStore alerts(*db);
        AlertRule rule;
        rule.name = QStringLiteral("new issues");
        rule.recipients = {QStringLiteral("ADMINS")};
        auto id = alerts.addRule(rule);
        QVERIFY2(id, qPrintable(id ? QString() : id.error()));
        QVERIFY(alerts.markMailed(*id, 7, 1000));
        QVERIFY(alerts.holdBack(*id, 7, 2));
        QCOMPARE(alerts.throttle(*id, 7)->value().heldBack, int64_t(2));
        auto again = alerts.markMailed(*id, 7, 5000);
        QVERIFY2(again, qPrintable(again ? QString() : again.error()));
        const auto t = alerts.throttle(*id, 7);
        QVERIFY(t && *t);
        QCOMPARE((*t)->lastMailAt, int64_t(5000));
        QCOMPARE((*t)->heldBack, int64_t(0));
        QVERIFY(!*alerts.throttle(*id, 8));
        QCOMPARE(scalar(*db, "SELECT count(*) FROM alert_throttle"), int64_t(1));
    }

    // Two alert senders on one server: a due mail another sender is claiming
    // (its transaction open) is left to it, not claimed twice nor waited for.
    void aClaimedMailIsNotClaimedTwice()
    {
        if (!onPostgres()) // the server's row locks; on a file BEGIN IMMEDIATE lets one claimer in at a time
            QSKIP("PostgreSQL only: two claimers at once can only meet on a server");
        QTemporaryDir dir;
        auto db = openTestDatabase(dir, QStringLiteral("claims"));
        AlertStore alerts(*db);
        AlertRule rule;
        rule.name = QStringLiteral("new issues");
        rule.recipients = {QStringLiteral("ADMINS")};
        auto ruleId = alerts.addRule(rule);
        QVERIFY(ruleId);
        OutboxEntry e;
        e.ruleId = *ruleId;
        e.ruleName = rule.name;
        e.recipients = rule.recipients;
        e.reason = QStringLiteral("new issue");
        e.nextAttemptAt = e.createdAt = 100;
        auto first = alerts.enqueue(e), second = alerts.enqueue(e);
        QVERIFY(first && second);
        // This sender claims through a connection of its own whose lock_timeout
        // makes a claim that waited for the other sender fail, not hang the test.
        auto mine = Database::open(db->path() + QStringLiteral("?options=-c%20lock_timeout%3D3000"));
        QVERIFY2(mine, qPrintable(mine ? QString() : mine.error()));
        AlertStore claimer(*mine);
        Connection &sender = connectionOf(*db);
        QVERIFY(sender.exec("BEGIN"));
        QVERIFY(sender.exec("SELECT id FROM alert_outbox WHERE id = " + std::to_string(*first) + " FOR UPDATE"));
        const auto ids = [](const Result<std::vector<OutboxEntry>> &r) {
            std::vector<int64_t> out;
            for (const OutboxEntry &x : r ? *r : std::vector<OutboxEntry>())
                out.push_back(x.id);
            return out;
        };
        auto claimed = claimer.claimDue(1000, 10, 60'000);
        QVERIFY2(claimed, qPrintable(claimed ? QString() : claimed.error()));
        QCOMPARE(ids(claimed), std::vector<int64_t>{*second});
        QVERIFY(sender.exec("ROLLBACK")); // the other sender gave its claim up
        QCOMPARE(ids(claimer.claimDue(1000, 10, 60'000)), std::vector<int64_t>{*first});
    }

    // Sites (store/SiteStore.h): numbered in order, and their counts of
    // sessions and dropped events added up per kind and reason.
    void siteCountsAddUp()
    {
        QTemporaryDir dir;
        auto db = openTestDatabase(dir, QStringLiteral("sites.sqlite3"));
        SiteStore sites(*db);
        auto shop = sites.add(QStringLiteral("shop"));
        auto blog = sites.add(QStringLiteral("blog"));
        QVERIFY2(shop && blog, qPrintable(shop ? (blog ? QString() : blog.error()) : shop.error()));
        QCOMPARE(shop->number, int64_t(1));
        QCOMPARE(blog->number, int64_t(2));
        for (const auto &[kind, reason, n] : {std::tuple("session", "ok", 3), std::tuple("dropped", "ratelimit:error", 2),
                                              std::tuple("session", "ok", 4), std::tuple("session", "crashed", 1)})
            QVERIFY(sites.addCount(shop->number, QLatin1String(kind), QLatin1String(reason), n));
        QVERIFY(sites.addCount(blog->number, QStringLiteral("session"), QStringLiteral("ok"), 9));
        const auto counts = sites.counts(shop->number);
        QVERIFY2(counts, qPrintable(counts ? QString() : counts.error()));
        QStringList got;
        for (const SiteCount &c : *counts)
            got << QStringLiteral("%1 %2 %3").arg(c.kind, c.reason).arg(c.count);
        QCOMPARE(got, (QStringList{QStringLiteral("dropped ratelimit:error 2"), QStringLiteral("session crashed 1"),
                                   QStringLiteral("session ok 7")}));
    }

    // The store binds 64-bit integers, also where PostgreSQL would type a bind
    // integer from the literal beside it; where only a 32-bit integer fits (a
    // function's argument) the statement still runs, inside a transaction too.
    void bindsTakeSixtyFourBits()
    {
        QTemporaryDir dir;
        auto db = openTestDatabase(dir, QStringLiteral("b.sqlite3"));
        Connection &c = connectionOf(*db);
        const int64_t big = int64_t(1) << 40;
        const auto one = [&c](const char *sql, int64_t v) -> QString {
            Statement st = c.prepare(sql);
            st.bind(1, v);
            return st.step() ? st.qtext(0) : QStringLiteral("error: ") + st.error();
        };
        QCOMPARE(one("SELECT CASE WHEN ?1 < 0 THEN 0 ELSE ?1 END", big), QString::number(big));
        Transaction tx(c);
        QVERIFY(tx.active());
        QCOMPARE(one("SELECT substr('abcdef', 1, ?1)", 3), QStringLiteral("abc"));
        QCOMPARE(one("SELECT count(*) + ?1 FROM issues", big), QString::number(big)); // the transaction goes on
        QVERIFY(tx.commit());
    }

    // A missing row is NotFound; a database that fails says so with another kind.
    void missingRowsAreNotFound()
    {
        QTemporaryDir dir;
        auto db = openTestDatabase(dir, QStringLiteral("n.sqlite3"));
        QVERIFY(db);
        QCOMPARE(importPlain(*db, {corpus(QStringLiteral("records.jsonl"))}).stored, int64_t(98));
        ReportStore store(*db);
        const int64_t missing = 1000000;
        QCOMPARE(store.loadIssue(missing).errorKind(), ErrorKind::NotFound);
        QCOMPARE(store.loadReport(missing).errorKind(), ErrorKind::NotFound);
        QCOMPARE(store.latestReportOfIssue(missing).errorKind(), ErrorKind::NotFound);
        auto issues = store.listIssues(SearchQuery{}, 1);
        QVERIFY(issues && !issues->empty());
        QVERIFY(store.latestReportOfIssue(issues->front().id));

        QVERIFY(connectionOf(*db).exec("ALTER TABLE issues RENAME TO issues_gone"));
        QVERIFY(connectionOf(*db).exec("ALTER TABLE reports RENAME TO reports_gone"));
        // Each engine's own words for a missing table.
        const QRegularExpression noTable(QStringLiteral("no such table|relation \"\\w+\" does not exist"));
        for (const QString &err : {store.loadIssue(1).error(), store.loadReport(1).error()})
            QVERIFY2(noTable.match(err).hasMatch(), qPrintable(err));
        QVERIFY(store.loadIssue(1).errorKind() != ErrorKind::NotFound);
        QVERIFY(store.loadReport(1).errorKind() != ErrorKind::NotFound);
        QVERIFY(store.latestReportOfIssue(1).errorKind() != ErrorKind::NotFound);
        QVERIFY(!store.stats());
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
