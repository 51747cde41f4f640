// The main window's watched folders (ERRORDECK_WATCHED_FOLDERS): one
// FolderWatcher imports on its own thread; each batch that stores reports
// refreshes the lists in place (selection and scroll position kept), and a new
// issue or a regression raises a notification (tray message, else the status
// bar; and QApplication::alert).
#include "views/MainWindow.h"

#include "models/IssueListModel.h"
#include "views/IssueListView.h"
#include "models/ReportListModel.h"
#include "views/ReportListView.h"
#include "store/ReportStore.h"
#include "views/TimelineChart.h"
#include "watch/FolderWatcher.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLocale>
#include <QScrollBar>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTimer>

namespace ed {

namespace {
// New issues of one batch arrive one signal each; they make one notification.
constexpr int kNoticeDelayMs = 250;
constexpr int kTitlesShown = 3;

QString watchingText(qsizetype folders)
{
    return folders == 1 ? MainWindow::tr("Watching 1 folder") : MainWindow::tr("Watching %1 folders").arg(folders);
}
} // namespace

void MainWindow::setupWatcher()
{
    m_watchLabel = new QLabel(this);
    m_watchLabel->setObjectName(QStringLiteral("watchStatus"));
    m_watchLabel->hide();
    statusBar()->addPermanentWidget(m_watchLabel);
    m_noticeTimer = new QTimer(this);
    m_noticeTimer->setSingleShot(true);
    m_noticeTimer->setInterval(kNoticeDelayMs);
    connect(m_noticeTimer, &QTimer::timeout, this, &MainWindow::showWatchNotice);

    // A live refresh keeps what the user looks at: the models keep the
    // selection by id; the scroll position is put back here.
    connect(m_issueModel, &QAbstractItemModel::layoutAboutToBeChanged, this, [this] { m_issueScroll = m_issues->verticalScrollBar()->value(); });
    connect(m_issueModel, &PagedModel::rowsRefreshed, this, [this] { m_issues->verticalScrollBar()->setValue(m_issueScroll); });
    connect(m_reportModel, &QAbstractItemModel::layoutAboutToBeChanged, this, [this] { m_reportScroll = m_reports->verticalScrollBar()->value(); });
    connect(m_reportModel, &PagedModel::rowsRefreshed, this, [this] { m_reports->verticalScrollBar()->setValue(m_reportScroll); });

    connect(m_config.get(), &Config::changed, this, [this](ConfigKey key) {
        if (key == ConfigKey::WatchedFolders)
            restartWatcher();
    });
    restartWatcher();
}

void MainWindow::restartWatcher()
{
    QStringList folders;
    for (const QString &f : m_config->stringList(ConfigKey::WatchedFolders))
        if (!f.trimmed().isEmpty())
            folders << QDir::cleanPath(f.trimmed());
    if (folders.isEmpty()) {
        delete m_watcher;
        m_watcher = nullptr;
        m_watchLabel->hide();
        if (m_tray)
            m_tray->hide();
        return;
    }
    if (!m_watcher) {
        m_watcher = new FolderWatcher(m_db.path(), {}, this);
        connect(m_watcher, &FolderWatcher::imported, this, &MainWindow::onWatchImported);
        connect(m_watcher, &FolderWatcher::newIssue, this, [this](qint64 id) {
            m_newIssues << id;
            m_noticeTimer->start();
        });
        connect(m_watcher, &FolderWatcher::regression, this, [this](qint64 id) {
            m_regressions << id;
            m_noticeTimer->start();
        });
        connect(m_watcher, &FolderWatcher::error, this, [this](const QString &message) {
            m_watchLabel->setToolTip(tr("Last problem: %1").arg(message));
            statusBar()->showMessage(tr("Watched folders: %1").arg(message), 10000);
        });
        m_watcher->setFolders(folders);
        m_watcher->start();
    } else if (folders != m_watcher->folders()) {
        m_watcher->setFolders(folders);
        m_watcher->checkNow();
    }
    if (!m_tray && QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(windowIcon(), this);
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            showNormal();
            raise();
            activateWindow();
        });
    }
    if (m_tray) {
        m_tray->setToolTip(tr("ErrorDeck — %1").arg(watchingText(folders.size())));
        m_tray->show();
    }
    m_watchLabel->setText(watchingText(folders.size()));
    m_watchLabel->setToolTip(folders.join(u'\n'));
    m_watchLabel->show();
}

void MainWindow::onWatchImported(const WatchBatch &batch)
{
    const ImportSummary &s = batch.summary;
    if (m_watcher)
        m_watchLabel->setText(watchingText(m_watcher->folders().size()) + QStringLiteral(" · ")
                              + (s.stored == 1 ? tr("1 new report at %1") : tr("%1 new reports at %2").arg(s.stored))
                                    .arg(QLocale().toString(batch.at.toLocalTime().time(), QLocale::ShortFormat)));
    if (s.stored > 0 || s.hidden > 0)
        refreshLive();
}

void MainWindow::refreshLive()
{
    m_issueModel->refreshKeepingRows();
    m_reportModel->refreshKeepingRows();
    m_chart->setQuery(m_query);
}

void MainWindow::showWatchNotice()
{
    ReportStore store(m_db);
    const auto titles = [&store](const QList<qint64> &ids) {
        QStringList out;
        for (qint64 id : ids.mid(0, kTitlesShown)) {
            auto issue = store.loadIssue(id);
            out << (issue ? issue->title : tr("issue %1").arg(id));
        }
        if (ids.size() > kTitlesShown)
            out << tr("and %1 more").arg(ids.size() - kTitlesShown);
        return out.join(u'\n');
    };
    if (!m_newIssues.isEmpty())
        notify(m_newIssues.size() == 1 ? tr("1 new issue") : tr("%1 new issues").arg(m_newIssues.size()), titles(m_newIssues));
    if (!m_regressions.isEmpty())
        notify(m_regressions.size() == 1 ? tr("1 regression") : tr("%1 regressions").arg(m_regressions.size()), titles(m_regressions));
    m_newIssues.clear();
    m_regressions.clear();
}

void MainWindow::notify(const QString &title, const QString &message)
{
    if (m_tray && m_tray->isVisible() && QSystemTrayIcon::supportsMessages())
        m_tray->showMessage(title, message, QSystemTrayIcon::Information, 10000);
    else
        statusBar()->showMessage(title + QStringLiteral(": ") + QString(message).replace(u'\n', QStringLiteral("; ")), 15000);
    QApplication::alert(this);
    Q_EMIT notified(title, message);
}

} // namespace ed
