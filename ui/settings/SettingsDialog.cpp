#include "settings/SettingsDialog.h"

#include "settings/AlertsPage.h"
#include "settings/EmailPage.h"
#include "settings/NotFoundPage.h"
#include "settings/ReceivePage.h"
#include "settings/RecipientsPage.h"
#include "settings/RulesPage.h"
#include "settings/ScrubbingPage.h"
#include "jobs/JobFailure.h"
#include "look/Theme.h"
#include "settings/SourcePage.h"
#include "settings/WatchPage.h"
#include "settings/DisplayPage.h"
#include "settings/MailboxesPage.h"

#include <QBoxLayout>
#include <QDialogButtonBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>

#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>

namespace ed {

SettingsDialog::SettingsDialog(const QString &dbPath, ConfigCache &config, QWidget *parent) : QDialog(parent), m_config(config)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings — %1").arg(dbPath));
    m_recipients = new RecipientsPage(this);
    m_email = new EmailPage(this);
    m_notFound = new NotFoundPage(this);
    m_scrubbing = new ScrubbingPage(this);
    m_rules = new RulesPage(dbPath, this);
    m_watch = new WatchPage(this);
    m_source = new SourcePage(this);
    m_display = new DisplayPage(this);
    m_receive = new ReceivePage(dbPath, this);
    m_mailboxes = new MailboxesPage(dbPath, this);
    m_alerts = new AlertsPage(dbPath, this);
    m_pages = {m_recipients, m_email,   m_notFound, m_scrubbing, m_rules, m_watch,
               m_source,     m_display, m_receive,  m_mailboxes, m_alerts};
    connect(m_rules, &RulesPage::rulesChanged, this, &SettingsDialog::rulesChanged);
    // "Send test e-mail" sends with the settings as shown: saved first.
    m_email->enableTestSend(dbPath);
    connect(m_email, &EmailPage::testRequested, this, [this] {
        apply([this](bool ok) {
            if (ok)
                m_email->sendTest();
        });
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
    m_nav->addItem(new QListWidgetItem(theme::icon(QStringLiteral("bug")), tr("Source code")));
    m_nav->addItem(new QListWidgetItem(theme::icon(QStringLiteral("clock")), tr("Display")));
    m_nav->addItem(new QListWidgetItem(theme::icon(QStringLiteral("import")), tr("Receive from Sentry SDKs")));
    m_nav->addItem(new QListWidgetItem(theme::icon(QStringLiteral("mail")), tr("Mailboxes")));
    m_nav->addItem(new QListWidgetItem(theme::icon(QStringLiteral("warning")), tr("Alerts")));
    m_nav->setFixedWidth(m_nav->sizeHintForColumn(0) + 40);
    m_stack = new QStackedWidget(this);
    for (SettingsPage *p : m_pages) {
        auto *scroll = new QScrollArea(m_stack);
        scroll->setWidget(p);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        m_stack->addWidget(scroll);
    }
    connect(m_nav, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    m_nav->setCurrentRow(0);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Apply | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this, [this] { apply(); });

    auto *row = new QHBoxLayout;
    row->addWidget(m_nav);
    row->addWidget(m_stack, 1);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("settingsStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);

    // Show what `errordeck-cli config` may have written since the app started.
    setBusy(tr("Loading the settings…"));
    connect(&m_config, &ConfigCache::loaded, this, [this] {
        if (!m_ready)
            loadPages();
    });
    connect(&m_config, &ConfigCache::loadFailed, this, [this](const QString &message) {
        if (!m_ready)
            showFailure(tr("The settings could not be read: %1").arg(message));
    });
    m_config.reload();

    QSettings s;
    if (!restoreGeometry(s.value(QStringLiteral("SettingsDialog/geometry")).toByteArray()))
        resize(860, 640);
    connect(this, &QDialog::finished, this,
            [this] { QSettings().setValue(QStringLiteral("SettingsDialog/geometry"), saveGeometry()); });
}

void SettingsDialog::showPage(Page p) { m_nav->setCurrentRow(int(p)); }

void SettingsDialog::loadPages()
{
    m_ready = true;
    for (SettingsPage *p : std::as_const(m_pages))
        p->load(m_config);
    m_stack->setEnabled(true);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
    m_buttons->button(QDialogButtonBox::Apply)->setEnabled(true);
    m_status->clear();
    m_status->setStyleSheet(QString());
    Q_EMIT ready();
}

void SettingsDialog::setBusy(const QString &status)
{
    m_stack->setEnabled(m_ready && !m_saving);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_buttons->button(QDialogButtonBox::Apply)->setEnabled(false);
    m_status->setStyleSheet(QString());
    m_status->setText(status);
}

void SettingsDialog::showFailure(const QString &message)
{
    m_status->setStyleSheet(theme::failureStyleSheet(m_status->palette()));
    m_status->setText(message);
}

QString SettingsDialog::statusText() const { return m_status->text(); }

bool SettingsDialog::apply(std::function<void(bool)> then)
{
    if (!m_ready || m_saving)
        return false;
    SettingsEdits edits{m_config, {}};
    int firstBad = -1;
    for (int i = 0; i < m_pages.size(); ++i) {
        if (!m_pages[i]->apply(edits) && firstBad < 0)
            firstBad = i;
    }
    // What was taken is written even when another field was refused (or a
    // pattern was saved with a warning): the dialog stays open on that page.
    const bool allTaken = firstBad < 0;
    if (!allTaken)
        m_nav->setCurrentRow(firstBad);
    const auto answer = [this, allTaken, then = std::move(then)](Result<void> written) {
        const bool ok = written.ok() && allTaken;
        Q_EMIT applied(ok);
        if (then)
            then(ok);
    };
    if (edits.changes.isEmpty()) {
        answer({});
        return allTaken;
    }
    // Keys whose change alters what is hidden or scrubbed (FilterSet::Settings::fromConfig).
    static const QList<ConfigKey> ruleKeys = {
        ConfigKey::IgnorableUrls,     ConfigKey::AppendSlash,   ConfigKey::HideCrawler404s, ConfigKey::CrawlerAgents,
        ConfigKey::Hidden404Prefixes, ConfigKey::SensitiveKeys, ConfigKey::SensitiveValues, ConfigKey::SafeKeys};
    bool rulesTouched = false;
    for (const ConfigCache::Change &c : std::as_const(edits.changes))
        rulesTouched = rulesTouched || ruleKeys.contains(c.key);
    m_saving = true;
    setBusy(tr("Saving…"));
    m_config.write(std::move(edits.changes), this, [this, answer, rulesTouched](Result<void> written) {
        m_saving = false;
        m_stack->setEnabled(true);
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(true);
        m_buttons->button(QDialogButtonBox::Apply)->setEnabled(true);
        if (written)
            m_status->clear();
        if (written && rulesTouched)
            Q_EMIT rulesChanged();
        if (!written)
            showFailure(tr("The settings were not saved: %1").arg(failureText(written)));
        answer(written);
    });
    return allTaken;
}

void SettingsDialog::accept()
{
    apply([this](bool ok) {
        if (ok)
            QDialog::accept();
    });
}

} // namespace ed
