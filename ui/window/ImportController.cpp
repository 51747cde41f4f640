#include "window/ImportController.h"

#include "base/AppLog.h"
#include "import/ImportFilters.h"

#include <QPointer>

namespace ed {

struct ImportController::Running {
    QMutex mutex;
    Importer *importer = nullptr; // while run() runs, guarded by mutex
    std::atomic<bool> cancel{false};
};

ImportController::ImportController(QString dbPath, QObject *parent) : QObject(parent), m_dbPath(std::move(dbPath))
{
    qRegisterMetaType<ImportProgress>();
    qRegisterMetaType<ImportSummary>();
}

ImportController::~ImportController()
{
    if (m_thread) {
        cancel();
        m_thread->wait();
        delete m_thread;
    }
}

bool ImportController::start(const QStringList &paths)
{
    if (m_thread || paths.isEmpty())
        return false;
    m_running = std::make_shared<Running>();
    QPointer<ImportController> self(this);
    const QString dbPath = m_dbPath;
    const int batch = m_batchSize;
    auto running = m_running;
    m_thread = QThread::create([=] {
        ImportSummary summary;
        auto db = Database::open(dbPath);
        if (!db) {
            summary.fatal = db.error();
        } else if (auto filters = makeImportFilters(*db); !filters) {
            summary.fatal = filters.error();
        } else {
            Importer imp(*db, *filters->scrubber, *filters->filter);
            if (batch > 0)
                imp.setBatchSize(batch);
            imp.setProgressHandler(
                [self, running, &imp](const ImportProgress &p) {
                    if (running->cancel.load())
                        imp.cancel(); // a cancel that came before run() began

                    QMetaObject::invokeMethod(
                        self.data(),
                        [self, p] {
                            if (self)
                                Q_EMIT self->progress(p);
                        },
                        Qt::QueuedConnection);
                },
                150);
            {
                QMutexLocker lock(&running->mutex);
                running->importer = &imp;
            }
            summary = imp.run(paths);
            {
                QMutexLocker lock(&running->mutex);
                running->importer = nullptr;
            }
        }
        QMetaObject::invokeMethod(
            self.data(),
            [self, summary] {
                if (!self)
                    return;
                self->m_thread->wait();
                delete self->m_thread;
                self->m_thread = nullptr;
                Q_EMIT self->finished(summary);
            },
            Qt::QueuedConnection);
    });
    m_thread->start(QThread::LowPriority);
    applog::info(QStringLiteral("import of %1 path(s) started").arg(paths.size()));
    Q_EMIT started(paths);
    return true;
}

void ImportController::cancel()
{
    if (!m_running)
        return;
    m_running->cancel.store(true);
    QMutexLocker lock(&m_running->mutex);
    if (m_running->importer)
        m_running->importer->cancel(); // sets an atomic flag the import checks between records
}

} // namespace ed
