// The search language, field by field and operator by operator, as the README
// documents it: each query against a small set of hand-written reports whose
// expected membership is written here.
#include "store/ReportStore.h"
#include "TestSupport.h"
#include "store/sqlite/Sqlite.h"

#include <QSet>

using namespace ed;
using namespace edtest;

namespace {

struct Rec {
    const char *id, *time, *level, *logger;
    int status; // 0: none
    const char *site, *path, *type, *message;
};

// e8 is the KeyError of e1 again, imported after its issue was resolved, and
// dated after that resolution (now): the issue regresses.
const Rec kRecords[] = {
    {"e1", "2026-11-01T10:00:00Z", "ERROR", "django.request", 500, "shop.example.com", "/api/items/", "KeyError",
     "Internal Server Error: /api/items/"},
    {"e2", "2026-11-05T08:00:00Z", "ERROR", "django.request", 502, "shop.example.com", "/checkout/pay/", "ConnectionError",
     "Internal Server Error: /checkout/pay/"},
    {"e3", "2026-11-10T12:00:00Z", "WARNING", "django.request", 404, "blog.example.org", "/wp-login.php", nullptr,
     "Not Found: /wp-login.php"},
    {"e4", "2026-11-12T00:00:00Z", "WARNING", "django.request", 400, "shop.example.com", "/webhooks/verify/", nullptr,
     "Bad Request: /webhooks/verify/"},
    {"e5", "2026-11-15T09:30:00Z", "CRITICAL", "django.security.DisallowedHost", 400, "shop.example.com", "/", nullptr,
     "Invalid HTTP_HOST header: 'evil.example.net'"},
    {"e6", "2026-11-18T00:00:00Z", "ERROR", "shop.payments", 0, nullptr, nullptr, "ValueError", "Could not parse refund amount"},
    {"e7", "2026-11-20T12:00:00Z", "INFO", "shop.paymentsx", 0, nullptr, nullptr, nullptr, "refund queued quickly"},
    {"e9", "2026-11-11T00:00:00Z", "WARNING", "django.request", 404, "shop.example.com", "/favicon.ico", nullptr,
     "Not Found: /favicon.ico"},
    {"e8", "2099-01-01T00:00:00Z", "ERROR", "django.request", 500, "shop.example.com", "/api/items/", "KeyError",
     "Internal Server Error: /api/items/"},
};

QByteArray line(const Rec &r)
{
    QJsonObject o{{QStringLiteral("event_id"), QString::fromLatin1(r.id)},
                  {QStringLiteral("timestamp"), QString::fromLatin1(r.time)},
                  {QStringLiteral("level"), QString::fromLatin1(r.level)},
                  {QStringLiteral("logger"), QString::fromLatin1(r.logger)},
                  {QStringLiteral("message"), QString::fromLatin1(r.message)}};
    if (r.status)
        o[QStringLiteral("status_code")] = r.status;
    if (r.site || r.path) {
        QJsonObject req;
        if (r.path) {
            req[QStringLiteral("path")] = QString::fromLatin1(r.path);
            req[QStringLiteral("method")] = QStringLiteral("GET");
        }
        if (r.site)
            req[QStringLiteral("host")] = QString::fromLatin1(r.site);
        o[QStringLiteral("request")] = req;
    }
    if (r.type)
        o[QStringLiteral("exception")] = QJsonObject{{QStringLiteral("type"), QString::fromLatin1(r.type)},
                                                     {QStringLiteral("value"), QStringLiteral("boom")},
                                                     {QStringLiteral("frames"), QJsonArray{}}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

class TestSearchLanguage : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    Database m_db;
    int64_t m_keyErrorIssue = 0;

    QStringList matching(const QString &text)
    {
        SearchQuery q;
        q.text = text;
        ReportStore store(m_db);
        auto rows = store.listReports(q, 1000);
        if (!rows)
            return {QStringLiteral("error: ") + rows.error()};
        QStringList out;
        for (const ReportRow &r : *rows)
            out << r.eventId;
        out.sort();
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto db = Database::open(m_dir.filePath(QStringLiteral("search.sqlite3")));
        QVERIFY(db);
        m_db = std::move(*db);
        QByteArray first, later;
        for (const Rec &r : kRecords)
            (qstrcmp(r.id, "e8") == 0 ? later : first) += line(r);
        const QString a = m_dir.filePath(QStringLiteral("a.jsonl")), b = m_dir.filePath(QStringLiteral("b.jsonl"));
        writeFile(a, first);
        writeFile(b, later);
        const ImportSummary s = importPlain(m_db, {a});
        QVERIFY2(s.problems.empty(), qPrintable(problemsText(s)));
        QCOMPARE(s.stored, int64_t(8));
        // Issue states: e2's resolved, e4's ignored, e1's resolved (then e8 regresses it).
        ReportStore store(m_db);
        const auto issueOf = [&](const char *event) {
            return store.loadReport(*store.findByEventId(QString::fromLatin1(event)))->row.issueId;
        };
        m_keyErrorIssue = issueOf("e1");
        QVERIFY(store.setIssueStatus(issueOf("e2"), IssueStatus::Resolved));
        QVERIFY(store.setIssueStatus(issueOf("e4"), IssueStatus::Ignored));
        QVERIFY(store.setIssueStatus(m_keyErrorIssue, IssueStatus::Resolved));
        QCOMPARE(importPlain(m_db, {b}).stored, int64_t(1));
        QCOMPARE(issueOf("e8"), m_keyErrorIssue);
        // e9 hidden (as a 404 rule would hide it; the rule itself is tst_rules' business).
        QVERIFY(connectionOf(m_db).exec("UPDATE reports SET hidden_by = 'IGNORABLE_404_URLS ^/favicon' WHERE event_id = 'e9'"));
    }

    void query_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected"); // event ids, sorted, space-separated

        QTest::newRow("nothing: every visible report") << ""
                                                       << "e1 e2 e3 e4 e5 e6 e7 e8";
        // site:, issue:, event:, message: are exact.
        QTest::newRow("site") << "site:shop.example.com"
                              << "e1 e2 e4 e5 e8";
        QTest::newRow("site other") << "site:blog.example.org"
                                    << "e3";
        QTest::newRow("site partial is no match") << "site:shop"
                                                  << "";
        QTest::newRow("-site: includes no site") << "-site:shop.example.com"
                                                 << "e3 e6 e7";
        QTest::newRow("event") << "event:e3"
                               << "e3";
        QTest::newRow("message exact") << "message:\"Not Found: /wp-login.php\""
                                       << "e3";
        QTest::newRow("message exact, part is no match") << "message:\"Not Found\""
                                                         << "";
        QTest::newRow("message wildcard") << "message:\"Internal Server Error: *\""
                                          << "e1 e2 e8";
        // after: is inclusive, before: exclusive, UTC.
        QTest::newRow("after day") << "after:2026-11-12"
                                   << "e4 e5 e6 e7 e8";
        QTest::newRow("before day") << "before:2026-11-12"
                                    << "e1 e2 e3";
        QTest::newRow("before time") << "before:2026-11-20T12:00"
                                     << "e1 e2 e3 e4 e5 e6";
        QTest::newRow("after and before") << "after:2026-11-05 before:2026-11-15"
                                          << "e2 e3 e4";
        QTest::newRow("-after") << "-after:2026-11-12"
                                << "e1 e2 e3";
        // is: each value.
        QTest::newRow("is:unresolved") << "is:unresolved"
                                       << "e1 e3 e5 e6 e7 e8";
        QTest::newRow("is:resolved") << "is:resolved"
                                     << "e2";
        QTest::newRow("is:ignored") << "is:ignored"
                                    << "e4";
        QTest::newRow("is:regression") << "is:regression"
                                       << "e1 e8";
        QTest::newRow("is:hidden") << "is:hidden"
                                   << "e9";
        QTest::newRow("is:hidden with a field") << "is:hidden status:404"
                                                << "e9";
        QTest::newRow("-is:resolved") << "-is:resolved"
                                      << "e1 e3 e4 e5 e6 e7 e8";
        // status: a code, a class, comparisons.
        QTest::newRow("status code") << "status:404"
                                     << "e3";
        QTest::newRow("status 5xx") << "status:5xx"
                                    << "e1 e2 e8";
        QTest::newRow("status 4xx") << "status:4xx"
                                    << "e3 e4 e5";
        QTest::newRow("status >=") << "status:>=500"
                                   << "e1 e2 e8";
        QTest::newRow("status >= 400") << "status:>=400"
                                       << "e1 e2 e3 e4 e5 e8";
        QTest::newRow("status <") << "status:<500"
                                  << "e3 e4 e5";
        QTest::newRow("status >") << "status:>500"
                                  << "e2";
        QTest::newRow("-status includes no status") << "-status:404"
                                                    << "e1 e2 e4 e5 e6 e7 e8";
        // level:, logger:, path:, type:.
        QTest::newRow("level") << "level:error"
                               << "e1 e2 e6 e8";
        QTest::newRow("level >=") << "level:>=warning"
                                  << "e1 e2 e3 e4 e5 e6 e8";
        QTest::newRow("level <") << "level:<warning"
                                 << "e7";
        QTest::newRow("logger and children") << "logger:django"
                                             << "e1 e2 e3 e4 e5 e8";
        QTest::newRow("logger child") << "logger:django.security"
                                      << "e5";
        QTest::newRow("logger is not a prefix of a name") << "logger:shop.payments"
                                                          << "e6";
        QTest::newRow("path whole") << "path:/wp-login.php"
                                    << "e3";
        // A path without wildcards is a prefix, in any ASCII case (issue 14).
        QTest::newRow("path prefix") << "path:/api"
                                     << "e1 e8";
        QTest::newRow("path prefix, other case") << "path:/API/It"
                                                 << "e1 e8";
        QTest::newRow("path prefix /") << "path:/"
                                       << "e1 e2 e3 e4 e5 e8";
        QTest::newRow("path prefix is not a substring") << "path:items"
                                                        << "";
        QTest::newRow("-path prefix") << "-path:/api"
                                      << "e2 e3 e4 e5 e6 e7";
        QTest::newRow("path glob, other case") << "path:/API/*/"
                                               << "e1 e8";
        QTest::newRow("path prefix of a hidden one") << "is:hidden path:/FAV"
                                                     << "e9";
        QTest::newRow("path wildcard") << "path:/api/*"
                                       << "e1 e8";
        QTest::newRow("path ?") << "path:/?pi/items/"
                                << "e1 e8";
        QTest::newRow("type") << "type:KeyError"
                              << "e1 e8";
        QTest::newRow("-type includes no type") << "-type:KeyError"
                                                << "e2 e3 e4 e5 e6 e7";
        // Free text: full-text, prefix match, quoted phrases, negation.
        QTest::newRow("word") << "refund"
                              << "e6 e7";
        QTest::newRow("prefix") << "refu"
                                << "e6 e7";
        QTest::newRow("path word") << "items"
                                   << "e1 e8";
        QTest::newRow("two words, both") << "refund quickly"
                                         << "e7";
        QTest::newRow("quoted phrase") << "\"parse refund\""
                                       << "e6";
        QTest::newRow("quoted phrase, other order") << "\"refund parse\""
                                                    << "";
        QTest::newRow("-word") << "-refund"
                               << "e1 e2 e3 e4 e5 e8";
        QTest::newRow("!word") << "!refund"
                               << "e1 e2 e3 e4 e5 e8";
        QTest::newRow("-quoted") << "-\"parse refund\""
                                 << "e1 e2 e3 e4 e5 e7 e8";
        // Terms together: all must hold.
        QTest::newRow("fields and text") << "level:error site:shop.example.com items"
                                         << "e1 e8";
        QTest::newRow("field and negated field") << "logger:django.request -status:404"
                                                 << "e1 e2 e4 e8";
    }
    void query()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(matching(text).join(u' '), expected);
    }

    // issue: takes the id the store gave e1's issue.
    void issueField()
    {
        QVERIFY(m_keyErrorIssue > 0);
        QCOMPARE(matching(QStringLiteral("issue:%1").arg(m_keyErrorIssue)).join(u' '), QStringLiteral("e1 e8"));
        QCOMPARE(matching(QStringLiteral("-issue:%1").arg(m_keyErrorIssue)).join(u' '), QStringLiteral("e2 e3 e4 e5 e6 e7"));
    }

    // check() parses once and the store then runs the kept terms: given terms
    // of another text under this text's name, the store finds what they say.
    // A changed text is parsed anew; includeHidden is read at each use.
    void checkedTermsServeTheStore()
    {
        ReportStore store(m_db);
        const auto events = [&](const SearchQuery &q) {
            auto rows = store.listReports(q, 1000);
            QStringList out;
            for (const ReportRow &r : *rows)
                out << r.eventId;
            out.sort();
            return out.join(u' ');
        };
        SearchQuery q;
        q.text = QStringLiteral("status:404");
        QVERIFY(q.check());
        QVERIFY(q.checked);
        QCOMPARE(events(q), QStringLiteral("e3"));
        q.includeHidden = true;
        QCOMPARE(events(q), QStringLiteral("e3 e9"));
        q.includeHidden = false;

        SearchQuery critical;
        critical.text = QStringLiteral("level:critical");
        auto terms = critical.parse();
        QVERIFY(terms);
        q.checked = std::make_shared<const SearchQuery::Checked>(SearchQuery::Checked{q.text, *terms});
        QCOMPARE(events(q), QStringLiteral("e5"));
        QVERIFY(q.check()); // the same text: kept as it is
        QCOMPARE(events(q), QStringLiteral("e5"));

        q.text = QStringLiteral("level:info");
        QCOMPARE(events(q), QStringLiteral("e7"));
        q.text = QStringLiteral("level:loud");
        QVERIFY(!q.check());
        QVERIFY(!q.parse());
    }

    void badValuesAreErrors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("says");
        QTest::newRow("level") << "level:loud"
                               << "unknown level 'loud'";
        QTest::newRow("status") << "status:abc"
                                << "bad status 'abc'";
        QTest::newRow("status class") << "status:9zz"
                                      << "bad status";
        QTest::newRow("is") << "is:shiny"
                            << "unknown 'is:shiny'";
        QTest::newRow("issue") << "issue:x"
                               << "bad issue id 'x'";
        QTest::newRow("after") << "after:yesterday"
                               << "bad date 'yesterday'";
        QTest::newRow("empty value") << "site:"
                                     << "'site:' needs a value";
    }
    void badValuesAreErrors()
    {
        QFETCH(QString, text);
        QFETCH(QString, says);
        const QString got = matching(text).join(u' ');
        QVERIFY2(got.startsWith(QStringLiteral("error: ")) && got.contains(says), qPrintable(got));
    }
};

QTEST_GUILESS_MAIN(TestSearchLanguage)
#include "tst_search_language.moc"
