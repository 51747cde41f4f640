#include "settings/SettingsDialog.h"

#include "settings/EmailPage.h"
#include "settings/NotFoundPage.h"
#include "settings/RecipientsPage.h"
#include "settings/RulesPage.h"
#include "settings/ScrubbingPage.h"
#include "look/Theme.h"
#include "settings/WatchPage.h"

#include <QBoxLayout>
#include <QDialogButtonBox>
#include <QListWidget>
#include <QPushButton>
#include "base/ThreadCheck.h"

#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>

namespace ed {

SettingsDialog::SettingsDialog(Database &db, Config &config, QWidget *parent) : QDialog(parent), m_config(config)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings — %1").arg(db.path()));
    const dbthread::AllowOnUiThread allow("the settings (Config) and rules (RuleStore): a few rows");
    config.reload(); // show what `errordeck-cli config` may have written since
    m_recipients = new RecipientsPage(this);
    m_email = new EmailPage(this);
    m_notFound = new NotFoundPage(this);
    m_scrubbing = new ScrubbingPage(this);
    m_rules = new RulesPage(db, this);
    m_watch = new WatchPage(this);
    m_pages = {m_recipients, m_email, m_notFound, m_scrubbing, m_rules, m_watch};
    // "Send test e-mail" sends with the settings as shown: saved first.
    m_email->enableTestSend(db);
    connect(m_email, &EmailPage::testRequested, this, [this] {
        if (apply())
            m_email->sendTest();
    });

    m_nav = new QListWidget(this);
    m_nav->setObjectName(QStringLiteral("settingsNav"));
    m_nav->setIconSize(QSize(20, 20));
    m_nav->addItem(new QListWidgetItem(theme::icon(QStringLiteral("people")), tr("Recipients")));
    m_nav->addItem(new QListWidgetItem(theme::icon(QStringLiteral("mail")), tr("E-mail server")));
    m_nav->addItem(new QListWidgetItem(theme::icon(QStringLiteral("filter")), tr("404 filters")));
    m_nav->addItem(new QListWidgetItem(theme::icon(QStringLiteral("lock")), tr("Scrubbing")));
    m_nav->addItem(new QListWidgetItem(theme::icon(QStringLiteral("rules")), tr("Drop & hide rules")));
    m_nav->addItem(new QListWidgetItem(theme::icon(QStringLiteral("import")), tr("Watched folders")));
    m_nav->setFixedWidth(m_nav->sizeHintForColumn(0) + 40);
    m_stack = new QStackedWidget(this);
    for (SettingsPage *p : m_pages) {
        auto *scroll = new QScrollArea(m_stack);
        scroll->setWidget(p);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        m_stack->addWidget(scroll);
        p->load(config);
    }
    connect(m_nav, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    m_nav->setCurrentRow(0);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Apply | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this, &SettingsDialog::apply);

    auto *row = new QHBoxLayout;
    row->addWidget(m_nav);
    row->addWidget(m_stack, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row, 1);
    layout->addWidget(m_buttons);

    QSettings s;
    if (!restoreGeometry(s.value(QStringLiteral("SettingsDialog/geometry")).toByteArray()))
        resize(860, 640);
    connect(this, &QDialog::finished, this,
            [this] { QSettings().setValue(QStringLiteral("SettingsDialog/geometry"), saveGeometry()); });
}

void SettingsDialog::showPage(Page p) { m_nav->setCurrentRow(int(p)); }

bool SettingsDialog::apply()
{
    const dbthread::AllowOnUiThread allow("writing the settings (Config): a few rows");
    m_config.reload(); // another process (errordeck-cli config) may have written meanwhile
    bool ok = true;
    int firstBad = -1;
    for (int i = 0; i < m_pages.size(); ++i) {
        if (!m_pages[i]->apply(m_config) && firstBad < 0) {
            firstBad = i;
            ok = false;
        }
    }
    if (firstBad >= 0)
        m_nav->setCurrentRow(firstBad);
    return ok;
}

void SettingsDialog::accept()
{
    if (apply())
        QDialog::accept();
}

} // namespace ed
