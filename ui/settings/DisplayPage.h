#pragma once
// Settings: how times read (ERRORDECK_TIME_ZONE). The lists, the detail and the
// search's after:/before: use the zone chosen here, and name it.
#include "settings/SettingsPage.h"

class QComboBox;

namespace ed {

class DisplayPage : public SettingsPage {
    Q_OBJECT
public:
    explicit DisplayPage(QWidget *parent = nullptr);
    void load(const ConfigCache &config) override;
    bool apply(SettingsEdits &config) override;

    QComboBox *zoneBox() const { return m_zone; }

private:
    QComboBox *m_zone;
};

} // namespace ed
