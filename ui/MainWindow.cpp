#include "MainWindow.h"

#include "ReportTableModel.h"

#include <QHeaderView>
#include <QStatusBar>
#include <QTableView>

namespace ed {

MainWindow::MainWindow(Database db, QWidget *parent) : QMainWindow(parent), m_db(std::move(db))
{
    setWindowTitle(tr("ErrorDeck — %1").arg(m_db.path()));
    m_model = new ReportTableModel(m_db, this);
    m_view = new QTableView(this);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    setCentralWidget(m_view);
    m_model->setQuery({});
    resize(1100, 700);
}

MainWindow::~MainWindow() = default;

} // namespace ed
