#pragma once
// Settings: who gets mail (ADMINS, MANAGERS) and INTERNAL_IPS.
#include "settings/SettingsPage.h"

class QPlainTextEdit;
class QTableWidget;

namespace ed {

class RecipientsPage : public SettingsPage {
    Q_OBJECT
public:
    explicit RecipientsPage(QWidget *parent = nullptr);
    void load(const ConfigCache &config) override;
    bool apply(SettingsEdits &config) override;
    QTableWidget *admins() const { return m_admins; }
    QTableWidget *managers() const { return m_managers; }

private:
    QWidget *peopleEditor(QTableWidget *&table, const QString &name);

    QTableWidget *m_admins = nullptr, *m_managers = nullptr;
    QPlainTextEdit *m_internalIps = nullptr;
};

} // namespace ed
