#include "store/SavedSearchStore.h"

#include "store/sqlite/Rows.h"
#include "store/sqlite/SearchSql.h"
#include "store/sqlite/SqlDialect.h"
#include "store/sqlite/Sqlite.h"

namespace ed {

Result<std::vector<SavedSearch>> SavedSearchStore::list()
{
    Connection &c = connectionOf(m_db);
    Statement st = c.prepare(QStringLiteral("SELECT id, name, query FROM saved_searches ORDER BY %1")
                                 .arg(sqldialect::orderIgnoringCase(dialectOf(c), QStringLiteral("name")))
                                 .toStdString());
    if (!st.valid())
        return st.failure();
    std::vector<SavedSearch> out;
    while (st.step())
        out.push_back({st.int64(0), st.qtext(1), st.qtext(2)});
    if (!st.done())
        return st.failure();
    return out;
}

Result<void> SavedSearchStore::save(const QString &name, const QString &query)
{
    Statement st = connectionOf(m_db).prepare(
        "INSERT INTO saved_searches(name, query) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET query = excluded.query");
    st.bind(1, name).bind(2, query);
    if (!st.exec())
        return st.failure();
    (void)announceChange(connectionOf(m_db), StoreChange::Settings); // committed: a lost notice only delays the others
    return {};
}

Result<void> SavedSearchStore::remove(int64_t id)
{
    Statement st = connectionOf(m_db).prepare("DELETE FROM saved_searches WHERE id = ?");
    st.bind(1, id);
    if (!st.exec())
        return st.failure();
    (void)announceChange(connectionOf(m_db), StoreChange::Settings); // committed: a lost notice only delays the others
    return {};
}

} // namespace ed
