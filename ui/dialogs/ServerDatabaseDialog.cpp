#include "dialogs/ServerDatabaseDialog.h"

#include "store/Database.h"
#include "store/DatabaseLocation.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QUrl>
#include <QUrlQuery>

namespace ed {

QString ServerDatabaseDialog::urlFor(const Fields &f)
{
    QUrl u;
    u.setScheme(QStringLiteral("postgresql"));
    u.setHost(f.host.trimmed().isEmpty() ? QStringLiteral("localhost") : f.host.trimmed());
    if (!f.user.trimmed().isEmpty())
        u.setUserName(f.user.trimmed());
    u.setPort(f.port > 0 ? f.port : 5432);
    u.setPath(QLatin1Char('/') + f.database.trimmed());
    QUrlQuery q;
    if (!f.sslMode.isEmpty())
        q.addQueryItem(QStringLiteral("sslmode"), f.sslMode);
    if (!f.caFile.trimmed().isEmpty())
        q.addQueryItem(QStringLiteral("sslrootcert"), QString::fromUtf8(QUrl::toPercentEncoding(f.caFile.trimmed(), "/")));
    u.setQuery(q);
    return u.toString(QUrl::FullyEncoded);
}

ServerDatabaseDialog::ServerDatabaseDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("serverDatabaseDialog"));
    setWindowTitle(tr("Open Server Database"));
    m_host = new QLineEdit(this);
    m_host->setObjectName(QStringLiteral("serverHost"));
    m_host->setPlaceholderText(QStringLiteral("db.example.org"));
    m_port = new QSpinBox(this);
    m_port->setObjectName(QStringLiteral("serverPort"));
    m_port->setRange(1, 65535);
    m_port->setValue(5432);
    m_database = new QLineEdit(this);
    m_database->setObjectName(QStringLiteral("serverDatabase"));
    m_database->setPlaceholderText(QStringLiteral("errordeck"));
    m_user = new QLineEdit(this);
    m_user->setObjectName(QStringLiteral("serverUser"));
    m_sslMode = new QComboBox(this);
    m_sslMode->setObjectName(QStringLiteral("serverSslMode"));
    // verify-full first: the only mode that checks who answers (docs/postgresql.md).
    for (const char *mode : {"verify-full", "verify-ca", "require", "prefer", "disable"})
        m_sslMode->addItem(QString::fromLatin1(mode), QString::fromLatin1(mode));
    m_caFile = new QLineEdit(this);
    m_caFile->setObjectName(QStringLiteral("serverCaFile"));
    m_caFile->setPlaceholderText(tr("~/.postgresql/root.crt"));
    auto *browse = new QPushButton(tr("Choose…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("CA certificate"), QString(),
                                                       tr("PEM files (*.pem *.crt);;All files (*)"));
        if (!f.isEmpty())
            m_caFile->setText(f);
    });
    auto *ca = new QHBoxLayout;
    ca->addWidget(m_caFile, 1);
    ca->addWidget(browse);
    m_pasted = new QLineEdit(this);
    m_pasted->setObjectName(QStringLiteral("serverUrl"));
    m_pasted->setPlaceholderText(QStringLiteral("postgresql://user@host:5432/errordeck?sslmode=verify-full"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Host:"), m_host);
    form->addRow(tr("&Port:"), m_port);
    form->addRow(tr("&Database:"), m_database);
    form->addRow(tr("&User:"), m_user);
    form->addRow(tr("&TLS:"), m_sslMode);
    // A row of a layout gets no buddy from QFormLayout: without one the label
    // would show its "&" instead of a shortcut.
    auto *caLabel = new QLabel(tr("&CA certificate:"), this);
    caLabel->setBuddy(m_caFile);
    form->addRow(caLabel, ca);
    form->addRow(new QLabel(tr("Or paste a URL:"), this));
    form->addRow(tr("U&RL:"), m_pasted);
    auto *note = new QLabel(tr("The password is asked for when the server wants one, and can be kept in the system "
                               "keychain; it is never saved with the URL."),
                            this);
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
    for (QLineEdit *e : {m_host, m_database, m_pasted})
        connect(e, &QLineEdit::textChanged, this, &ServerDatabaseDialog::updateOk);
    updateOk();
    // Room for a CA file's path and a pasted URL without scrolling them.
    setMinimumWidth(fontMetrics().averageCharWidth() * 64);
}

QString ServerDatabaseDialog::url() const
{
    if (const QString pasted = m_pasted->text().trimmed(); !pasted.isEmpty())
        return withoutPassword(pasted);
    return urlFor({m_host->text(), m_database->text(), m_user->text(), m_sslMode->currentData().toString(), m_caFile->text(),
                   m_port->value()});
}

void ServerDatabaseDialog::setFields(const Fields &f)
{
    m_host->setText(f.host);
    m_port->setValue(f.port);
    m_database->setText(f.database);
    m_user->setText(f.user);
    if (const int i = m_sslMode->findData(f.sslMode); i >= 0)
        m_sslMode->setCurrentIndex(i);
    m_caFile->setText(f.caFile);
}

void ServerDatabaseDialog::setPastedUrl(const QString &url) { m_pasted->setText(url); }

void ServerDatabaseDialog::updateOk()
{
    const QString pasted = m_pasted->text().trimmed();
    const bool ok = pasted.isEmpty() ? !m_database->text().trimmed().isEmpty() : Database::isServerUrl(pasted);
    if (auto *buttons = findChild<QDialogButtonBox *>())
        buttons->button(QDialogButtonBox::Open)->setEnabled(ok);
}

} // namespace ed
