#include "imap/MailboxPoller.h"

#include "import/ImportFilters.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <mutex>

namespace ed {

// Runs in the poller's thread: owns the connection and the timer.
class MailboxPoller::Worker : public QObject {
public:
    Worker(MailboxPoller *owner) : m_owner(owner) { }

    void begin()
    {
        m_timer = new QTimer(this);
        m_timer->setSingleShot(true);
        connect(m_timer, &QTimer::timeout, this, [this] { pollDue(); });
        m_clock.start();
        m_due.assign(m_owner->m_mailboxes.size(), 0);
        m_failures.assign(m_owner->m_mailboxes.size(), 0);
        pollDue();
    }

    void cancel()
    {
        m_stopping.store(true);
        std::lock_guard lock(m_mutex);
        if (m_running)
            m_running->cancel();
    }

private:
    void pollDue()
    {
        if (!m_db) {
            auto db = Database::open(m_owner->m_dbPath);
            if (!db) {
                const QString message = db.error();
                QMetaObject::invokeMethod(m_owner, [o = QPointer(m_owner), message] {
                    if (o)
                        Q_EMIT o->error(message);
                });
                m_timer->start(m_owner->m_intervalMs);
                return;
            }
            m_db = std::make_unique<Database>(std::move(*db));
        }
        for (size_t i = 0; i < m_due.size() && !m_stopping.load(); ++i) {
            if (m_due[i] > m_clock.elapsed())
                continue;
            const MailboxSettings &settings = m_owner->m_mailboxes[i];
            MailboxSummary s;
            // Settings of the database (scrubbing, rules) as they are now.
            if (auto filters = makeImportFilters(*m_db); !filters) {
                s.import.fatal = filters.error();
            } else {
                MailboxImporter importer(*m_db, *filters->scrubber, *filters->filter);
                {
                    std::lock_guard lock(m_mutex);
                    m_running = &importer;
                }
                if (!m_stopping.load())
                    s = importer.run(settings);
                std::lock_guard lock(m_mutex);
                m_running = nullptr;
            }
            const bool failed = !s.serverError.isEmpty() || !s.import.fatal.isEmpty();
            m_failures[i] = failed ? m_failures[i] + 1 : 0;
            const int wait = backoffMs(m_owner->m_intervalMs, m_failures[i]);
            m_due[i] = m_clock.elapsed() + wait;
            const QString name = settings.imap.url.toString();
            QMetaObject::invokeMethod(m_owner, [o = QPointer(m_owner), name, s, wait] {
                if (o)
                    Q_EMIT o->polled(name, s, wait);
            });
        }
        if (m_stopping.load())
            return;
        qint64 next = m_due.empty() ? m_owner->m_intervalMs : *std::min_element(m_due.begin(), m_due.end());
        m_timer->start(int(std::max<qint64>(0, next - m_clock.elapsed())));
    }

    MailboxPoller *m_owner;
    std::unique_ptr<Database> m_db;
    QTimer *m_timer = nullptr;
    QElapsedTimer m_clock;
    std::vector<qint64> m_due; // m_clock time of each mailbox's next poll
    std::vector<int> m_failures; // in a row
    std::atomic<bool> m_stopping{false};
    std::mutex m_mutex;
    MailboxImporter *m_running = nullptr;
};

int MailboxPoller::backoffMs(int intervalMs, int failures)
{
    qint64 wait = intervalMs;
    for (int i = 0; i < failures && wait < kMaxBackoffMs; ++i)
        wait *= 2;
    return failures == 0 ? intervalMs : int(std::min<qint64>(wait, std::max(kMaxBackoffMs, intervalMs)));
}

MailboxPoller::MailboxPoller(QString dbPath, std::vector<MailboxSettings> mailboxes, int intervalMs, QObject *parent)
    : QObject(parent), m_dbPath(std::move(dbPath)), m_mailboxes(std::move(mailboxes)), m_intervalMs(std::max(1, intervalMs))
{
    m_thread.setObjectName(QStringLiteral("MailboxPoller"));
}

MailboxPoller::~MailboxPoller() { stop(0); }

void MailboxPoller::start()
{
    if (m_worker)
        return;
    m_worker = new Worker(this);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->begin(); });
}

bool MailboxPoller::stop(int waitMs)
{
    if (!m_worker)
        return true;
    m_worker->cancel();
    m_thread.quit();
    if (waitMs <= 0) {
        m_thread.wait(); // the destructor: libcurl was cancelled, it returns at its next callback
    } else if (!m_thread.wait(QDeadlineTimer(waitMs))) {
        return false;
    }
    m_worker = nullptr;
    return true;
}

} // namespace ed
