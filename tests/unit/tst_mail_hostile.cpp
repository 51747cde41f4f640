// Django e-mail parsing against hostile input (a security review's findings):
// line numbers past any integer, text and HTML tracebacks that do not match,
// and the HTML sample of tests/data/hostile imported end to end.
#include "TestSupport.h"
#include "mail/DjangoReportParser.h"
#include "mail/MailRecord.h"
#include "mail/MimeReader.h"

#include <QFile>

using namespace ed;
using namespace ed::mail;

namespace {

ReportFrame textFrame(const std::string &file, const std::string &function, std::optional<int64_t> line)
{
    ReportFrame f;
    f.filename = file;
    f.function = function;
    f.lineno = line;
    return f;
}

std::string htmlFrame(const std::string &file, const std::string &function, const std::string &line, const std::string &start,
                      const std::string &context)
{
    return "<li class=\"frame user\">\n<code class=\"fname\">" + file + "</code>, line " + line + ", in " + function +
           "\n<ol start=\"" + start + "\" class=\"pre-context\"><li><pre>before</pre></li></ol>\n" + "<ol start=\"" + line +
           "\" class=\"context-line\"><li><pre>" + context + "</pre></li></ol>\n</li>\n";
}

} // namespace

class TestMailHostile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Digits past INT_MAX are no line number (before: signed overflow, UB).
    void hugeLineNumbers()
    {
        DjangoReport report;
        report.hasException = true;
        report.chain.resize(1);
        report.chain[0].frames = {textFrame("/srv/a.py", "view", std::nullopt), textFrame("/srv/b.py", "calc", 41)};
        const std::string html = "<ul class=\"traceback\">" +
                                 htmlFrame("/srv/a.py", "view", "99999999999999999999", "99999999999999999998", "    x = 1") +
                                 htmlFrame("/srv/b.py", "calc", "41", "40", "    y = 2") + "</ul>";
        mergeDjangoHtmlReport(html, report);
        const ReportFrame &a = report.chain[0].frames[0];
        QCOMPARE(a.contextLine, std::string("    x = 1")); // matched by name, its details taken
        QVERIFY(!a.preContextLineno); // but no wrapped line number
        const ReportFrame &b = report.chain[0].frames[1];
        QCOMPARE(b.contextLine, std::string("    y = 2"));
        QCOMPARE(b.preContextLineno, std::optional<int64_t>(40));

        // Just past a C int: not a line either; a frame of the text with a line cannot match it.
        DjangoReport r2;
        r2.hasException = true;
        r2.chain.resize(1);
        r2.chain[0].frames = {textFrame("/srv/a.py", "view", std::nullopt)};
        mergeDjangoHtmlReport(
            "<ul class=\"traceback\">" + htmlFrame("/srv/a.py", "view", "2147483648", "2147483647", "z") + "</ul>", r2);
        QCOMPARE(r2.chain[0].frames[0].preContextLineno, std::optional<int64_t>(2147483647));
        QCOMPARE(r2.chain[0].frames[0].contextLine, std::string("z"));
    }

    // Text frames the page does not have are passed over, and the ones after
    // them still find theirs (indexed, not searched again for each).
    void unmatchedFramesArePassedOver()
    {
        DjangoReport report;
        report.hasException = true;
        report.chain.resize(1);
        auto &frames = report.chain[0].frames;
        std::string html = "<ul class=\"traceback\">";
        for (int i = 0; i < 3000; ++i) {
            frames.push_back(textFrame("/srv/text.py", "t" + std::to_string(i), i + 1));
            html += htmlFrame("/srv/page.py", "p" + std::to_string(i), std::to_string(i + 1), "1", "page");
        }
        // Recursion: the same frame many times, each matched in turn.
        for (int i = 0; i < 3; ++i) {
            frames.push_back(textFrame("/srv/rec.py", "f", 7));
            html += htmlFrame("/srv/rec.py", "f", "7", "6", "rec " + std::to_string(i));
        }
        html += "</ul>";
        mergeDjangoHtmlReport(html, report);
        for (int i = 0; i < 3000; ++i)
            QVERIFY(frames[size_t(i)].contextLine.empty());
        for (int i = 0; i < 3; ++i)
            QCOMPARE(frames[size_t(3000 + i)].contextLine, "rec " + std::to_string(i));
    }

    // Text and attributes unescaped as a browser does (libxml2's HTML parser):
    // named references beyond the five Django writes, numeric ones, <module>.
    void htmlEntitiesAsABrowserReadsThem()
    {
        DjangoReport report;
        report.hasException = true;
        report.chain.resize(1);
        report.chain[0].frames = {textFrame("/srv/caf\xc3\xa9.py", "<module>", 3)};
        const std::string html = "<ul class=\"traceback\">" +
                                 htmlFrame("/srv/caf&eacute;.py", "&lt;module&gt;", "3", "2",
                                           "    s = &#x27;a&amp;b&#39; # &hellip; &copy;") +
                                 "</ul>";
        mergeDjangoHtmlReport(html, report);
        QCOMPARE(report.chain[0].frames[0].contextLine, std::string("    s = 'a&b' # \xe2\x80\xa6 \xc2\xa9"));
        QCOMPARE(report.chain[0].frames[0].preContextLineno, std::optional<int64_t>(2));
    }

    // A page that declares entities or a DTD gets nothing fetched or expanded,
    // and one nested a hundred thousand deep costs no stack (the tree walk is a loop).
    void htmlFetchesNothingAndNestsBounded()
    {
        DjangoReport report;
        report.hasException = true;
        report.chain.resize(1);
        report.chain[0].frames = {textFrame("/srv/a.py", "view", 5), textFrame("/srv/b.py", "deep", 9)};
        std::string html = "<!DOCTYPE html SYSTEM \"http://127.0.0.1:9/evil.dtd\" [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                           "<ul class=\"traceback\">" +
                           htmlFrame("/srv/a.py", "view", "5", "4", "x = '&xxe;'");
        std::string deep = "<li class=\"frame user\">\n<code class=\"fname\">/srv/b.py</code>, line 9, in deep\n";
        for (int i = 0; i < 100000; ++i)
            deep += "<div>";
        deep += "<ol start=\"9\" class=\"context-line\"><li><pre>bottom</pre></li></ol>";
        html += deep + "</li></ul>";
        mergeDjangoHtmlReport(html, report);
        const std::string &line = report.chain[0].frames[0].contextLine;
        QVERIFY2(line.find("root:") == std::string::npos, line.c_str());
        QCOMPARE(line, std::string("x = '&xxe;'"));
        // libxml2's depth limit stays on (no XML_PARSE_HUGE): nothing below
        // depth 256 is read, the frame before it stands, nothing crashed.
        QVERIFY(report.chain[0].frames[1].contextLine.empty());
    }

    // The page is read from libxml2's events (no tree): what is read is what a
    // walk of the tree reads. An element's text is all the text under it;
    // a variables table is read up to its first row that is not the
    // template's; only the first traceback list is read.
    void htmlReadAsItsTreeReads()
    {
        DjangoReport report;
        report.hasException = true;
        report.chain.resize(1);
        report.chain[0].frames = {textFrame("/srv/a.py", "view", 5), textFrame("/srv/b.py", "other", 8)};
        const std::string vars = "<table class=\"vars\"><thead><tr><th>Variable</th><th>Value</th></tr></thead><tbody>"
                                 "<tr><td>us<b>er</b></td><td class=\"code\"><pre>&lt;User: <span>ann</span>&gt;</pre></td></tr>"
                                 "<tr><td>n</td><td class=\"code\"><!-- c --> <pre>1<script>+2</script></pre></td></tr>"
                                 "<tr><td>cut</td><td class=\"code\"><div>not a pre</div></td></tr>"
                                 "<tr><td>after</td><td class=\"code\"><pre>never read</pre></td></tr></tbody></table>";
        const std::string html = "<ul class=\"traceback\"><li class=\"frame user\">\n<code class=\"fname\">/srv/a.py</code>, "
                                 "line 5, in view\n<ol start=\"5\" class=\"context-line\"><li><pre>    </pre></li></ol>" +
                                 vars + "</li></ul><ul class=\"traceback\">" + htmlFrame("/srv/b.py", "other", "8", "7", "two") +
                                 "</ul>";
        mergeDjangoHtmlReport(html, report);
        const ReportFrame &a = report.chain[0].frames[0];
        QCOMPARE(a.inApp, std::optional<bool>(true));
        QCOMPARE(a.contextLine, std::string("    ")); // a line of blanks is a line
        QVERIFY(a.hasVars);
        const KeyValues expected = {{"user", "<User: ann>"}, {"n", "1+2"}};
        QCOMPARE(a.vars, expected);
        // The second list is not read: its frame adds nothing.
        QVERIFY(report.chain[0].frames[1].contextLine.empty());
        QVERIFY(!report.chain[0].frames[1].inApp);
    }

    // The security review's minimized sample goes through MIME and the report
    // parsers into a record without a wrapped line number.
    void hostileSampleImports()
    {
        QFile f(QStringLiteral(ERRORDECK_TEST_DATA "/hostile/mail-ubsan-signed-overflow-html-lineno.min.eml"));
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
        const QByteArray bytes = f.readAll();
        auto mail = readMimeMessage(std::string_view(bytes.constData(), size_t(bytes.size())));
        QVERIFY2(mail, qPrintable(mail ? QString() : mail.error()));
        QVERIFY(mail->hasHtml);
        QVERIFY(mail->html.find("line 9999999999999999994") != std::string::npos);
        std::string json;
        auto r = mailToV1Record(*mail, json);
        // A record or a clear refusal (run under UBSan, no overflow either).
        QVERIFY(r ? !json.empty() : !r.error().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMailHostile)
#include "tst_mail_hostile.moc"
