#include "window/LiveRefresh.h"

#include "base/AppLog.h"
#include "store/StoreChanges.h"
#include "window/MainWindow.h"

#include <QEvent>
#include <QStatusBar>

namespace ed {

LiveRefresh::LiveRefresh(MainWindow *window) : QObject(window), m_window(window)
{
    m_feed = new StoreChanges(window->databasePath(), this);
    connect(m_feed, &StoreChanges::changed, this, &LiveRefresh::onChanged);
    connect(m_feed, &StoreChanges::lost, this, [this](const QString &message) {
        // Not a dialog: the lists still work, only other apps' changes wait.
        applog::warn(QStringLiteral("live updates paused: %1").arg(message));
        m_window->statusBar()->showMessage(tr("Live updates paused (trying again): %1").arg(message), 10000);
    });
    window->installEventFilter(this); // shown again, restored from minimised
    m_feed->start();
}

LiveRefresh::~LiveRefresh() = default;

bool LiveRefresh::windowShows() const { return m_window->isVisible() && !m_window->isMinimized(); }

void LiveRefresh::onChanged(StoreChangeKinds kinds)
{
    m_pending |= kinds;
    if (windowShows())
        apply();
}

bool LiveRefresh::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && m_pending && (event->type() == QEvent::Show || event->type() == QEvent::WindowStateChange))
        if (windowShows())
            apply();
    return QObject::eventFilter(watched, event);
}

void LiveRefresh::apply()
{
    const StoreChangeKinds kinds = m_pending;
    m_pending = {};
    if (kinds & (StoreChange::Reports | StoreChange::Issues))
        m_window->refreshInPlace();
    if (kinds & StoreChange::Settings)
        m_window->reloadSettings();
    Q_EMIT refreshed(kinds);
}

} // namespace ed
