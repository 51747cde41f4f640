#include "dialogs/AboutDialog.h"

#include "store/Database.h"

#include <QBoxLayout>
#include <QDialogButtonBox>
#include <QIcon>
#include <QLabel>
#include <QSysInfo>

namespace ed {

QString AboutDialog::versionsText()
{
    return tr("ErrorDeck %1\nQt %2 (built with %3)\nSQLite %4\n%5")
        .arg(QStringLiteral(ERRORDECK_VERSION), QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR),
             Database::engineVersion(), QSysInfo::prettyProductName());
}

AboutDialog::AboutDialog(QWidget *parent, const QString &database) : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About ErrorDeck"));
    auto *icon = new QLabel(this);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/errordeck.svg")).pixmap(64, 64));
    auto *title = new QLabel(tr("<h2>ErrorDeck</h2><p>Browse a Django site's error reports: import its error e-mails and "
                                "report files, scrub secrets, drop noise, group reports into issues.</p>"),
                             this);
    title->setWordWrap(true);
    auto *versions = new QLabel(versionsText(), this);
    versions->setObjectName(QStringLiteral("versions"));
    versions->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *text = new QVBoxLayout;
    text->addWidget(title);
    text->addWidget(versions);
    if (!database.isEmpty()) {
        auto *db = new QLabel(tr("Database: %1").arg(database), this);
        db->setObjectName(QStringLiteral("database"));
        db->setTextFormat(Qt::PlainText);
        db->setWordWrap(true);
        db->setTextInteractionFlags(Qt::TextSelectableByMouse);
        text->addWidget(db);
    }
    auto *row = new QHBoxLayout;
    row->addWidget(icon, 0, Qt::AlignTop);
    row->addLayout(text, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(buttons);
}

} // namespace ed
