#include "views/IssueViewSwitch.h"

#include <QLocale>

namespace ed {

IssueViewSwitch::IssueViewSwitch(QWidget *parent) : QTabBar(parent)
{
    setObjectName(QStringLiteral("issueViewSwitch"));
    setDrawBase(false);
    setExpanding(false);
    setDocumentMode(true);
    for (IssueView v : kAllIssueViews)
        addTab(viewTitle(v));
    setTabToolTip(int(IssueView::ForReview),
                  tr("Unresolved issues new in the last %n day(s) or regressed, not marked reviewed", nullptr, kReviewDays));
    connect(this, &QTabBar::currentChanged, this, [this](int i) {
        if (i >= 0)
            Q_EMIT viewChanged(IssueView(i));
    });
}

QString IssueViewSwitch::viewTitle(IssueView v)
{
    switch (v) {
    case IssueView::Unresolved: return tr("Unresolved");
    case IssueView::ForReview: return tr("For review");
    case IssueView::Resolved: return tr("Resolved");
    case IssueView::Ignored: return tr("Ignored");
    case IssueView::All: return tr("All");
    }
    return {};
}

IssueView IssueViewSwitch::view() const { return IssueView(std::max(0, currentIndex())); }

void IssueViewSwitch::setView(IssueView v) { setCurrentIndex(int(v)); }

void IssueViewSwitch::setCounts(const std::optional<std::array<int64_t, kIssueViewCount>> &counts)
{
    for (size_t i = 0; i < kIssueViewCount; ++i) {
        const QString title = viewTitle(kAllIssueViews[i]);
        setTabText(int(i), counts ? tr("%1 (%2)").arg(title, QLocale().toString(qlonglong((*counts)[i]))) : title);
    }
}

} // namespace ed
