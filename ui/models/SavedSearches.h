#pragma once
// Saved searches (store/SavedSearchStore): a sidebar list; choosing one puts
// its query in the search bar. Read and written on the database's JobRunner.
#include "jobs/JobRunner.h"
#include "store/SavedSearchStore.h"

#include <QAbstractListModel>
#include <QWidget>

class QListView;
class QToolButton;

namespace ed {

class SavedSearchModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { QueryRole = Qt::UserRole + 1, IdRole };
    explicit SavedSearchModel(const QString &dbPath, QObject *parent = nullptr);
    ~SavedSearchModel() override;
    void reload();
    // Replaces one of the same name; reloaded() follows, or failed().
    void save(const QString &name, const QString &query);
    void remove(int64_t id);
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

Q_SIGNALS:
    void reloaded();
    void failed(const QString &message);

private:
    void write(std::function<Result<void>(SavedSearchStore &)> change);

    std::shared_ptr<JobRunner> m_jobs;
    std::vector<SavedSearch> m_items;
};

class SavedSearchesPanel : public QWidget {
    Q_OBJECT
public:
    explicit SavedSearchesPanel(const QString &dbPath, QWidget *parent = nullptr);
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
