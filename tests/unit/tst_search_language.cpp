// The search language, field by field and operator by operator, as the README
// documents it: each query against a small set of hand-written reports whose
// expected membership is written here. The test runs in America/New_York
// (main() sets TZ before anything reads it): "local" times are that zone's.
#include "store/ReportStore.h"
#include "TestEngine.h"
#include "TestSupport.h"
#include "store/sqlite/Sqlite.h"

#include <QSet>
#include <ctime>

using namespace ed;
using namespace edtest;

namespace {

struct Rec {
    const char *id, *time, *level, *logger;
    int status; // 0: none
    const char *site, *path, *type, *message;
    const char *value = "boom"; // the exception's value (a full-text field)
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
    // e6's exception value has a dotted name and punctuation a query language could read as syntax.
    {"e6", "2026-11-18T00:00:00Z", "ERROR", "shop.payments", 0, nullptr, nullptr, "ValueError", "Could not parse refund amount",
     "django.db.utils.IntegrityError: duplicate key (it's \"dup\") & 100% | !"},
    {"e7", "2026-11-20T12:00:00Z", "INFO", "shop.paymentsx", 0, nullptr, nullptr, nullptr,
     "refund queued quickly at the Caf\u00e9 Na\u00efvet\u00e9"},
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
                  {QStringLiteral("message"), QString::fromUtf8(r.message)}};
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
                                                     {QStringLiteral("value"), QString::fromLatin1(r.value)},
                                                     {QStringLiteral("frames"), QJsonArray{}}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

class TestSearchLanguage : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    Database m_db;
    int64_t m_keyErrorIssue = 0;

    QStringList matching(const QString &text, DisplayZone zone = DisplayZone::Utc, std::optional<int64_t> now = {})
    {
        SearchQuery q;
        q.text = text;
        q.zone = zone;
        q.now = now;
        return eventIdsMatching(m_db, q);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_db = std::move(*openTestDatabase(m_dir, QStringLiteral("search.sqlite3")));
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
        QTest::newRow("message exact") << "message:=\"Not Found: /wp-login.php\""
                                       << "e3";
        QTest::newRow("message exact, part is no match") << "message:=\"Not Found\""
                                                         << "";
        QTest::newRow("message exact, other case is no match") << "message:=\"not found: /wp-login.php\""
                                                               << "";
        // message: without = is a part of the message, in any case.
        QTest::newRow("message part") << "message:\"Not Found\""
                                      << "e3";
        QTest::newRow("message part, any case") << "message:INTERNAL"
                                                << "e1 e2 e8";
        QTest::newRow("message part in the middle") << "message:refund"
                                                    << "e6 e7";
        QTest::newRow("message part, % is no wildcard") << "message:%"
                                                        << "";
        QTest::newRow("-message part") << "-message:server"
                                       << "e3 e4 e5 e6 e7";
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
        QTest::newRow("type, any case") << "type:keyerror"
                                        << "e1 e8";
        QTest::newRow("type, whole name only") << "type:Key"
                                               << "";
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
        // A dotted name is found by its parts (issue 17: PostgreSQL as FTS5),
        // words of several fields together, and a user's punctuation is text.
        QTest::newRow("dotted name's last part") << "IntegrityError"
                                                 << "e6";
        QTest::newRow("dotted name's part, any case, a prefix") << "integrity"
                                                                << "e6";
        QTest::newRow("dotted name whole") << "django.db.utils.IntegrityError"
                                           << "e6";
        QTest::newRow("dotted tail, a prefix") << "utils.Integ"
                                               << "e6";
        QTest::newRow("dotted parts out of order") << "\"IntegrityError.utils\""
                                                   << "";
        QTest::newRow("words of two fields") << "refund duplicate"
                                             << "e6";
        QTest::newRow("three words, one missing") << "refund duplicate quickly"
                                                  << "";
        QTest::newRow("an apostrophe") << "it's"
                                       << "e6";
        QTest::newRow("quoted with parentheses") << "\"key (it's\""
                                                 << "e6";
        QTest::newRow("tsquery operators are text") << "\"& 100% | !\""
                                                    << "e6";
        QTest::newRow("tsquery's phrase and prefix are text") << "\"dup:* <-> 100\""
                                                              << "e6";
        QTest::newRow("only punctuation matches nothing") << "\"&|!\""
                                                          << "";
        QTest::newRow("-only punctuation") << "-\"&|!\""
                                           << "e1 e2 e3 e4 e5 e6 e7 e8";
        QTest::newRow("-dotted name's part") << "-IntegrityError"
                                             << "e1 e2 e3 e4 e5 e7 e8";
        // Diacritics are folded on both sides, as FTS5's remove_diacritics 2
        // (on PostgreSQL: unaccent, schema 16), whatever the case.
        QTest::newRow("diacritics: cafe finds Caf\u00e9") << "cafe"
                                                          << "e7";
        QTest::newRow("diacritics: caf\u00e9 as written") << QString::fromUtf8("caf\u00e9") << "e7";
        QTest::newRow("diacritics: upper case") << QString::fromUtf8("CAF\u00c9") << "e7";
        QTest::newRow("diacritics: a prefix") << "naive"
                                              << "e7";
        QTest::newRow("diacritics: a prefix with its own") << QString::fromUtf8("na\u00efv") << "e7";
        QTest::newRow("diacritics: a phrase") << "\"cafe naivete\""
                                              << "e7";
        QTest::newRow("diacritics: not any letter") << "cafa"
                                                    << "";
        QTest::newRow("dotted name in OR") << "utils.IntegrityError OR items"
                                           << "e1 e6 e8";
        // Terms together: all must hold.
        QTest::newRow("fields and text") << "level:error site:shop.example.com items"
                                         << "e1 e8";
        QTest::newRow("field and negated field") << "logger:django.request -status:404"
                                                 << "e1 e2 e4 e8";
        QTest::newRow("explicit AND") << "level:error AND status:502"
                                      << "e2";
        // OR takes either side; it binds looser than the terms side by side.
        QTest::newRow("OR") << "level:info OR status:404"
                            << "e3 e7";
        QTest::newRow("AND before OR") << "level:error status:502 OR level:info"
                                       << "e2 e7";
        QTest::newRow("OR before AND") << "level:info OR level:error status:502"
                                       << "e2 e7";
        QTest::newRow("parentheses first") << "(level:info OR level:error) status:502"
                                           << "e2";
        QTest::newRow("parentheses last") << "status:502 (level:info OR level:error)"
                                          << "e2";
        QTest::newRow("three alternatives") << "status:502 OR status:404 OR level:info"
                                            << "e2 e3 e7";
        QTest::newRow("nested") << "(level:error (status:502 OR type:ValueError)) OR level:critical"
                                << "e2 e5 e6";
        QTest::newRow("negated group") << "-(level:error OR level:warning)"
                                       << "e5 e7";
        QTest::newRow("negated all-of group") << "-(level:error status:500)"
                                              << "e2 e3 e4 e5 e6 e7";
        QTest::newRow("parentheses alone change nothing") << "(status:404)"
                                                          << "e3";
        QTest::newRow("free text in OR") << "refund OR items"
                                         << "e1 e6 e7 e8";
        QTest::newRow("negated text in OR") << "-refund OR status:404"
                                            << "e1 e2 e3 e4 e5 e8";
        QTest::newRow("is:hidden in OR shows hidden") << "is:hidden OR status:404"
                                                      << "e3 e9";
        QTest::newRow("issue state in OR") << "is:resolved OR is:ignored"
                                           << "e2 e4";
        QTest::newRow("lower-case or is a word") << "quickly or"
                                                 << "";
        QTest::newRow("a value's own parentheses") << "path:/x() OR status:404"
                                                   << "e3";
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
        QTest::newRow("after") << "after:someday"
                               << "bad date 'someday'";
        QTest::newRow("after, a day that is none") << "after:2026-02-30"
                                                   << "bad date '2026-02-30'";
        QTest::newRow("after +7d") << "after:+7d"
                                   << "bad date '+7d'";
        QTest::newRow("age without a sign") << "age:24h"
                                            << "bad age '24h'";
        QTest::newRow("age, unknown unit") << "age:-3y"
                                           << "bad age '-3y'";
        QTest::newRow("message:= alone") << "message:="
                                         << "'message:=' needs the text";
        QTest::newRow("unknown field") << "staus:500"
                                       << "unknown field 'staus'";
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

    // after:/before: read a time without Z or an offset in the zone shown;
    // Z and offsets say their own zone. e7 is at 12:00 UTC, 07:00 in New York.
    void zones_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("local");
        QTest::addColumn<QString>("expected");
        QTest::newRow("utc: 11:59 is before e7") << "after:2026-11-20T11:59" << false << "e7 e8";
        QTest::newRow("utc: 07:01 is before e7") << "after:2026-11-20T07:01" << false << "e7 e8";
        QTest::newRow("local: 06:59 is before e7") << "after:2026-11-20T06:59" << true << "e7 e8";
        QTest::newRow("local: 07:01 is after e7") << "after:2026-11-20T07:01" << true << "e8";
        QTest::newRow("local: 11:59 is after e7") << "after:2026-11-20T11:59" << true << "e8";
        QTest::newRow("local, Z: UTC") << "after:2026-11-20T11:59Z" << true << "e7 e8";
        QTest::newRow("local, offset") << "after:2026-11-20T13:59+02:00" << true << "e7 e8";
        QTest::newRow("local, offset past e7") << "after:2026-11-20T14:01+02:00" << true << "e8";
        QTest::newRow("utc, negative offset") << "after:2026-11-20T07:01-05:00" << false << "e8";
        QTest::newRow("utc: a day starts at 00:00 UTC") << "before:2026-11-12" << false << "e1 e2 e3";
        // New York's 2026-11-12 starts at 05:00 UTC: e4 (00:00 UTC) is before it.
        QTest::newRow("local: a day starts at local midnight") << "before:2026-11-12" << true << "e1 e2 e3 e4";
    }
    void zones()
    {
        QFETCH(QString, text);
        QFETCH(bool, local);
        QFETCH(QString, expected);
        QCOMPARE(matching(text, local ? DisplayZone::Local : DisplayZone::Utc).join(u' '), expected);
    }

    // The zone is part of what check() keeps: the same text in another zone is read again.
    void checkedTermsFollowTheZone()
    {
        ReportStore store(m_db);
        SearchQuery q;
        q.text = QStringLiteral("after:2026-11-20T07:01");
        QVERIFY(q.check());
        QCOMPARE(store.listReports(q, 100)->size(), size_t(2));
        q.zone = DisplayZone::Local;
        QCOMPARE(store.listReports(q, 100)->size(), size_t(1));
    }

    // Relative dates, from a fixed now: 2026-11-18T12:00Z, 07:00 in New York.
    void relativeDates_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("local");
        QTest::addColumn<QString>("expected");
        QTest::newRow("age:-24h: newer than a day") << "age:-24h" << false << "e6 e7 e8";
        QTest::newRow("age:-3d") << "age:-3d" << false << "e6 e7 e8";
        QTest::newRow("age:+3d: older") << "age:+3d" << false << "e1 e2 e3 e4 e5";
        QTest::newRow("age:-1w") << "age:-1w" << false << "e4 e5 e6 e7 e8";
        QTest::newRow("age:-90m") << "age:-90m" << false << "e7 e8";
        QTest::newRow("-age:-24h") << "-age:-24h" << false << "e1 e2 e3 e4 e5";
        QTest::newRow("after:-7d") << "after:-7d" << false << "e4 e5 e6 e7 e8";
        QTest::newRow("before:-7d") << "before:-7d" << false << "e1 e2 e3";
        QTest::newRow("after:now") << "after:now" << false << "e7 e8";
        // Today began at 00:00 UTC (e6 is then) or at 05:00 UTC in New York.
        QTest::newRow("after:today, utc") << "after:today" << false << "e6 e7 e8";
        QTest::newRow("after:today, local") << "after:today" << true << "e7 e8";
        QTest::newRow("before:today, utc") << "before:today" << false << "e1 e2 e3 e4 e5";
        QTest::newRow("before:today, local") << "before:today" << true << "e1 e2 e3 e4 e5 e6";
        QTest::newRow("after:yesterday, utc") << "after:yesterday" << false << "e6 e7 e8";
        QTest::newRow("yesterday and today") << "after:yesterday before:today" << false << "";
        QTest::newRow("after:Yesterday, any case") << "after:Yesterday before:today" << true << "e6";
    }
    void relativeDates()
    {
        QFETCH(QString, text);
        QFETCH(bool, local);
        QFETCH(QString, expected);
        const int64_t now = *parseIsoTimestamp("2026-11-18T12:00:00Z");
        QCOMPARE(matching(text, local ? DisplayZone::Local : DisplayZone::Utc, now).join(u' '), expected);
    }

    // A search that does not parse says where (for the underline) and what
    // was probably meant.
    void problems_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("start");
        QTest::addColumn<int>("length");
        QTest::addColumn<QString>("says");
        QTest::addColumn<QString>("suggestion");
        QTest::newRow("typo of a field") << "staus:500" << 0 << 6 << "unknown field 'staus'"
                                         << "status:";
        QTest::newRow("typo later in the text") << "level:error staus:500" << 12 << 6 << "unknown field 'staus'"
                                                << "status:";
        QTest::newRow("negated typo") << "-levle:error" << 1 << 6 << "unknown field 'levle'"
                                      << "level:";
        QTest::newRow("no field near") << "foo:bar" << 0 << 4 << "unknown field 'foo'"
                                       << "";
        QTest::newRow("typo of a level") << "level:eror" << 6 << 4 << "unknown level 'eror'"
                                         << "level:error";
        QTest::newRow("typo of is:") << "is:resolvd" << 3 << 7 << "unknown 'is:resolvd'"
                                     << "is:resolved";
        QTest::newRow("bad status") << "type:KeyError status:abc" << 21 << 3 << "bad status 'abc'"
                                    << "";
        QTest::newRow("no value") << "level:error site:" << 12 << 5 << "'site:' needs a value"
                                  << "";
        QTest::newRow("unclosed quote") << "level:error \"division by" << 12 << 12 << "a quote is not closed"
                                        << "";
        QTest::newRow("unclosed parenthesis") << "(level:error OR level:info" << 0 << 1 << "'(' is not closed"
                                              << "";
        QTest::newRow("stray parenthesis") << "level:error)" << 11 << 1 << "')' without a '('"
                                           << "";
        QTest::newRow("empty parentheses") << "level:error ()" << 13 << 1 << "empty parentheses"
                                           << "";
        QTest::newRow("OR at the end") << "level:error OR" << 12 << 2 << "'OR' needs a term after it"
                                       << "";
        QTest::newRow("OR at the start") << "OR level:error" << 0 << 2 << "'OR' needs a term before it"
                                         << "";
        QTest::newRow("OR OR") << "level:error OR OR level:info" << 12 << 2 << "'OR' needs a term after it"
                               << "";
        QTest::newRow("bad term inside a group") << "(level:error OR staus:500)" << 16 << 6 << "unknown field 'staus'"
                                                 << "status:";
    }
    void problems()
    {
        QFETCH(QString, text);
        QFETCH(int, start);
        QFETCH(int, length);
        QFETCH(QString, says);
        QFETCH(QString, suggestion);
        SearchQuery q;
        q.text = text;
        const auto checked = q.check();
        QVERIFY(!checked);
        QCOMPARE(checked.errorKind(), ErrorKind::InvalidInput);
        QVERIFY(q.problem);
        QCOMPARE(int(q.problem->start), start);
        QCOMPARE(int(q.problem->length), length);
        QVERIFY2(q.problem->message.contains(says), qPrintable(q.problem->message));
        QCOMPARE(q.problem->suggestion, suggestion);
        // The error value says the column (1-based) and the suggestion too.
        QVERIFY2(checked.error().startsWith(QStringLiteral("column %1: ").arg(start + 1)), qPrintable(checked.error()));
        if (!suggestion.isEmpty())
            QVERIFY2(checked.error().endsWith(QStringLiteral("did you mean %1?").arg(suggestion)), qPrintable(checked.error()));
        // The store refuses it too: nothing listed, the same message.
        const QString listed = matching(text).join(u' ');
        QVERIFY2(listed.startsWith(QStringLiteral("error: ")) && listed.contains(checked.error()), qPrintable(listed));
        // A valid check() afterwards forgets the problem.
        q.text = QStringLiteral("level:error");
        QVERIFY(q.check());
        QVERIFY(!q.problem);
    }

    // Words that look like a field but are meant as text: quoted, they are text.
    void quotedColonIsText()
    {
        QCOMPARE(matching(QStringLiteral("\"Invalid HTTP_HOST header:\"")).join(u' '), QStringLiteral("e5"));
        QCOMPARE(matching(QStringLiteral("12:00")).join(u' '), QStringLiteral("")); // no field starts with a digit
    }
};

// TZ before anything reads the zone (Qt and libc cache it).
int main(int argc, char **argv)
{
    qputenv("TZ", "America/New_York");
    tzset();
    QCoreApplication app(argc, argv);
    TestSearchLanguage test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_search_language.moc"
