#include "window/ReceiveController.h"

#include "base/AppLog.h"
#include "base/ListenAddress.h"
#include "models/IssueListModel.h"
#include "models/ReportListModel.h"
#include "receive/ReceiveWriter.h"
#include "receive/Receiver.h"
#include "views/IssueListView.h"
#include "views/ReportListView.h"
#include "views/TimelineChart.h"
#include "window/MainWindow.h"

#include <QApplication>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QStatusBar>
#include <QTime>
#include <atomic>
#include <mutex>

namespace ed {

namespace {
// Events waiting at most (as errordeck-cli serve): past it SDKs get 429.
constexpr size_t kMaxQueued = 20000;
constexpr int kMessageMs = 15000;

// Keys whose change alters how events are scrubbed or filtered: the writer
// reads them when it starts, so it starts again.
bool changesWriterRules(ConfigKey key)
{
    switch (key) {
    case ConfigKey::IgnorableUrls:
    case ConfigKey::AppendSlash:
    case ConfigKey::HideCrawler404s:
    case ConfigKey::CrawlerAgents:
    case ConfigKey::Hidden404Prefixes:
    case ConfigKey::SensitiveKeys:
    case ConfigKey::SensitiveValues:
    case ConfigKey::SafeKeys: return true;
    default: return false;
    }
}
} // namespace

struct ReceiveController::Lifecycle {
    std::mutex mutex; // one start, stop or sites change at a time
    std::atomic<quint64> generation{0}; // the newest restart(); older ones give way
    std::unique_ptr<receive::ReceiveWriter> writer;
    std::unique_ptr<receive::Receiver> receiver; // uses writer: goes first

    void stopLocked()
    {
        // No new requests, the ones in flight answered, then the queue stored.
        receiver.reset();
        writer.reset();
    }
};

struct ReceiveController::Outcome {
    bool stale = false; // a newer restart() came meanwhile
    bool running = false;
    QString host, error;
    int port = 0;
    std::vector<Site> sites;
    bool addedDefault = false;
};

ReceiveController::ReceiveController(MainWindow *window, std::shared_ptr<JobRunner> jobs)
    : QObject(window), m_window(window), m_jobs(std::move(jobs)), m_life(std::make_shared<Lifecycle>())
{
    m_label = new QLabel(window);
    m_label->setObjectName(QStringLiteral("receiveStatus"));
    m_label->hide();
    window->statusBar()->addPermanentWidget(m_label);
    connect(&window->config(), &ConfigCache::changed, this, [this](ConfigKey key) {
        if (key == ConfigKey::ReceiveEnabled || key == ConfigKey::ReceiveListen)
            restart();
        else if (changesWriterRules(key) && isReceiving())
            restart();
    });
    restart();
}

ReceiveController::~ReceiveController()
{
    // Stopping closes the writer's connection (a checkpoint): in a job, waited
    // for, before the database goes.
    ++m_life->generation;
    const CancelTokenPtr stop = m_jobs->run(
        this, {QStringLiteral("receiver at quit"), JobRunner::Access::None},
        [life = m_life](JobContext &) {
            std::lock_guard lock(life->mutex);
            life->stopLocked();
            return true;
        },
        [](bool) {});
    m_jobs->wait(stop);
    // Had the job been dropped, the last owner stops them here.
}

void ReceiveController::restart()
{
    const ConfigCache &config = m_window->config();
    const bool wanted = config.flag(ConfigKey::ReceiveEnabled);
    ListenAddress address;
    QString why;
    if (wanted && !parseListenAddress(config.string(ConfigKey::ReceiveListen).trimmed(), address, why)) {
        Outcome refused;
        refused.error = QStringLiteral("ERRORDECK_RECEIVE_LISTEN: %1").arg(why);
        present(refused);
        return;
    }
    if (!wanted && !isReceiving() && m_ok)
        return; // off, and nothing runs: nothing to stop
    const quint64 generation = ++m_life->generation;
    // Only the UI thread reads the pointer; the writer's thread copies it.
    const QPointer<ReceiveController> self(this);
    m_jobs->run(
        this, {QStringLiteral("receiver"), JobRunner::Access::Write},
        [life = m_life, generation, wanted, address, self, path = m_jobs->path()](JobContext &ctx) -> Outcome {
            std::lock_guard lock(life->mutex);
            Outcome out;
            if (life->generation != generation) {
                out.stale = true;
                return out;
            }
            life->stopLocked();
            if (!wanted)
                return out;
            SiteStore sites(ctx.db());
            auto list = sites.list();
            if (list && list->empty()) {
                // As a first `errordeck-cli serve`: one site to point an SDK at.
                if (auto added = sites.add(QStringLiteral("default")); added) {
                    list = sites.list();
                    out.addedDefault = true;
                }
            }
            if (!list) {
                out.error = list.error();
                return out;
            }
            auto writer = std::make_unique<receive::ReceiveWriter>(path, kMaxQueued);
            writer->setStoredHandler([self](const std::vector<receive::StoredEvent> &batch) {
                QMetaObject::invokeMethod(
                    qApp,
                    [self, batch] {
                        if (self)
                            self->onStored(batch);
                    },
                    Qt::QueuedConnection);
            });
            writer->setErrorHandler([self](const QString &message) {
                QMetaObject::invokeMethod(
                    qApp,
                    [self, message] {
                        if (self)
                            self->m_window->statusBar()->showMessage(
                                MainWindow::tr("Receiving from Sentry SDKs: %1").arg(message), kMessageMs);
                    },
                    Qt::QueuedConnection);
            });
            if (auto started = writer->start(); !started) {
                out.error = started.error();
                return out;
            }
            auto receiver = std::make_unique<receive::Receiver>(*writer);
            receiver->setSites(*list);
            if (auto listening = receiver->start(address.host, address.port); !listening) {
                out.error = listening.error();
                receiver.reset();
                writer.reset();
                return out;
            }
            out.running = true;
            out.host = receiver->host();
            out.port = receiver->port();
            out.sites = std::move(*list);
            life->writer = std::move(writer);
            life->receiver = std::move(receiver);
            return out;
        },
        [this](const Outcome &outcome) { present(outcome); });
}

void ReceiveController::reloadSites()
{
    m_jobs->run(
        this, {QStringLiteral("receiver sites")},
        [life = m_life](JobContext &ctx) -> Result<void> {
            auto list = SiteStore(ctx.db()).list();
            if (!list)
                return list.failure();
            std::lock_guard lock(life->mutex);
            if (life->receiver)
                life->receiver->setSites(std::move(*list));
            return {};
        },
        [this](Result<void> done) {
            if (!done)
                m_window->statusBar()->showMessage(MainWindow::tr("Receiving from Sentry SDKs: %1").arg(done.error()),
                                                   kMessageMs);
        });
}

void ReceiveController::present(const Outcome &o)
{
    if (o.stale)
        return;
    m_ok = o.error.isEmpty();
    m_host = o.running ? o.host : QString();
    m_port = o.running ? o.port : 0;
    if (o.running) {
        m_status = MainWindow::tr("Receiving from Sentry SDKs on %1:%2").arg(o.host).arg(o.port);
        if (!isLoopbackHost(o.host))
            m_status += MainWindow::tr(" (not loopback: anyone who knows a DSN can send)");
        m_label->setText(MainWindow::tr("Receiving on %1:%2").arg(o.host).arg(o.port));
        m_label->setToolTip(m_status);
        m_label->show();
        applog::info(QStringLiteral("receiving on %1:%2").arg(o.host).arg(o.port));
        if (o.addedDefault)
            m_window->statusBar()->showMessage(
                MainWindow::tr("Added the site \"default\" to receive from: its DSN is in Settings › Receive from Sentry SDKs"),
                kMessageMs);
    } else if (!m_ok) {
        m_status = MainWindow::tr("Not receiving: %1").arg(o.error);
        m_label->setText(MainWindow::tr("Not receiving"));
        m_label->setToolTip(m_status);
        m_label->show();
        m_window->statusBar()->showMessage(MainWindow::tr("Receiving from Sentry SDKs: %1").arg(o.error), kMessageMs);
        applog::warn(QStringLiteral("not receiving: %1").arg(o.error));
    } else {
        m_status = MainWindow::tr("Not receiving.");
        m_label->hide();
    }
    Q_EMIT statusChanged(m_status, m_ok, m_host, m_port);
}

void ReceiveController::onStored(const std::vector<receive::StoredEvent> &batch)
{
    int reports = 0, hidden = 0;
    for (const receive::StoredEvent &e : batch) {
        if (!e.rejected.isEmpty())
            m_window->statusBar()->showMessage(
                MainWindow::tr("Site %1 sent an event that was not stored: %2").arg(e.site).arg(e.rejected), kMessageMs);
        else if (!e.duplicate && !e.dropped)
            ++(e.hidden ? hidden : reports);
    }
    m_stored += reports;
    if (isReceiving() && reports > 0)
        m_label->setText(
            MainWindow::tr("Receiving on %1:%2").arg(m_host).arg(m_port) + QStringLiteral(" · ") +
            (reports == 1 ? MainWindow::tr("1 new report at %1") : MainWindow::tr("%1 new reports at %2").arg(reports))
                .arg(QLocale().toString(QTime::currentTime(), QLocale::ShortFormat)));
    if (reports + hidden > 0) {
        // As the watched folders do: the lists re-read in place, selection kept.
        m_window->issueList()->issueModel()->refreshKeepingRows();
        m_window->reportList()->reportModel()->refreshKeepingRows();
        m_window->chart()->setQuery(m_window->currentQuery());
    }
    Q_EMIT stored(reports);
}

} // namespace ed
