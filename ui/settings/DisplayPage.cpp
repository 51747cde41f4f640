#include "settings/DisplayPage.h"

#include <QBoxLayout>
#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QLabel>
#include <QTimeZone>

namespace ed {

DisplayPage::DisplayPage(QWidget *parent) : SettingsPage(parent)
{
    auto *page = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Times in the lists and the report view are shown in this zone, with its name; a time "
                                "typed in a search (after:2026-11-20T12:00) is read in it too, unless it ends with Z or an "
                                "offset such as +02:00."),
                             this);
    intro->setWordWrap(true);
    page->addWidget(intro);
    auto *form = new QFormLayout;
    page->addLayout(form);
    page->addStretch(1);

    m_zone = new QComboBox(this);
    m_zone->setObjectName(QStringLiteral("timeZone"));
    const QString local = QString::fromUtf8(QTimeZone::systemTimeZoneId());
    m_zone->addItem(local.isEmpty() ? tr("Local time") : tr("Local time (%1)").arg(local), displayZoneName(DisplayZone::Local));
    m_zone->addItem(tr("UTC"), displayZoneName(DisplayZone::Utc));
    addField(form, tr("&Time zone:"), m_zone, ConfigKey::TimeZone);
}

void DisplayPage::load(const ConfigCache &config)
{
    m_zone->setCurrentIndex(
        std::max(0, m_zone->findData(displayZoneName(Config::asTimeZone(config.value(ConfigKey::TimeZone))))));
}

bool DisplayPage::apply(SettingsEdits &config) { return setValue(config, ConfigKey::TimeZone, m_zone->currentData().toString()); }

} // namespace ed
