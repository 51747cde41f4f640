#include "views/BreadcrumbsView.h"

#include "look/Format.h"
#include "look/Theme.h"
#include "model/SentryExtra.h"

#include <QBoxLayout>
#include <QDateTime>
#include <QTimeZone>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>

namespace ed {

namespace {
// A crumb's data can be a whole HTTP request's worth: the cell shows a line,
// the tooltip the rest up to this.
constexpr qsizetype kTooltipChars = 4000;

QString timeOfDay(int64_t ms)
{
    const QDateTime at = fmt::zone() == DisplayZone::Utc ? QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc())
                                                         : QDateTime::fromMSecsSinceEpoch(ms);
    return at.toString(QStringLiteral("HH:mm:ss.zzz"));
}
} // namespace

BreadcrumbsView::BreadcrumbsView(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("breadcrumbs"));
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("breadcrumbTable"));
    m_table->setHorizontalHeaderLabels({tr("Time"), tr("Category"), tr("Level"), tr("Message / data")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_table, 1);
}

bool BreadcrumbsView::setReport(const Report &report)
{
    const std::vector<Breadcrumb> crumbs = breadcrumbsOf(report);
    m_table->clearContents();
    m_table->setRowCount(int(crumbs.size()));
    const QFont code = theme::codeFont();
    for (int row = 0; row < int(crumbs.size()); ++row) {
        const Breadcrumb &b = crumbs[size_t(row)];
        const QString category = b.category.isEmpty() ? b.type : b.category;
        QString text = b.message;
        if (!b.data.isEmpty())
            text += (text.isEmpty() ? QString() : QStringLiteral("  ")) + b.data;
        // Crumbs are seconds apart: the time of day to the millisecond, the date in the tooltip.
        auto *time = new QTableWidgetItem(b.timestamp ? timeOfDay(*b.timestamp) : QString());
        if (b.timestamp)
            time->setToolTip(fmt::time(*b.timestamp));
        auto *message = new QTableWidgetItem(QString(text).replace(u'\n', u' '));
        message->setFont(code);
        message->setToolTip(text.left(kTooltipChars));
        m_table->setItem(row, TimeColumn, time);
        m_table->setItem(row, CategoryColumn, new QTableWidgetItem(category));
        m_table->setItem(row, LevelColumn, new QTableWidgetItem(b.level));
        m_table->setItem(row, MessageColumn, message);
    }
    m_title->setText(crumbs.size() == 1
                         ? tr("1 breadcrumb: what the SDK logged before the event")
                         : tr("%1 breadcrumbs: what the SDK logged before the event, oldest first").arg(crumbs.size()));
    m_table->resizeColumnsToContents();
    return !crumbs.empty();
}

} // namespace ed
