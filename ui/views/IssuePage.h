#pragma once
// The Issue tab: one issue across all its reports, as Sentry's issue page
// shows it. Status, first and last seen, how many reports, and for each facet
// (path, host, user agent, user, client address, server, release,
// environment) its most frequent values with their share. Read on the
// database's JobRunner; a newer issue asked for wins over a slower older one.
#include "jobs/JobRunner.h"
#include "store/IssueSummary.h"

#include <QWidget>
#include <memory>
#include <optional>

class QGridLayout;
class QLabel;
class QPushButton;

namespace ed {

class IssuePage : public QWidget {
    Q_OBJECT
public:
    explicit IssuePage(const QString &dbPath, QWidget *parent = nullptr);

    void showIssue(std::optional<int64_t> issueId);
    // Reads the issue asked for again (another app resolved it, new reports came).
    void reload();
    std::optional<int64_t> issueId() const { return m_shownId; }
    const IssueSummary *summary() const { return m_summary ? &*m_summary : nullptr; }
    // The text of a facet's rows as shown ("/orders/1/ — 12 (40%)"), for tests.
    QStringList facetLines(const QString &facet) const;

Q_SIGNALS:
    void shown(qint64 issueId);
    void latestReportRequested(qint64 reportId);

private:
    void load();
    void present(Result<IssueSummary> summary);
    void clearFacets();

    std::shared_ptr<JobRunner> m_jobs;
    std::optional<int64_t> m_requestedId, m_shownId;
    std::optional<IssueSummary> m_summary;
    QLabel *m_title, *m_facts, *m_sampleNote;
    QPushButton *m_latest;
    QGridLayout *m_grid;
    QHash<QString, QStringList> m_lines;
    QList<QWidget *> m_facetWidgets;
};

} // namespace ed
