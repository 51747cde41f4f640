#pragma once
// A key/value table with filter-as-you-type, for request GET/POST/COOKIES/META,
// settings and environment. Scrubbed values (Django's 20 asterisks) are marked.
#include "model/Report.h"

#include <QAbstractTableModel>
#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QLabel;

namespace ed {

class KeyValueModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role { ScrubbedRole = Qt::UserRole + 1 };
    using QAbstractTableModel::QAbstractTableModel;
    void setEntries(const Entries &entries);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    struct Item {
        QString key, value;
        bool scrubbed = false;
    };
    std::vector<Item> m_items;
};

class KeyValueTable : public QWidget {
    Q_OBJECT
public:
    explicit KeyValueTable(const QString &title, QWidget *parent = nullptr);
    void setEntries(const Entries &entries);
    QLineEdit *filterEdit() const { return m_filter; }
    QTableView *view() const { return m_view; }
    int visibleRows() const;

private:
    QLabel *m_title;
    QString m_titleText;
    QLineEdit *m_filter;
    QTableView *m_view;
    KeyValueModel *m_model;
    QSortFilterProxyModel *m_proxy;
};

} // namespace ed
