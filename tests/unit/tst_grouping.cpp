// Grouping into issues: Sentry's default fingerprint, parameterized messages and 404 paths.
#include "model/Grouping.h"

#include <QTest>

using namespace ed;

namespace {
GroupingException exc(std::string_view type, std::vector<GroupingFrame> frames, std::string_view value = "v")
{
    return GroupingException{type, value, std::move(frames)};
}
GroupingFrame f(std::string_view module, std::string_view function, bool inApp)
{
    return GroupingFrame{module, function, "/srv/x.py", inApp};
}
} // namespace

class TestGrouping : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void inAppFramesDecide()
    {
        GroupingInput a, b;
        a.chain = {exc("KeyError", {f("django.core", "inner", false), f("shop.views", "checkout", true)}, "'kiwi'")};
        b.chain = {exc("KeyError", {f("django.core", "other", false), f("shop.views", "checkout", true)}, "'plum'")};
        // Library frames and the value do not split an issue.
        QCOMPARE(computeGrouping(a).fingerprint, computeGrouping(b).fingerprint);
        b.chain = {exc("KeyError", {f("shop.views", "cart", true)})};
        QVERIFY(computeGrouping(a).fingerprint != computeGrouping(b).fingerprint);
        b.chain = {exc("ValueError", {f("django.core", "inner", false), f("shop.views", "checkout", true)})};
        QVERIFY(computeGrouping(a).fingerprint != computeGrouping(b).fingerprint);
    }
    void allFramesWhenNoneInApp()
    {
        GroupingInput a, b;
        a.chain = {exc("OperationalError", {f("django.db", "execute", false)})};
        b.chain = {exc("OperationalError", {f("django.db", "fetch", false)})};
        QVERIFY(computeGrouping(a).fingerprint != computeGrouping(b).fingerprint);
    }
    void recursionCollapses()
    {
        GroupingInput deep, shallow;
        std::vector<GroupingFrame> many{f("shop", "view", true)};
        for (int i = 0; i < 900; ++i)
            many.push_back(f("shop", "_recurse", true));
        deep.chain = {exc("RecursionError", many)};
        shallow.chain = {exc("RecursionError", {f("shop", "view", true), f("shop", "_recurse", true)})};
        QCOMPARE(computeGrouping(deep).fingerprint, computeGrouping(shallow).fingerprint);
    }
    void titleAndCulprit()
    {
        GroupingInput a;
        a.chain = {
            exc("ZeroDivisionError", {f("django.core", "inner", false), f("shop.views", "view_zero", true)}, "division by zero")};
        const Grouping g = computeGrouping(a);
        QCOMPARE(g.title, QStringLiteral("ZeroDivisionError: division by zero"));
        QCOMPARE(g.culprit, QStringLiteral("shop.views in view_zero"));
    }
    void messagesParameterized()
    {
        QCOMPARE(
            parameterizeMessage(QStringLiteral("Order 42 for ana@example.com failed: 'abc' id 3f2c9e0a5b7d4c1e9a8b6d5c4e3f2a1b")),
            QStringLiteral("Order <int> for <email> failed: <str> id <uuid>"));
        QCOMPARE(parameterizeMessage(QStringLiteral("at 0x7fdcd3f70c90 took 1.5 s")), QStringLiteral("at <hex> took <int> s"));
        GroupingInput a, b;
        a.logger = b.logger = "shop.payments";
        a.message = "Webhook evt_1 rejected after 3 tries";
        b.message = "Webhook evt_1 rejected after 7 tries";
        QCOMPARE(computeGrouping(a).fingerprint, computeGrouping(b).fingerprint);
        // Django's e-mail of a logger.error() does not name the logger: the
        // message alone decides, as in Sentry.
        b.logger = "";
        QCOMPARE(computeGrouping(a).fingerprint, computeGrouping(b).fingerprint);
        b.message = "Webhook evt_1 accepted after 7 tries";
        QVERIFY(computeGrouping(a).fingerprint != computeGrouping(b).fingerprint);
    }
    // The same failure as the handler records it and as Django's e-mail tells
    // it: `__main__` against the file's module, the cause's type unknown, and
    // the driver's frames given to the wrapper or to the cause.
    void recordAndMailAgree()
    {
        GroupingInput record, mail;
        record.chain = {exc("OperationalError", {f("django.db.backends.utils", "_execute", false), f("__main__", "view_db", true),
                                                 f("django.db.utils", "__exit__", false)}),
                        exc("OperationalError", {})};
        mail.chain = {exc("OperationalError", {f("shop_site", "view_db", true), f("django.db.utils", "__exit__", false)}),
                      exc("", {f("django.db.backends.utils", "_execute", false)})};
        for (auto *in : {&record, &mail})
            for (auto &e : in->chain)
                for (auto &fr : e.frames)
                    fr.filename = fr.module == "django.db.backends.utils"
                                      ? "/usr/lib/python3/dist-packages/django/db/backends/utils.py"
                                      : "/srv/shop/shop_site.py";
        QCOMPARE(computeGrouping(record).fingerprint, computeGrouping(mail).fingerprint);
        QCOMPARE(computeGrouping(record).culprit, QStringLiteral("shop_site in view_db"));
        QCOMPARE(computeGrouping(mail).culprit, QStringLiteral("shop_site in view_db"));
        // Another function of the script is another failure.
        mail.chain[0].frames[0].function = "view_other";
        QVERIFY(computeGrouping(record).fingerprint != computeGrouping(mail).fingerprint);
    }
    void notFoundByPath()
    {
        GroupingInput a, b, c;
        a.statusCode = b.statusCode = c.statusCode = 404;
        a.path = "/products/14/";
        b.path = "/products/21/";
        c.path = "/blog/old-post/";
        a.message = "Not Found: /products/14/";
        QCOMPARE(computeGrouping(a).fingerprint, computeGrouping(b).fingerprint);
        QVERIFY(computeGrouping(a).fingerprint != computeGrouping(c).fingerprint);
        QCOMPARE(computeGrouping(a).title, QStringLiteral("Not Found: /products/<int>/"));
    }
};

QTEST_GUILESS_MAIN(TestGrouping)
#include "tst_grouping.moc"
