#include "settings/RecipientsPage.h"

#include "look/Theme.h"

#include <QBoxLayout>
#include <QFormLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QToolButton>

namespace ed {
namespace {

void setPeople(QTableWidget *t, const QList<QPair<QString, QString>> &people)
{
    t->setRowCount(int(people.size()));
    for (int i = 0; i < people.size(); ++i) {
        t->setItem(i, 0, new QTableWidgetItem(people[i].first));
        t->setItem(i, 1, new QTableWidgetItem(people[i].second));
    }
}

QJsonArray peopleValue(const QTableWidget *t)
{
    QJsonArray a;
    for (int i = 0; i < t->rowCount(); ++i) {
        const QString name = t->item(i, 0) ? t->item(i, 0)->text().trimmed() : QString();
        const QString address = t->item(i, 1) ? t->item(i, 1)->text().trimmed() : QString();
        if (name.isEmpty() && address.isEmpty())
            continue;
        a.append(QJsonArray{name, address});
    }
    return a;
}

} // namespace

RecipientsPage::RecipientsPage(QWidget *parent) : SettingsPage(parent)
{
    auto *form = new QFormLayout(this);
    addField(form, tr("&ADMINS:"), peopleEditor(m_admins, QStringLiteral("admins")), ConfigKey::Admins);
    addField(form, tr("&MANAGERS:"), peopleEditor(m_managers, QStringLiteral("managers")), ConfigKey::Managers);
    m_internalIps = makeLinesEdit(this, tr("One address per line, e.g. 10.0.0.5"));
    m_internalIps->setObjectName(QStringLiteral("internalIps"));
    addField(form, tr("&INTERNAL_IPS:"), m_internalIps, ConfigKey::InternalIps);
}

QWidget *RecipientsPage::peopleEditor(QTableWidget *&table, const QString &name)
{
    auto *box = new QWidget(this);
    table = new QTableWidget(0, 2, box);
    table->setObjectName(name);
    table->setHorizontalHeaderLabels({tr("Name"), tr("Address")});
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->hide();
    table->setColumnWidth(0, 180);
    table->setMinimumHeight(110);
    table->setTabKeyNavigation(false);
    table->setAccessibleName(name.toUpper());
    auto *add = new QToolButton(box);
    add->setIcon(theme::icon(QStringLiteral("add")));
    add->setToolTip(tr("Add a person"));
    add->setAccessibleName(tr("Add a person"));
    auto *remove = new QToolButton(box);
    remove->setIcon(theme::icon(QStringLiteral("remove")));
    remove->setToolTip(tr("Remove the selected person"));
    remove->setAccessibleName(tr("Remove the selected person"));
    QTableWidget *t = table;
    connect(add, &QToolButton::clicked, t, [t] {
        const int r = t->rowCount();
        t->insertRow(r);
        t->setItem(r, 0, new QTableWidgetItem);
        t->setItem(r, 1, new QTableWidgetItem);
        t->setCurrentCell(r, 0);
        t->editItem(t->item(r, 0));
    });
    connect(remove, &QToolButton::clicked, t, [t] {
        if (t->currentRow() >= 0)
            t->removeRow(t->currentRow());
    });
    auto *buttons = new QVBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch();
    auto *row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(table, 1);
    row->addLayout(buttons);
    return box;
}

void RecipientsPage::load(const ConfigCache &config)
{
    setPeople(m_admins, config.people(ConfigKey::Admins));
    setPeople(m_managers, config.people(ConfigKey::Managers));
    setLines(m_internalIps, config.stringList(ConfigKey::InternalIps));
}

bool RecipientsPage::apply(SettingsEdits &config)
{
    bool ok = setValue(config, ConfigKey::Admins, peopleValue(m_admins));
    ok = setValue(config, ConfigKey::Managers, peopleValue(m_managers)) && ok;
    ok = setValue(config, ConfigKey::InternalIps, linesValue(m_internalIps)) && ok;
    return ok;
}

} // namespace ed
