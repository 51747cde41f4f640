#pragma once
// Settings › Mailboxes (ERRORDECK_MAILBOXES, imap/MailboxConfig.h): the IMAP
// mailboxes the app polls while it is open (window/MailboxController). Add…
// and Edit… open a MailboxDialog; a password typed there is kept in the
// system keychain (key "imap:<user>@<host>") on Apply, never in the database.
// "Test connection" asks the selected mailbox's server for the folder's
// STATUS on a job (no connection to the database, never on the UI thread),
// the keychain's password read first without blocking (KeychainPasswords::readLater),
// and shows the answer, or the error as ImapSession words it (the server's own
// reply included).
#include "imap/MailboxConfig.h"
#include "jobs/JobRunner.h"
#include "settings/SettingsPage.h"

#include <QHash>
#include <memory>
#include <vector>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace ed {

class MailboxDialog;

class MailboxesPage : public SettingsPage {
    Q_OBJECT
public:
    enum Column { MailboxColumn, AfterColumn, StatusColumn };
    explicit MailboxesPage(const QString &dbPath, QWidget *parent = nullptr);
    void load(const ConfigCache &config) override;
    bool apply(SettingsEdits &config) override;

    const std::vector<MailboxEntry> &mailboxes() const { return m_entries; }
    // What the Add and Edit dialogs do once accepted; false (and a message)
    // when the mailbox is listed already.
    bool addMailbox(const MailboxEntry &entry, const QString &password = {}, bool passwordTyped = false);
    bool replaceMailbox(int row, const MailboxEntry &entry, const QString &password = {}, bool passwordTyped = false);
    void removeSelected();
    // Opens the dialog (not modal: tests fill it in); null when no row is selected for Edit.
    MailboxDialog *openAddDialog();
    MailboxDialog *openEditDialog();
    void testSelected();
    bool isTestRunning() const { return m_testing; }
    QString testStatus() const;
    QString statusDetail() const; // the selected mailbox's last poll, in full
    QString keychainStatus() const;
    QString problemsText() const; // settings that do not read as mailboxes
    QTreeWidget *list() const { return m_list; }
    QPushButton *testButton() const { return m_test; }

    // The poller's word on a mailbox (window/MailboxController), for the status column.
    void setStatus(const QString &url, const QString &text, const QString &detail, bool failing);

Q_SIGNALS:
    void testFinished(bool ok, const QString &message);
    void keychainDone();

private:
    // A test once the password is known; its end, shown and signalled.
    void testWith(const MailboxEntry &entry, const QString &password);
    void testEnded(Result<QString> answer);
    void rebuild();
    void selectionChanged();
    int selectedRow() const;
    void keepPassword(const MailboxEntry &entry, const QString &password, bool typed);

    std::shared_ptr<JobRunner> m_jobs;
    std::vector<MailboxEntry> m_entries;
    // Typed in the dialogs by keychain key: written on Apply; kept for "Test connection".
    QHash<QString, QString> m_typed, m_unsaved;
    struct Status {
        QString text, detail;
        bool failing = false;
    };
    QHash<QString, Status> m_status; // by mailbox URL
    QTreeWidget *m_list;
    QPushButton *m_edit, *m_remove, *m_test;
    QLabel *m_detail, *m_problems, *m_testStatus, *m_keychain;
    bool m_testing = false;
};

} // namespace ed
