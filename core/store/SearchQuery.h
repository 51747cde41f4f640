#pragma once
// The search language of the search bar and `errordeck-cli list --query`,
// after Sentry's: free text (full-text search) plus fields:
//   level:error  level:>=warning  status:500  status:5xx  status:>=400
//   logger:django.request (the logger and its children)  path:/api (a prefix, any case)  path:/api/*/items/
//   type:KeyError  is:unresolved|resolved|ignored|regression|hidden
//   site:shop.example.com  issue:42  after:2026-11-01  before:2026-11-20T12:00
//   message:timeout (a part, any case)  message:="exact text"  type:keyerror (any case)
//   after:-7d  after:yesterday  before:today  age:-24h (newer)  age:+30d (older)
// A leading '-' or '!' negates a term; "quoted text" keeps spaces together.
// Terms side by side must all hold; OR between them (upper case) takes either,
// and binds looser: `a b OR c` is `(a b) OR c`; parentheses group.
// docs/search.md is the user's reference; keep it in step.
#include "base/Result.h"
#include "base/Timestamp.h"

#include <QString>
#include <QStringList>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace ed {

// One term of a parsed search, in domain terms; store/sqlite/SearchSql.h
// translates it for the engine.
struct SearchTerm {
    enum class Kind {
        Text, // free text (full-text search, as a prefix)
        Level, // compare with `number`
        Status, // compare with `number`
        StatusRange, // number..upTo, inclusive (5xx)
        Logger, // `text` and its children
        Path,
        Message, // `text`, with * and ? wildcards when `wildcard`
        ExceptionType,
        Site,
        EventId, // `text`, exactly
        Issue, // the issue id `number`
        After,
        Before, // ms since the epoch: at or after / before `number`
        Hidden, // hidden by a rule or a person
        IssueStatus, // the issue's IssueStatus as `number`
        Regression, // the issue came back after it was resolved
        AnyOf, // any of `anyOf`, each a list of terms that must all hold (OR, parentheses)
    };
    enum class Compare { Equal, AtLeast, AtMost, Above, Below };

    Kind kind = Kind::Text;
    bool negated = false;
    Compare compare = Compare::Equal;
    int64_t number = 0, upTo = 0;
    QString text;
    bool wildcard = false;
    bool substring = false; // Message: `text` anywhere in it, any case
    std::vector<std::vector<SearchTerm>> anyOf; // AnyOf: the alternatives
};

// Where and why a search does not parse: the search bar underlines
// [start, start + length) of the typed text and shows the message.
struct SearchProblem {
    qsizetype start = 0, length = 0; // in QString (UTF-16) units of the typed text
    QString message; // "unknown field 'staus'"
    QString suggestion; // "status:" when one is close, else empty
    // "column 1: unknown field 'staus'; did you mean status:?"
    QString text() const;
};

struct ParsedSearch {
    std::vector<SearchTerm> terms;
    bool showHidden = false; // includeHidden or an is:hidden term: hidden reports are not left out
};

// The issue list's views (Sentry's): Unresolved (the default: resolved and
// ignored issues leave it; an ignore that ran out is unresolved again), For
// review (unresolved, not marked reviewed, and new in the last
// kReviewDays days or regressed), Resolved, Ignored, All. A view narrows the
// issue list and its counts (ReportStore::listIssues, ListQueries), not the
// report list: reports are searched across every issue.
enum class IssueView { Unresolved, ForReview, Resolved, Ignored, All };
constexpr int kReviewDays = 7;
// "unresolved", "review", "resolved", "ignored", "all".
QString issueViewName(IssueView v);
std::optional<IssueView> issueViewFromName(const QString &name);
// "30m", "24h", "7d", "2w" (s, m, h, d, w, as age:) in ms; nullopt otherwise.
std::optional<int64_t> spanMs(const QString &text);
constexpr size_t kIssueViewCount = 5;
constexpr IssueView kAllIssueViews[kIssueViewCount] = {IssueView::Unresolved, IssueView::ForReview, IssueView::Resolved,
                                                       IssueView::Ignored, IssueView::All};

struct SearchQuery {
    QString text; // what the user typed
    // The issue list's view; none: every issue (the CLI's and the tests' default).
    std::optional<IssueView> view;

    // Narrowing that is not in the text: the UI's time range and selected issue.
    std::optional<int64_t> since, until; // ms, inclusive / exclusive
    std::optional<int64_t> issueId;
    bool includeHidden = false;

    // The zone of after:/before: times written without Z or an offset, and of
    // `today` / `yesterday`: the zone the lists show.
    DisplayZone zone = DisplayZone::Utc;
    // "Now" for relative dates (after:-7d, age:-24h); the clock when unset.
    std::optional<int64_t> now;

    // The typed text's terms; an unknown field or a bad value is an error
    // (ErrorKind::InvalidInput) that says what is wrong. After check(), while
    // `text` is still what it checked, the kept terms without parsing again.
    Result<ParsedSearch> parse() const;

    // Parses the text once and keeps its terms in `checked` (the error parse()
    // gives when it does not parse). The search bar checks what is typed; the
    // query then goes to the lists, the chart and every page they load, each a
    // store call that needs the terms, and none of them parses it again.
    Result<void> check();
    // After a check() that failed: where and why (the error's text is problem->text()).
    std::optional<SearchProblem> problem;

    // What check() kept: the text it parsed and that text's terms. Shared by
    // the copies of the query (the jobs of other threads) and never changed.
    struct Checked {
        QString text;
        ParsedSearch parsed; // showHidden: an is:hidden term (includeHidden is added by parse())
        DisplayZone zone = DisplayZone::Utc; // the zone it read times in
    };
    std::shared_ptr<const Checked> checked;

    // Field names, for completion in the search bar.
    static QStringList fieldNames();
};

} // namespace ed
