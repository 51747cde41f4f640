#pragma once
// What the alert store's two files share (AlertStore.cpp: rules, pending,
// matching, throttles; AlertOutbox.cpp: the outbox and digests): private to core/store.
#include "store/sqlite/Sqlite.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>
#include <string_view>

namespace ed::alertrows {

inline QString jsonList(const QStringList &list)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

inline QStringList listFromJson(std::string_view text)
{
    QStringList out;
    const auto doc = QJsonDocument::fromJson(QByteArray(text.data(), qsizetype(text.size())));
    for (const QJsonValue &v : doc.array())
        out << v.toString();
    return out;
}

// 0 (none) as NULL.
inline void bindIdOrNull(Statement &st, int i, int64_t id)
{
    if (id)
        st.bind(i, id);
    else
        st.bindNull(i);
}

inline Result<void> run(Statement &st)
{
    if (!st.valid() || !st.exec())
        return st.failure();
    return {};
}

} // namespace ed::alertrows
