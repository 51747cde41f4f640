// model/ReportJson.cpp's reportFromRecord(): the one reading of a v1 record
// (docs/report-format.md) into the typed Report everything else uses.
#include "model/ReportJson.h"
#include "model/SourceLocation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace ed;

namespace {

QJsonObject parse(const char *json) { return QJsonDocument::fromJson(QByteArray(json)).object(); }

} // namespace

class TestReportModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // A frame's site path to the local checkout: longest root first, never
    // out of the checkout, only files that exist; the editor's command line.
    void sourceLocationAndEditor()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("shop/vendor")));
        for (const char *name : {"shop/views.py", "shop/vendor/lib.py", "secret.txt"}) {
            QFile f(dir.filePath(QString::fromLatin1(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            for (int i = 1; i <= 20; ++i)
                f.write(QByteArray("line ") + QByteArray::number(i) + "\n");
        }
        const auto roots = parseSourceRoots({QStringLiteral("/srv/shop/=") + dir.filePath(QStringLiteral("shop")),
                                             QStringLiteral("/opt/vendor=") + dir.filePath(QStringLiteral("shop/vendor")),
                                             QStringLiteral("no equals sign")});
        QCOMPARE(roots.size(), size_t(2));
        QCOMPARE(localSourceFile(QStringLiteral("/srv/shop/views.py"), roots), dir.filePath(QStringLiteral("shop/views.py")));
        QCOMPARE(localSourceFile(QStringLiteral("/opt/vendor/lib.py"), roots),
                 dir.filePath(QStringLiteral("shop/vendor/lib.py")));
        QVERIFY(!localSourceFile(QStringLiteral("/srv/shop/missing.py"), roots));
        QVERIFY(!localSourceFile(QStringLiteral("/srv/shopping/views.py"), roots));
        QVERIFY(!localSourceFile(QStringLiteral("/srv/shop/../secret.txt"), roots));

        const auto c = readLocalContext(dir.filePath(QStringLiteral("shop/views.py")), 3, 2, 2);
        QVERIFY(c);
        QCOMPARE(c->firstLineno, 1);
        QCOMPARE(c->lines, (QStringList{QStringLiteral("line 1"), QStringLiteral("line 2"), QStringLiteral("line 3"),
                                        QStringLiteral("line 4"), QStringLiteral("line 5")}));
        QVERIFY(!readLocalContext(dir.filePath(QStringLiteral("shop/views.py")), 21)); // another version of the file

        EditorLaunch l = editorLaunch(QStringLiteral("code --goto \"{file}:{line}\""), QStringLiteral("/h/my code/v.py"), 7, {});
        QCOMPARE(l.program, QStringLiteral("code"));
        QCOMPARE(l.arguments, (QStringList{QStringLiteral("--goto"), QStringLiteral("/h/my code/v.py:7")}));
        l = editorLaunch(QStringLiteral("vscode://file/{file}:{line}"), QStringLiteral("/h/my code/v.py"), 7, {});
        QCOMPARE(l.url, QStringLiteral("vscode://file//h/my%20code/v.py:7"));
        l = editorLaunch({}, QStringLiteral("/h/v.py"), 7, QStringLiteral("gvim -f"));
        QCOMPARE(l.program, QStringLiteral("gvim"));
        QCOMPARE(l.arguments, (QStringList{QStringLiteral("-f"), QStringLiteral("+7"), QStringLiteral("/h/v.py")}));
        l = editorLaunch({}, QStringLiteral("/h/v.py"), 7, {});
        QCOMPARE(l.url, QStringLiteral("file:///h/v.py"));
    }

    // The chain: the raised exception first, then its causes; cause_explicit
    // belongs to the exception whose cause it describes.
    void chainAndFrames()
    {
        const Report r = reportFromRecord(parse(R"({
            "timestamp": 1700000000, "level": 40, "message": "boom", "status_code": 500,
            "exception": {"type": "KeyError", "value": "'k'", "cause_explicit": true,
                "frames": [{"filename": "/srv/b.py", "function": "fb", "lineno": 9, "context_line": "",
                            "pre_context": ["a", "b"], "in_app": true, "vars": {"x": "1", "n": 2}}],
                "cause": {"type": "ValueError", "value": "bad int",
                    "frames": [{"filename": "/srv/a.py", "function": "fa", "lineno": 3}]}}})"));
        QCOMPARE(r.timestamp, QStringLiteral("1700000000"));
        QCOMPARE(r.level, QStringLiteral("40"));
        QCOMPARE(r.statusCode, std::optional<int>(500));
        QCOMPARE(r.exceptions.size(), size_t(2));
        QCOMPARE(r.raised()->type, QStringLiteral("KeyError"));
        QVERIFY(r.exceptions[0].causeExplicit);
        QVERIFY(!r.exceptions[1].causeExplicit);
        const std::vector<const ExceptionInfo *> rootFirst = r.chainRootFirst();
        QCOMPARE(rootFirst.front()->type, QStringLiteral("ValueError"));
        const Frame &b = r.exceptions[0].frames[0];
        QVERIFY(b.inApp);
        QCOMPARE(b.contextLine, std::optional<QString>(QString())); // present, empty
        QVERIFY(!b.preContextLineno);
        QCOMPARE(b.preContext, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(b.vars.size(), size_t(2));
        QCOMPARE(entryText(b.vars, u"n"), QStringLiteral("2"));
        QVERIFY(!r.exceptions[1].frames[0].contextLine); // absent
        QVERIFY(!r.request);
    }

    // QueryDict lists: the last value for Django's report, Python's list for people.
    void requestValues()
    {
        const Report r = reportFromRecord(parse(R"({"request": {"method": "POST", "path": "/p/",
            "GET": {"step": ["1", "2"], "flag": true, "none": null},
            "META": {"REMOTE_ADDR": "203.0.113.9"}}, "settings": {"DEBUG": "False"}})"));
        QVERIFY(r.request);
        QCOMPARE(r.request->method, QStringLiteral("POST"));
        const Value *step = findEntry(r.request->get, u"step");
        QVERIFY(step);
        QCOMPARE(step->lastText(), QStringLiteral("2"));
        QCOMPARE(step->displayText(), QStringLiteral("['1', '2']"));
        QCOMPARE(step->text(), QStringLiteral("[\"1\",\"2\"]"));
        QCOMPARE(findEntry(r.request->get, u"flag")->text(), QStringLiteral("True"));
        QCOMPARE(findEntry(r.request->get, u"none")->text(), QString());
        QCOMPARE(findEntry(r.request->get, u"none")->displayText(), QStringLiteral("None"));
        QCOMPARE(entryText(r.request->meta, u"REMOTE_ADDR"), QStringLiteral("203.0.113.9"));
        QCOMPARE(entryText(r.settings, u"DEBUG"), QStringLiteral("False"));
        QVERIFY(r.exceptions.empty());
    }

    // Fields of the wrong JSON type read as absent; a hostile chain is bounded.
    void wrongTypesAndDeepChains()
    {
        Report r = reportFromRecord(parse(R"({"request": "GET /", "exception": {}, "status_code": "500", "settings": []})"));
        QVERIFY(!r.request);
        QVERIFY(r.exceptions.empty());
        QVERIFY(!r.statusCode);
        QVERIFY(r.settings.empty());
        QJsonObject e{{QStringLiteral("type"), QStringLiteral("E")}};
        for (int i = 0; i < 500; ++i)
            e = QJsonObject{{QStringLiteral("type"), QStringLiteral("E")}, {QStringLiteral("cause"), e}};
        r = reportFromRecord(QJsonObject{{QStringLiteral("exception"), e}});
        QCOMPARE(r.exceptions.size(), size_t(200));
    }
};

QTEST_GUILESS_MAIN(TestReportModel)
#include "tst_report_model.moc"
