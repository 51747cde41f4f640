#pragma once
// Runs imports in the background: an Importer on its own thread with its own
// database connection; progress and the summary come back as queued signals;
// cancel() stops it between records (what was stored stays, and a later import
// of the same file resumes where it stopped).
#include "import/Importer.h"

#include <QMutex>
#include <QObject>
#include <QStringList>
#include <QThread>
#include <atomic>
#include <memory>

namespace ed {

class ImportController : public QObject {
    Q_OBJECT
public:
    explicit ImportController(QString dbPath, QObject *parent = nullptr);
    ~ImportController() override; // cancels and waits

    bool isRunning() const { return m_thread != nullptr; }
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
    QString m_dbPath;
    QThread *m_thread = nullptr;
    struct Running; // shared with the import thread
    std::shared_ptr<Running> m_running;
    int m_batchSize = 0;
};

} // namespace ed

Q_DECLARE_METATYPE(ed::ImportProgress)
Q_DECLARE_METATYPE(ed::ImportSummary)
