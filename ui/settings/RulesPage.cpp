#include "settings/RulesPage.h"

#include "settings/RuleDialog.h"

#include "jobs/JobFailure.h"
#include "look/Theme.h"
#include "filters/FilterRules.h"
#include "store/ListQueries.h"

#include <QBoxLayout>
#include <QDialog>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>

namespace ed {

RulesPage::RulesPage(const QString &dbPath, QWidget *parent) : SettingsPage(parent), m_jobs(JobRunner::forDatabase(dbPath))
{
    m_rules = new QTableWidget(0, 5, this);
    m_rules->setObjectName(QStringLiteral("rulesTable"));
    m_rules->setHorizontalHeaderLabels({tr("On"), tr("Rule"), tr("Action"), tr("Conditions"), tr("Hidden now")});
    m_rules->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Stretch);
    m_rules->verticalHeader()->hide();
    m_rules->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_rules->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_rules->setTabKeyNavigation(false);
    connect(m_rules, &QTableWidget::itemChanged, this, [this](QTableWidgetItem *item) {
        if (item->column() != 0)
            return;
        const QString name = m_rules->item(item->row(), 1) ? m_rules->item(item->row(), 1)->text() : QString();
        const bool on = item->checkState() == Qt::Checked;
        m_jobs->run(
            this, {QString(), JobRunner::Access::Write},
            [name, on](JobContext &ctx) { return RuleStore(ctx.db()).setEnabled(name, on); },
            [this](Result<bool> r) {
                if (!r)
                    failed(r.failure());
                else if (*r)
                    Q_EMIT rulesChanged();
                reloadRules(); // what the store holds, also after a failure
            });
    });
    auto *add = new QPushButton(theme::icon(QStringLiteral("add")), tr("&Add Rule…"), this);
    add->setObjectName(QStringLiteral("addRule"));
    connect(add, &QPushButton::clicked, this, &RulesPage::addRule);
    auto *remove = new QPushButton(theme::icon(QStringLiteral("remove")), tr("&Remove Rule"), this);
    connect(remove, &QPushButton::clicked, this, &RulesPage::removeRule);

    m_hidden = new QTableWidget(0, 2, this);
    m_hidden->setObjectName(QStringLiteral("hiddenCounts"));
    m_hidden->setHorizontalHeaderLabels({tr("Hidden by"), tr("Reports")});
    m_hidden->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_hidden->verticalHeader()->hide();
    m_hidden->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_hidden->setTabKeyNavigation(false);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("rulesStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->hide();

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Drop rules keep nothing of a matching record; hide rules keep it out of the lists."), this));
    layout->addWidget(m_rules, 2);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
    layout->addWidget(new QLabel(tr("Stored reports hidden now, by the rule that hides them:"), this));
    layout->addWidget(m_hidden, 1);
}

RulesPage::~RulesPage() = default;

void RulesPage::load(const ConfigCache &)
{
    reloadRules();
    reloadCounts();
}

void RulesPage::reloadRules()
{
    m_rules->setEnabled(false); // until the store answers
    m_jobs->run(
        this, {QStringLiteral("rules")}, [](JobContext &ctx) { return RuleStore(ctx.db()).list(); },
        [this](Result<std::vector<FilterRule>> rules) {
            if (!rules) {
                failed(rules.failure());
                return;
            }
            m_status->hide();
            showRules(*rules);
            m_rules->setEnabled(true);
            Q_EMIT rulesLoaded();
        });
}

// The "Hidden now" column of the rules shown, from m_counts (the rules and the
// counts are two jobs: whichever answers last fills it).
void RulesPage::showCounts()
{
    const QSignalBlocker block(m_rules);
    for (int row = 0; row < m_rules->rowCount(); ++row) {
        QTableWidgetItem *count = m_rules->item(row, 4);
        if (count && count->text() != QStringLiteral("—"))
            count->setText(QString::number(m_counts.value(count->data(Qt::UserRole).toString())));
    }
}

void RulesPage::failed(const Error &e)
{
    m_status->setStyleSheet(theme::failureStyleSheet(m_status->palette()));
    m_status->setText(failureText(e));
    m_status->show();
}

void RulesPage::showRules(const std::vector<FilterRule> &rules)
{
    const QSignalBlocker block(m_rules);
    m_rules->setRowCount(int(rules.size()));
    for (int i = 0; i < int(rules.size()); ++i) {
        const FilterRule &r = rules[size_t(i)];
        auto *on = new QTableWidgetItem;
        on->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        on->setCheckState(r.enabled ? Qt::Checked : Qt::Unchecked);
        m_rules->setItem(i, 0, on);
        m_rules->setItem(i, 1, new QTableWidgetItem(r.name));
        m_rules->setItem(i, 2, new QTableWidgetItem(FilterRule::actionName(r.action)));
        m_rules->setItem(i, 3, new QTableWidgetItem(r.describe()));
        auto *count = new QTableWidgetItem(r.action == RuleAction::Hide ? QString::number(m_counts.value(r.label()))
                                                                        : QStringLiteral("—"));
        count->setData(Qt::UserRole, r.label());
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_rules->setItem(i, 4, count);
    }
    m_rules->resizeColumnToContents(0);
}

void RulesPage::reloadCounts()
{
    m_jobs->run(
        this, {QStringLiteral("hidden counts")}, [](JobContext &ctx) { return ListQueries(ctx.db()).hiddenCounts(); },
        [this](Result<std::vector<std::pair<QString, int64_t>>> counts) {
            m_counts.clear();
            if (counts)
                for (const auto &[rule, n] : *counts)
                    m_counts.insert(rule, n);
            m_hidden->setRowCount(int(m_counts.size()));
            int row = 0;
            for (auto it = m_counts.cbegin(); it != m_counts.cend(); ++it, ++row) {
                m_hidden->setItem(row, 0, new QTableWidgetItem(it.key()));
                auto *n = new QTableWidgetItem;
                n->setData(Qt::DisplayRole, it.value());
                n->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                m_hidden->setItem(row, 1, n);
            }
            m_hidden->sortItems(1, Qt::DescendingOrder);
            showCounts();
            Q_EMIT countsLoaded();
        });
}

void RulesPage::addRule()
{
    RuleDialog dlg(m_jobs, this);
    const bool added = dlg.exec() == QDialog::Accepted;
    reloadRules(); // also when closed while the store was answering: show what it holds
    if (added)
        Q_EMIT rulesChanged();
}

void RulesPage::removeRule()
{
    const int row = m_rules->currentRow();
    if (row < 0 || !m_rules->item(row, 1))
        return;
    const QString name = m_rules->item(row, 1)->text();
    m_jobs->run(
        this, {QString(), JobRunner::Access::Write}, [name](JobContext &ctx) { return RuleStore(ctx.db()).remove(name); },
        [this](Result<bool> r) {
            if (!r)
                failed(r.failure());
            else if (*r)
                Q_EMIT rulesChanged();
            reloadRules();
        });
}

} // namespace ed
