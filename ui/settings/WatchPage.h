#pragma once
// Settings: watched folders (ERRORDECK_WATCHED_FOLDERS). The main window runs
// a FolderWatcher over them and imports new report files, lines appended to
// JSON Lines logs and Django's e-mail files as they arrive.
#include "settings/SettingsPage.h"

class QListWidget;
class QPushButton;

namespace ed {

class WatchPage : public SettingsPage {
    Q_OBJECT
public:
    explicit WatchPage(QWidget *parent = nullptr);
    void load(const ConfigCache &config) override;
    bool apply(SettingsEdits &config) override;

    QStringList folders() const;
    // What "Add…" does after its folder dialog; false when already listed.
    bool addFolder(const QString &path);
    void removeSelected();
    QListWidget *list() const { return m_list; }

private:
    void chooseFolder();

    QListWidget *m_list;
    QPushButton *m_remove;
};

} // namespace ed
