#pragma once
// Runs imports in the background as a Write job of the database's JobRunner
// (the one writer connection; other writes wait behind it): progress comes
// back through JobContext::progress (the latest ImportProgress, queued), the
// summary as the job's result. cancel() stops it between records and the
// summary still follows (what was stored stays, and a later import of the same
// file resumes where it stopped); the job's own token (the controller going,
// the runner closing) stops the importer the same way, and then no summary comes.
#include "import/Importer.h"
#include "jobs/JobRunner.h"

#include <QObject>
#include <QStringList>
#include <memory>

namespace ed {

class ImportController : public QObject {
    Q_OBJECT
public:
    explicit ImportController(QString dbPath, QObject *parent = nullptr);
    ~ImportController() override; // cancels and waits for the import to stop

    bool isRunning() const { return m_job != nullptr; }
    // Starts importing; false (and nothing happens) while another import runs.
    bool start(const QStringList &paths);
    void cancel();
    // For tests: smaller batches make progress and cancel points more frequent.
    void setBatchSize(int records) { m_batchSize = records; }

Q_SIGNALS:
    void started(const QStringList &paths);
    void progress(const ed::ImportProgress &progress);
    void finished(const ed::ImportSummary &summary);

private:
    std::shared_ptr<JobRunner> m_jobs;
    CancelTokenPtr m_job; // while an import runs
    struct Running; // shared with the job
    std::shared_ptr<Running> m_running;
    int m_batchSize = 0;
};

} // namespace ed

Q_DECLARE_METATYPE(ed::ImportProgress)
Q_DECLARE_METATYPE(ed::ImportSummary)
