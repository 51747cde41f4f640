#include "store/sqlite/IssueViews.h"

#include "store/ReportStore.h"

#include <QDateTime>

namespace ed {

QString issueStatusCondition(int64_t status, int64_t now)
{
    // `status IN (0, 2)` first: issues_status answers it (tst_query_plans).
    switch (IssueStatus(status)) {
    case IssueStatus::Unresolved: return QStringLiteral("i.status IN (0, 2) AND (i.status = 0 OR i.ignore_until <= %1)").arg(now);
    case IssueStatus::Ignored: return QStringLiteral("i.status = 2 AND (i.ignore_until IS NULL OR i.ignore_until > %1)").arg(now);
    case IssueStatus::Resolved: return QStringLiteral("i.status = 1");
    }
    return QStringLiteral("i.status = %1").arg(status);
}

QString issueViewCondition(IssueView view, int64_t now)
{
    switch (view) {
    case IssueView::Unresolved: return issueStatusCondition(int64_t(IssueStatus::Unresolved), now);
    case IssueView::ForReview:
        return issueStatusCondition(int64_t(IssueStatus::Unresolved), now) +
               QStringLiteral(" AND i.reviewed = 0 AND (i.regression = 1 OR i.first_seen >= %1)")
                   .arg(now - int64_t(kReviewDays) * 86'400'000);
    case IssueView::Resolved: return issueStatusCondition(int64_t(IssueStatus::Resolved), now);
    case IssueView::Ignored: return issueStatusCondition(int64_t(IssueStatus::Ignored), now);
    case IssueView::All: return {};
    }
    return {};
}

int64_t queryNow(const SearchQuery &q) { return q.now ? *q.now : QDateTime::currentMSecsSinceEpoch(); }

} // namespace ed
