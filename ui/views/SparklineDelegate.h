#pragma once
// Paints an issue's reports per day (IssueListModel::DailyCountsRole) as small
// bars, in the palette's colors so it reads in light and dark themes.
#include <QStyledItemDelegate>

namespace ed {

class SparklineDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit SparklineDelegate(int countsRole, QObject *parent = nullptr) : QStyledItemDelegate(parent), m_role(countsRole) { }
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_role;
};

} // namespace ed
