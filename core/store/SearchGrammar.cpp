#include "store/SearchGrammar.h"

#include <algorithm>

namespace ed::search {
namespace {

struct Token {
    enum Type { Term, Open, Close, Or, And } type = Term;
    Word word; // Term: the word; Open: negated, start/end
};

bool isFieldName(const QString &word)
{
    if (word.isEmpty() || !word.front().isLetter())
        return false;
    return std::all_of(word.begin(), word.end(),
                       [](QChar c) { return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('.'); });
}

SearchProblem problemAt(qsizetype start, qsizetype end, const QString &message, const QString &suggestion = {})
{
    return SearchProblem{start, std::max<qsizetype>(1, end - start), message, suggestion};
}

// Splits on spaces, keeping "quoted text" together (quotes removed). Control
// characters (a NUL pasted in, a tab) separate words as spaces do: FTS5 and
// SQLite's C strings end at a NUL, and no report text holds one to match.
// '(' opening a word and ')' closing one (unless the word opened it, as in
// message:f()) group; OR and AND in upper case are operators.
std::variant<QList<Token>, SearchProblem> tokenize(const QString &typed)
{
    QString text = typed;
    for (QChar &c : text)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QLatin1Char(' ');
    QList<Token> tokens;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && text[i].isSpace())
            ++i;
        if (i >= n)
            break;
        Token t;
        t.word.start = i;
        if (text[i] == QLatin1Char(')')) {
            t.type = Token::Close;
            t.word.end = ++i;
            tokens.append(t);
            continue;
        }
        if (text[i] == QLatin1Char('-') || text[i] == QLatin1Char('!')) {
            t.word.negated = true;
            ++i;
        }
        if (i < n && text[i] == QLatin1Char('(')) {
            t.type = Token::Open;
            t.word.end = ++i;
            tokens.append(t);
            continue;
        }
        QString word;
        bool inQuote = false, quoted = false;
        int depth = 0; // parentheses the word itself opened
        qsizetype quoteStart = -1;
        t.word.valueStart = i;
        while (i < n && (inQuote || !text[i].isSpace())) {
            const QChar c = text[i];
            if (c == QLatin1Char('"')) {
                inQuote = !inQuote;
                quoted = true;
                quoteStart = i;
            } else if (!inQuote && c == QLatin1Char(')') && depth == 0) {
                break; // closes a group
            } else if (!inQuote && c == QLatin1Char(':') && t.word.field.isEmpty() && !quoted && isFieldName(word)) {
                t.word.field = word.toLower();
                word.clear();
                t.word.valueStart = i + 1;
            } else {
                if (!inQuote && c == QLatin1Char('('))
                    ++depth;
                else if (!inQuote && c == QLatin1Char(')'))
                    --depth;
                word += c;
            }
            ++i;
        }
        if (inQuote)
            return problemAt(quoteStart, n, QStringLiteral("a quote is not closed"));
        t.word.end = i;
        t.word.value = word;
        t.word.rawValue = typed.mid(t.word.valueStart, i - t.word.valueStart);
        if (!quoted && !t.word.negated && t.word.field.isEmpty() && (word == QLatin1String("OR") || word == QLatin1String("AND")))
            t.type = word == QLatin1String("OR") ? Token::Or : Token::And;
        if (t.type != Token::Term || !t.word.value.isEmpty() || !t.word.field.isEmpty())
            tokens.append(t);
    }
    return tokens;
}

// Recursive descent: or := and ('OR' and)*; and := unary+; unary := '-'? ('(' or ')' | word).
class Parser {
public:
    Parser(const QList<Token> &tokens, const WordReader &read, qsizetype textSize)
        : m_tokens(tokens), m_read(read), m_textSize(textSize)
    {
    }

    std::variant<ParsedSearch, SearchProblem> run()
    {
        ParsedSearch out;
        if (m_tokens.isEmpty())
            return out;
        auto alternatives = anyOf(0);
        if (!m_problem && m_at < m_tokens.size()) // only a stray ')' stops anyOf early
            fail(m_tokens[m_at].word.start, m_tokens[m_at].word.end, QStringLiteral("')' without a '(' before it"));
        if (m_problem)
            return *m_problem;
        out.showHidden = m_showHidden;
        if (alternatives.size() == 1) {
            out.terms = std::move(alternatives.front());
        } else {
            SearchTerm t;
            t.kind = SearchTerm::Kind::AnyOf;
            t.anyOf = std::move(alternatives);
            out.terms.push_back(std::move(t));
        }
        return out;
    }

private:
    static constexpr int kMaxDepth = 32; // nested parentheses; deeper is no search a person types

    const Token *peek() const { return m_at < m_tokens.size() ? &m_tokens[m_at] : nullptr; }
    void fail(qsizetype start, qsizetype end, const QString &message)
    {
        if (!m_problem)
            m_problem = problemAt(start, end, message);
    }

    std::vector<std::vector<SearchTerm>> anyOf(int depth)
    {
        std::vector<std::vector<SearchTerm>> out;
        out.push_back(allOf(depth));
        while (!m_problem && peek() && peek()->type == Token::Or) {
            const Token &op = m_tokens[m_at++];
            if (!peek() || peek()->type == Token::Close || peek()->type == Token::Or) {
                fail(op.word.start, op.word.end, QStringLiteral("'OR' needs a term after it"));
                break;
            }
            out.push_back(allOf(depth));
        }
        return out;
    }

    std::vector<SearchTerm> allOf(int depth)
    {
        std::vector<SearchTerm> out;
        while (!m_problem && peek() && peek()->type != Token::Close && peek()->type != Token::Or) {
            const Token &t = m_tokens[m_at++];
            if (t.type == Token::And) {
                if (out.empty() || !peek() || peek()->type == Token::Close || peek()->type == Token::Or)
                    fail(t.word.start, t.word.end, QStringLiteral("'AND' needs a term on each side"));
                continue;
            }
            if (t.type == Token::Term) {
                auto term = m_read(t.word, m_showHidden);
                if (auto *p = std::get_if<SearchProblem>(&term))
                    m_problem = *p;
                else
                    out.push_back(std::move(std::get<SearchTerm>(term)));
                continue;
            }
            // '(' ... ')'
            if (depth >= kMaxDepth) {
                fail(t.word.start, t.word.end, QStringLiteral("parentheses nested too deep"));
                break;
            }
            auto inner = anyOf(depth + 1);
            if (m_problem)
                break;
            if (!peek() || peek()->type != Token::Close) {
                fail(t.word.start, t.word.end, QStringLiteral("'(' is not closed"));
                break;
            }
            ++m_at;
            if (inner.size() == 1 && !t.word.negated) {
                // Parentheses around terms that must all hold are no group.
                for (SearchTerm &x : inner.front())
                    out.push_back(std::move(x));
            } else {
                SearchTerm group;
                group.kind = SearchTerm::Kind::AnyOf;
                group.negated = t.word.negated;
                group.anyOf = std::move(inner);
                out.push_back(std::move(group));
            }
        }
        if (!m_problem && out.empty()) {
            const Token *next = peek();
            if (next && next->type == Token::Or)
                fail(next->word.start, next->word.end, QStringLiteral("'OR' needs a term before it"));
            else if (next && next->type == Token::Close)
                fail(next->word.start, next->word.end,
                     m_at > 0 && m_tokens[m_at - 1].type == Token::Open ? QStringLiteral("empty parentheses")
                                                                        : QStringLiteral("')' without a '(' before it"));
            else
                fail(m_textSize, m_textSize, QStringLiteral("a term is missing"));
        }
        return out;
    }

    const QList<Token> &m_tokens;
    const WordReader &m_read;
    qsizetype m_textSize;
    qsizetype m_at = 0;
    bool m_showHidden = false;
    std::optional<SearchProblem> m_problem;
};

// Optimal string alignment distance (Levenshtein with adjacent transpositions).
int typoDistance(const QString &a, const QString &b)
{
    const qsizetype n = a.size(), m = b.size();
    std::vector<std::vector<int>> d(size_t(n + 1), std::vector<int>(size_t(m + 1)));
    for (qsizetype i = 0; i <= n; ++i)
        d[size_t(i)][0] = int(i);
    for (qsizetype j = 0; j <= m; ++j)
        d[0][size_t(j)] = int(j);
    for (qsizetype i = 1; i <= n; ++i)
        for (qsizetype j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int &x = d[size_t(i)][size_t(j)];
            x = std::min(
                {d[size_t(i - 1)][size_t(j)] + 1, d[size_t(i)][size_t(j - 1)] + 1, d[size_t(i - 1)][size_t(j - 1)] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                x = std::min(x, d[size_t(i - 2)][size_t(j - 2)] + 1);
        }
    return d[size_t(n)][size_t(m)];
}

} // namespace

std::variant<ParsedSearch, SearchProblem> parse(const QString &text, const WordReader &read)
{
    auto tokens = tokenize(text);
    if (auto *p = std::get_if<SearchProblem>(&tokens))
        return *p;
    return Parser(std::get<QList<Token>>(tokens), read, text.size()).run();
}

QString closest(const QString &typed, const QStringList &names)
{
    const QString t = typed.toLower();
    if (t.size() > 40) // no name is that long; the distance table would only grow
        return {};
    QString best;
    int bestDistance = 3; // a typo is one or two edits; more is another word
    for (const QString &name : names) {
        const int d = typoDistance(t, name);
        // A short word needs a closer match: "is" is not a typo of "id".
        if (d < bestDistance && d < std::max<qsizetype>(2, name.size() / 2)) {
            best = name;
            bestDistance = d;
        }
    }
    return best;
}

} // namespace ed::search
