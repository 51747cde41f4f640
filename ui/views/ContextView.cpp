#include "views/ContextView.h"

#include "views/KeyValueTable.h"

#include <QBoxLayout>
#include <QSplitter>

namespace ed {

ContextView::ContextView(QWidget *parent) : QWidget(parent)
{
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("contextSplitter"));
    m_settings = new KeyValueTable(tr("Settings"), split);
    m_environment = new KeyValueTable(tr("Environment"), split);
    m_extra = new KeyValueTable(tr("Extra"), split);
    split->addWidget(m_settings);
    split->addWidget(m_environment);
    split->addWidget(m_extra);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setStretchFactor(2, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);
}

void ContextView::setReport(const Report &report)
{
    m_settings->setEntries(report.settings);
    m_environment->setEntries(report.environment);
    m_extra->setEntries(report.extra);
}

} // namespace ed
