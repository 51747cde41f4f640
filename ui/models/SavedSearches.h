#pragma once
// Saved searches (the saved_searches table): a sidebar list; choosing one puts
// its query in the search bar. The table is tiny, so it is read directly.
#include "store/Database.h"

#include <QAbstractListModel>
#include <QWidget>

class QListView;
class QToolButton;

namespace ed {

class SavedSearchModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { QueryRole = Qt::UserRole + 1, IdRole };
    explicit SavedSearchModel(Database &db, QObject *parent = nullptr);
    void reload();
    Result<void> save(const QString &name, const QString &query); // replaces one of the same name
    Result<void> remove(int64_t id);
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

private:
    struct Item {
        int64_t id;
        QString name, query;
    };
    Database &m_db;
    std::vector<Item> m_items;
};

class SavedSearchesPanel : public QWidget {
    Q_OBJECT
public:
    explicit SavedSearchesPanel(Database &db, QWidget *parent = nullptr);
    SavedSearchModel *model() const { return m_model; }
    QListView *list() const { return m_list; }
    // Asks for a name and saves `query` under it.
    void saveQuery(const QString &query);

Q_SIGNALS:
    void searchChosen(const QString &query);
    void saveRequested();

private:
    void removeSelected();

    SavedSearchModel *m_model;
    QListView *m_list;
};

} // namespace ed
