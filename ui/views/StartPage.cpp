#include "views/StartPage.h"

#include "look/Theme.h"

#include <QBoxLayout>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>

namespace ed {

StartPage::StartPage(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("startPage"));
    m_heading = new QLabel(this);
    m_heading->setObjectName(QStringLiteral("startHeading"));
    m_heading->setFont(theme::titleFont(font()));
    m_heading->setWordWrap(true);
    auto *intro = new QLabel(tr("ErrorDeck reads the reports of a Django site: the v1 files of its logging handler, "
                                "or the error e-mails Django sends to ADMINS and MANAGERS (.eml, mbox). "
                                "You can also drop files and folders on this window."),
                             this);
    intro->setWordWrap(true);

    // One row per way in: the button, and what it does in a sentence.
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(16);
    grid->setVerticalSpacing(10);
    int row = 0;
    const auto addWay = [&](const QString &name, const QString &text, const QString &icon, const QString &what) {
        auto *b = new QPushButton(theme::icon(icon), text, this);
        b->setObjectName(name);
        b->setMinimumWidth(220);
        auto *l = new QLabel(what, this);
        l->setWordWrap(true);
        grid->addWidget(b, row, 0, Qt::AlignTop);
        grid->addWidget(l, row, 1);
        ++row;
        return b;
    };
    QPushButton *files = addWay(QStringLiteral("startImportFiles"), tr("Import Files…"), QStringLiteral("import"),
                                tr("Report files (.jsonl, .jsonl.gz, .log) and e-mails (.eml, .mbox)."));
    QPushButton *folder = addWay(QStringLiteral("startImportFolder"), tr("Import a Folder…"), QStringLiteral("import"),
                                 tr("Every report file and e-mail in a folder and its subfolders."));
    QPushButton *watch = addWay(QStringLiteral("startWatchFolder"), tr("Watch a Folder…"), QStringLiteral("refresh"),
                                tr("Import a folder now and whatever is written to it later (a site's log folder); "
                                   "Settings › Watched folders lists them."));
    QPushButton *sample = addWay(QStringLiteral("startSampleDatabase"), tr("Open the Sample Database"),
                                 QStringLiteral("errordeck"),
                                 tr("A real Django site's errors, in a database of their own: this one stays as it is."));
    grid->setColumnStretch(1, 1);
    connect(files, &QPushButton::clicked, this, &StartPage::importFilesRequested);
    connect(folder, &QPushButton::clicked, this, &StartPage::importFolderRequested);
    connect(watch, &QPushButton::clicked, this, &StartPage::watchFolderRequested);
    connect(sample, &QPushButton::clicked, this, &StartPage::sampleDatabaseRequested);

    auto *column = new QVBoxLayout;
    column->addWidget(m_heading);
    column->addSpacing(4);
    column->addWidget(intro);
    column->addSpacing(12);
    column->addLayout(grid);
    column->addStretch(1);
    // A readable column in the middle, however wide the window.
    auto *box = new QWidget(this);
    box->setLayout(column);
    box->setMaximumWidth(760);
    auto *outer = new QHBoxLayout(this);
    outer->setContentsMargins(24, 32, 24, 24);
    outer->addStretch(1);
    outer->addWidget(box, 4);
    outer->addStretch(1);
    setDatabaseName(QString());
}

void StartPage::setDatabaseName(const QString &name)
{
    m_heading->setText(name.isEmpty() ? tr("No reports yet: import some") : tr("%1 has no reports yet: import some").arg(name));
}

QPushButton *StartPage::button(const QString &objectName) const { return findChild<QPushButton *>(objectName); }

} // namespace ed
