#pragma once
// Saved searches (the saved_searches table): a name and the query text.
#include "base/Result.h"
#include "store/Database.h"

#include <QString>
#include <cstdint>
#include <vector>

namespace ed {

struct SavedSearch {
    int64_t id = 0;
    QString name, query;
};

class SavedSearchStore {
public:
    explicit SavedSearchStore(Database &db) : m_db(db) { }

    Result<std::vector<SavedSearch>> list(); // by name, case-insensitively
    Result<void> save(const QString &name, const QString &query); // replaces one of the same name
    Result<void> remove(int64_t id);

private:
    Database &m_db;
};

} // namespace ed
