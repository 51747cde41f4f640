#include "views/KeyValueTable.h"

#include "model/Filter.h"
#include "look/Theme.h"

#include <QApplication>
#include <QBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>

namespace ed {

void KeyValueModel::setEntries(const Entries &entries)
{
    beginResetModel();
    m_items.clear();
    const QString stars = QString::fromLatin1(kScrubbedValue.data(), qsizetype(kScrubbedValue.size()));
    for (const Entry &e : entries) {
        Item item{e.key, e.value.displayText()};
        item.scrubbed = item.value.contains(stars);
        m_items.push_back(std::move(item));
    }
    endResetModel();
}

int KeyValueModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_items.size()); }
int KeyValueModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : 2; }

QVariant KeyValueModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item &item = m_items[size_t(index.row())];
    const bool value = index.column() == 1;
    switch (role) {
    case Qt::DisplayRole: return value ? item.value.left(2000) : item.key;
    case Qt::ToolTipRole:
        if (value && item.scrubbed)
            return tr("Scrubbed: the value was removed before it was stored");
        return value ? item.value.left(4000) : item.key;
    case Qt::FontRole: {
        QFont f = theme::codeFont();
        f.setItalic(value && item.scrubbed);
        return f;
    }
    case Qt::ForegroundRole:
        if (value && item.scrubbed)
            return theme::mutedText(QApplication::palette());
        return {};
    case Qt::DecorationRole:
        if (value && item.scrubbed)
            return theme::icon(QStringLiteral("lock"));
        return {};
    case ScrubbedRole: return item.scrubbed;
    }
    return {};
}

QVariant KeyValueModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o == Qt::Horizontal && role == Qt::DisplayRole)
        return section == 0 ? tr("Key") : tr("Value");
    return QAbstractTableModel::headerData(section, o, role);
}

KeyValueTable::KeyValueTable(const QString &title, QWidget *parent) : QWidget(parent), m_titleText(title)
{
    m_title = new QLabel(this);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter %1").arg(title));
    m_filter->setMaximumWidth(260);
    m_model = new KeyValueModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1); // keys and values
    m_view = new QTableView(this);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder); // as stored until a header is clicked
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->setTabKeyNavigation(false);
    m_view->setColumnWidth(0, 220);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, [this](const QString &t) {
        m_proxy->setFilterFixedString(t);
        m_title->setText(t.isEmpty() ? m_titleText
                                     : tr("%1 (%2 of %3)").arg(m_titleText).arg(m_proxy->rowCount()).arg(m_model->rowCount()));
    });
    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_filter);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    m_title->setText(title);
}

void KeyValueTable::setEntries(const Entries &entries)
{
    m_model->setEntries(entries);
    m_filter->clear();
    m_title->setText(entries.empty() ? tr("%1: none").arg(m_titleText) : tr("%1 (%2)").arg(m_titleText).arg(entries.size()));
}

int KeyValueTable::visibleRows() const { return m_proxy->rowCount(); }

} // namespace ed
