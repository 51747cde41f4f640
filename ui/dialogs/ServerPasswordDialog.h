#pragma once
// Asked when a PostgreSQL server wants a password that neither PGPASSWORD,
// ~/.pgpass nor the keychain gave: the password, and whether to keep it in the
// system keychain (never in a settings file or the database).
#include <QDialog>

class QCheckBox;
class QLineEdit;

namespace ed {

class ServerPasswordDialog : public QDialog {
    Q_OBJECT
public:
    // `redactedUrl`: the server, as shown (no password in it); `account` its keychain key.
    ServerPasswordDialog(const QString &redactedUrl, const QString &account, QWidget *parent = nullptr);
    QString password() const;
    bool remember() const;

private:
    QLineEdit *m_password;
    QCheckBox *m_remember;
};

} // namespace ed
