#include "models/SavedSearches.h"

#include "views/Theme.h"

#include <QBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QListView>
#include <QMessageBox>
#include <QToolButton>

namespace ed {

SavedSearchModel::SavedSearchModel(Database &db, QObject *parent) : QAbstractListModel(parent), m_db(db) { reload(); }

void SavedSearchModel::reload()
{
    beginResetModel();
    m_items.clear();
    Statement st = m_db.conn().prepare("SELECT id, name, query FROM saved_searches ORDER BY name COLLATE NOCASE");
    while (st.step())
        m_items.push_back({st.int64(0), st.qtext(1), st.qtext(2)});
    endResetModel();
}

Result<void> SavedSearchModel::save(const QString &name, const QString &query)
{
    Statement st = m_db.conn().prepare(
        "INSERT INTO saved_searches(name, query) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET query = excluded.query");
    st.bind(1, name).bind(2, query);
    if (!st.exec())
        return st.failure();
    reload();
    return {};
}

Result<void> SavedSearchModel::remove(int64_t id)
{
    Statement st = m_db.conn().prepare("DELETE FROM saved_searches WHERE id = ?");
    st.bind(1, id);
    if (!st.exec())
        return st.failure();
    reload();
    return {};
}

int SavedSearchModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_items.size()); }

QVariant SavedSearchModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item &item = m_items[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole: return item.name;
    case Qt::ToolTipRole: return item.query;
    case Qt::DecorationRole: return theme::icon(QStringLiteral("search"));
    case QueryRole: return item.query;
    case IdRole: return qint64(item.id);
    }
    return {};
}

SavedSearchesPanel::SavedSearchesPanel(Database &db, QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("savedSearches"));
    m_model = new SavedSearchModel(db, this);
    m_list = new QListView(this);
    m_list->setObjectName(QStringLiteral("savedSearchList"));
    m_list->setModel(m_model);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setAccessibleName(tr("Saved searches"));
    connect(m_list, &QListView::activated, this,
            [this](const QModelIndex &i) { Q_EMIT searchChosen(i.data(SavedSearchModel::QueryRole).toString()); });
    connect(m_list, &QListView::clicked, this,
            [this](const QModelIndex &i) { Q_EMIT searchChosen(i.data(SavedSearchModel::QueryRole).toString()); });

    auto *title = new QLabel(tr("Saved searches"), this);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    auto *add = new QToolButton(this);
    add->setIcon(theme::icon(QStringLiteral("add")));
    add->setToolTip(tr("Save the current search"));
    add->setAccessibleName(tr("Save the current search"));
    connect(add, &QToolButton::clicked, this, &SavedSearchesPanel::saveRequested);
    auto *remove = new QToolButton(this);
    remove->setIcon(theme::icon(QStringLiteral("remove")));
    remove->setToolTip(tr("Delete the selected saved search"));
    remove->setAccessibleName(tr("Delete the selected saved search"));
    connect(remove, &QToolButton::clicked, this, &SavedSearchesPanel::removeSelected);
    auto *top = new QHBoxLayout;
    top->addWidget(title, 1);
    top->addWidget(add);
    top->addWidget(remove);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_list, 1);
}

void SavedSearchesPanel::saveQuery(const QString &query)
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save search"), tr("Name for “%1”:").arg(query), QLineEdit::Normal,
                                               query.left(40), &ok).trimmed();
    if (!ok || name.isEmpty())
        return;
    if (auto r = m_model->save(name, query); !r)
        QMessageBox::warning(this, tr("Save search"), r.error());
}

void SavedSearchesPanel::removeSelected()
{
    const QModelIndex i = m_list->currentIndex();
    if (!i.isValid())
        return;
    if (auto r = m_model->remove(i.data(SavedSearchModel::IdRole).toLongLong()); !r)
        QMessageBox::warning(this, tr("Saved searches"), r.error());
}

} // namespace ed
