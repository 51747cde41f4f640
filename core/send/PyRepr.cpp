#include "send/PyRepr.h"

#include <QRegularExpression>

namespace ed::pyrepr {
namespace {

// Python's str.isprintable(): everything but the "Other" and "Separator"
// categories, except the plain space.
bool printable(char32_t c)
{
    if (c == U' ')
        return true;
    switch (QChar::category(c)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse:
    case QChar::Other_NotAssigned:
    case QChar::Separator_Space:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph: return false;
    default: return true;
    }
}

bool isLiteral(const QString &s)
{
    static const QRegularExpression number(QStringLiteral(R"(^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?j?$)"));
    if (s == QLatin1String("None") || s == QLatin1String("True") || s == QLatin1String("False"))
        return true;
    if (number.match(s).hasMatch())
        return true;
    if (s.size() >= 2) {
        const QChar a = s.front(), b = s.back();
        if ((a == u'[' && b == u']') || (a == u'{' && b == u'}') || (a == u'(' && b == u')') || (a == u'<' && b == u'>'))
            return true;
        // Values like re.compile('...') or datetime.timedelta(days=1).
        static const QRegularExpression call(QStringLiteral(R"(^[A-Za-z_][\w.]*\(.*\)$)"),
                                             QRegularExpression::DotMatchesEverythingOption);
        if (call.match(s).hasMatch())
            return true;
    }
    return false;
}

// Splits "[a, b, (c, d)]" into its top-level items, respecting quotes and nesting.
QStringList topLevelItems(const QString &inner)
{
    QStringList items;
    int depth = 0;
    QChar quote;
    bool escaped = false;
    qsizetype start = 0;
    for (qsizetype i = 0; i < inner.size(); ++i) {
        const QChar c = inner[i];
        if (!quote.isNull()) {
            if (escaped)
                escaped = false;
            else if (c == u'\\')
                escaped = true;
            else if (c == quote)
                quote = QChar();
            continue;
        }
        if (c == u'\'' || c == u'"')
            quote = c;
        else if (c == u'[' || c == u'(' || c == u'{')
            ++depth;
        else if (c == u']' || c == u')' || c == u'}')
            --depth;
        else if (c == u',' && depth == 0) {
            items << inner.mid(start, i - start).trimmed();
            start = i + 1;
        }
    }
    const QString last = inner.mid(start).trimmed();
    if (!last.isEmpty())
        items << last;
    return items;
}

} // namespace

QString reprString(const QString &s)
{
    const bool single = !s.contains(u'\'') || s.contains(u'"');
    const QChar quote = single ? u'\'' : u'"';
    QString out;
    out.reserve(s.size() + 2);
    out += quote;
    for (char32_t c : s.toUcs4()) {
        if (c == U'\\')
            out += QLatin1String("\\\\");
        else if (c == quote.unicode())
            out += QLatin1Char('\\') + quote;
        else if (c == U'\n')
            out += QLatin1String("\\n");
        else if (c == U'\r')
            out += QLatin1String("\\r");
        else if (c == U'\t')
            out += QLatin1String("\\t");
        else if (!printable(c)) {
            if (c < 0x100)
                out += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
            else if (c < 0x10000)
                out += QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0'));
            else
                out += QStringLiteral("\\U%1").arg(uint(c), 8, 16, QLatin1Char('0'));
        } else {
            out += QString::fromUcs4(&c, 1);
        }
    }
    out += quote;
    return out;
}

QString reprSetting(const QString &stored) { return isLiteral(stored) ? stored : reprString(stored); }

QString reprMeta(const QString &stored)
{
    if (stored == QLatin1String("True") || stored == QLatin1String("False") || stored == QLatin1String("None") ||
        (stored.size() >= 2 && stored.front() == u'<' && stored.back() == u'>'))
        return stored;
    return reprString(stored);
}

QString reprFile(const QString &stored)
{
    return stored.size() >= 2 && stored.front() == u'<' && stored.back() == u'>' ? stored : reprString(stored);
}

QString pprintSequence(const QString &stored)
{
    if (stored.size() <= 80 || stored.size() < 2)
        return stored;
    const QChar open = stored.front(), close = stored.back();
    if (!((open == u'[' && close == u']') || (open == u'(' && close == u')')))
        return stored;
    const QStringList items = topLevelItems(stored.mid(1, stored.size() - 2));
    return open + items.join(QStringLiteral(",\n ")) + close;
}

} // namespace ed::pyrepr
