#pragma once
// Settings: the SMTP server and how reports are composed. The password is kept
// in the system keychain (qtkeychain; service "ErrorDeck", key
// "smtp:<user>@<host>"), never in the database or a file.
#include "SettingsPage.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace ed {

class EmailPage : public SettingsPage {
    Q_OBJECT
public:
    enum Security { None, StartTls, Ssl };
    explicit EmailPage(QWidget *parent = nullptr);
    void load(const Config &config) override;
    bool apply(Config &config) override;
    QString keychainStatus() const;

Q_SIGNALS:
    void keychainDone();

private:
    void readPassword();
    void writePassword(const QString &user, const QString &host);

    QLineEdit *m_host, *m_user, *m_password, *m_serverEmail, *m_prefix;
    QSpinBox *m_port;
    QComboBox *m_security;
    QDoubleSpinBox *m_timeout;
    QCheckBox *m_html;
    QLabel *m_keychain;
    bool m_passwordEdited = false;
    QString m_loadedUser, m_loadedHost;
};

} // namespace ed
