#pragma once
// Help > About: what this is and the versions it runs with (app, Qt, SQLite).
#include <QDialog>

namespace ed {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    // `database`: the open one, as shown (a server's URL without its password).
    explicit AboutDialog(QWidget *parent = nullptr, const QString &database = QString());
    static QString versionsText();
};

} // namespace ed
