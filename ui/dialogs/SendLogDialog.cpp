#include "dialogs/SendLogDialog.h"

#include "jobs/JobFailure.h"
#include "jobs/MailJob.h"
#include "look/Theme.h"

#include <QBoxLayout>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>

namespace ed {

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
constexpr int kShown = 1000; // entries listed, newest first
} // namespace

SendLogDialog::SendLogDialog(const QString &dbPath, const PasswordSource *passwords, QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("sendLogDialog"));
    setWindowTitle(tr("Send log"));
    resize(1120, 640); // room for the subject and the message beside the list
    m_job = new MailJob(dbPath, passwords, this);

    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("sendLogList"));
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->setHeaderLabels({tr("When"), tr("Outcome"), tr("To"), tr("Subject"), tr("Report"), tr("Via"), tr("Server's answer")});
    m_list->header()->setStretchLastSection(true);
    m_list->setColumnWidth(When, fontMetrics().horizontalAdvance(QStringLiteral("2026-11-22 09:55:35 UTC+05:30")) + 16);
    m_list->setColumnWidth(Outcome, fontMetrics().horizontalAdvance(tr("cancelled")) + 16);
    m_list->setColumnWidth(Recipients, 180);
    m_list->setColumnWidth(Subject, 280);
    m_list->setColumnWidth(Report, 60);
    m_list->setColumnWidth(Destination, 130);
    m_details = new QPlainTextEdit(this);
    m_details->setObjectName(QStringLiteral("sendLogDetails"));
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_list);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("sendLogStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_resend = buttons->addButton(tr("&Resend"), QDialogButtonBox::ActionRole);
    m_resend->setObjectName(QStringLiteral("resendButton"));
    m_resend->setEnabled(false);
    QPushButton *refresh = buttons->addButton(tr("Re&fresh"), QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(refresh, &QPushButton::clicked, this, &SendLogDialog::reload);
    connect(m_resend, &QPushButton::clicked, this, &SendLogDialog::resend);
    connect(m_list, &QTreeWidget::currentItemChanged, this, &SendLogDialog::showDetails);
    connect(m_job, &MailJob::finished, this, [this](bool ok, const QString &message, qint64 logId) {
        m_resend->setEnabled(m_list->currentItem() != nullptr);
        m_status->setStyleSheet(ok ? QString() : theme::failureStyleSheet(m_status->palette()));
        m_status->setText(ok ? tr("Sent again (log #%1). The server answered: %2").arg(logId).arg(message)
                             : tr("Not sent (log #%1): %2").arg(logId).arg(message));
        m_selectAfterLoad = logId;
        reload();
        Q_EMIT resendFinished(ok, logId);
    });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
}

SendLogDialog::~SendLogDialog()
{
    delete m_job; // stops a resend in progress while the mailer is still here
}

void SendLogDialog::reload()
{
    const qint64 keep = selectedEntry();
    m_loaded = false;
    if (m_list->topLevelItemCount() == 0)
        m_status->setText(tr("Loading the send log…"));
    m_job->compose<std::vector<SendLogEntry>>(
        this, QStringLiteral("list"), [](ReportMailer &mailer) { return mailer.log().list(kShown); },
        [this, keep](Result<std::vector<SendLogEntry>> entries) {
            showList(entries, keep, std::exchange(m_selectAfterLoad, 0));
        });
}

void SendLogDialog::showList(const Result<std::vector<SendLogEntry>> &entries, qint64 keep, qint64 select)
{
    m_loaded = true;
    if (m_status->text() == tr("Loading the send log…"))
        m_status->clear();
    {
        const QSignalBlocker block(m_list); // the selection is put back below
        m_list->clear();
    }
    if (!entries) {
        m_status->setText(tr("The send log cannot be read: %1").arg(failureText(entries)));
        Q_EMIT listLoaded();
        return;
    }
    QList<QTreeWidgetItem *> items;
    for (const SendLogEntry &e : *entries) {
        auto *item = new QTreeWidgetItem;
        item->setData(0, kIdRole, qint64(e.id));
        item->setText(When, QDateTime::fromMSecsSinceEpoch(e.createdAt).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        item->setText(Outcome, outcomeName(e.outcome));
        if (e.outcome != SendOutcome::Sent)
            item->setForeground(Outcome, QColor(0xb3, 0x26, 0x1e));
        item->setText(Recipients, e.recipients.join(QStringLiteral(", ")));
        item->setText(Subject, e.subject);
        item->setToolTip(Subject, e.subject);
        item->setText(Report, e.reportId ? QString::number(e.reportId) : tr("test"));
        item->setText(Destination, e.destination);
        item->setText(Answer, e.outcome == SendOutcome::Sent ? e.reply : e.error);
        item->setToolTip(Answer, item->text(Answer));
        items << item;
    }
    m_list->addTopLevelItems(items);
    if (select)
        selectEntry(select);
    else if (keep)
        selectEntry(keep);
    if (!m_list->currentItem()) {
        m_details->clear();
        m_resend->setEnabled(false);
    }
    Q_EMIT listLoaded();
}

QString SendLogDialog::statusText() const { return m_status->text(); }

void SendLogDialog::selectEntry(qint64 logId)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i)
        if (m_list->topLevelItem(i)->data(0, kIdRole).toLongLong() == logId) {
            m_list->setCurrentItem(m_list->topLevelItem(i));
            return;
        }
}

qint64 SendLogDialog::selectedEntry() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    return item ? item->data(0, kIdRole).toLongLong() : 0;
}

void SendLogDialog::showDetails()
{
    const qint64 id = selectedEntry();
    m_resend->setEnabled(id && !m_job->isRunning());
    if (!id) {
        m_details->clear();
        return;
    }
    m_details->setPlainText(tr("Loading…"));
    m_job->compose<SendLogEntry>(
        this, QStringLiteral("entry"), [id](ReportMailer &mailer) { return mailer.log().entry(id); },
        [this](Result<SendLogEntry> e) { showEntry(e); });
}

void SendLogDialog::showEntry(const Result<SendLogEntry> &e)
{
    if (!e) {
        m_details->setPlainText(failureText(e));
        Q_EMIT detailsShown();
        return;
    }
    QStringList lines;
    lines << tr("Log #%1, %2, %3 via %4 (%5)")
                 .arg(e->id)
                 .arg(outcomeName(e->outcome), audienceName(e->audience), e->backend, e->destination);
    if (e->resendOf)
        lines << tr("Sent again from log #%1").arg(e->resendOf);
    lines << tr("From: %1").arg(e->sender) << tr("To: %1").arg(e->recipients.join(QStringLiteral(", ")))
          << tr("Subject: %1").arg(e->subject) << tr("Message-ID: <%1>, %2 bytes").arg(e->messageId).arg(e->messageBytes);
    if (!e->reply.isEmpty())
        lines << tr("Server's answer: %1").arg(e->reply);
    if (!e->error.isEmpty())
        lines << tr("Error: %1").arg(e->error);
    if (!e->transcript.isEmpty())
        lines << QString() << tr("SMTP dialogue:") << e->transcript;
    m_details->setPlainText(lines.join(u'\n'));
    Q_EMIT detailsShown();
}

void SendLogDialog::resend()
{
    const qint64 id = selectedEntry();
    if (!id || m_job->isRunning())
        return;
    m_resend->setEnabled(false);
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Preparing log #%1 again…").arg(id));
    m_job->prepare(
        this, [id](ReportMailer &mailer) { return mailer.prepareResend(id); },
        [this, id](Result<MailToSend> ready) {
            if (!ready) {
                m_resend->setEnabled(selectedEntry() != 0);
                m_status->setStyleSheet(theme::failureStyleSheet(m_status->palette()));
                m_status->setText(failureText(ready));
                return;
            }
            m_status->setText(tr("Sending log #%1 again through %2…").arg(id).arg(ready->sender.describe()));
            m_job->start(std::move(*ready));
        });
}

} // namespace ed
