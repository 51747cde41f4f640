#pragma once
// The Breadcrumbs tab: what a Sentry SDK logged before the event (HTTP calls,
// SQL queries, log lines, navigation), oldest first, one row each: its time,
// category, level, and message with its data. Reports from other sources
// have none; the detail view hides the tab for them.
#include "model/Report.h"

#include <QWidget>

class QLabel;
class QTableWidget;

namespace ed {

class BreadcrumbsView : public QWidget {
    Q_OBJECT
public:
    enum Column { TimeColumn, CategoryColumn, LevelColumn, MessageColumn, ColumnCount };

    explicit BreadcrumbsView(QWidget *parent = nullptr);
    // Returns whether the report has any breadcrumb.
    bool setReport(const Report &report);
    QTableWidget *table() const { return m_table; }

private:
    QLabel *m_title;
    QTableWidget *m_table;
};

} // namespace ed
