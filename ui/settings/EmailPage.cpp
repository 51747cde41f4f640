#include "settings/EmailPage.h"

#include "KeychainPasswords.h"
#include "jobs/JobFailure.h"
#include "jobs/MailJob.h"
#include "look/Theme.h"
#include "send/PasswordSource.h"
#include "send/ReportMailer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QPushButton>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace ed {

EmailPage::EmailPage(QWidget *parent) : SettingsPage(parent)
{
    auto *form = new QFormLayout(this);
    // EMAIL_BACKEND as Django names it; smtp sends, file and console write the
    // message (EMAIL_FILE_PATH, standard output of errordeck-cli).
    m_backend = new QComboBox(this);
    m_backend->setObjectName(QStringLiteral("emailBackend"));
    m_backend->addItem(tr("SMTP server (smtp.EmailBackend)"), QStringLiteral("smtp"));
    m_backend->addItem(tr("Files in a folder (filebased.EmailBackend)"), QStringLiteral("file"));
    m_backend->addItem(tr("Standard output (console.EmailBackend)"), QStringLiteral("console"));
    m_filePath = new QLineEdit(this);
    m_filePath->setObjectName(QStringLiteral("emailFilePath"));
    m_filePath->setPlaceholderText(tr("the folder the file backend writes to"));
    m_caFile = new QLineEdit(this);
    m_caFile->setObjectName(QStringLiteral("emailCaFile"));
    m_caFile->setPlaceholderText(tr("also trust this CA file (PEM), beside the system's"));
    m_host = new QLineEdit(this);
    m_host->setObjectName(QStringLiteral("emailHost"));
    m_port = new QSpinBox(this);
    m_port->setObjectName(QStringLiteral("emailPort"));
    m_port->setRange(1, 65535);
    m_security = new QComboBox(this);
    m_security->setObjectName(QStringLiteral("emailSecurity"));
    m_security->addItems({tr("None"), tr("STARTTLS (EMAIL_USE_TLS)"), tr("SSL/TLS (EMAIL_USE_SSL)")});
    m_user = new QLineEdit(this);
    m_user->setObjectName(QStringLiteral("emailUser"));
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("emailPassword"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("kept in the system keychain"));
    m_keychain = new QLabel(this);
    m_keychain->setObjectName(QStringLiteral("keychainStatus"));
    m_keychain->setWordWrap(true);
    m_timeout = new QDoubleSpinBox(this);
    m_timeout->setObjectName(QStringLiteral("emailTimeout"));
    m_timeout->setRange(0, 3600);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setSpecialValueText(tr("none"));
    m_serverEmail = new QLineEdit(this);
    m_serverEmail->setObjectName(QStringLiteral("serverEmail"));
    m_prefix = new QLineEdit(this);
    m_prefix->setObjectName(QStringLiteral("subjectPrefix"));
    m_html = new QCheckBox(tr("Attach the HTML report, like AdminEmailHandler(include_html=True)"), this);
    m_html->setObjectName(QStringLiteral("includeHtml"));

    addField(form, tr("&Backend:"), m_backend, ConfigKey::EmailBackend);
    addField(form, tr("&Folder:"), m_filePath, ConfigKey::EmailFilePath);
    addField(form, tr("&Host:"), m_host, ConfigKey::EmailHost);
    addField(form, tr("&Port:"), m_port, ConfigKey::EmailPort);
    addField(form, tr("S&ecurity:"), m_security, ConfigKey::EmailUseTls);
    addField(form, tr("&User:"), m_user, ConfigKey::EmailHostUser);
    form->addRow(tr("Pass&word:"), m_password);
    form->addRow(QString(), m_keychain);
    addField(form, tr("&Timeout:"), m_timeout, ConfigKey::EmailTimeout);
    addField(form, tr("&CA file:"), m_caFile, ConfigKey::EmailCaFile);
    addField(form, tr("&SERVER_EMAIL:"), m_serverEmail, ConfigKey::ServerEmail);
    addField(form, tr("Subject &prefix:"), m_prefix, ConfigKey::EmailSubjectPrefix);
    addField(form, QString(), m_html, ConfigKey::EmailIncludeHtml);

    // Send test e-mail: to these addresses, else ADMINS.
    m_testRow = new QWidget(this);
    m_testTo = new QLineEdit(m_testRow);
    m_testTo->setObjectName(QStringLiteral("testRecipients"));
    m_testTo->setPlaceholderText(tr("ADMINS, or addresses separated by commas"));
    m_testButton = new QPushButton(theme::icon(QStringLiteral("mail")), tr("Send &test e-mail"), m_testRow);
    m_testButton->setObjectName(QStringLiteral("sendTestEmail"));
    m_testButton->setToolTip(tr("Saves these settings and sends a test message, showing the server's answer"));
    auto *testLayout = new QHBoxLayout(m_testRow);
    testLayout->setContentsMargins(0, 0, 0, 0);
    testLayout->addWidget(m_testTo, 1);
    testLayout->addWidget(m_testButton);
    m_testStatus = new QLabel(this);
    m_testStatus->setObjectName(QStringLiteral("testStatus"));
    m_testStatus->setWordWrap(true);
    m_testStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Test:"), m_testRow);
    form->addRow(QString(), m_testStatus);
    m_testRow->setVisible(false);
    m_testStatus->setVisible(false);
    connect(m_testButton, &QPushButton::clicked, this, &EmailPage::testRequested);
    connect(m_password, &QLineEdit::textEdited, this, [this] { m_passwordEdited = true; });
    connect(m_backend, &QComboBox::currentIndexChanged, this, &EmailPage::backendChosen);
    backendChosen();
    connect(m_security, &QComboBox::activated, this, [this](int i) {
        // The usual port for the choice, when the port is still a usual one.
        if (m_port->value() == 25 || m_port->value() == 587 || m_port->value() == 465)
            m_port->setValue(i == Ssl ? 465 : i == StartTls ? 587 : 25);
    });
}

EmailPage::~EmailPage()
{
    m_job.reset(); // stops a test in progress while the mailer and keychain are still here
}

// The server's fields for smtp, the folder for file.
void EmailPage::backendChosen()
{
    const QString b = m_backend->currentData().toString();
    for (QWidget *w : {static_cast<QWidget *>(m_host), static_cast<QWidget *>(m_port), static_cast<QWidget *>(m_security),
                       static_cast<QWidget *>(m_user), static_cast<QWidget *>(m_password), static_cast<QWidget *>(m_timeout),
                       static_cast<QWidget *>(m_caFile)})
        w->setEnabled(b == QLatin1String("smtp"));
    m_filePath->setEnabled(b == QLatin1String("file"));
}

void EmailPage::load(const ConfigCache &config)
{
    // Django's dotted names read as the short ones they stand for.
    const QString backend = config.string(ConfigKey::EmailBackend);
    int index = 0;
    for (int i = 0; i < m_backend->count(); ++i) {
        const QString shortName = m_backend->itemData(i).toString();
        const QString module = shortName == QLatin1String("file") ? QStringLiteral("filebased") : shortName;
        if (backend == shortName || backend == QStringLiteral("django.core.mail.backends.%1.EmailBackend").arg(module))
            index = i;
    }
    m_backend->setCurrentIndex(index);
    m_filePath->setText(config.string(ConfigKey::EmailFilePath));
    m_caFile->setText(config.string(ConfigKey::EmailCaFile));
    m_host->setText(config.string(ConfigKey::EmailHost));
    m_port->setValue(config.integer(ConfigKey::EmailPort));
    m_security->setCurrentIndex(config.flag(ConfigKey::EmailUseSsl)   ? Ssl
                                : config.flag(ConfigKey::EmailUseTls) ? StartTls
                                                                      : None);
    m_user->setText(config.string(ConfigKey::EmailHostUser));
    const QJsonValue timeout = config.value(ConfigKey::EmailTimeout);
    m_timeout->setValue(timeout.isNull() ? 0 : timeout.toDouble());
    m_serverEmail->setText(config.string(ConfigKey::ServerEmail));
    m_prefix->setText(config.string(ConfigKey::EmailSubjectPrefix));
    m_html->setChecked(config.flag(ConfigKey::EmailIncludeHtml));
    m_loadedUser = m_user->text();
    m_loadedHost = m_host->text();
    m_passwordEdited = false;
    m_password->clear();
    readPassword();
}

bool EmailPage::apply(SettingsEdits &config)
{
    // A dotted name kept as it was when the choice did not change.
    const QString stored = config.value(ConfigKey::EmailBackend).toString();
    const QString chosen = m_backend->currentData().toString();
    const bool same = stored == chosen ||
                      stored.startsWith(QStringLiteral("django.core.mail.backends.%1")
                                            .arg(chosen == QLatin1String("file") ? QStringLiteral("filebased") : chosen));
    bool ok = setValue(config, ConfigKey::EmailBackend, same ? stored : chosen);
    ok = setValue(config, ConfigKey::EmailFilePath, m_filePath->text().trimmed()) && ok;
    ok = setValue(config, ConfigKey::EmailCaFile, m_caFile->text().trimmed()) && ok;
    ok = setValue(config, ConfigKey::EmailHost, m_host->text().trimmed()) && ok;
    ok = setValue(config, ConfigKey::EmailPort, m_port->value()) && ok;
    const int sec = m_security->currentIndex();
    ok = setValue(config, ConfigKey::EmailUseTls, sec == StartTls) && ok;
    ok = setValue(config, ConfigKey::EmailUseSsl, sec == Ssl) && ok;
    ok = setValue(config, ConfigKey::EmailHostUser, m_user->text().trimmed()) && ok;
    ok = setValue(config, ConfigKey::EmailTimeout, m_timeout->value() == 0 ? QJsonValue() : QJsonValue(m_timeout->value())) && ok;
    ok = setValue(config, ConfigKey::ServerEmail, m_serverEmail->text().trimmed()) && ok;
    ok = setValue(config, ConfigKey::EmailSubjectPrefix, m_prefix->text()) && ok;
    ok = setValue(config, ConfigKey::EmailIncludeHtml, m_html->isChecked()) && ok;
    const QString user = m_user->text().trimmed(), host = m_host->text().trimmed();
    if (m_passwordEdited || user != m_loadedUser || host != m_loadedHost) {
        if (!user.isEmpty() && (m_passwordEdited || !m_password->text().isEmpty()))
            writePassword(user, host);
        m_loadedUser = user;
        m_loadedHost = host;
        m_passwordEdited = false;
    }
    return ok;
}

QString EmailPage::keychainStatus() const { return m_keychain->text(); }

void EmailPage::readPassword()
{
    if (m_user->text().isEmpty()) {
        m_keychain->setText(tr("No user: the server is used without logging in."));
        return;
    }
    m_keychain->setText(tr("Reading the password from the keychain…"));
    KeychainPasswords::readLater(m_user->text(), m_host->text(), this, [this](Result<QString> read) {
        if (read) {
            if (!m_passwordEdited)
                m_password->setText(*read);
            m_keychain->setText(tr("The password is kept in the system keychain."));
        } else if (read.errorKind() == ErrorKind::NotFound) {
            m_keychain->setText(tr("No password stored for this user and host."));
        } else {
            m_keychain->setText(tr("The keychain is not available: %1").arg(read.error()));
        }
        Q_EMIT keychainDone();
    });
}

void EmailPage::writePassword(const QString &user, const QString &host)
{
    m_keychain->setText(tr("Saving the password in the keychain…"));
    KeychainPasswords::storeLater(user, host, m_password->text(), this, [this](Result<void> stored) {
        if (stored)
            m_keychain->setText(tr("The password is kept in the system keychain."));
        else
            m_keychain->setText(tr("The password could not be saved in the keychain: %1").arg(stored.error()));
        Q_EMIT keychainDone();
    });
}

} // namespace ed

namespace ed {

void EmailPage::enableTestSend(const QString &dbPath)
{
    m_passwords = std::make_unique<KeychainPasswords>();
    m_job = std::make_unique<MailJob>(dbPath, m_passwords.get());
    connect(m_job.get(), &MailJob::finished, this, [this](bool ok, const QString &message, qint64 logId) {
        m_testButton->setEnabled(true);
        m_testStatus->setStyleSheet(ok ? QString() : theme::failureStyleSheet(m_testStatus->palette()));
        m_testStatus->setText(ok ? tr("Sent. The server answered: %1 (send log #%2)").arg(message).arg(logId)
                                 : tr("Not sent: %1").arg(message));
        Q_EMIT testFinished(ok, message);
    });
    m_testRow->setVisible(true);
    m_testStatus->setVisible(true);
}

bool EmailPage::isTestRunning() const { return m_composing || (m_job && m_job->isRunning()); }
QString EmailPage::testStatus() const { return m_testStatus->text(); }

void EmailPage::sendTest()
{
    if (!m_job || isTestRunning())
        return;
    const auto fail = [this](const QString &message) {
        m_testStatus->setStyleSheet(theme::failureStyleSheet(m_testStatus->palette()));
        m_testStatus->setText(tr("Not sent: %1").arg(message));
        Q_EMIT testFinished(false, message);
    };
    QStringList to;
    if (!m_testTo->text().trimmed().isEmpty())
        to << m_testTo->text().trimmed(); // parseMailboxes reads comma-separated lists
    // Composed on a job (the settings and ADMINS are in the database); sent once it answers.
    m_testButton->setEnabled(false);
    m_composing = true;
    m_testStatus->setStyleSheet(QString());
    m_testStatus->setText(tr("Composing the test message…"));
    m_job->prepare(
        this, [to](ReportMailer &mailer) { return mailer.prepare(mailer.draftTest(to)); },
        [this, fail](Result<MailToSend> ready) {
            m_composing = false;
            if (!ready) {
                m_testButton->setEnabled(true);
                return fail(failureText(ready));
            }
            // A password typed here may not be in the keychain yet (it is written
            // asynchronously on apply): use it as typed. It stays in memory only.
            DeliveryOptions options = ready->sender.options();
            if (!options.smtp.user.isEmpty() && !m_password->text().isEmpty())
                options.smtp.password = m_password->text();
            MailSender withPassword(std::move(options), m_passwords.get());
            m_testStatus->setStyleSheet(QString());
            m_testStatus->setText(tr("Sending a test message to %1 through %2…")
                                      .arg(ready->mail.envelopeTo.join(QStringLiteral(", ")), withPassword.describe()));
            m_job->start(std::move(ready->mail), std::move(withPassword));
        });
}

} // namespace ed
