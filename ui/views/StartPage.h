#pragma once
// What an empty database shows instead of empty lists: the ways reports come
// in (files, a folder, a watched folder) and the sample database to look
// around in. The main window swaps it for the lists once a report is stored.
#include <QWidget>

class QLabel;
class QPushButton;

namespace ed {

class StartPage : public QWidget {
    Q_OBJECT
public:
    explicit StartPage(QWidget *parent = nullptr);
    // The database the page stands for, named in its heading.
    void setDatabaseName(const QString &name);
    QPushButton *button(const QString &objectName) const;

Q_SIGNALS:
    void importFilesRequested();
    void importFolderRequested();
    void watchFolderRequested();
    void sampleDatabaseRequested();

private:
    QLabel *m_heading = nullptr;
};

} // namespace ed
