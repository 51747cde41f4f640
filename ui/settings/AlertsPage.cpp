#include "settings/AlertsPage.h"

#include "settings/AlertDialog.h"

#include "KeychainPasswords.h"
#include "alert/AlertDispatcher.h"
#include "alert/AlertEngine.h"
#include "jobs/JobFailure.h"
#include "jobs/MailJob.h"
#include "look/Theme.h"

#include <QBoxLayout>
#include <QDialog>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>

namespace ed {
namespace {

// What the outbox holds, by state (the page's line under the table).
struct OutboxCounts {
    qint64 queued = 0, retrying = 0, gaveUp = 0, sent = 0;
};

QString rateLimitText(const AlertRule &r)
{
    if (r.kind == AlertKind::Digest)
        return QStringLiteral("—");
    return r.rateLimitMinutes ? AlertsPage::tr("1 per %n min", nullptr, r.rateLimitMinutes) : AlertsPage::tr("none");
}

} // namespace

AlertsPage::AlertsPage(const QString &dbPath, QWidget *parent) : SettingsPage(parent), m_jobs(JobRunner::forDatabase(dbPath))
{
    m_rules = new QTableWidget(0, ColumnCount, this);
    m_rules->setObjectName(QStringLiteral("alertsTable"));
    m_rules->setHorizontalHeaderLabels(
        {tr("On"), tr("Alert"), tr("Fires on"), tr("Scope"), tr("To"), tr("Rate limit"), tr("Held back")});
    // The scope and the recipients take what is left (elided, whole in their
    // tooltips): no horizontal scrolling at 1024 px wide.
    for (int c : {On, Name, FiresOn, RateLimit, HeldBack})
        m_rules->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    for (int c : {Scope, To})
        m_rules->horizontalHeader()->setSectionResizeMode(c, QHeaderView::Stretch);
    m_rules->verticalHeader()->hide();
    m_rules->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_rules->setSelectionMode(QAbstractItemView::SingleSelection);
    m_rules->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_rules->setTabKeyNavigation(false);
    m_rules->setWordWrap(false);
    connect(m_rules, &QTableWidget::itemChanged, this, [this](QTableWidgetItem *item) {
        if (item->column() == On)
            setEnabled(item->row(), item->checkState() == Qt::Checked);
    });
    connect(m_rules, &QTableWidget::cellDoubleClicked, this, [this] { editRule(); });

    auto *add = new QPushButton(theme::icon(QStringLiteral("add")), tr("&Add Alert…"), this);
    add->setObjectName(QStringLiteral("addAlert"));
    connect(add, &QPushButton::clicked, this, &AlertsPage::addRule);
    m_edit = new QPushButton(tr("&Edit…"), this);
    m_edit->setObjectName(QStringLiteral("editAlert"));
    connect(m_edit, &QPushButton::clicked, this, &AlertsPage::editRule);
    m_remove = new QPushButton(theme::icon(QStringLiteral("remove")), tr("&Remove Alert"), this);
    m_remove->setObjectName(QStringLiteral("removeAlert"));
    connect(m_remove, &QPushButton::clicked, this, &AlertsPage::removeRule);
    m_test = new QPushButton(tr("Send &Test"), this);
    m_test->setObjectName(QStringLiteral("testAlert"));
    m_test->setToolTip(tr("Send the alert's mail now, for its newest report in scope (the rate limit aside)"));
    connect(m_test, &QPushButton::clicked, this, &AlertsPage::sendTest);
    m_passwords = std::make_unique<KeychainPasswords>();
    m_mailJob = std::make_unique<MailJob>(dbPath, m_passwords.get());
    connect(m_mailJob.get(), &MailJob::finished, this, [this](bool ok, const QString &message, qint64 logId) {
        m_testing = false;
        m_test->setEnabled(m_rules->currentRow() >= 0);
        const QString said = ok ? tr("Test sent. The server answered: %1 (send log #%2)").arg(message).arg(logId)
                                : tr("Test not sent: %1").arg(message);
        showStatus(said, !ok);
        Q_EMIT testFinished(ok, said);
    });
    const auto followSelection = [this] {
        const bool one = m_rules->currentRow() >= 0 && size_t(m_rules->currentRow()) < m_shown.size();
        m_edit->setEnabled(one);
        m_remove->setEnabled(one);
        m_test->setEnabled(one && !m_testing);
    };
    connect(m_rules, &QTableWidget::itemSelectionChanged, this, followSelection);
    followSelection();

    m_outbox = new QLabel(this);
    m_outbox->setObjectName(QStringLiteral("alertOutbox"));
    m_outbox->setTextFormat(Qt::PlainText);
    m_outbox->setWordWrap(true);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("alertsStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->hide();

    auto *intro = new QLabel(tr("An alert mails when something new happens, not for every error: a new issue, a "
                                "regression, a spike, a level, a new release, or a daily or weekly digest. While the "
                                "app is open it looks at what arrives (imports, watched folders, mailboxes, SDKs) "
                                "every few seconds; errordeck-cli watch and serve do the same."),
                             this);
    intro->setWordWrap(true);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_remove);
    buttons->addWidget(m_test);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_rules, 1);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
    layout->addWidget(m_outbox);
}

AlertsPage::~AlertsPage()
{
    m_mailJob.reset(); // stops a test in progress while the keychain is still here
}

void AlertsPage::load(const ConfigCache &)
{
    reloadRules();
    reloadOutbox();
}

void AlertsPage::reloadRules()
{
    m_rules->setEnabled(false); // until the store answers
    m_jobs->run(
        this, {QStringLiteral("alert rules")}, [](JobContext &ctx) { return AlertStore(ctx.db()).rules(); },
        [this](Result<std::vector<AlertRule>> rules) {
            if (!rules) {
                failed(rules.failure());
                return;
            }
            m_status->hide();
            m_shown = std::move(*rules);
            showRules();
            m_rules->setEnabled(true);
            Q_EMIT rulesLoaded();
        });
}

void AlertsPage::showRules()
{
    const QSignalBlocker block(m_rules);
    const int current = m_rules->currentRow();
    m_rules->setRowCount(int(m_shown.size()));
    for (int i = 0; i < int(m_shown.size()); ++i) {
        const AlertRule &r = m_shown[size_t(i)];
        auto *on = new QTableWidgetItem;
        on->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        on->setCheckState(r.enabled ? Qt::Checked : Qt::Unchecked);
        m_rules->setItem(i, On, on);
        m_rules->setItem(i, Name, new QTableWidgetItem(r.name));
        m_rules->setItem(i, FiresOn, new QTableWidgetItem(AlertEngine::describe(r)));
        auto *scope = new QTableWidgetItem(r.query.isEmpty() ? tr("(every report)") : r.query);
        scope->setToolTip(r.query);
        m_rules->setItem(i, Scope, scope);
        auto *to = new QTableWidgetItem(r.recipients.join(QStringLiteral(", ")));
        to->setToolTip(to->text());
        m_rules->setItem(i, To, to);
        auto *limit = new QTableWidgetItem(rateLimitText(r));
        if (r.kind != AlertKind::Digest && r.rateLimitMinutes)
            limit->setToolTip(tr("At most one mail per issue in %n minute(s); the others are counted as held back.", nullptr,
                                 r.rateLimitMinutes));
        m_rules->setItem(i, RateLimit, limit);
        auto *held = new QTableWidgetItem;
        held->setData(Qt::DisplayRole, qint64(r.heldBack));
        held->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_rules->setItem(i, HeldBack, held);
    }
    if (current >= 0 && current < m_rules->rowCount())
        m_rules->selectRow(current);
    else
        m_rules->clearSelection();
}

void AlertsPage::reloadOutbox()
{
    m_jobs->run(
        this, {QStringLiteral("alert outbox")},
        [](JobContext &ctx) -> Result<OutboxCounts> {
            auto box = AlertStore(ctx.db()).outbox(-1);
            if (!box)
                return box.failure();
            OutboxCounts n;
            for (const OutboxEntry &e : *box) {
                if (e.state == OutboxState::Sent)
                    ++n.sent;
                else if (e.state == OutboxState::GaveUp)
                    ++n.gaveUp;
                else if (e.attempts > 0)
                    ++n.retrying; // queued again after a failed attempt
                else
                    ++n.queued;
            }
            return n;
        },
        [this](Result<OutboxCounts> n) {
            if (!n) {
                m_outbox->setText(tr("The outbox could not be read: %1").arg(failureText(n)));
                return;
            }
            m_outbox->setText(tr("Outbox: %L1 queued, %L2 failed and to be tried again, %L3 failed for good, %L4 sent "
                                 "(errordeck-cli alerts outbox lists them).")
                                  .arg(n->queued)
                                  .arg(n->retrying)
                                  .arg(n->gaveUp)
                                  .arg(n->sent));
            Q_EMIT outboxLoaded();
        });
}

void AlertsPage::failed(const Error &e) { showStatus(failureText(e), true); }

void AlertsPage::showStatus(const QString &text, bool failure)
{
    m_status->setStyleSheet(failure ? theme::failureStyleSheet(m_status->palette()) : QString());
    m_status->setText(text);
    m_status->show();
}

void AlertsPage::sendTest()
{
    const int row = m_rules->currentRow();
    if (row < 0 || size_t(row) >= m_shown.size() || m_testing)
        return;
    const AlertRule rule = m_shown[size_t(row)];
    m_testing = true;
    m_test->setEnabled(false);
    showStatus(tr("Composing the test of '%1'…").arg(rule.name), false);
    // Composed on a Read job (the report, the settings, the recipients), then sent by the MailJob.
    m_mailJob->prepare(
        this,
        [rule](ReportMailer &mailer) -> Result<PreparedMail> {
            AlertDispatcher dispatcher(mailer.database(), alertClock());
            auto entry = dispatcher.testEntry(rule);
            auto draft = entry ? dispatcher.draftFor(*entry) : Result<MailDraft>(entry.failure());
            if (!draft)
                return draft.failure();
            return mailer.prepare(*draft);
        },
        [this, name = rule.name](Result<MailToSend> ready) {
            if (!ready) {
                m_testing = false;
                m_test->setEnabled(m_rules->currentRow() >= 0);
                const QString said = tr("Test not sent: %1").arg(failureText(ready));
                showStatus(said, true);
                Q_EMIT testFinished(false, said);
                return;
            }
            showStatus(tr("Sending the test of '%1' to %2 through %3…")
                           .arg(name, ready->mail.envelopeTo.join(QStringLiteral(", ")), ready->sender.describe()),
                       false);
            m_mailJob->start(std::move(*ready));
        });
}

void AlertsPage::addRule()
{
    AlertDialog dlg(m_jobs, std::nullopt, this);
    dlg.exec();
    reloadRules(); // also when closed while the store was answering: show what it holds
}

void AlertsPage::editRule()
{
    const int row = m_rules->currentRow();
    if (row < 0 || size_t(row) >= m_shown.size())
        return;
    AlertDialog dlg(m_jobs, m_shown[size_t(row)], this);
    dlg.exec();
    reloadRules();
}

void AlertsPage::removeRule()
{
    const int row = m_rules->currentRow();
    if (row < 0 || size_t(row) >= m_shown.size())
        return;
    const QString name = m_shown[size_t(row)].name;
    m_jobs->run(
        this, {QString(), JobRunner::Access::Write}, [name](JobContext &ctx) { return AlertStore(ctx.db()).removeRule(name); },
        [this](Result<void> r) {
            if (!r)
                failed(r.failure());
            reloadRules(); // what the store holds, also after a failure
        });
}

void AlertsPage::setEnabled(int row, bool on)
{
    if (row < 0 || size_t(row) >= m_shown.size())
        return;
    AlertRule r = m_shown[size_t(row)];
    r.enabled = on;
    m_jobs->run(
        this, {QString(), JobRunner::Access::Write}, [r](JobContext &ctx) { return AlertStore(ctx.db()).updateRule(r); },
        [this](Result<void> written) {
            if (!written)
                failed(written.failure());
            reloadRules();
        });
}

} // namespace ed
