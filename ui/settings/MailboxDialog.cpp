#include "settings/MailboxDialog.h"

#include "look/Theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace ed {

MailboxDialog::MailboxDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("mailboxDialog"));
    setWindowTitle(tr("Mailbox"));
    m_host = new QLineEdit(this);
    m_host->setObjectName(QStringLiteral("mailboxHost"));
    m_host->setPlaceholderText(tr("mail.example.com"));
    m_port = new QSpinBox(this);
    m_port->setObjectName(QStringLiteral("mailboxPort"));
    m_port->setRange(1, 65535);
    m_port->setValue(993);
    m_security = new QComboBox(this);
    m_security->setObjectName(QStringLiteral("mailboxSecurity"));
    m_security->addItems({tr("TLS from the start (imaps://, usually port 993)"), tr("STARTTLS (imap://, usually port 143)")});
    m_user = new QLineEdit(this);
    m_user->setObjectName(QStringLiteral("mailboxUser"));
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("mailboxPassword"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("kept in the system keychain"));
    m_folder = new QLineEdit(QStringLiteral("INBOX"), this);
    m_folder->setObjectName(QStringLiteral("mailboxFolder"));
    m_folder->setToolTip(tr("Levels separated as the server does (usually '/'); any language: "
                            "the name is sent in IMAP's modified UTF-7"));
    m_onlyServerEmail = new QCheckBox(tr("Only messages from SERVER_EMAIL (Settings › E-mail server)"), this);
    m_onlyServerEmail->setObjectName(QStringLiteral("mailboxOnlyServerEmail"));
    m_onlyPrefix = new QCheckBox(tr("Only subjects starting with EMAIL_SUBJECT_PREFIX"), this);
    m_onlyPrefix->setObjectName(QStringLiteral("mailboxOnlyPrefix"));
    m_useIdle = new QCheckBox(tr("Fetch new messages as they arrive (IMAP IDLE, where the server offers it)"), this);
    m_useIdle->setObjectName(QStringLiteral("mailboxUseIdle"));
    m_useIdle->setToolTip(tr("Off, or on a server without IDLE: the mailbox is looked at every minute"));
    m_useIdle->setChecked(true);
    m_after = new QComboBox(this);
    m_after->setObjectName(QStringLiteral("mailboxAfter"));
    m_after->addItems({tr("Leave it as it was"), tr("Mark it read"), tr("Move it to the folder:")});
    m_moveTo = new QLineEdit(this);
    m_moveTo->setObjectName(QStringLiteral("mailboxMoveTo"));
    m_moveTo->setPlaceholderText(tr("e.g. Archive/Errors"));
    m_caFile = new QLineEdit(this);
    m_caFile->setObjectName(QStringLiteral("mailboxCaFile"));
    m_caFile->setPlaceholderText(tr("also trust this CA file (PEM), beside the system's"));
    auto *browse = new QPushButton(tr("Choose…"), this);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("mailboxError"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->hide();

    auto *form = new QFormLayout;
    form->addRow(tr("&Host:"), m_host);
    form->addRow(tr("&Port:"), m_port);
    form->addRow(tr("S&ecurity:"), m_security);
    form->addRow(tr("&User:"), m_user);
    form->addRow(tr("Pass&word:"), m_password);
    form->addRow(tr("&Folder:"), m_folder);
    form->addRow(tr("Filters:"), m_onlyServerEmail);
    form->addRow(QString(), m_onlyPrefix);
    form->addRow(tr("New mail:"), m_useIdle);
    auto *afterRow = new QHBoxLayout;
    afterRow->addWidget(m_after);
    afterRow->addWidget(m_moveTo, 1);
    form->addRow(tr("&After import:"), afterRow);
    auto *caRow = new QHBoxLayout;
    caRow->addWidget(m_caFile, 1);
    caRow->addWidget(browse);
    form->addRow(tr("&CA file:"), caRow);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &MailboxDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_password, &QLineEdit::textEdited, this, [this] { m_passwordEdited = true; });
    const auto afterChosen = [this] { m_moveTo->setEnabled(m_after->currentIndex() == Move); };
    connect(m_after, &QComboBox::currentIndexChanged, this, afterChosen);
    afterChosen();
    connect(m_security, &QComboBox::activated, this, [this](int i) {
        // The usual port for the choice, while the port is still a usual one.
        if (m_port->value() == 993 || m_port->value() == 143)
            m_port->setValue(i == Imaps ? 993 : 143);
    });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("CA certificate"), {},
                                                       tr("PEM files (*.pem *.crt);;All files (*)"));
        if (!f.isEmpty())
            m_caFile->setText(f);
    });
    resize(560, sizeHint().height());
}

void MailboxDialog::setEntry(const MailboxEntry &e)
{
    m_host->setText(e.url.host);
    m_port->setValue(e.url.port);
    m_security->setCurrentIndex(e.url.security == ImapUrl::Security::Tls ? Imaps : StartTls);
    m_user->setText(e.url.user);
    m_folder->setText(e.url.folder);
    m_onlyServerEmail->setChecked(e.onlyServerEmail);
    m_onlyPrefix->setChecked(e.onlySubjectPrefix);
    m_useIdle->setChecked(e.useIdle);
    m_after->setCurrentIndex(e.after == AfterImport::Move ? Move : e.after == AfterImport::MarkRead ? MarkRead : Leave);
    m_moveTo->setText(e.moveTo);
    m_caFile->setText(e.caFile);
    m_password->clear();
    m_passwordEdited = false;
}

std::optional<MailboxEntry> MailboxDialog::entry(QString *error) const
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QString host = m_host->text().trimmed(), user = m_user->text().trimmed(), folder = m_folder->text().trimmed();
    if (host.isEmpty())
        return fail(tr("The host is missing."));
    if (user.isEmpty())
        return fail(tr("The user is missing."));
    if (folder.isEmpty())
        return fail(tr("The folder is missing (INBOX is the usual one)."));
    ImapUrl u;
    u.security = m_security->currentIndex() == Imaps ? ImapUrl::Security::Tls : ImapUrl::Security::StartTls;
    u.host = host;
    u.user = user;
    u.port = m_port->value();
    u.folder = folder;
    // Through the URL and back: the same checks as the command line's (';', control characters, the host).
    auto parsed = ImapUrl::parse(u.toString());
    if (!parsed)
        return fail(parsed.error());
    if (parsed->host.compare(host, Qt::CaseInsensitive) != 0)
        return fail(tr("'%1' is not a host name.").arg(host));
    MailboxEntry e;
    e.url = *parsed;
    e.caFile = m_caFile->text().trimmed();
    e.onlyServerEmail = m_onlyServerEmail->isChecked();
    e.onlySubjectPrefix = m_onlyPrefix->isChecked();
    e.useIdle = m_useIdle->isChecked();
    e.after = m_after->currentIndex() == Move       ? AfterImport::Move
              : m_after->currentIndex() == MarkRead ? AfterImport::MarkRead
                                                    : AfterImport::Leave;
    if (e.after == AfterImport::Move) {
        e.moveTo = m_moveTo->text().trimmed();
        if (e.moveTo.isEmpty())
            return fail(tr("Name the folder to move imported messages to."));
        if (e.moveTo == e.url.folder)
            return fail(tr("The folder to move to is the folder read."));
    }
    return e;
}

QString MailboxDialog::password() const { return m_password->text(); }
void MailboxDialog::setPasswordPlaceholder(const QString &text) { m_password->setPlaceholderText(text); }
QString MailboxDialog::errorText() const { return m_error->isHidden() ? QString() : m_error->text(); }

void MailboxDialog::accept()
{
    QString why;
    if (!entry(&why)) {
        m_error->setStyleSheet(theme::failureStyleSheet(m_error->palette()));
        m_error->setText(why);
        m_error->show();
        return;
    }
    m_error->hide();
    QDialog::accept();
}

} // namespace ed
