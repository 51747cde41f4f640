#pragma once
// Report › Send Log…: every e-mail sent or tried (core/send/SendLog.h), newest
// first, with the server's answer or the error and the SMTP dialogue; Resend
// sends the selected entry's message again (new Message-ID and Date, the same
// recipients) in the background.
#include "store/Database.h"
#include "send/ReportMailer.h"

#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

namespace ed {

class MailJob;

class SendLogDialog : public QDialog {
    Q_OBJECT
public:
    enum Column { When, Outcome, Recipients, Subject, Report, Destination, Answer, ColumnCount };

    SendLogDialog(Database &db, const PasswordSource *passwords, QWidget *parent = nullptr);
    ~SendLogDialog() override;

    // Reads the log again, keeping the selected entry.
    void reload();
    QTreeWidget *list() const { return m_list; }
    QPushButton *resendButton() const { return m_resend; }
    QString statusText() const;
    void selectEntry(qint64 logId);
    qint64 selectedEntry() const;

Q_SIGNALS:
    void resendFinished(bool ok, qint64 logId);

private:
    void showDetails();
    void resend();

    ReportMailer m_mailer;
    MailJob *m_job;
    QTreeWidget *m_list;
    QPlainTextEdit *m_details;
    QLabel *m_status;
    QPushButton *m_resend;
};

} // namespace ed
