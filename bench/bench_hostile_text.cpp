// Hostile text against the parsers and the scrubber, timed (never in CTest):
//   - an e-mail whose text and HTML tracebacks disagree (~11 MB of frames):
//     matching them was quadratic (6.4 s); target: well under 0.5 s;
//   - a 40 KB record of "aaaa…!" runs under a scrubbing pattern that
//     backtracks past PCRE2's match limit: was 17 s; target: under 0.1 s.
// Usage: bench_hostile_text [frames]
#include "filters/SecretScrubber.h"
#include "mail/DjangoReportParser.h"

#include <QElapsedTimer>
#include <cstdio>
#include <string>

using namespace ed;

int main(int argc, char **argv)
{
    const int n = argc > 1 ? std::atoi(argv[1]) : 40000;
    mail::DjangoReport report;
    report.hasException = true;
    report.chain.resize(1);
    std::string html = "<ul class=\"traceback\">";
    for (int i = 0; i < n; ++i) {
        mail::ReportFrame f;
        f.filename = "/srv/shop/text_" + std::to_string(i) + ".py";
        f.function = "view";
        f.lineno = i + 1;
        report.chain[0].frames.push_back(f);
        html += "<li class=\"frame user\">\n<code class=\"fname\">/srv/shop/page_" + std::to_string(i) + ".py</code>, line " +
                std::to_string(i + 1) + ", in view\n<ol start=\"" + std::to_string(i + 1) +
                "\" class=\"context-line\"><li><pre>    x = compute(request, " + std::string(150, 'x') +
                ")</pre></li></ol>\n</li>\n";
    }
    html += "</ul>";
    QElapsedTimer t;
    t.start();
    mail::mergeDjangoHtmlReport(html, report);
    std::printf("match %d text frames against %d page frames (%.1f MB of HTML): %.3f s (target < 0.5 s)\n", n, n,
                double(html.size()) / (1 << 20), double(t.nsecsElapsed()) / 1e9);

    ScrubSettings st;
    st.valuePatterns = {QStringLiteral("(?:a+)+$|sk_live_[A-Za-z0-9]+")};
    auto scrubber = SecretScrubber::create(st);
    if (!scrubber) {
        std::fprintf(stderr, "%s\n", qPrintable(scrubber.error()));
        return 1;
    }
    std::string record;
    while (record.size() < 40000)
        record += std::string(40, 'a') + "! ";
    record += "sk_live_ABC123";
    t.start();
    (*scrubber)->scrubText(record);
    std::printf("scrub a 40 KB text under a backtracking pattern: %.3f s (target < 0.1 s), secret %s\n",
                double(t.nsecsElapsed()) / 1e9, record.find("sk_live_") == std::string::npos ? "masked" : "LEFT IN CLEAR");
    return 0;
}
