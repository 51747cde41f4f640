#include "imap/MailboxPoller.h"

#include "imap/ImapIdle.h"
#include "import/ImportFilters.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <condition_variable>
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

    // The IDLE connection saw the folder change: poll mailbox `i` now.
    void wake(size_t i)
    {
        if (i >= m_due.size() || m_stopping.load())
            return;
        // After a failed poll the backoff stands: a server that keeps failing
        // is not asked again at every change IDLE reports.
        if (m_failures[i] > 0)
            return;
        m_due[i] = 0;
        pollDue();
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

// The IDLE connection of one mailbox, on a thread of its own (IDLE blocks):
// connect, wake the worker once (for what arrived before the folder was
// open), then once per change; made again after a failure with the backoff.
class MailboxPoller::Idler {
public:
    Idler(MailboxSettings settings, int intervalMs, std::function<void()> wake,
          std::function<void(bool, const QString &, int)> say)
        : m_settings(std::move(settings)), m_intervalMs(intervalMs), m_wake(std::move(wake)), m_say(std::move(say))
    {
        m_thread.reset(QThread::create([this] { run(); }));
        m_thread->setObjectName(QStringLiteral("MailboxIdle"));
    }
    ~Idler()
    {
        cancel();
        m_thread->wait();
    }
    void start() { m_thread->start(); }
    void cancel()
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        if (m_running)
            m_running->cancel();
        m_wakeUp.notify_all();
    }
    bool wait(QDeadlineTimer deadline) { return m_thread->wait(deadline); }

private:
    void run()
    {
        int failures = 0;
        for (;;) {
            Error ended;
            {
                ImapIdle idle(m_settings.imap);
                if (!enter(&idle))
                    return;
                auto offered = idle.open();
                if (offered && !*offered) {
                    enter(nullptr);
                    m_say(false,
                          QStringLiteral("IMAP server %1 offers no IDLE: polling every %2 s")
                              .arg(m_settings.imap.url.server())
                              .arg(double(m_intervalMs) / 1000.0),
                          0);
                    return;
                }
                if (offered) {
                    failures = 0;
                    m_say(true, {}, 0);
                    m_wake();
                    for (;;) {
                        auto changed = idle.waitForChange();
                        if (!changed) {
                            ended = changed.failure();
                            break;
                        }
                        if (*changed)
                            m_wake();
                    }
                } else {
                    ended = offered.failure();
                }
                if (!enter(nullptr) || ended.kind == ErrorKind::Interrupted)
                    return;
            }
            const int wait = backoffMs(m_intervalMs, ++failures);
            m_say(false, ended.message, wait);
            std::unique_lock lock(m_mutex);
            if (m_wakeUp.wait_for(lock, std::chrono::milliseconds(wait), [this] { return m_stopping; }))
                return;
        }
    }
    // The connection cancel() reaches; false once stopping.
    bool enter(ImapIdle *idle)
    {
        std::lock_guard lock(m_mutex);
        m_running = m_stopping ? nullptr : idle;
        return !m_stopping;
    }

    MailboxSettings m_settings;
    int m_intervalMs;
    std::function<void()> m_wake;
    std::function<void(bool, const QString &, int)> m_say;
    std::unique_ptr<QThread> m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wakeUp;
    bool m_stopping = false;
    ImapIdle *m_running = nullptr;
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
    for (size_t i = 0; i < m_mailboxes.size(); ++i) {
        if (!m_mailboxes[i].useIdle)
            continue;
        const QString name = m_mailboxes[i].imap.url.toString();
        auto wake = [w = m_worker, i] { QMetaObject::invokeMethod(w, [w, i] { w->wake(i); }); };
        auto say = [o = QPointer(this), name](bool idling, const QString &why, int retryInMs) {
            QMetaObject::invokeMethod(o.data(), [o, name, idling, why, retryInMs] {
                if (o)
                    Q_EMIT o->idleChanged(name, idling, why, retryInMs);
            });
        };
        m_idlers.push_back(std::make_unique<Idler>(m_mailboxes[i], m_intervalMs, wake, say));
        m_idlers.back()->start();
    }
}

bool MailboxPoller::stop(int waitMs)
{
    if (!m_worker)
        return true;
    // The IDLE threads first: they post to the worker.
    const QDeadlineTimer deadline = waitMs <= 0 ? QDeadlineTimer(QDeadlineTimer::Forever) : QDeadlineTimer(waitMs);
    for (auto &idler : m_idlers)
        idler->cancel();
    for (auto &idler : m_idlers)
        if (!idler->wait(deadline))
            return false;
    m_idlers.clear();
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
