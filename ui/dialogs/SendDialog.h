#pragma once
// "E-mail admins…" / "E-mail managers…": previews the message Django would have
// sent for a report (or an issue's latest report), lets the user edit the
// recipients, sends it in the background and shows the server's answer. A
// failed attempt is logged like any other and can be retried from here.
//
// All of it on the database's JobRunner (MailJob): composing reads the store
// and the settings on Read jobs, MailSender::deliver() (network, keychain)
// runs without a connection, the send log's entry is a Write job. Until the
// message is composed the dialog says "Composing…" and Send is disabled.
#include "send/ReportMailer.h"

#include <QDialog>
#include <memory>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTextBrowser;

namespace ed {

class MailJob;
struct MailToSend;

class SendDialog : public QDialog {
    Q_OBJECT
public:
    // `passwords` may be null (then only $ERRORDECK_EMAIL_PASSWORD is used);
    // the app passes a KeychainPasswords (keychain/KeychainPasswords.h).
    static SendDialog *forReport(const QString &dbPath, const PasswordSource *passwords, int64_t reportId, MailAudience audience,
                                 QWidget *parent = nullptr);
    static SendDialog *forIssue(const QString &dbPath, const PasswordSource *passwords, int64_t issueId, MailAudience audience,
                                QWidget *parent = nullptr);
    ~SendDialog() override;

    // The message for the chosen audience is shown (or why it cannot be).
    bool isComposed() const { return m_composed; }

Q_SIGNALS:
    // The message for the chosen audience was composed (ok) or could not be.
    void composed(bool ok);
    // After every attempt (sent or not), for views that list the send log.
    void attemptLogged(qint64 logId, bool sent);

private:
    SendDialog(const QString &dbPath, const PasswordSource *passwords, QWidget *parent);
    void load(int64_t id, bool isIssue, MailAudience audience);
    void recompose();
    void send();
    void retry();
    void start(Result<MailToSend> ready);
    void finished();
    void setBusy(bool busy);
    void showError(const QString &message);

    int64_t m_id = 0;
    bool m_composed = false;
    bool m_isIssue = false;
    bool m_canBrokenLink = false;
    MailDraft m_draft;

    MailJob *m_job; // the attempt in flight
    int64_t m_lastLogId = 0;

    QComboBox *m_audience;
    QLineEdit *m_to;
    QLabel *m_from;
    QLineEdit *m_subject;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_text;
    QTextBrowser *m_html;
    QLabel *m_status;
    QLabel *m_securityWarning;
    QProgressBar *m_progress;
    QPushButton *m_sendButton;
    QPushButton *m_retryButton;
    QPushButton *m_cancelButton;
    QDialogButtonBox *m_buttons;
};

} // namespace ed
