#pragma once
// Settings: what is scrubbed beyond Django's own hiding (keys and values that
// hold secrets, and keys that never do).
#include "settings/SettingsPage.h"

namespace ed {

class ScrubbingPage : public SettingsPage {
    Q_OBJECT
public:
    explicit ScrubbingPage(QWidget *parent = nullptr);
    void load(const ConfigCache &config) override;
    bool apply(SettingsEdits &config) override;

private:
    QPlainTextEdit *m_keys, *m_values, *m_safe;
};

} // namespace ed
