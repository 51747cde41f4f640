#pragma once
// The search language's words and grammar, private to store/SearchQuery.cpp:
// the tokenizer (words, quotes, fields, parentheses, OR) and the recursive
// descent over it, which hands each field:value word to a callback.
#include "store/SearchQuery.h"

#include <functional>
#include <variant>

namespace ed::search {

// One word of the typed text, with where it is (for the underline).
struct Word {
    bool negated = false;
    QString field; // lower case; empty for free text
    QString value; // quotes removed
    QString rawValue; // as typed after the colon (message:= tells exact from part by it)
    qsizetype start = 0, end = 0; // the whole word, '-' included
    qsizetype valueStart = 0; // where the value begins
};

using TermOrProblem = std::variant<SearchTerm, SearchProblem>;
// Reads one field:value word (an empty field is free text); sets showHidden for is:hidden.
using WordReader = std::function<TermOrProblem(const Word &, bool &showHidden)>;

// The terms of `text`, or the first problem in it.
std::variant<ParsedSearch, SearchProblem> parse(const QString &text, const WordReader &read);

// The known name closest to `typed` (a typo's distance), or empty.
QString closest(const QString &typed, const QStringList &names);

} // namespace ed::search
