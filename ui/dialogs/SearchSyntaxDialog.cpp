#include "dialogs/SearchSyntaxDialog.h"

#include <QBoxLayout>
#include <QDialogButtonBox>
#include <QFile>
#include <QTextBrowser>

namespace ed {

SearchSyntaxDialog::SearchSyntaxDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("searchSyntaxDialog"));
    setWindowTitle(tr("Search syntax"));
    m_browser = new QTextBrowser(this);
    m_browser->setObjectName(QStringLiteral("searchSyntax"));
    m_browser->setOpenExternalLinks(true);
    // The user's reference is the one document, here as in docs/.
    QFile doc(QStringLiteral(":/docs/search.md"));
    if (doc.open(QIODevice::ReadOnly))
        m_browser->setMarkdown(QString::fromUtf8(doc.readAll()));
    else
        m_browser->setPlainText(tr("The search syntax page is missing from this build."));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_browser, 1);
    layout->addWidget(buttons);
    resize(900, 700);
}

} // namespace ed
