// Django's 404-ignore rules: the port of BrokenLinkEmailsMiddleware's
// is_ignorable_request checked against Django's own verdicts (a table made by
// running Django 3.2, tests/data/), and against what the real corpus site
// mailed, request by request.
#include "store/Config.h"
#include "store/sqlite/Sqlite.h"
#include "store/ReportStore.h"
#include "filters/FilterSet.h"
#include "filters/NotFoundRules.h"
#include "import/Importer.h"
#include "TestEngine.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace ed;
using edtest::openTestDatabase;

namespace {

// ERRORDECK_TEST_DATA, not __FILE__: with ccache's base_dir, __FILE__ is relative to the build folder.
QString dataDir() { return QStringLiteral(ERRORDECK_TEST_DATA); }

QJsonDocument readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return QJsonDocument::fromJson(f.readAll());
}

// The IGNORABLE_404_URLS of the corpus site, as its records show them.
const QStringList kCorpusPatterns = {QStringLiteral("\\.(php|cgi)$"), QStringLiteral("^/phpmyadmin/"),
                                     QStringLiteral("^/apple-touch-icon.*\\.png$"), QStringLiteral("^/favicon\\.ico$"),
                                     QStringLiteral("^/robots\\.txt$")};

} // namespace

class TestIgnore404 : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void urlSplitLikePython()
    {
        struct Case {
            const char *url, *scheme, *netloc, *path, *query, *fragment;
        };
        // Expected values from Python 3.11's urllib.parse.urlsplit.
        const Case cases[] = {
            {"https://shop.example.com/a/b?x=1#f", "https", "shop.example.com", "/a/b", "x=1", "f"},
            {"HTTP://Shop.example.com", "http", "Shop.example.com", "", "", ""},
            {"//shop.example.com/p", "", "shop.example.com", "/p", "", ""},
            {"/products/5/", "", "", "/products/5/", "", ""},
            {"shop.example.com/products/5/", "", "", "shop.example.com/products/5/", "", ""},
            {"  \thttp://a.com/x\n/y", "http", "a.com", "/x/y", "", ""},
            {"http://a.com?q#f", "http", "a.com", "", "q", "f"},
            {"mailto:ops@example.com", "mailto", "", "ops@example.com", "", ""},
            {"1http://a.com/", "", "", "1http://a.com/", "", ""},
            {"http://a.com/p;params?q", "http", "a.com", "/p;params", "q", ""},
        };
        for (const Case &c : cases) {
            const SplitUrl u = urlSplit(c.url);
            QCOMPARE(QString::fromStdString(u.scheme), QString::fromLatin1(c.scheme));
            QCOMPARE(QString::fromStdString(u.netloc), QString::fromLatin1(c.netloc));
            QCOMPARE(QString::fromStdString(u.path), QString::fromLatin1(c.path));
            QCOMPARE(QString::fromStdString(u.query), QString::fromLatin1(c.query));
            QCOMPARE(QString::fromStdString(u.fragment), QString::fromLatin1(c.fragment));
            QVERIFY(u.valid);
        }
        QVERIFY(!urlSplit("http://[::1/x").valid);
    }

    void pythonRegexes()
    {
        QVERIFY(pythonRegex(QStringLiteral("\\.php\\Z")).match(QStringLiteral("/x.php")).hasMatch());
        QVERIFY(!pythonRegex(QStringLiteral("\\.php\\Z")).match(QStringLiteral("/x.php\n")).hasMatch());
        QVERIFY(pythonRegex(QStringLiteral("\\.php$")).match(QStringLiteral("/x.php\n")).hasMatch()); // as in Python
        QVERIFY(pythonRegex(QStringLiteral("^/a{,2}b$")).match(QStringLiteral("/aab")).hasMatch());
        QVERIFY(pythonRegex(QStringLiteral("^/(?P<x>\\d+)/(?P=x)$")).match(QStringLiteral("/12/12")).hasMatch());
        QVERIFY(pythonRegex(QStringLiteral("^/\\d+/$")).match(QStringLiteral("/١٢/")).hasMatch()); // Unicode \d, as Python 3
    }

    // Every row was decided by Django's own is_ignorable_request.
    void matchesDjangoTable()
    {
        const QJsonObject table = readJson(dataDir() + QStringLiteral("/django404_verdicts.json")).object();
        QStringList patterns;
        for (const QJsonValue &p : table.value(QStringLiteral("patterns")).toArray())
            patterns << p.toString();
        const std::string host = table.value(QStringLiteral("host")).toString().toStdString();
        const QJsonArray rows = table.value(QStringLiteral("rows")).toArray();
        QVERIFY(rows.size() > 500);
        int ignorable = 0, mailed = 0;
        for (const QJsonValue &v : rows) {
            const QJsonArray r = v.toArray();
            NotFoundSettings s;
            s.appendSlash = r[2].toBool();
            if (r[3].toBool())
                s.ignorableUrls = patterns;
            auto rules = NotFoundRules::compile(s);
            QVERIFY(rules);
            const std::string path = r[0].toString().toStdString(), referer = r[1].toString().toStdString();
            const QString by = rules->ignoredBy(path, host, referer, "Mozilla/5.0");
            // Django raises on an invalid IPv6 referer: no mail either.
            const bool djangoIgnores = r[4].isString() || r[4].toBool();
            QVERIFY2(by.isEmpty() != djangoIgnores,
                     qPrintable(QStringLiteral("path %1 referer '%2' APPEND_SLASH=%3 patterns=%4: Django %5, ours '%6'")
                                    .arg(r[0].toString(), r[1].toString())
                                    .arg(r[2].toBool())
                                    .arg(r[3].toBool())
                                    .arg(djangoIgnores ? QStringLiteral("ignores") : QStringLiteral("mails"), by)));
            (djangoIgnores ? ignorable : mailed) += 1;
        }
        QVERIFY(ignorable > 100 && mailed > 100);
    }

    void namesTheRule()
    {
        NotFoundSettings s;
        s.ignorableUrls = kCorpusPatterns;
        auto rules = NotFoundRules::compile(s);
        QVERIFY(rules);
        const std::string host = "shop.example.com";
        QCOMPARE(rules->ignoredBy("/x/", host, "", ""), QStringLiteral("404: no referer"));
        QVERIFY(rules->ignoredBy("/x/", host, "/x", "").contains(QLatin1String("APPEND_SLASH")));
        QVERIFY(rules->ignoredBy("/x/", host, "https://www.google.com/?q=x", "").contains(QLatin1String("search engine")));
        QVERIFY(rules->ignoredBy("/x/", host, "http://shop.example.com/x/", "").contains(QLatin1String("(bot)")));
        QCOMPARE(rules->ignoredBy("/wp-login.php", host, "https://blog.partner.org/", ""),
                 QStringLiteral("404: IGNORABLE_404_URLS '\\.(php|cgi)$'"));
        QCOMPARE(rules->ignoredBy("/x/", host, "https://blog.partner.org/", ""), QString());
        QVERIFY(NotFoundRules::isInternal(host, "https://shop.example.com/docs/"));
        QVERIFY(!NotFoundRules::isInternal(host, "https://shop.example.com.evil.org/docs/"));
        QVERIFY(!NotFoundRules::isInternal(host, "https://shop.example.com"));
        // A bad pattern is an error naming it, not a silent pass.
        s.ignorableUrls = {QStringLiteral("(")};
        auto bad = NotFoundRules::compile(s);
        QVERIFY(!bad);
        QVERIFY(bad.error().contains(QLatin1String("IGNORABLE_404_URLS")));
    }

    void beyondDjango()
    {
        NotFoundSettings s;
        s.crawlerAgents = {QStringLiteral("bot"), QStringLiteral("curl/")};
        s.hiddenPrefixes = {QStringLiteral("/wp-")};
        const std::string host = "shop.example.com", ext = "https://blog.partner.org/links";
        {
            auto rules = NotFoundRules::compile(s);
            QVERIFY(rules);
            // Crawler hiding is off by default: a crawler's 404 Django would mail stays.
            QCOMPARE(rules->ignoredBy("/p/", host, ext, "Mozilla/5.0 (compatible; Googlebot/2.1)"), QString());
            QCOMPARE(rules->ignoredBy("/wp-admin/", host, ext, "Mozilla/5.0"),
                     QStringLiteral("404: ERRORDECK_HIDDEN_404_PREFIXES '/wp-'"));
        }
        s.hideCrawlers = true;
        auto rules = NotFoundRules::compile(s);
        QVERIFY(rules);
        QCOMPARE(rules->ignoredBy("/p/", host, ext, "Mozilla/5.0 (compatible; Googlebot/2.1)"),
                 QStringLiteral("404: crawler user agent 'bot'"));
        QCOMPARE(rules->ignoredBy("/p/", host, ext, "curl/8.1"), QStringLiteral("404: crawler user agent 'curl/'"));
        QCOMPARE(rules->ignoredBy("/p/", host, ext, "Mozilla/5.0 (X11; Linux)"), QString());
        // The defaults of ERRORDECK_CRAWLER_AGENTS and the off switch come from Config.
        QTemporaryDir dir;
        auto db = openTestDatabase(dir, QStringLiteral("c.sqlite3"));
        QVERIFY(db);
        auto fs = FilterSet::load(*db);
        QVERIFY(fs);
        QVERIFY(!(*fs)->settings().notFound.hideCrawlers);
        QVERIFY((*fs)->settings().notFound.crawlerAgents.contains(QStringLiteral("bot")));
        QVERIFY((*fs)->settings().notFound.hiddenPrefixes.isEmpty());
    }

    // The corpus site ran BrokenLinkEmailsMiddleware: after import, the 404s
    // left visible are exactly those it mailed MANAGERS about.
    void corpusVerdicts()
    {
        QTemporaryDir dir;
        auto db = openTestDatabase(dir, QStringLiteral("corpus.sqlite3"));
        QVERIFY(db); // openTestDatabase stops the run with the reason when it fails
        {
            Config config(*db);
            QVERIFY(config.set(ConfigKey::IgnorableUrls, QJsonArray::fromStringList(kCorpusPatterns)));
            QVERIFY(config.set(ConfigKey::AppendSlash, true));
        }
        auto fs = FilterSet::load(*db);
        QVERIFY(fs);
        Importer importer(*db, **fs, **fs);
        const ImportSummary sum = importer.run({QStringLiteral(ERRORDECK_CORPUS "/records.jsonl")});
        QVERIFY(sum.fatal.isEmpty());
        QCOMPARE(sum.stored, int64_t(98));

        // hidden_by per event id.
        QHash<QString, QString> hiddenBy;
        Statement st = connectionOf(*db).prepare("SELECT event_id, hidden_by FROM reports");
        while (st.step())
            hiddenBy.insert(st.qtext(0), st.isNull(1) ? QString() : st.qtext(1));
        QCOMPARE(hiddenBy.size(), 98);

        // records.jsonl follows truth.json's requests, `records` lines each.
        QFile recFile(QStringLiteral(ERRORDECK_CORPUS "/records.jsonl"));
        QVERIFY(recFile.open(QIODevice::ReadOnly));
        QList<QJsonObject> records;
        while (!recFile.atEnd()) {
            const QByteArray line = recFile.readLine().trimmed();
            if (!line.isEmpty())
                records << QJsonDocument::fromJson(line).object();
        }
        const QJsonArray requests =
            readJson(QStringLiteral(ERRORDECK_CORPUS "/truth.json")).object().value(QStringLiteral("requests")).toArray();
        qsizetype next = 0;
        int checked = 0, visible = 0;
        for (const QJsonValue &rv : requests) {
            const QJsonObject req = rv.toObject();
            const int n = req.value(QStringLiteral("records")).toInt();
            for (int i = 0; i < n; ++i, ++next) {
                QVERIFY(next < records.size());
                const QJsonObject rec = records[next];
                if (rec.value(QStringLiteral("status_code")).toInt() != 404)
                    continue;
                QCOMPARE(req.value(QStringLiteral("status")).toInt(), 404);
                QCOMPARE(rec.value(QStringLiteral("request")).toObject().value(QStringLiteral("full_path")).toString(),
                         req.value(QStringLiteral("url")).toString());
                const QString by = hiddenBy.value(rec.value(QStringLiteral("event_id")).toString(), QStringLiteral("?"));
                const bool mailed = req.value(QStringLiteral("mails")).toInt() == 1;
                QVERIFY2(
                    by.isEmpty() == mailed,
                    qPrintable(QStringLiteral("%1 %2 referer %3: Django %4, ErrorDeck '%5'")
                                   .arg(req.value(QStringLiteral("kind")).toString(), req.value(QStringLiteral("url")).toString(),
                                        req.value(QStringLiteral("referer")).toString(),
                                        mailed ? QStringLiteral("mailed") : QStringLiteral("did not mail"), by)));
                ++checked;
                visible += by.isEmpty();
            }
        }
        QCOMPARE(next, records.size());
        QCOMPARE(checked, 43);
        QVERIFY(visible > 5 && visible < checked);
        // Non-404 reports are not touched by the 404 rules.
        Statement other = connectionOf(*db).prepare(
            "SELECT count(*) FROM reports WHERE hidden_by IS NOT NULL AND status_code IS DISTINCT FROM 404");
        QVERIFY(other.step());
        QCOMPARE(other.int64(0), int64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestIgnore404)
#include "tst_ignore404.moc"
