#pragma once
// Settings: where the site's code is checked out on this machine, and the
// editor a frame's "Open in Editor" starts.
#include "settings/SettingsPage.h"

class QLineEdit;

namespace ed {

class SourcePage : public SettingsPage {
    Q_OBJECT
public:
    explicit SourcePage(QWidget *parent = nullptr);
    void load(const ConfigCache &config) override;
    bool apply(SettingsEdits &config) override;

private:
    QPlainTextEdit *m_roots;
    QLineEdit *m_editor;
};

} // namespace ed
