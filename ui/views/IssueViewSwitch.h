#pragma once
// The view switch over the issue list (Sentry's): Unresolved, For review,
// Resolved, Ignored, All, each with how many issues of the search it holds.
// The counts come from a job (store/ListQueries::viewCounts); the switch only shows them.
#include "store/SearchQuery.h"

#include <QTabBar>
#include <array>
#include <cstdint>
#include <optional>

namespace ed {

class IssueViewSwitch : public QTabBar {
    Q_OBJECT
public:
    explicit IssueViewSwitch(QWidget *parent = nullptr);

    IssueView view() const;
    void setView(IssueView v);
    // nullopt: not known (yet, or the search does not parse): the names alone.
    void setCounts(const std::optional<std::array<int64_t, kIssueViewCount>> &counts);
    static QString viewTitle(IssueView v);

Q_SIGNALS:
    void viewChanged(ed::IssueView view);
};

} // namespace ed
