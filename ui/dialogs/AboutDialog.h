#pragma once
// Help > About: what this is and the versions it runs with (app, Qt, SQLite).
#include <QDialog>

namespace ed {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);
    static QString versionsText();
};

} // namespace ed
