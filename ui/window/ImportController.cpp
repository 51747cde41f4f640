#include "window/ImportController.h"

#include "base/AppLog.h"
#include "import/ImportFilters.h"

#include <QMutex>
#include <atomic>

namespace ed {

// What the UI thread and the job share: the user's cancel (which, unlike the
// job's token, keeps the summary coming) and the latest progress.
struct ImportController::Running {
    QMutex mutex;
    Importer *importer = nullptr; // while Importer::run() runs, guarded by mutex
    std::atomic<bool> cancel{false};
    ImportProgress latest; // guarded by mutex

    void stop()
    {
        cancel.store(true);
        QMutexLocker lock(&mutex);
        if (importer)
            importer->cancel(); // an atomic flag the import checks between records
    }
};

ImportController::ImportController(QString dbPath, QObject *parent) : QObject(parent), m_jobs(JobRunner::forDatabase(dbPath))
{
    qRegisterMetaType<ImportProgress>();
    qRegisterMetaType<ImportSummary>();
}

ImportController::~ImportController()
{
    if (m_job) {
        cancel();
        m_jobs->cancelAll(this);
        m_jobs->wait(m_job); // the import writes until it stops; the caller closes the database next
    }
}

bool ImportController::start(const QStringList &paths)
{
    if (m_job || paths.isEmpty())
        return false;
    auto running = std::make_shared<Running>();
    m_running = running;
    const int batch = m_batchSize;
    JobRunner::Job job{QStringLiteral("import"), JobRunner::Access::Write};
    // The numbers JobContext::progress carries are the bytes; the rest of the
    // progress (files, reports, speed) is read from `latest` when it arrives.
    job.onProgress = [this, running](qint64, qint64) {
        ImportProgress p;
        {
            QMutexLocker lock(&running->mutex);
            p = running->latest;
        }
        Q_EMIT progress(p);
    };
    m_job = m_jobs->run(
        this, std::move(job),
        [paths, batch, running](JobContext &ctx) -> Result<ImportSummary> {
            ImportSummary summary;
            auto filters = makeImportFilters(ctx.db());
            if (!filters) {
                summary.fatal = filters.error();
                return summary;
            }
            Importer imp(ctx.db(), *filters->scrubber, *filters->filter);
            if (batch > 0)
                imp.setBatchSize(batch);
            imp.setProgressHandler(
                [&ctx, running, &imp](const ImportProgress &p) {
                    if (running->cancel.load())
                        imp.cancel(); // a cancel that came before run() began
                    {
                        QMutexLocker lock(&running->mutex);
                        running->latest = p;
                    }
                    ctx.progress(p.bytesDone, p.bytesTotal);
                },
                150);
            {
                QMutexLocker lock(&running->mutex);
                running->importer = &imp;
            }
            ctx.token().setOnCancel([&imp] { imp.cancel(); });
            summary = imp.run(paths);
            ctx.token().clearOnCancel();
            {
                QMutexLocker lock(&running->mutex);
                running->importer = nullptr;
            }
            return summary;
        },
        [this](Result<ImportSummary> done) {
            m_job.reset();
            m_running.reset();
            ImportSummary summary;
            if (done)
                summary = std::move(*done);
            else
                summary.fatal = done.error(); // the database could not be opened for writing
            Q_EMIT finished(summary);
        });
    applog::info(QStringLiteral("import of %1 path(s) started").arg(paths.size()));
    Q_EMIT started(paths);
    return true;
}

void ImportController::cancel()
{
    if (m_running)
        m_running->stop();
}

} // namespace ed
