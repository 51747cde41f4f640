#pragma once
// The import's progress in the status bar: files, reports, MB/s, and Cancel.
#include "import/Importer.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace ed {

class ImportProgressBar : public QWidget {
    Q_OBJECT
public:
    explicit ImportProgressBar(QWidget *parent = nullptr);
    void begin();
    void update(const ImportProgress &p);
    QString text() const;
    QPushButton *cancelButton() const { return m_cancel; }

Q_SIGNALS:
    void cancelRequested();

private:
    QLabel *m_label;
    QProgressBar *m_bar;
    QPushButton *m_cancel;
};

} // namespace ed
