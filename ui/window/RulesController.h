#pragma once
// Re-applies the rules to what is stored, from the app (issue 14): when the
// drop and hide rules, the 404 settings or the scrubbing patterns were saved
// in Settings, and on Edit › Re-apply Rules. One Write job of the database's
// JobRunner (behind an import, if one runs) calls RuleApplier::apply, which
// commits in batches; its progress and a Cancel button show in the status
// bar (statusWidget()). Cancel stops it between reports: the reports done
// stay applied (their issues' counts with them), the rest stay as they were,
// and a re-scrub stopped that way is still marked as needed. Asked again while
// running, it runs once more after (the rules may have changed meanwhile).
#include "filters/RuleApplier.h"
#include "jobs/JobRunner.h"

#include <QObject>
#include <atomic>
#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;
class QWidget;

namespace ed {

class RulesController : public QObject {
    Q_OBJECT
public:
    RulesController(QString dbPath, QWidget *statusParent, QObject *parent = nullptr);
    ~RulesController() override; // cancels and waits: the job writes through the runner's writer

    bool isRunning() const { return m_job != nullptr; }
    // Starts applying the stored rules (again after the running apply, if one runs).
    void start();
    void cancel();
    // Label, progress bar and Cancel, for the status bar; shown while it runs.
    QWidget *statusWidget() const { return m_widget; }
    QPushButton *cancelButton() const { return m_cancel; }
    QString statusText() const;
    // For tests: smaller batches make cancel points more frequent.
    void setBatchSize(int reports) { m_batchSize = reports; }

Q_SIGNALS:
    void started();
    // The apply ended (done or cancelled: summary.cancelled), or failed (`error` set).
    void finished(const ed::ApplySummary &summary, const QString &error);

private:
    void run();

    std::shared_ptr<JobRunner> m_jobs;
    CancelTokenPtr m_job; // while an apply runs
    std::shared_ptr<std::atomic<bool>> m_stop; // the user's cancel: the summary still comes
    bool m_again = false;
    int m_batchSize = 0;
    QWidget *m_widget;
    QLabel *m_label;
    QProgressBar *m_bar;
    QPushButton *m_cancel;
};

} // namespace ed

Q_DECLARE_METATYPE(ed::ApplySummary)
