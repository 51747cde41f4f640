#include "model/Report.h"

#include <QStringList>

namespace ed {

QString Value::text() const
{
    switch (kind) {
    case Kind::None: return {};
    case Kind::Bool: return flag ? QStringLiteral("True") : QStringLiteral("False");
    case Kind::Number: return number == double(qint64(number)) ? QString::number(qint64(number)) : QString::number(number);
    case Kind::String:
    case Kind::List:
    case Kind::Object: return string;
    }
    return {};
}

QString Value::displayText() const
{
    switch (kind) {
    case Kind::None: return QStringLiteral("None");
    case Kind::Number: return QString::number(number);
    case Kind::List: {
        QStringList parts;
        for (const Value &v : items)
            parts << (v.kind == Kind::String ? QStringLiteral("'%1'").arg(v.string) : v.displayText());
        return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
    }
    default: return text();
    }
}

QString Value::lastText() const
{
    if (kind == Kind::List)
        return items.empty() ? QString() : items.back().text();
    return text();
}

const Value *findEntry(const Entries &entries, QStringView key)
{
    for (const Entry &e : entries)
        if (e.key == key)
            return &e.value;
    return nullptr;
}

QString entryText(const Entries &entries, QStringView key)
{
    const Value *v = findEntry(entries, key);
    return v ? v->text() : QString();
}

std::vector<const ExceptionInfo *> Report::chainRootFirst() const
{
    std::vector<const ExceptionInfo *> chain;
    for (auto it = exceptions.rbegin(); it != exceptions.rend(); ++it)
        chain.push_back(&*it);
    return chain;
}

} // namespace ed
