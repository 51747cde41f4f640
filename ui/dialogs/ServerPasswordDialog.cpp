#include "dialogs/ServerPasswordDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ed {

ServerPasswordDialog::ServerPasswordDialog(const QString &redactedUrl, const QString &account, QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("serverPasswordDialog"));
    setWindowTitle(tr("Database Password"));
    auto *text = new QLabel(tr("The PostgreSQL server of %1 asks for a password.").arg(redactedUrl.toHtmlEscaped()), this);
    text->setWordWrap(true);
    text->setTextFormat(Qt::RichText);
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("serverPassword"));
    m_password->setEchoMode(QLineEdit::Password);
    m_remember = new QCheckBox(tr("&Remember in the system keychain (%1)").arg(account), this);
    m_remember->setObjectName(QStringLiteral("rememberServerPassword"));
    auto *form = new QFormLayout;
    form->addRow(tr("&Password:"), m_password);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    connect(m_password, &QLineEdit::textChanged, this,
            [buttons](const QString &t) { buttons->button(QDialogButtonBox::Ok)->setEnabled(!t.isEmpty()); });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addLayout(form);
    layout->addWidget(m_remember);
    layout->addWidget(buttons);
}

QString ServerPasswordDialog::password() const { return m_password->text(); }
bool ServerPasswordDialog::remember() const { return m_remember->isChecked(); }

} // namespace ed
