#pragma once
#include "Database.h"

#include <QMainWindow>

class QTableView;

namespace ed {

class ReportTableModel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(Database db, QWidget *parent = nullptr);
    ~MainWindow() override;

private:
    Database m_db;
    ReportTableModel *m_model = nullptr;
    QTableView *m_view = nullptr;
};

} // namespace ed
