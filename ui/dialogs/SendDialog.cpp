#include "dialogs/SendDialog.h"

#include "jobs/JobFailure.h"
#include "jobs/MailJob.h"
#include "store/ReportStore.h"
#include "look/Theme.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace ed {

SendDialog::SendDialog(const QString &dbPath, const PasswordSource *passwords, QWidget *parent)
    : QDialog(parent), m_job(new MailJob(dbPath, passwords, this))
{
    setObjectName(QStringLiteral("sendDialog"));
    setWindowTitle(tr("E-mail report"));
    resize(820, 640);

    m_audience = new QComboBox(this);
    m_audience->setObjectName(QStringLiteral("sendAudience"));
    m_audience->addItem(tr("Admins (server error report, ADMINS)"), int(MailAudience::Admins));
    m_audience->addItem(tr("Managers (broken link, MANAGERS)"), int(MailAudience::Managers));
    m_to = new QLineEdit(this);
    m_to->setObjectName(QStringLiteral("sendTo"));
    m_to->setPlaceholderText(tr("ops@example.com, Ana Lima <ana@example.com>"));
    m_to->setToolTip(tr("Recipients, separated by commas. Only these receive the message."));
    m_from = new QLabel(this);
    m_from->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_subject = new QLineEdit(this);
    m_subject->setObjectName(QStringLiteral("sendSubject"));
    m_subject->setReadOnly(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Send as:"), m_audience);
    form->addRow(tr("&To:"), m_to);
    form->addRow(tr("From:"), m_from);
    form->addRow(tr("Subject:"), m_subject);

    m_tabs = new QTabWidget(this);
    m_text = new QPlainTextEdit(this);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_html = new QTextBrowser(this);
    m_html->setOpenLinks(false);
    m_tabs->addTab(m_text, tr("Text"));
    m_tabs->addTab(m_html, tr("HTML"));

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("sendStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0);
    m_progress->setVisible(false);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_sendButton = m_buttons->addButton(tr("&Send"), QDialogButtonBox::AcceptRole);
    m_sendButton->setObjectName(QStringLiteral("sendButton"));
    m_sendButton->setDefault(true);
    m_retryButton = m_buttons->addButton(tr("&Retry"), QDialogButtonBox::ActionRole);
    m_retryButton->setObjectName(QStringLiteral("retryButton"));
    m_retryButton->setVisible(false);
    m_cancelButton = m_buttons->addButton(tr("S&top"), QDialogButtonBox::ActionRole);
    m_cancelButton->setVisible(false);

    // Said before sending: with AUTH and no TLS the password goes in clear.
    m_securityWarning = new QLabel(this);
    m_securityWarning->setObjectName(QStringLiteral("sendSecurityWarning"));
    m_securityWarning->setWordWrap(true);
    m_securityWarning->setTextFormat(Qt::PlainText);
    m_securityWarning->setVisible(false); // until load() read the settings

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_securityWarning);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);

    connect(m_sendButton, &QPushButton::clicked, this, &SendDialog::send);
    connect(m_retryButton, &QPushButton::clicked, this, &SendDialog::retry);
    connect(m_cancelButton, &QPushButton::clicked, m_job, &MailJob::cancel);
    connect(m_job, &MailJob::finished, this, &SendDialog::finished);
    connect(m_job, &MailJob::progress, this, [this](qint64 sent, qint64 total) {
        m_progress->setRange(0, 100);
        m_progress->setValue(int(100 * sent / total));
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_audience, &QComboBox::currentIndexChanged, this, &SendDialog::recompose);
}

SendDialog::~SendDialog()
{
    // Closing mid-send stops the transfer rather than leave it running.
    delete m_job;
}

SendDialog *SendDialog::forReport(const QString &dbPath, const PasswordSource *passwords, int64_t reportId, MailAudience audience,
                                  QWidget *parent)
{
    auto *d = new SendDialog(dbPath, passwords, parent);
    d->load(reportId, false, audience);
    return d;
}

SendDialog *SendDialog::forIssue(const QString &dbPath, const PasswordSource *passwords, int64_t issueId, MailAudience audience,
                                 QWidget *parent)
{
    auto *d = new SendDialog(dbPath, passwords, parent);
    d->load(issueId, true, audience);
    return d;
}

namespace {
// What the dialog needs to know before composing: whether Django would have
// sent this report to MANAGERS (a 404), and what the settings warn about.
struct SendFacts {
    bool canBrokenLink = false;
    QString securityWarning;
};
} // namespace

void SendDialog::load(int64_t id, bool isIssue, MailAudience audience)
{
    m_id = id;
    m_isIssue = isIssue;
    m_composed = false;
    m_sendButton->setEnabled(false);
    m_audience->setEnabled(false);
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Composing the message…"));
    m_job->compose<SendFacts>(
        this, QStringLiteral("facts"),
        [id, isIssue](ReportMailer &mailer) -> Result<SendFacts> {
            SendFacts facts;
            // "E-mail managers" is Django's broken-link message: only for a 404.
            auto draft = isIssue ? mailer.draftForIssue(id, MailAudience::Admins)
                                 : mailer.draftForReport(id, MailAudience::Admins);
            if (draft) {
                auto report = ReportStore(mailer.database()).loadReport(draft->reportId);
                facts.canBrokenLink = report && MailComposer::isNotFound(*report);
            }
            // Said before sending: with AUTH and no TLS the password goes in clear.
            if (auto s = mailer.sender(); s)
                facts.securityWarning = s->securityWarning();
            return facts;
        },
        [this, audience](Result<SendFacts> facts) {
            m_audience->setEnabled(true);
            m_canBrokenLink = facts && facts->canBrokenLink;
            if (facts && !facts->securityWarning.isEmpty())
                m_securityWarning->setText(QStringLiteral("⚠ ") + facts->securityWarning);
            m_securityWarning->setVisible(!m_securityWarning->text().isEmpty());
            m_audience->setItemData(1, m_canBrokenLink ? QVariant() : QVariant(0), Qt::UserRole - 1); // disables the item
            const int index = audience == MailAudience::Managers && m_canBrokenLink ? 1 : 0;
            if (m_audience->currentIndex() == index)
                recompose();
            else
                m_audience->setCurrentIndex(index); // recomposes
        });
}

void SendDialog::recompose()
{
    const auto audience = MailAudience(m_audience->currentData().toInt());
    const int64_t id = m_id;
    const bool isIssue = m_isIssue;
    m_composed = false;
    m_sendButton->setEnabled(false);
    m_job->compose<MailDraft>(
        this, QStringLiteral("draft"),
        [id, isIssue, audience](ReportMailer &mailer) {
            return isIssue ? mailer.draftForIssue(id, audience) : mailer.draftForReport(id, audience);
        },
        [this, audience](Result<MailDraft> draft) {
            m_composed = true;
            if (!draft) {
                showError(failureText(draft));
                m_sendButton->setEnabled(false);
                Q_EMIT composed(false);
                return;
            }
            m_draft = *draft;
            setWindowTitle(audience == MailAudience::Managers ? tr("E-mail managers — report #%1").arg(m_draft.reportId)
                                                              : tr("E-mail admins — report #%1").arg(m_draft.reportId));
            m_to->setText(m_draft.to.join(QStringLiteral(", ")));
            m_from->setText(m_draft.from);
            m_subject->setText(m_draft.subject);
            m_subject->setCursorPosition(0);
            m_text->setPlainText(m_draft.text);
            m_html->setHtml(m_draft.html);
            m_tabs->setTabEnabled(1, !m_draft.html.isEmpty());
            m_status->setStyleSheet(QString());
            m_status->setText(m_draft.to.isEmpty() ? tr("No recipients configured: enter at least one address.") : QString());
            m_sendButton->setEnabled(true);
            m_retryButton->setVisible(false);
            Q_EMIT composed(true);
        });
}

void SendDialog::send()
{
    MailDraft draft = m_draft;
    draft.to = QStringList{m_to->text()}; // parseMailboxes reads comma-separated lists
    setBusy(true);
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Preparing the message…"));
    m_job->prepare(
        this, [draft](ReportMailer &mailer) { return mailer.prepare(draft); },
        [this](Result<MailToSend> ready) { start(std::move(ready)); });
}

void SendDialog::retry()
{
    if (!m_lastLogId)
        return;
    const int64_t logId = m_lastLogId;
    setBusy(true);
    m_job->prepare(
        this, [logId](ReportMailer &mailer) { return mailer.prepareResend(logId); },
        [this](Result<MailToSend> ready) { start(std::move(ready)); });
}

void SendDialog::start(Result<MailToSend> ready)
{
    if (!ready) {
        setBusy(false);
        showError(failureText(ready));
        return;
    }
    m_status->setText(tr("Sending through %1…").arg(ready->sender.describe()));
    m_status->setStyleSheet(QString());
    m_job->start(std::move(*ready));
}

void SendDialog::finished()
{
    setBusy(false);
    const Result<SendResult> &result = *m_job->lastResult();
    if (!result) {
        showError(failureText(result));
        return;
    }
    m_lastLogId = result->logId;
    Q_EMIT attemptLogged(result->logId, result->ok());
    if (result->ok()) {
        m_status->setStyleSheet(QString());
        m_status->setText(tr("Sent to %1 via %2. The server answered: %3 (send log #%4)")
                              .arg(result->entry.recipients.join(QStringLiteral(", ")), result->entry.destination,
                                   result->entry.reply.isEmpty() ? tr("OK") : result->entry.reply)
                              .arg(result->logId));
        m_retryButton->setVisible(false);
        m_sendButton->setText(tr("&Send again"));
    } else {
        showError(tr("%1\n(Logged as #%2; nothing was lost. Retry sends the same message again.)")
                      .arg(result->entry.error)
                      .arg(result->logId));
        m_retryButton->setVisible(!result->entry.error.isEmpty());
    }
}

void SendDialog::setBusy(bool busy)
{
    m_progress->setRange(0, 0);
    m_progress->setVisible(busy);
    m_cancelButton->setVisible(busy);
    m_sendButton->setEnabled(!busy);
    m_retryButton->setEnabled(!busy);
    m_to->setEnabled(!busy);
    m_audience->setEnabled(!busy);
    m_buttons->button(QDialogButtonBox::Close)->setEnabled(!busy);
}

void SendDialog::showError(const QString &message)
{
    m_status->setStyleSheet(theme::failureStyleSheet(m_status->palette()));
    m_status->setText(message);
}

} // namespace ed
