// Drop and hide rules: matching, storage, import verdicts, `rules apply` on
// stored reports (hidden_by and issue counts), and errordeck-cli rules
// (add, list, test, remove, apply, export --django run through real Django).
#include "store/Config.h"
#include "store/sqlite/Sqlite.h"
#include "filters/FilterSet.h"
#include "filters/RuleApplier.h"
#include "import/Importer.h"
#include "TestEngine.h"
#include "TestSupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QMap>
#include <QTest>

using namespace ed;

namespace {

RecordFacts facts(int level, std::string_view logger, std::optional<int> status = std::nullopt, std::string_view types = {},
                  std::string_view message = "boom")
{
    RecordFacts f;
    f.level = level;
    f.logger = logger;
    f.statusCode = status;
    f.exceptionType = types.substr(0, types.find(' '));
    f.exceptionTypes = types;
    f.message = message;
    return f;
}

bool matches(const FilterRule &r, const RecordFacts &f)
{
    auto c = CompiledRule::compile(r);
    if (!c)
        qFatal("%s", qPrintable(c.error()));
    return c->matches(f);
}

struct CliResult {
    int code = -1;
    QString out, err;
};

CliResult cli(const QString &db, const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(ERRORDECK_CLI), QStringList(args) << QStringLiteral("--db") << db);
    p.waitForFinished(120000);
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

// Issue counts agree with the reports they group.
void checkIssueCounts(Database &db)
{
    Statement st = connectionOf(db).prepare(
        "SELECT i.id, i.count, i.hidden_count,"
        " (SELECT count(*) FROM reports r WHERE r.issue_id = i.id AND r.hidden_by IS NULL),"
        " (SELECT count(*) FROM reports r WHERE r.issue_id = i.id AND r.hidden_by IS NOT NULL) FROM issues i");
    int n = 0;
    while (st.step()) {
        QCOMPARE(st.int64(1), st.int64(3));
        QCOMPARE(st.int64(2), st.int64(4));
        ++n;
    }
    QVERIFY(n > 0);
}

int64_t count(Database &db, const char *sql)
{
    auto v = connectionOf(db).scalar(sql);
    return v ? *v : -1;
}

} // namespace

class TestRules : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matching()
    {
        FilterRule r;
        r.name = QStringLiteral("security");
        r.logger = QStringLiteral("django.security");
        QVERIFY(matches(r, facts(40, "django.security")));
        QVERIFY(matches(r, facts(40, "django.security.DisallowedHost")));
        QVERIFY(!matches(r, facts(40, "django.securityx")));
        QVERIFY(!matches(r, facts(40, "django")));

        FilterRule lvl;
        lvl.name = QStringLiteral("quiet");
        lvl.belowLevel = 30;
        QVERIFY(matches(lvl, facts(20, "shop")));
        QVERIFY(!matches(lvl, facts(30, "shop")));

        FilterRule exc;
        exc.name = QStringLiteral("unreadable");
        exc.exceptionType = QStringLiteral("UnreadablePostError");
        QVERIFY(matches(exc, facts(40, "django.request", 500, "OSError UnreadablePostError"))); // a cause in the chain
        QVERIFY(matches(exc, facts(40, "django.request", 500, "django.http.request.UnreadablePostError")));
        QVERIFY(!matches(exc, facts(40, "django.request", 500, "NotUnreadablePostError")));
        exc.exceptionType = QStringLiteral("django.http.UnreadablePostError");
        QVERIFY(matches(exc, facts(40, "django.request", 500, "UnreadablePostError")));

        FilterRule msg;
        msg.name = QStringLiteral("webhooks");
        msg.messagePattern = QStringLiteral("^Webhook evt_\\d+ rejected");
        QVERIFY(matches(msg, facts(40, "shop.payments", 400, {}, "Webhook evt_1 rejected: bad signature")));
        QVERIFY(!matches(msg, facts(40, "shop.payments", 400, {}, "Webhook accepted")));

        FilterRule status;
        status.name = QStringLiteral("client errors");
        int lo = 0, hi = 0;
        QVERIFY(parseStatusRange(QStringLiteral("4xx"), lo, hi));
        QCOMPARE(lo, 400);
        QCOMPARE(hi, 499);
        QVERIFY(parseStatusRange(QStringLiteral("400-403"), lo, hi));
        QVERIFY(!parseStatusRange(QStringLiteral("403-400"), lo, hi));
        QVERIFY(!parseStatusRange(QStringLiteral("abc"), lo, hi));
        QVERIFY(parseStatusRange(QStringLiteral("404"), lo, hi));
        QCOMPARE(hi, 404);
        status.statusMin = 400;
        status.statusMax = 403;
        QVERIFY(matches(status, facts(30, "django.request", 403)));
        QVERIFY(!matches(status, facts(30, "django.request", 404)));
        QVERIFY(!matches(status, facts(30, "django.request")));

        // All conditions must hold.
        FilterRule both = r;
        both.statusMin = both.statusMax = 400;
        QVERIFY(matches(both, facts(40, "django.security.SuspiciousOperation", 400)));
        QVERIFY(!matches(both, facts(40, "django.security.SuspiciousOperation", 403)));
        // No condition, or disabled: never matches.
        FilterRule none;
        none.name = QStringLiteral("none");
        QVERIFY(!matches(none, facts(40, "x")));
        FilterRule off = r;
        off.enabled = false;
        QVERIFY(!matches(off, facts(40, "django.security")));
    }

    void orderAndLabels()
    {
        FilterSet::Settings s;
        FilterRule hide;
        hide.name = QStringLiteral("hide security");
        hide.logger = QStringLiteral("django.security");
        FilterRule drop;
        drop.name = QStringLiteral("drop disallowed");
        drop.action = RuleAction::Drop;
        drop.logger = QStringLiteral("django.security.DisallowedHost");
        s.rules = {hide, drop};
        auto fs = FilterSet::create(s);
        QVERIFY(fs);
        FilterDecision d = (*fs)->decide(facts(40, "django.security.DisallowedHost", 400));
        QCOMPARE(int(d.verdict), int(Verdict::Drop)); // drop rules first
        QCOMPARE(d.rule, QStringLiteral("rule: drop disallowed"));
        d = (*fs)->decide(facts(40, "django.security.SuspiciousOperation", 400));
        QCOMPARE(int(d.verdict), int(Verdict::Hide));
        QCOMPARE(d.rule, QStringLiteral("rule: hide security"));
        d = (*fs)->decide(facts(40, "django.request", 500));
        QCOMPARE(int(d.verdict), int(Verdict::Keep));
        // A 404 without referer: Django's rule, after the user's.
        RecordFacts nf = facts(30, "django.request", 404);
        nf.fullPath = "/x/";
        nf.host = "shop.example.com";
        d = (*fs)->decide(nf);
        QCOMPARE(d.rule, QStringLiteral("404: no referer"));
    }

    // A rule whose message regex passes PCRE2's match limit neither drops nor
    // hides: the report stays visible, the decision names the rule, and the
    // set counts it for the import summary.
    void undecidedRulesKeepVisible()
    {
        FilterSet::Settings st;
        FilterRule drop;
        drop.name = QStringLiteral("no orders");
        drop.action = RuleAction::Drop;
        drop.messagePattern = QStringLiteral("(?:a+)+$|order failed");
        FilterRule hide;
        hide.name = QStringLiteral("quiet");
        hide.messagePattern = QStringLiteral("^(?:b+)+$|quiet please");
        st.rules = {drop, hide};
        auto fs = FilterSet::create(st);
        QVERIFY(fs);
        int dropped = 0, undecided = 0;
        for (int i = 0; i < 200; ++i) {
            // Every other message has a run the nested quantifier cannot get past.
            const std::string message = (i % 2 ? std::string(40, 'a') + "! " : std::string()) + "order failed";
            const FilterDecision d = (*fs)->decide(facts(40, "shop", std::nullopt, {}, message));
            if (d.verdict == Verdict::Drop)
                ++dropped;
            QCOMPARE(d.verdict == Verdict::Keep, i % 2 == 1);
            if (!d.undecided.isEmpty()) {
                ++undecided;
                QCOMPARE(d.undecided, QStringLiteral("rule: no orders"));
            }
        }
        QCOMPARE(dropped, 100);
        QCOMPARE(undecided, 100);
        // A hide rule alike: visible, flagged.
        const std::string bs = std::string(40, 'b') + "!";
        const FilterDecision h = (*fs)->decide(facts(40, "shop", std::nullopt, {}, bs));
        QCOMPARE(h.verdict, Verdict::Keep);
        QCOMPARE(h.undecided, QStringLiteral("rule: quiet"));
        const QStringList notes = (*fs)->undecided();
        QCOMPARE(notes.size(), 2);
        QVERIFY2(notes.join('\n').contains(QStringLiteral("rule 'no orders'")) &&
                     notes.join('\n').contains(QStringLiteral(" 100 report")),
                 qPrintable(notes.join('\n')));
    }

    void store()
    {
        QTemporaryDir dir;
        auto db = Database::open(edtest::testDatabaseLocation(dir, QStringLiteral("r.sqlite3")));
        QVERIFY(db);
        RuleStore rules(*db);
        FilterRule r;
        r.name = QStringLiteral("quiet");
        QVERIFY(!rules.add(r)); // no condition
        r.belowLevel = 30;
        QVERIFY(rules.add(r));
        auto taken = rules.add(r); // the name is taken: said so, not the engine's constraint text
        QVERIFY(!taken);
        QCOMPARE(taken.error(), QStringLiteral("a rule named 'quiet' exists already"));
        FilterRule bad;
        bad.name = QStringLiteral("bad");
        bad.messagePattern = QStringLiteral("(");
        auto e = rules.add(bad);
        QVERIFY(!e);
        QVERIFY(e.error().contains(QLatin1String("regular expression")));
        FilterRule full;
        full.name = QStringLiteral("full");
        full.action = RuleAction::Drop;
        full.logger = QStringLiteral("shop");
        full.exceptionType = QStringLiteral("KeyError");
        full.messagePattern = QStringLiteral("x+");
        full.statusMin = 500;
        full.statusMax = 599;
        QVERIFY(rules.add(full));
        auto list = rules.list();
        QVERIFY(list);
        QCOMPARE(list->size(), size_t(2));
        const FilterRule &back = (*list)[1];
        QCOMPARE(back.name, full.name);
        QCOMPARE(int(back.action), int(RuleAction::Drop));
        QCOMPARE(back.logger, full.logger);
        QCOMPARE(back.exceptionType, full.exceptionType);
        QCOMPARE(back.messagePattern, full.messagePattern);
        QCOMPARE(*back.statusMin, 500);
        QCOMPARE(*back.statusMax, 599);
        QVERIFY(!back.belowLevel);
        QCOMPARE(*(*list)[0].belowLevel, 30);
        QVERIFY(*rules.setEnabled(QStringLiteral("quiet"), false));
        QVERIFY(!(*rules.list())[0].enabled);
        QVERIFY(*rules.remove(QStringLiteral("quiet")));
        QVERIFY(!*rules.remove(QStringLiteral("quiet")));
        QCOMPARE(rules.list()->size(), size_t(1));
    }

    // Import with rules, then change them and apply to what is stored.
    void importAndApply()
    {
        QTemporaryDir dir;
        const QString path = edtest::testDatabaseLocation(dir, QStringLiteral("a.sqlite3"));
        auto db = Database::open(path);
        QVERIFY(db);
        {
            RuleStore rules(*db);
            FilterRule drop;
            drop.name = QStringLiteral("no webhooks");
            drop.action = RuleAction::Drop;
            drop.logger = QStringLiteral("shop.payments");
            QVERIFY(rules.add(drop));
            FilterRule hide;
            hide.name = QStringLiteral("security");
            hide.logger = QStringLiteral("django.security");
            QVERIFY(rules.add(hide));
        }
        auto fs = FilterSet::load(*db);
        QVERIFY(fs);
        QVERIFY(FilterSet::noteImport(*db, fs->get()));
        Importer importer(*db, **fs, **fs);
        const ImportSummary sum = importer.run({QStringLiteral(ERRORDECK_CORPUS "/records.jsonl")});
        QVERIFY(sum.fatal.isEmpty());
        QVERIFY(sum.dropped > 0);
        QCOMPARE(sum.stored + sum.dropped, int64_t(98));
        QCOMPARE(count(*db, "SELECT count(*) FROM reports WHERE logger = 'shop.payments'"), int64_t(0));
        const int64_t security = count(*db, "SELECT count(*) FROM reports WHERE logger LIKE 'django.security.%'");
        QVERIFY(security > 0);
        QCOMPARE(count(*db, "SELECT count(*) FROM reports WHERE hidden_by = 'rule: security'"), security);
        checkIssueCounts(*db);
        const int64_t hidden404 = count(*db, "SELECT count(*) FROM reports WHERE hidden_by LIKE '404: %'");
        QVERIFY(hidden404 > 0);

        // Remove the hide rule and hide 404s under /products/ instead; apply.
        QVERIFY(*RuleStore(*db).remove(QStringLiteral("security")));
        {
            Config config(*db);
            QVERIFY(config.set(ConfigKey::Hidden404Prefixes, QJsonArray{QStringLiteral("/products/")}));
        }
        // A person's own hiding is never undone by rules.
        QVERIFY(connectionOf(*db).exec("UPDATE reports SET hidden_by = 'manual' WHERE id = (SELECT min(id) FROM reports WHERE "
                                       "hidden_by IS NULL AND status_code = 500)"));
        auto fs2 = FilterSet::load(*db);
        QVERIFY(fs2);
        auto applied = RuleApplier::apply(*db, **fs2);
        QVERIFY2(applied, qPrintable(applied ? QString() : applied.error()));
        QVERIFY(!applied->scrubbed); // scrubbing rules did not change
        QCOMPARE(applied->failed, int64_t(0));
        QCOMPARE(applied->reports, sum.stored);
        QCOMPARE(count(*db, "SELECT count(*) FROM reports WHERE hidden_by = 'rule: security'"), int64_t(0));
        QCOMPARE(count(*db, "SELECT count(*) FROM reports WHERE hidden_by = 'manual'"), int64_t(1));
        QCOMPARE(
            count(*db, "SELECT count(*) FROM reports WHERE status_code = 404 AND hidden_by IS NULL AND path LIKE '/products/%'"),
            int64_t(0));
        QVERIFY(count(*db, "SELECT count(*) FROM reports WHERE hidden_by = '404: ERRORDECK_HIDDEN_404_PREFIXES ''/products/'''") >
                0);
        QVERIFY(applied->newlyShown >= security);
        QVERIFY(applied->newlyHidden > 0);
        checkIssueCounts(*db);

        // Applying again changes nothing.
        auto again = RuleApplier::apply(*db, **fs2);
        QVERIFY(again);
        QCOMPARE(again->newlyHidden + again->newlyShown + again->relabelled, int64_t(0));
    }

    // errordeck-cli rules preview: each rule's count before anything is
    // written, a rule not yet added counted the same way, and apply then
    // hides exactly that (issue 14).
    void cliPreview()
    {
        QTemporaryDir dir;
        const QString db = edtest::corpusDatabase(dir);
        auto check = Database::open(db);
        QVERIFY(check);
        const int64_t payments = count(*check, "SELECT count(*) FROM reports WHERE logger = 'shop.payments'");
        const int64_t security = count(*check, "SELECT count(*) FROM reports WHERE logger LIKE 'django.security.%'");
        QCOMPARE(payments, int64_t(6));
        QCOMPARE(security, int64_t(2));
        CliResult r = cli(db, {QStringLiteral("rules"), QStringLiteral("add"), QStringLiteral("payments"),
                               QStringLiteral("--hide"), QStringLiteral("--logger"), QStringLiteral("shop.payments")});
        QVERIFY2(r.code == 0, qPrintable(r.err));

        r = cli(db, {QStringLiteral("rules"), QStringLiteral("preview"), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o.value(QStringLiteral("reports")).toInteger(), count(*check, "SELECT count(*) FROM reports"));
        QJsonArray rules = o.value(QStringLiteral("rules")).toArray();
        QCOMPARE(rules.size(), 1);
        QCOMPARE(rules[0].toObject().value(QStringLiteral("would_hide")).toInteger(), payments);
        QCOMPARE(o.value(QStringLiteral("hidden_by")).toObject().value(QStringLiteral("rule: payments")).toInteger(), payments);
        QCOMPARE(count(*check, "SELECT count(*) FROM reports WHERE hidden_by = 'rule: payments'"), int64_t(0)); // nothing written

        // A rule given on the command line, as if added after the stored ones.
        r = cli(db, {QStringLiteral("rules"), QStringLiteral("preview"), QStringLiteral("security"), QStringLiteral("--hide"),
                     QStringLiteral("--logger"), QStringLiteral("django.security"), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        rules = QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("rules")).toArray();
        QCOMPARE(rules.size(), 2);
        QCOMPARE(rules[1].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("security"));
        QVERIFY(rules[1].toObject().value(QStringLiteral("new")).toBool());
        QCOMPARE(rules[1].toObject().value(QStringLiteral("would_hide")).toInteger(), security);
        QVERIFY(RuleStore(*check).list()->size() == 1); // not added

        r = cli(db, {QStringLiteral("rules"), QStringLiteral("preview")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("payments\\s+hide\\s+6\\b"))), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("nothing was written")));

        // Refused: a name that exists, a rule without a condition.
        r = cli(db, {QStringLiteral("rules"), QStringLiteral("preview"), QStringLiteral("payments"), QStringLiteral("--hide"),
                     QStringLiteral("--logger"), QStringLiteral("x")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("exists already")), qPrintable(r.err));
        r = cli(db, {QStringLiteral("rules"), QStringLiteral("preview"), QStringLiteral("all"), QStringLiteral("--hide")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("no condition")), qPrintable(r.err));

        r = cli(db, {QStringLiteral("rules"), QStringLiteral("apply"), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(count(*check, "SELECT count(*) FROM reports WHERE hidden_by = 'rule: payments'"), payments);
    }

    void cliRules()
    {
        QTemporaryDir dir;
        const QString db = edtest::testDatabaseLocation(dir, QStringLiteral("cli.sqlite3"));
        CliResult r = cli(db, {QStringLiteral("rules"), QStringLiteral("add"), QStringLiteral("quiet security"),
                               QStringLiteral("--hide"), QStringLiteral("--logger"), QStringLiteral("django.security"),
                               QStringLiteral("--status"), QStringLiteral("4xx")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = cli(db, {QStringLiteral("rules"), QStringLiteral("add"), QStringLiteral("x"), QStringLiteral("--hide")});
        QVERIFY(r.code != 0); // no condition
        r = cli(db, {QStringLiteral("rules"), QStringLiteral("add"), QStringLiteral("debug"), QStringLiteral("--drop"),
                     QStringLiteral("--below"), QStringLiteral("INFO")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = cli(db, {QStringLiteral("rules"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const QJsonObject listed = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(listed.value(QStringLiteral("rules")).toArray().size(), 2);
        QCOMPARE(listed.value(QStringLiteral("rules")).toArray()[1].toObject().value(QStringLiteral("action")).toString(),
                 QStringLiteral("drop"));
        r = cli(db, {QStringLiteral("rules"), QStringLiteral("list")});
        QVERIFY(r.out.contains(QLatin1String("quiet security")) && r.out.contains(QLatin1String("status 400-499")));

        // rules test: Django's verdicts and the rule that decided.
        r = cli(db, {QStringLiteral("rules"), QStringLiteral("test"), QStringLiteral("https://shop.example.com/products/5/")});
        QVERIFY(r.out.contains(QLatin1String("verdict: hide")) && r.out.contains(QLatin1String("404: no referer")));
        r = cli(db, {QStringLiteral("rules"), QStringLiteral("test"), QStringLiteral("/products/5/"), QStringLiteral("--host"),
                     QStringLiteral("shop.example.com"), QStringLiteral("--referer"),
                     QStringLiteral("https://www.search.example/?q=shop")});
        QVERIFY2(r.out.contains(QLatin1String("search engine")), qPrintable(r.out));
        r = cli(db, {QStringLiteral("rules"), QStringLiteral("test"), QStringLiteral("/products/5/"), QStringLiteral("--host"),
                     QStringLiteral("shop.example.com"), QStringLiteral("--referer"),
                     QStringLiteral("https://shop.example.com/docs/")});
        QVERIFY2(r.out.contains(QLatin1String("verdict: keep")) && r.out.contains(QLatin1String("INTERNAL")), qPrintable(r.out));
        r = cli(db, {QStringLiteral("rules"), QStringLiteral("test"), QStringLiteral("/ok/"), QStringLiteral("--status"),
                     QStringLiteral("400"), QStringLiteral("--logger"), QStringLiteral("django.security.DisallowedHost"),
                     QStringLiteral("--json")});
        const QJsonObject t = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(t.value(QStringLiteral("verdict")).toString(), QStringLiteral("hide"));
        QCOMPARE(t.value(QStringLiteral("rule")).toString(), QStringLiteral("rule: quiet security"));
        r = cli(db, {QStringLiteral("rules"), QStringLiteral("test"), QStringLiteral("/x/"), QStringLiteral("--status"),
                     QStringLiteral("500"), QStringLiteral("--level"), QStringLiteral("DEBUG"), QStringLiteral("--json")});
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("verdict")).toString(),
                 QStringLiteral("drop"));

        // Import, apply (nothing to change), remove.
        r = cli(db, {QStringLiteral("import"), QStringLiteral("--quiet"), QStringLiteral(ERRORDECK_CORPUS "/records.jsonl")});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QVERIFY(r.out.contains(QLatin1String("hidden by rules")));
        r = cli(db, {QStringLiteral("rules"), QStringLiteral("apply"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const QJsonObject a = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(a.value(QStringLiteral("reports")).toInt(), 98);
        QCOMPARE(a.value(QStringLiteral("newly_hidden")).toInt(), 0);
        r = cli(db, {QStringLiteral("rules"), QStringLiteral("remove"), QStringLiteral("quiet security")});
        QCOMPARE(r.code, 0);
        r = cli(db, {QStringLiteral("rules"), QStringLiteral("remove"), QStringLiteral("quiet security")});
        QVERIFY(r.code != 0);
        r = cli(db, {QStringLiteral("rules"), QStringLiteral("apply"), QStringLiteral("--json")});
        QVERIFY(QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("newly_shown")).toInt() > 0);
        r = cli(db, {QStringLiteral("list"), QStringLiteral("--all"), QStringLiteral("--json"), QStringLiteral("--limit"),
                     QStringLiteral("1000")});
        const QJsonArray all = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QCOMPARE(all.size(), 98);
        int by404 = 0;
        for (const QJsonValue &v : all)
            by404 += v.toObject().value(QStringLiteral("hidden_by")).toString().startsWith(QLatin1String("404: "));
        QCOMPARE(by404, 27);
    }

    // The export is Python that real Django loads and that masks what ErrorDeck masks.
    // config set refuses scrubbing patterns that match the empty string (each
    // later import would fail) and warns about ones that blow up, saving them.
    void configChecksPatterns()
    {
        QTemporaryDir dir;
        const QString db = edtest::testDatabaseLocation(dir, QStringLiteral("c.sqlite3"));
        for (const char *p : {"[\"x*\"]", "[\"ok\", \"^\"]", "[\"a|\"]"}) {
            const CliResult r = cli(db, {QStringLiteral("config"), QStringLiteral("set"),
                                         QStringLiteral("ERRORDECK_SENSITIVE_VALUES"), QString::fromLatin1(p)});
            QVERIFY2(r.code != 0, p);
            QVERIFY2(r.err.contains(QStringLiteral("matches the empty string")), qPrintable(r.err));
        }
        CliResult r = cli(db, {QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("ERRORDECK_SENSITIVE_KEYS"),
                               QStringLiteral("[\"(?:)\"]")});
        QVERIFY2(r.code != 0 && r.err.contains(QStringLiteral("empty string")), qPrintable(r.err));
        r = cli(db, {QStringLiteral("config"), QStringLiteral("get"), QStringLiteral("ERRORDECK_SENSITIVE_VALUES")});
        QCOMPARE(r.out.trimmed(), QStringLiteral("[]"));
        // A fine pattern: saved, no warning.
        r = cli(db, {QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("ERRORDECK_SENSITIVE_VALUES"),
                     QStringLiteral("[\"sk_live_[0-9a-zA-Z]+\"]")});
        QCOMPARE(r.code, 0);
        QVERIFY2(!r.err.contains(QStringLiteral("warning")), qPrintable(r.err));
        // One that backtracks past the match limit: saved, with a warning naming it.
        r = cli(db, {QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("ERRORDECK_SENSITIVE_VALUES"),
                     QStringLiteral("[\"(?:a+)+$|sk_live_[0-9a-zA-Z]+\"]")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains(QStringLiteral("warning")) && r.err.contains(QStringLiteral("(?:a+)+$")), qPrintable(r.err));
        r = cli(db, {QStringLiteral("config"), QStringLiteral("get"), QStringLiteral("ERRORDECK_SENSITIVE_VALUES")});
        QVERIFY2(r.out.contains(QStringLiteral("(?:a+)+$")), qPrintable(r.out));
        // An import with it masks the secret and says so.
        r = cli(db, {QStringLiteral("import"), QStringLiteral(ERRORDECK_TEST_DATA "/hostile/failopen.jsonl")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains(QStringLiteral("warning")) && r.err.contains(QStringLiteral("masked whole")), qPrintable(r.err));
    }

    // The CLI names a rule that could not decide: in `rules test`, after an
    // import and after `rules apply`; the reports stay visible.
    void cliSaysWhatCouldNotDecide()
    {
        QTemporaryDir dir;
        const QString db = edtest::testDatabaseLocation(dir, QStringLiteral("u.sqlite3"));
        CliResult r = cli(db, {QStringLiteral("rules"), QStringLiteral("add"), QStringLiteral("orders"), QStringLiteral("--drop"),
                               QStringLiteral("--message"), QStringLiteral("(?:a+)+$|order failed")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QString runs = QString(40, QLatin1Char('a')) + QStringLiteral("! order failed");
        r = cli(db, {QStringLiteral("rules"), QStringLiteral("test"), QStringLiteral("/x/"), QStringLiteral("--status"),
                     QStringLiteral("500"), QStringLiteral("--message"), runs});
        QVERIFY2(r.out.contains(QStringLiteral("verdict: keep")) && r.out.contains(QStringLiteral("undecided: rule: orders")),
                 qPrintable(r.out + r.err));
        r = cli(db, {QStringLiteral("rules"), QStringLiteral("test"), QStringLiteral("/x/"), QStringLiteral("--status"),
                     QStringLiteral("500"), QStringLiteral("--message"), QStringLiteral("order failed")});
        QVERIFY2(r.out.contains(QStringLiteral("verdict: drop")) && !r.out.contains(QStringLiteral("undecided")),
                 qPrintable(r.out + r.err));

        const QString jsonl = dir.filePath(QStringLiteral("r.jsonl"));
        QFile f(jsonl);
        QVERIFY(f.open(QIODevice::WriteOnly));
        for (int i = 0; i < 4; ++i)
            f.write(QJsonDocument(QJsonObject{{QStringLiteral("event_id"), QStringLiteral("e%1").arg(i)},
                                              {QStringLiteral("timestamp"), QStringLiteral("2026-11-20T12:34:56Z")},
                                              {QStringLiteral("level"), QStringLiteral("ERROR")},
                                              {QStringLiteral("message"), i % 2 ? runs : QStringLiteral("order failed")}})
                        .toJson(QJsonDocument::Compact) +
                    "\n");
        f.close();
        r = cli(db, {QStringLiteral("import"), jsonl});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(QStringLiteral("2 stored")) && r.out.contains(QStringLiteral("2 dropped")), qPrintable(r.out));
        QVERIFY2(r.err.contains(QStringLiteral("warning: rule 'orders'")) && r.err.contains(QStringLiteral("on 2 report(s)")),
                 qPrintable(r.err));
        // The flag is stored with each report the rule could not decide on.
        auto flags = [&] {
            QMap<QString, QString> out; // event id -> undecided_rules
            const CliResult l = cli(db, {QStringLiteral("list"), QStringLiteral("--all"), QStringLiteral("--json"),
                                         QStringLiteral("--limit"), QStringLiteral("0")});
            for (const QJsonValue &v : QJsonDocument::fromJson(l.out.toUtf8()).array())
                out[v[QStringLiteral("event_id")].toString()] = v[QStringLiteral("undecided_rules")].toString();
            return out;
        };
        const QMap<QString, QString> want{{QStringLiteral("e1"), QStringLiteral("rule: orders")},
                                          {QStringLiteral("e3"), QStringLiteral("rule: orders")}};
        QCOMPARE(flags(), want);
        r = cli(db, {QStringLiteral("show"), QStringLiteral("e1")});
        QVERIFY2(r.out.contains(QStringLiteral("Undecided: rule: orders")), qPrintable(r.out + r.err));
        r = cli(db, {QStringLiteral("rules"), QStringLiteral("apply")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.err.contains(QStringLiteral("warning: rule 'orders'")), qPrintable(r.err));
        QCOMPARE(flags(), want);
        // Once the pattern can decide, rules apply clears the flag.
        QCOMPARE(cli(db, {QStringLiteral("rules"), QStringLiteral("remove"), QStringLiteral("orders")}).code, 0);
        QCOMPARE(cli(db, {QStringLiteral("rules"), QStringLiteral("apply")}).code, 0);
        QCOMPARE(flags(), (QMap<QString, QString>{{QStringLiteral("e1"), QString()}, {QStringLiteral("e3"), QString()}}));
    }

    void exportDjango()
    {
        QTemporaryDir dir;
        const QString db = edtest::testDatabaseLocation(dir, QStringLiteral("e.sqlite3"));
        QCOMPARE(cli(db, {QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("IGNORABLE_404_URLS"),
                          QStringLiteral("[\"\\\\.(php|cgi)$\", \"^/it's/\"]")})
                     .code,
                 0);
        QCOMPARE(cli(db, {QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("ERRORDECK_SENSITIVE_KEYS"),
                          QStringLiteral("[\"^iban$\"]")})
                     .code,
                 0);
        QCOMPARE(cli(db, {QStringLiteral("config"), QStringLiteral("set"), QStringLiteral("ERRORDECK_SAFE_KEYS"),
                          QStringLiteral("[\"CSRF_COOKIE_NAME\"]")})
                     .code,
                 0);
        const CliResult r = cli(db, {QStringLiteral("rules"), QStringLiteral("export"), QStringLiteral("--django")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains(QLatin1String("re.compile(r'\\.(php|cgi)$')")));
        QVERIFY(r.out.contains(QLatin1String("class ErrorDeckExceptionReporterFilter(SafeExceptionReporterFilter)")));
        // Split at the module marker and load both halves with Django 3.2.
        const qsizetype cut = r.out.indexOf(QLatin1String("# --- myproject/errordeck_filter.py"));
        QVERIFY(cut > 0);
        QFile settings(dir.filePath(QStringLiteral("exported_settings.py")));
        QVERIFY(settings.open(QIODevice::WriteOnly));
        settings.write(r.out.left(cut).toUtf8());
        settings.close();
        QFile module(dir.filePath(QStringLiteral("errordeck_filter.py")));
        QVERIFY(module.open(QIODevice::WriteOnly));
        module.write(r.out.mid(cut).toUtf8());
        module.close();
        const QString script =
            QStringLiteral(
                "import sys\n"
                "sys.path.insert(0, %1)\n"
                "import exported_settings as s\n"
                "assert s.APPEND_SLASH is True\n"
                "assert [p.pattern for p in s.IGNORABLE_404_URLS] == [r'\\.(php|cgi)$', \"^/it's/\"], s.IGNORABLE_404_URLS\n"
                "from django.conf import settings\n"
                "settings.configure(DEBUG=False)\n"
                "import django\n"
                "django.setup()\n"
                "from errordeck_filter import ErrorDeckExceptionReporterFilter as F\n"
                "f = F()\n"
                "m = f.cleansed_substitute\n"
                "for k in ['SECRET_KEY', 'STRIPE_API_KEY', 'SESSION_COOKIE_NAME', 'CSRF_COOKIE_AGE', 'IBAN', 'db_pwd']:\n"
                "    assert f.cleanse_setting(k, 'v') == m, k\n"
                "for k in ['DEBUG', 'CSRF_COOKIE_NAME', 'IBAN_COUNTRY', 'ALLOWED_HOSTS']:\n"
                "    assert f.cleanse_setting(k, 'v') == 'v', k\n"
                "assert f.cleanse_setting('DATABASES', {'default': {'PASSWORD': 'x'}}) == {'default': {'PASSWORD': m}}\n"
                "from django.test import RequestFactory\n"
                "req = RequestFactory().post('/x/', {'password': 'pw', 'note': 'hi'})\n"
                "p = f.get_post_parameters(req)\n"
                "assert p['password'] == m and p['note'] == 'hi', p\n"
                "print('ok')\n")
                .arg(QStringLiteral("'%1'").arg(dir.path()));
        QProcess py;
        py.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), script});
        QVERIFY(py.waitForFinished(60000));
        const QString out = QString::fromUtf8(py.readAllStandardOutput()), err = QString::fromUtf8(py.readAllStandardError());
        QVERIFY2(py.exitCode() == 0 && out.trimmed() == QLatin1String("ok"), qPrintable(out + err));
    }
};

QTEST_GUILESS_MAIN(TestRules)
#include "tst_rules.moc"
