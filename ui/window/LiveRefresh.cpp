#include "window/LiveRefresh.h"

#include "base/AppLog.h"
#include "models/IssueListModel.h"
#include "models/ReportListModel.h"
#include "store/StoreChanges.h"
#include "views/IssueListView.h"
#include "views/ReportListView.h"
#include "window/ImportController.h"
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
        // Said once per outage (the feed retries, with a growing pause, by itself).
        if (m_outage)
            return;
        m_outage = true;
        applog::warn(QStringLiteral("live updates paused: %1").arg(message));
        m_window->statusBar()->showMessage(tr("Live updates paused (trying again): %1").arg(message), 10000);
    });
    connect(m_feed, &StoreChanges::watching, this, [this] { m_outage = false; });
    window->installEventFilter(this); // shown again, restored from minimised
    connect(window->importer(), &ImportController::finished, this, &LiveRefresh::tryApply, Qt::QueuedConnection);
    // A re-read ends (rows in, a failure, a new search in between): what came meanwhile is read.
    for (PagedModel *m : {static_cast<PagedModel *>(window->issueList()->issueModel()),
                          static_cast<PagedModel *>(window->reportList()->reportModel())}) {
        connect(m, &PagedModel::rowsRefreshed, this, &LiveRefresh::tryApply);
        connect(m, &PagedModel::loadingChanged, this, [this](bool loading) {
            if (!loading)
                tryApply();
        });
    }
    m_feed->start();
}

LiveRefresh::~LiveRefresh() = default;

bool LiveRefresh::mayApply() const
{
    return m_window->isVisible() && !m_window->isMinimized() && !m_window->importer()->isRunning() &&
           !m_window->issueList()->issueModel()->isRefreshingRows() && !m_window->reportList()->reportModel()->isRefreshingRows();
}

void LiveRefresh::onChanged(StoreChangeKinds kinds)
{
    m_pending |= kinds;
    tryApply();
}

bool LiveRefresh::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && (event->type() == QEvent::Show || event->type() == QEvent::WindowStateChange))
        tryApply();
    return QObject::eventFilter(watched, event);
}

void LiveRefresh::tryApply()
{
    if (!m_pending || !mayApply())
        return;
    const StoreChangeKinds kinds = m_pending;
    m_pending = {};
    if (kinds & (StoreChange::Reports | StoreChange::Issues))
        m_window->refreshInPlace();
    if (kinds & StoreChange::Settings)
        m_window->reloadSettings();
    Q_EMIT refreshed(kinds);
}

} // namespace ed
