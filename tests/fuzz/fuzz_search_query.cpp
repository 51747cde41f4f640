// The search language (SearchQuery::parse and its SQL), with the SQL it makes run against
// a real, empty ErrorDeck database as the report list, the count and the issue
// list run it. A query parse() accepts must also be one SQLite accepts: the
// language reports bad values itself, with its own message.
#include "FuzzSupport.h"
#include "store/ReportStore.h"
#include "store/SearchQuery.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ed::ReportStore store(ed::fuzz::scratchDatabase());
    ed::SearchQuery q;
    q.text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    if (!q.parse())
        return 0;
    const auto reports = store.listReports(q, 10);
    if (!reports)
        std::fprintf(stderr, "the list fails: %s\n", qPrintable(reports.error()));
    FUZZ_CHECK(reports.ok());
    const auto count = store.countReports(q);
    if (!count)
        std::fprintf(stderr, "the count fails: %s\n", qPrintable(count.error()));
    FUZZ_CHECK(count.ok());
    const auto issues = store.listIssues(q, 10);
    if (!issues)
        std::fprintf(stderr, "the issue list fails: %s\n", qPrintable(issues.error()));
    FUZZ_CHECK(issues.ok());
    return 0;
}
