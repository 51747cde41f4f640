#pragma once
// Settings: the SMTP server and how reports are composed. The password is kept
// in the system keychain (qtkeychain; service "ErrorDeck", key
// "smtp:<user>@<host>"), never in the database or a file. "Send test e-mail"
// saves the settings and sends a test message in the background (MailJob),
// showing the server's answer or the error.
#include "settings/SettingsPage.h"

#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace ed {

class Database;
class KeychainPasswords;
class MailJob;

class EmailPage : public SettingsPage {
    Q_OBJECT
public:
    enum Security { None, StartTls, Ssl };
    explicit EmailPage(QWidget *parent = nullptr);
    ~EmailPage() override;
    void load(const ConfigCache &config) override;
    bool apply(SettingsEdits &config) override;
    QString keychainStatus() const;

    // Shows "Send test e-mail", sending through this database's settings.
    void enableTestSend(const QString &dbPath);
    // Sends the test message with the saved settings (the dialog applies first);
    // a password typed here is used as typed, else the keychain's.
    void sendTest();
    bool isTestRunning() const;
    QString testStatus() const;
    QPushButton *testButton() const { return m_testButton; }
    QLineEdit *testRecipients() const { return m_testTo; }

Q_SIGNALS:
    void keychainDone();
    // The test button was pressed: the dialog saves the settings, then calls sendTest().
    void testRequested();
    void testFinished(bool ok, const QString &message);

private:
    void readPassword();
    void writePassword(const QString &user, const QString &host);

    void backendChosen();

    QComboBox *m_backend;
    QLineEdit *m_filePath, *m_caFile;
    QLineEdit *m_host, *m_user, *m_password, *m_serverEmail, *m_prefix;
    QSpinBox *m_port;
    QComboBox *m_security;
    QDoubleSpinBox *m_timeout;
    QCheckBox *m_html;
    QLabel *m_keychain;
    bool m_passwordEdited = false;
    bool m_composing = false; // the test message is being composed on a job
    QString m_loadedUser, m_loadedHost;

    // "Send test e-mail"; the job is declared last so that it stops first.
    QWidget *m_testRow;
    QLineEdit *m_testTo;
    QPushButton *m_testButton;
    QLabel *m_testStatus;
    std::unique_ptr<KeychainPasswords> m_passwords;
    std::unique_ptr<MailJob> m_job;
};

} // namespace ed
