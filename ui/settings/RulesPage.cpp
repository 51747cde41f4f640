#include "settings/RulesPage.h"

#include "base/Level.h"
#include "base/ThreadCheck.h"
#include "look/Theme.h"
#include "filters/FilterRules.h"
#include "store/ListQueries.h"

#include <QBoxLayout>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>

namespace ed {

namespace {
// The rules table is a few rows, read and written through RuleStore
// (core/filters) on this connection; not moved onto the job runner yet.
constexpr const char *kRuleStoreOnUiThread = "RulesPage: the rules (RuleStore)";
} // namespace

RulesPage::RulesPage(Database &db, QWidget *parent) : SettingsPage(parent), m_db(db), m_jobs(JobRunner::forDatabase(db.path()))
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
        const dbthread::AllowOnUiThread allow(kRuleStoreOnUiThread);
        if (auto r = RuleStore(m_db).setEnabled(name, item->checkState() == Qt::Checked); !r)
            QMessageBox::warning(this, tr("Rules"), r.error());
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

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Drop rules keep nothing of a matching record; hide rules keep it out of the lists."), this));
    layout->addWidget(m_rules, 2);
    layout->addLayout(buttons);
    layout->addWidget(new QLabel(tr("Stored reports hidden now, by the rule that hides them:"), this));
    layout->addWidget(m_hidden, 1);
}

RulesPage::~RulesPage() = default;

void RulesPage::load(const Config &)
{
    reloadRules();
    reloadCounts();
}

void RulesPage::reloadRules()
{
    const dbthread::AllowOnUiThread allow(kRuleStoreOnUiThread);
    auto rules = RuleStore(m_db).list();
    const QSignalBlocker block(m_rules);
    m_rules->setRowCount(0);
    if (!rules)
        return;
    m_rules->setRowCount(int(rules->size()));
    for (int i = 0; i < int(rules->size()); ++i) {
        const FilterRule &r = (*rules)[size_t(i)];
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
            reloadRules();
            Q_EMIT countsLoaded();
        });
}

void RulesPage::addRule()
{
    QDialog dlg(this);
    dlg.setWindowTitle(tr("Add rule"));
    auto *name = new QLineEdit(&dlg);
    auto *action = new QComboBox(&dlg);
    action->addItems({tr("Hide"), tr("Drop")});
    auto *below = new QComboBox(&dlg);
    below->addItem(tr("(any level)"), 0);
    for (int l : {level::Info, level::Warning, level::Error, level::Critical})
        below->addItem(tr("below %1").arg(levelName(l)), l);
    auto *logger = new QLineEdit(&dlg);
    logger->setPlaceholderText(QStringLiteral("django.security"));
    auto *type = new QLineEdit(&dlg);
    type->setPlaceholderText(QStringLiteral("UnreadablePostError"));
    auto *message = new QLineEdit(&dlg);
    message->setPlaceholderText(tr("a regex searched in the message"));
    auto *status = new QLineEdit(&dlg);
    status->setPlaceholderText(QStringLiteral("404, 400-499, 4xx"));
    auto *error = new QLabel(&dlg);
    error->setWordWrap(true);
    auto *form = new QFormLayout(&dlg);
    form->addRow(tr("&Name:"), name);
    form->addRow(tr("&Action:"), action);
    form->addRow(tr("&Level:"), below);
    form->addRow(tr("L&ogger:"), logger);
    form->addRow(tr("&Exception type:"), type);
    form->addRow(tr("&Message:"), message);
    form->addRow(tr("&Status:"), status);
    form->addRow(error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dlg);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::rejected, &dlg, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, &dlg, [&] {
        FilterRule r;
        r.name = name->text().trimmed();
        r.action = action->currentIndex() == 1 ? RuleAction::Drop : RuleAction::Hide;
        if (below->currentData().toInt() > 0)
            r.belowLevel = below->currentData().toInt();
        r.logger = logger->text().trimmed();
        r.exceptionType = type->text().trimmed();
        r.messagePattern = message->text().trimmed();
        if (!status->text().trimmed().isEmpty()) {
            int lo = 0, hi = 0;
            if (!parseStatusRange(status->text().trimmed(), lo, hi)) {
                error->setText(tr("The status is not a code or a range."));
                return;
            }
            r.statusMin = lo;
            r.statusMax = hi;
        }
        const dbthread::AllowOnUiThread allow(kRuleStoreOnUiThread);
        if (auto added = RuleStore(m_db).add(r); !added) {
            error->setText(added.error());
            return;
        }
        dlg.accept();
    });
    if (dlg.exec() == QDialog::Accepted)
        reloadRules();
}

void RulesPage::removeRule()
{
    const int row = m_rules->currentRow();
    if (row < 0 || !m_rules->item(row, 1))
        return;
    const dbthread::AllowOnUiThread allow(kRuleStoreOnUiThread);
    if (auto r = RuleStore(m_db).remove(m_rules->item(row, 1)->text()); !r)
        QMessageBox::warning(this, tr("Rules"), r.error());
    reloadRules();
}

} // namespace ed
