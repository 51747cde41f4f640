#pragma once
// Report › Send Log…: every e-mail sent or tried (core/send/SendLog.h), newest
// first, with the server's answer or the error and the SMTP dialogue; Resend
// sends the selected entry's message again (new Message-ID and Date, the same
// recipients) in the background. The list and an entry's details are read by
// Read jobs (the list says "Loading…" until they answer), the resend is a
// MailJob like any other send.
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

    SendLogDialog(const QString &dbPath, const PasswordSource *passwords, QWidget *parent = nullptr);
    ~SendLogDialog() override;

    // Reads the log again in the background, keeping the selected entry; listLoaded() follows.
    void reload();
    // The list shows what the last reload() read.
    bool isLoaded() const { return m_loaded; }
    QTreeWidget *list() const { return m_list; }
    QPushButton *resendButton() const { return m_resend; }
    QString statusText() const;
    void selectEntry(qint64 logId);
    qint64 selectedEntry() const;

Q_SIGNALS:
    void resendFinished(bool ok, qint64 logId);
    void listLoaded();
    void detailsShown();

private:
    void showDetails();
    void resend();
    void showList(const Result<std::vector<SendLogEntry>> &entries, qint64 keep, qint64 select);
    void showEntry(const Result<SendLogEntry> &e);

    MailJob *m_job;
    bool m_loaded = false;
    qint64 m_selectAfterLoad = 0; // the entry a resend logged, selected once the list has it
    QTreeWidget *m_list;
    QPlainTextEdit *m_details;
    QLabel *m_status;
    QPushButton *m_resend;
};

} // namespace ed
