#pragma once
// What an import did: counts, and every rejected line with its reason.
#include "import/Importer.h"

#include <QDialog>

class QTableWidget;

namespace ed {

class ImportSummaryDialog : public QDialog {
    Q_OBJECT
public:
    explicit ImportSummaryDialog(const ImportSummary &summary, QWidget *parent = nullptr);
    QTableWidget *problems() const { return m_problems; }
    static QString headline(const ImportSummary &s);

private:
    QTableWidget *m_problems;
};

} // namespace ed
