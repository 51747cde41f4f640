// The template scanner (mail/TemplateHtmlScanner.h) against libxml2: every
// Django page of the corpus, and thousands of mutated copies of them, read
// both ways give the same frames; and the corpus's pages are the scanner's
// (it answers Stopped, not Unsure), so the fast path is the path taken.
#include "TestSupport.h"
#include "mail/DjangoReportParser.h"
#include "mail/MailSplitter.h"
#include "mail/MimeReader.h"
#include "mail/TemplateHtmlScanner.h"

#include <QDir>

#include <random>

using namespace ed;
using namespace ed::mail;

namespace {

struct Page {
    std::string name, text, html;
};

std::vector<Page> corpusPages()
{
    std::vector<Page> pages;
    const QDir dir(QStringLiteral(ERRORDECK_CORPUS "/emails"));
    for (const QString &file : dir.entryList({QStringLiteral("*.log")}, QDir::Files, QDir::Name)) {
        auto splitter = MailSplitter::open(dir.filePath(file));
        if (!splitter)
            continue;
        MailChunk chunk;
        while ((*splitter)->next(chunk)) {
            auto mail = readMimeMessage(chunk.raw, chunk.fromLine);
            if (mail && mail->hasHtml && mail->hasText)
                pages.push_back({file.toStdString() + "#" + std::to_string(chunk.number), mail->text, mail->html});
        }
    }
    return pages;
}

// Every field the HTML adds to a frame, as one string to compare.
std::string framesOf(const std::string &text, const std::string &html, bool templateScanner)
{
    std::optional<DjangoReport> report = parseDjangoTextReport(text);
    if (!report)
        return "no report";
    mergeDjangoHtmlReport(html, *report, templateScanner);
    std::string out;
    for (const ReportException &e : report->chain) {
        for (const ReportFrame &f : e.frames) {
            out += f.filename + "|" + f.function + "|" + (f.inApp ? (*f.inApp ? "user" : "django") : "?") + "|" + f.contextLine +
                   "|" + (f.preContextLineno ? std::to_string(*f.preContextLineno) : "-") + "|";
            for (const std::string &l : f.preContext)
                out += l + "\x1f";
            out += "|";
            for (const std::string &l : f.postContext)
                out += l + "\x1f";
            out += f.hasVars ? "|vars:" : "|novars";
            for (const auto &[k, v] : f.vars)
                out += k + "=" + v + "\x1f";
            out += "\n";
        }
    }
    return out;
}

// Stops where the traceback list ends, as the frames' reader does.
class Counter final : public TemplateHtmlEvents {
public:
    bool start(const char *name, const char **) override
    {
        ++starts;
        open.emplace_back(name);
        return true;
    }
    bool end() override
    {
        const bool list = open.back() == "ul";
        open.pop_back();
        return !list;
    }
    void text(std::string_view) override { }
    int starts = 0;
    std::vector<std::string> open;
};

} // namespace

class TestMailHtmlScanner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void corpusPagesAreTheScanners()
    {
        const std::vector<Page> pages = corpusPages();
        QVERIFY2(pages.size() >= 40, std::to_string(pages.size()).c_str());
        for (const Page &p : pages) {
            const size_t start = p.html.find("<div id=\"traceback\">");
            QVERIFY2(start != std::string::npos, p.name.c_str());
            const size_t end = p.html.find("<div id=\"requestinfo\">", start);
            Counter counter;
            QVERIFY2(scanTemplateHtml(std::string_view(p.html).substr(start, end - start), counter) == ScanResult::Stopped,
                     p.name.c_str());
            QVERIFY(counter.starts > 3);
        }
    }

    void sameFramesAsLibxml()
    {
        int withVars = 0;
        for (const Page &p : corpusPages()) {
            const std::string slow = framesOf(p.text, p.html, false);
            QCOMPARE(framesOf(p.text, p.html, true), slow);
            withVars += slow.find("|vars:") != std::string::npos;
        }
        QVERIFY(withVars > 10); // the pages carry what the comparison is about
    }

    // The template's own elements where the template does not put them, so
    // that libxml2 closes elements by its rules (a <tr> in a <tr>, an <li> in
    // an <li>) while the end tags still match: the scanner must leave these
    // to libxml2.
    void misplacedElementsReadTheSame()
    {
        static const char *const kAnchors[] = {
            "<tr>", "<li onclick", "<pre>", "<td class=\"code\">", "<ol start", "<li class=\"frame", "<table class=\"vars\"",
            "<td>", "<tbody>",     "<h3>",  "<code class"};
        static const char *const kInserts[] = {
            "<tr><td>x</td><td class=\"code\"><pre>1</pre></td></tr>",
            "<li><pre>extra</pre></li>",
            "<td>y</td>",
            "<ol start=\"1\" class=\"pre-context\"><li><pre>p</pre></li></ol>",
            "<table class=\"vars\"><tbody><tr><td>a</td><td class=\"code\"><pre>b</pre></td></tr></tbody></table>",
            "<div><h3>x</h3></div>",
            "<ul><li>z</li></ul>",
            "<code class=\"fname\">f</code>",
            "<thead><tr><th>V</th></tr></thead>",
            "<h2>t</h2>",
            "<pre>q</pre>"};
        int compared = 0;
        for (const Page &p : corpusPages()) {
            for (const char *anchor : kAnchors) {
                const size_t a = p.html.find(anchor, p.html.find("<div id=\"traceback\">"));
                if (a == std::string::npos)
                    continue;
                const size_t at = p.html.find('>', a) + 1;
                for (const char *insert : kInserts) {
                    std::string html = p.html;
                    html.insert(at, insert);
                    QCOMPARE(framesOf(p.text, html, true), framesOf(p.text, html, false));
                    ++compared;
                }
            }
        }
        QVERIFY(compared > 1000);
    }

    // Mutations around what the scanner refuses or must read exactly:
    // entities, tags out of place, end tags that do not match, comments,
    // control characters, attributes.
    void mutatedPagesReadTheSame()
    {
        static const char *const kInserts[] = {
            "<",
            ">",
            "&",
            "&amp;",
            "&lt;",
            "&#x27;",
            "&#39;",
            "&#0;",
            "&#x80;",
            "&#xfffe;",
            "&apos;",
            "&nbsp;",
            "&ampx",
            "\r",
            "\r\n",
            "\x01",
            "\x7f",
            "\n",
            "<!-- c -->",
            "<b>",
            "</b>",
            "<li>",
            "</li>",
            "<p>",
            "</pre>",
            "<pre>",
            "<td>",
            "</td>",
            "<tr>",
            "</tr>",
            "<LI>",
            "<br>",
            "<br/>",
            "</ol>",
            "<ol start=\"3\" class=\"pre-context\">",
            "<script>x</script>",
            "<![CDATA[x]]>",
            "<?pi?>",
            " class=\"x\"",
            " class='frame user'",
            "\xc2\x85",
            "\xef\xbf\xbf",
            "\xff",
            "<table class=\"vars\">",
            "</table>",
            "<div>",
            "</div>",
            "</ul>",
            "<h3>",
            "<span>",
        };
        std::mt19937 rng(13);
        int compared = 0;
        for (const Page &p : corpusPages()) {
            const size_t start = p.html.find("<div id=\"traceback\">");
            const size_t end = p.html.find("<div id=\"requestinfo\">", start);
            for (int k = 0; k < 60; ++k) {
                std::string html = p.html;
                const size_t at = start + rng() % (end - start);
                switch (rng() % 4) {
                case 0: html.erase(at, 1 + rng() % 8); break;
                case 1: html.insert(at, html.substr(start + rng() % (end - start), 1 + rng() % 40)); break;
                default: html.insert(at, kInserts[rng() % std::size(kInserts)]); break;
                }
                QCOMPARE(framesOf(p.text, html, true), framesOf(p.text, html, false));
                ++compared;
            }
        }
        QVERIFY(compared > 2000);
    }
};

QTEST_GUILESS_MAIN(TestMailHtmlScanner)
#include "tst_mail_html_scanner.moc"
