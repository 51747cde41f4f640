#include "dialogs/ImportSummaryDialog.h"

#include "look/Format.h"

#include <QBoxLayout>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>

namespace ed {

QString ImportSummaryDialog::headline(const ImportSummary &s)
{
    if (!s.fatal.isEmpty())
        return tr("The import stopped: %1").arg(s.fatal);
    QString text = s.cancelled ? tr("Import cancelled after %n new report(s).", nullptr, int(s.stored))
                               : tr("Imported %n new report(s).", nullptr, int(s.stored));
    if (s.rejected > 0)
        text += QLatin1Char(' ') + tr("%n line(s) rejected.", nullptr, int(s.rejected));
    return text;
}

ImportSummaryDialog::ImportSummaryDialog(const ImportSummary &s, QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("importSummary"));
    setWindowTitle(s.cancelled ? tr("Import cancelled") : tr("Import finished"));
    auto *head = new QLabel(headline(s), this);
    head->setWordWrap(true);
    QFont bold = head->font();
    bold.setBold(true);
    head->setFont(bold);

    auto *form = new QFormLayout;
    auto num = [this](int64_t n) { return new QLabel(QLocale().toString(qlonglong(n)), this); };
    form->addRow(tr("Files:"), num(s.files));
    form->addRow(tr("New reports:"), num(s.stored));
    form->addRow(tr("Already stored:"), num(s.duplicates));
    form->addRow(tr("Hidden by rules:"), num(s.hidden));
    form->addRow(tr("Dropped by rules:"), num(s.dropped));
    form->addRow(tr("Rejected:"), num(s.rejected));
    form->addRow(tr("New issues:"), num(s.newIssues));
    form->addRow(tr("Regressions:"), num(s.regressions));
    form->addRow(tr("Read:"),
                 new QLabel(tr("%1 in %2").arg(fmt::bytes(s.bytes), fmt::seconds(s.seconds)), this));

    m_problems = new QTableWidget(int(s.problems.size()), 3, this);
    m_problems->setObjectName(QStringLiteral("importProblems"));
    m_problems->setHorizontalHeaderLabels({tr("File"), tr("Line"), tr("Why")});
    m_problems->verticalHeader()->hide();
    m_problems->horizontalHeader()->setStretchLastSection(true);
    m_problems->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_problems->setSelectionBehavior(QAbstractItemView::SelectRows);
    for (size_t i = 0; i < s.problems.size(); ++i) {
        const ImportProblem &p = s.problems[i];
        auto *file = new QTableWidgetItem(QFileInfo(p.file).fileName());
        file->setToolTip(p.file);
        m_problems->setItem(int(i), 0, file);
        m_problems->setItem(int(i), 1, new QTableWidgetItem(p.line ? QString::number(p.line) : QString()));
        auto *why = new QTableWidgetItem(p.reason);
        why->setToolTip(p.reason);
        m_problems->setItem(int(i), 2, why);
    }
    m_problems->resizeColumnToContents(0);
    m_problems->resizeColumnToContents(1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(head);
    layout->addLayout(form);
    if (!s.problems.empty()) {
        QString title = tr("Rejected lines and problems:");
        if (s.moreProblems > 0)
            title += QLatin1Char(' ') + tr("(and %n more not listed)", nullptr, int(s.moreProblems));
        layout->addWidget(new QLabel(title, this));
        layout->addWidget(m_problems, 1);
    } else {
        m_problems->hide();
    }
    if (!s.skippedFiles.isEmpty()) {
        auto *skipped = new QLabel(tr("Skipped (not reports): %1").arg(s.skippedFiles.join(QStringLiteral(", "))), this);
        skipped->setWordWrap(true);
        layout->addWidget(skipped);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    layout->addWidget(buttons);
    resize(s.problems.empty() ? 420 : 720, s.problems.empty() ? 320 : 520);
}

} // namespace ed
