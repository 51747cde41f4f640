#include "store/StoreChanges.h"

#include "store/sqlite/ChangeSources.h"

#include <QMetaObject>
#include <QSocketNotifier>
#include <QThread>
#include <QTimer>
#include <algorithm>

namespace ed {

namespace {

// Lives on the feed's thread: the source's connection, the wait on its socket
// or the poll, the pause before connecting again, and the folding of changes
// into one changed() per coalesce interval. It speaks to the feed (on its
// owner's thread) by queued calls only.
class FeedWorker : public QObject {
public:
    FeedWorker(StoreChanges *feed, std::unique_ptr<ChangeSource> source, const StoreChanges::Options &options)
        : m_feed(feed), m_source(std::move(source)), m_options(options)
    {
        m_poll = new QTimer(this);
        m_poll->setInterval(std::max(10, options.pollMs));
        QObject::connect(m_poll, &QTimer::timeout, this, [this] { look(); });
        m_retry = new QTimer(this);
        m_retry->setSingleShot(true);
        QObject::connect(m_retry, &QTimer::timeout, this, [this] { connectSource(); });
        m_coalesce = new QTimer(this);
        m_coalesce->setSingleShot(true);
        m_coalesce->setInterval(std::max(0, options.coalesceMs));
        QObject::connect(m_coalesce, &QTimer::timeout, this, [this] { flush(); });
        m_pause = std::max(1, options.retryMs);
    }

    void connectSource()
    {
        if (auto r = m_source->open(); !r) {
            lose(r.error());
            return;
        }
        m_pause = std::max(1, m_options.retryMs);
        if (const int fd = m_source->socket(); fd >= 0) {
            m_notifier = std::make_unique<QSocketNotifier>(qintptr(fd), QSocketNotifier::Read);
            QObject::connect(m_notifier.get(), &QSocketNotifier::activated, this, [this] { look(); });
        } else {
            m_poll->start();
        }
        QMetaObject::invokeMethod(
            m_feed, [feed = m_feed] { Q_EMIT feed->watching(); }, Qt::QueuedConnection);
        // What was committed while no connection watched is unknown: everything.
        if (m_wasLost)
            add(allStoreChanges());
        m_wasLost = false;
        look(); // anything that came while LISTEN was being set up
    }

private:
    void look()
    {
        auto kinds = m_source->check();
        if (!kinds) {
            lose(kinds.error());
            return;
        }
        add(*kinds);
    }

    void add(StoreChangeKinds kinds)
    {
        if (!kinds)
            return;
        m_pending |= kinds;
        if (!m_coalesce->isActive())
            m_coalesce->start();
    }

    void flush()
    {
        const StoreChangeKinds kinds = m_pending;
        m_pending = {};
        if (kinds)
            QMetaObject::invokeMethod(
                m_feed, [feed = m_feed, kinds] { Q_EMIT feed->changed(kinds); }, Qt::QueuedConnection);
    }

    void lose(const QString &message)
    {
        m_notifier.reset();
        m_poll->stop();
        m_wasLost = true;
        QMetaObject::invokeMethod(
            m_feed, [feed = m_feed, message] { Q_EMIT feed->lost(message); }, Qt::QueuedConnection);
        m_retry->start(m_pause);
        m_pause = std::min(std::max(m_pause * 2, 1), std::max(1, m_options.retryMaxMs));
    }

    StoreChanges *m_feed;
    std::unique_ptr<ChangeSource> m_source;
    StoreChanges::Options m_options;
    QTimer *m_poll = nullptr, *m_retry = nullptr, *m_coalesce = nullptr;
    std::unique_ptr<QSocketNotifier> m_notifier;
    StoreChangeKinds m_pending;
    int m_pause = 1000;
    bool m_wasLost = false;
};

} // namespace

StoreChanges::StoreChanges(const QString &location, QObject *parent) : StoreChanges(location, Options{}, parent) { }

StoreChanges::StoreChanges(const QString &location, Options options, QObject *parent)
    : QObject(parent), m_location(location), m_options(std::move(options))
{
    qRegisterMetaType<ed::StoreChangeKinds>("ed::StoreChangeKinds");
    connect(this, &StoreChanges::watching, this, [this] { m_watching = true; });
    connect(this, &StoreChanges::lost, this, [this] { m_watching = false; });
}

StoreChanges::~StoreChanges()
{
    if (!m_thread)
        return;
    m_thread->quit(); // the worker goes with the thread's end (deleteLater below)
    m_thread->wait();
    delete m_thread;
}

void StoreChanges::start()
{
    if (m_thread)
        return;
    m_thread = new QThread; // no parent: joined and deleted by the destructor
    m_thread->setObjectName(QStringLiteral("store changes"));
    auto *worker = new FeedWorker(this, makeChangeSource(m_location, m_options.password), m_options);
    worker->moveToThread(m_thread);
    m_worker = worker;
    connect(m_thread, &QThread::finished, worker, &QObject::deleteLater);
    connect(m_thread, &QThread::started, worker, [worker] { worker->connectSource(); });
    m_thread->start();
}

} // namespace ed
