#include "window/WatchController.h"

#include "models/IssueListModel.h"
#include "models/ReportListModel.h"
#include "store/ReportStore.h"
#include "views/IssueListView.h"
#include "window/MainWindow.h"
#include "views/ReportListView.h"
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

WatchController::WatchController(MainWindow *window, std::shared_ptr<JobRunner> jobs)
    : QObject(window), m_window(window), m_jobs(std::move(jobs))
{
    m_label = new QLabel(window);
    m_label->setObjectName(QStringLiteral("watchStatus"));
    m_label->hide();
    window->statusBar()->addPermanentWidget(m_label);
    m_noticeTimer = new QTimer(this);
    m_noticeTimer->setSingleShot(true);
    m_noticeTimer->setInterval(kNoticeDelayMs);
    connect(m_noticeTimer, &QTimer::timeout, this, &WatchController::showNotice);

    // A live refresh keeps what the user looks at: the models keep the
    // selection by id; the scroll position is put back here.
    IssueListView *issues = window->issueList();
    ReportListView *reports = window->reportList();
    connect(issues->issueModel(), &QAbstractItemModel::layoutAboutToBeChanged, this,
            [this, issues] { m_issueScroll = issues->verticalScrollBar()->value(); });
    connect(issues->issueModel(), &PagedModel::rowsRefreshed, this,
            [this, issues] { issues->verticalScrollBar()->setValue(m_issueScroll); });
    connect(reports->reportModel(), &QAbstractItemModel::layoutAboutToBeChanged, this,
            [this, reports] { m_reportScroll = reports->verticalScrollBar()->value(); });
    connect(reports->reportModel(), &PagedModel::rowsRefreshed, this,
            [this, reports] { reports->verticalScrollBar()->setValue(m_reportScroll); });

    connect(&window->config(), &ConfigCache::changed, this, [this](ConfigKey key) {
        if (key == ConfigKey::WatchedFolders)
            restart();
    });
    restart();
}

WatchController::~WatchController()
{
    // Before the database goes: the watcher imports through its own connection.
    delete m_watcher;
    m_watcher = nullptr;
}

void WatchController::restart()
{
    QStringList folders;
    for (const QString &f : m_window->config().stringList(ConfigKey::WatchedFolders))
        if (!f.trimmed().isEmpty())
            folders << QDir::cleanPath(f.trimmed());
    if (folders.isEmpty()) {
        delete m_watcher;
        m_watcher = nullptr;
        m_label->hide();
        if (m_tray)
            m_tray->hide();
        return;
    }
    if (!m_watcher) {
        m_watcher = new FolderWatcher(m_jobs->path(), {}, this);
        connect(m_watcher, &FolderWatcher::imported, this, &WatchController::onImported);
        connect(m_watcher, &FolderWatcher::newIssue, this, [this](qint64 id) {
            m_newIssues << id;
            m_noticeTimer->start();
        });
        connect(m_watcher, &FolderWatcher::regression, this, [this](qint64 id) {
            m_regressions << id;
            m_noticeTimer->start();
        });
        connect(m_watcher, &FolderWatcher::error, this, [this](const QString &message) {
            m_label->setToolTip(MainWindow::tr("Last problem: %1").arg(message));
            m_window->statusBar()->showMessage(MainWindow::tr("Watched folders: %1").arg(message), 10000);
        });
        m_watcher->setFolders(folders);
        m_watcher->start();
    } else if (folders != m_watcher->folders()) {
        m_watcher->setFolders(folders);
        m_watcher->checkNow();
    }
    if (!m_tray && QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(m_window->windowIcon(), this);
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            m_window->showNormal();
            m_window->raise();
            m_window->activateWindow();
        });
    }
    if (m_tray) {
        m_tray->setToolTip(MainWindow::tr("ErrorDeck — %1").arg(watchingText(folders.size())));
        m_tray->show();
    }
    m_label->setText(watchingText(folders.size()));
    m_label->setToolTip(folders.join(u'\n'));
    m_label->show();
}

void WatchController::onImported(const WatchBatch &batch)
{
    const ImportSummary &s = batch.summary;
    if (m_watcher)
        m_label->setText(
            watchingText(m_watcher->folders().size()) + QStringLiteral(" · ") +
            (s.stored == 1 ? MainWindow::tr("1 new report at %1") : MainWindow::tr("%1 new reports at %2").arg(s.stored))
                .arg(QLocale().toString(batch.at.toLocalTime().time(), QLocale::ShortFormat)));
    if (s.stored > 0 || s.hidden > 0)
        refreshLive();
    if (s.stored > 0)
        Q_EMIT stored(s.stored);
}

void WatchController::refreshLive()
{
    m_window->issueList()->issueModel()->refreshKeepingRows();
    m_window->reportList()->reportModel()->refreshKeepingRows();
    m_window->chart()->setQuery(m_window->currentQuery());
}

void WatchController::showNotice()
{
    struct Notice {
        QList<qint64> newIssues, regressions;
        QString newTitles, regressionTitles;
    };
    Notice notice{m_newIssues, m_regressions, {}, {}};
    m_newIssues.clear();
    m_regressions.clear();
    // The issues' titles are read on the job runner; unnamed: no notice replaces another.
    m_jobs->run(
        this, {},
        [notice](JobContext &ctx) mutable {
            ReportStore store(ctx.db());
            const auto titles = [&store](const QList<qint64> &ids) {
                QStringList out;
                for (qint64 id : ids.mid(0, kTitlesShown)) {
                    auto issue = store.loadIssue(id);
                    out << (issue ? issue->title : MainWindow::tr("issue %1").arg(id));
                }
                if (ids.size() > kTitlesShown)
                    out << MainWindow::tr("and %1 more").arg(ids.size() - kTitlesShown);
                return out.join(u'\n');
            };
            notice.newTitles = titles(notice.newIssues);
            notice.regressionTitles = titles(notice.regressions);
            return notice;
        },
        [this](const Notice &n) {
            if (!n.newIssues.isEmpty())
                notify(n.newIssues.size() == 1 ? MainWindow::tr("1 new issue")
                                               : MainWindow::tr("%1 new issues").arg(n.newIssues.size()),
                       n.newTitles);
            if (!n.regressions.isEmpty())
                notify(n.regressions.size() == 1 ? MainWindow::tr("1 regression")
                                                 : MainWindow::tr("%1 regressions").arg(n.regressions.size()),
                       n.regressionTitles);
        });
}

void WatchController::notify(const QString &title, const QString &message)
{
    if (m_tray && m_tray->isVisible() && QSystemTrayIcon::supportsMessages())
        m_tray->showMessage(title, message, QSystemTrayIcon::Information, 10000);
    else
        m_window->statusBar()->showMessage(title + QStringLiteral(": ") + QString(message).replace(u'\n', QStringLiteral("; ")),
                                           15000);
    QApplication::alert(m_window);
    Q_EMIT notified(title, message);
}

} // namespace ed
