#include "models/SavedSearches.h"

#include "look/Theme.h"

#include <QBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QListView>
#include <QMessageBox>
#include <QToolButton>

namespace ed {

SavedSearchModel::SavedSearchModel(const QString &dbPath, QObject *parent)
    : QAbstractListModel(parent), m_jobs(JobRunner::forDatabase(dbPath))
{
    reload();
}

SavedSearchModel::~SavedSearchModel() { m_jobs->cancelAll(this); }

void SavedSearchModel::reload()
{
    m_jobs->run(
        this, {QStringLiteral("list")}, [](JobContext &ctx) { return SavedSearchStore(ctx.db()).list(); },
        [this](Result<std::vector<SavedSearch>> items) {
            if (!items) {
                Q_EMIT failed(items.error());
                return;
            }
            beginResetModel();
            m_items = std::move(*items);
            endResetModel();
            Q_EMIT reloaded();
        });
}

void SavedSearchModel::write(std::function<Result<void>(SavedSearchStore &)> change)
{
    // Unnamed: writes are never stale; they run one after another, in order.
    m_jobs->run(
        this, {QString(), JobRunner::Access::Write},
        [change = std::move(change)](JobContext &ctx) {
            SavedSearchStore store(ctx.db());
            return change(store);
        },
        [this](Result<void> r) {
            if (!r)
                Q_EMIT failed(r.error());
            reload();
        });
}

void SavedSearchModel::save(const QString &name, const QString &query)
{
    write([name, query](SavedSearchStore &store) { return store.save(name, query); });
}

void SavedSearchModel::remove(int64_t id)
{
    write([id](SavedSearchStore &store) { return store.remove(id); });
}

int SavedSearchModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_items.size()); }

QVariant SavedSearchModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SavedSearch &item = m_items[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole: return item.name;
    case Qt::ToolTipRole: return item.query;
    case Qt::DecorationRole: return theme::icon(QStringLiteral("search"));
    case QueryRole: return item.query;
    case IdRole: return qint64(item.id);
    }
    return {};
}

SavedSearchesPanel::SavedSearchesPanel(const QString &dbPath, QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("savedSearches"));
    m_model = new SavedSearchModel(dbPath, this);
    connect(m_model, &SavedSearchModel::failed, this,
            [this](const QString &message) { QMessageBox::warning(this, tr("Saved searches"), message); });
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
                                               query.left(40), &ok)
                             .trimmed();
    if (!ok || name.isEmpty())
        return;
    m_model->save(name, query);
}

void SavedSearchesPanel::removeSelected()
{
    const QModelIndex i = m_list->currentIndex();
    if (!i.isValid())
        return;
    m_model->remove(i.data(SavedSearchModel::IdRole).toLongLong());
}

} // namespace ed
