#include "look/EnglishPlurals.h"

#include <QCoreApplication>

namespace ed {

QString EnglishPlurals::translate(const char *, const char *sourceText, const char *, int n) const
{
    if (n < 0 || !sourceText)
        return {}; // not a plural text: the source as it is
    QString text = QString::fromUtf8(sourceText);
    if (!text.contains(QLatin1String("(s)")) && !text.contains(QLatin1String("%n")))
        return {};
    text.replace(QLatin1String("(s)"), n == 1 ? QString() : QStringLiteral("s"));
    // The count with the locale's digit grouping: 50,000 rather than 50000.
    text.replace(QLatin1String("%n"), QLatin1String("%Ln"));
    return text;
}

void installEnglishPlurals()
{
    static EnglishPlurals *plurals = [] {
        auto *t = new EnglishPlurals(QCoreApplication::instance());
        QCoreApplication::installTranslator(t);
        return t;
    }();
    Q_UNUSED(plurals);
}

} // namespace ed
