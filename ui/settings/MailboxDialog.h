#pragma once
// Settings › Mailboxes › Add… / Edit…: one IMAP mailbox's fields (host,
// port, security, user, password, folder, the two filters, what happens after
// import, a CA file). OK checks them as a mailbox URL (imap/ImapUrl) and
// stays open with the reason when they do not make one. The password is only
// handed to the page, which keeps it in the keychain on Apply.
#include "imap/MailboxConfig.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace ed {

class MailboxDialog : public QDialog {
    Q_OBJECT
public:
    enum Security { Imaps, StartTls }; // the order of the security choices
    enum After { Leave, MarkRead, Move }; // the order of the after-import choices
    explicit MailboxDialog(QWidget *parent = nullptr);

    void setEntry(const MailboxEntry &entry);
    // The mailbox the fields describe; nullopt (and `error` set) when they make none.
    std::optional<MailboxEntry> entry(QString *error = nullptr) const;
    QString password() const;
    bool passwordEdited() const { return m_passwordEdited; }
    void setPasswordPlaceholder(const QString &text);
    QString errorText() const;

    QLineEdit *host() const { return m_host; }
    QSpinBox *port() const { return m_port; }
    QComboBox *security() const { return m_security; }
    QLineEdit *user() const { return m_user; }
    QLineEdit *passwordEdit() const { return m_password; }
    QLineEdit *folder() const { return m_folder; }
    QCheckBox *onlyServerEmail() const { return m_onlyServerEmail; }
    QCheckBox *onlySubjectPrefix() const { return m_onlyPrefix; }
    QCheckBox *useIdle() const { return m_useIdle; }
    QComboBox *after() const { return m_after; }
    QLineEdit *moveTo() const { return m_moveTo; }
    QLineEdit *caFile() const { return m_caFile; }

    void accept() override;

private:
    QLineEdit *m_host, *m_user, *m_password, *m_folder, *m_moveTo, *m_caFile;
    QSpinBox *m_port;
    QComboBox *m_security, *m_after;
    QCheckBox *m_onlyServerEmail, *m_onlyPrefix, *m_useIdle;
    QLabel *m_error;
    bool m_passwordEdited = false;
};

} // namespace ed
