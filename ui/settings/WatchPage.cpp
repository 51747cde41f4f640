#include "settings/WatchPage.h"

#include "look/Theme.h"

#include <QBoxLayout>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>

namespace ed {

WatchPage::WatchPage(QWidget *parent) : SettingsPage(parent)
{
    auto *page = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("ErrorDeck imports from these folders while the app runs: new report files, lines appended to "
                                "JSON Lines logs (also after log rotation) and Django's e-mails (file-based backend folders, "
                                ".eml, mbox). A new issue or a regression shows a notification."),
                             this);
    intro->setWordWrap(true);
    page->addWidget(intro);
    auto *form = new QFormLayout;
    page->addLayout(form, 1);

    auto *box = new QWidget(this);
    m_list = new QListWidget(box);
    m_list->setObjectName(QStringLiteral("watchedFolders"));
    m_list->setMinimumHeight(120);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    auto *add = new QPushButton(theme::icon(QStringLiteral("add")), tr("&Add…"), box);
    add->setObjectName(QStringLiteral("addWatchedFolder"));
    m_remove = new QPushButton(theme::icon(QStringLiteral("remove")), tr("&Remove"), box);
    m_remove->setObjectName(QStringLiteral("removeWatchedFolder"));
    m_remove->setEnabled(false);
    auto *buttons = new QVBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    auto *row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_list, 1);
    row->addLayout(buttons);
    box->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    addField(form, tr("&Folders:"), box, ConfigKey::WatchedFolders);

    connect(add, &QPushButton::clicked, this, &WatchPage::chooseFolder);
    connect(m_remove, &QPushButton::clicked, this, &WatchPage::removeSelected);
    connect(m_list, &QListWidget::itemSelectionChanged, this,
            [this] { m_remove->setEnabled(!m_list->selectedItems().isEmpty()); });
}

void WatchPage::load(const ConfigCache &config)
{
    m_list->clear();
    for (const QString &f : config.stringList(ConfigKey::WatchedFolders))
        addFolder(f);
}

bool WatchPage::apply(SettingsEdits &config)
{
    QJsonArray folders;
    for (const QString &f : this->folders())
        folders.append(f);
    return setValue(config, ConfigKey::WatchedFolders, folders);
}

QStringList WatchPage::folders() const
{
    QStringList out;
    for (int i = 0; i < m_list->count(); ++i)
        out << m_list->item(i)->data(Qt::UserRole).toString();
    return out;
}

bool WatchPage::addFolder(const QString &path)
{
    const QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    if (path.trimmed().isEmpty() || folders().contains(clean))
        return false;
    auto *item = new QListWidgetItem(theme::icon(QStringLiteral("import")), QDir::toNativeSeparators(clean), m_list);
    item->setData(Qt::UserRole, clean);
    if (!QFileInfo(clean).isDir())
        item->setToolTip(tr("This folder does not exist (yet); it is watched once it does."));
    return true;
}

void WatchPage::removeSelected() { qDeleteAll(m_list->selectedItems()); }

void WatchPage::chooseFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Watch a folder"));
    if (!dir.isEmpty())
        addFolder(dir);
}

} // namespace ed
