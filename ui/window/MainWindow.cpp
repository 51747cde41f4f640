#include "window/MainWindow.h"
#include "base/AppLog.h"

#include "window/ImportController.h"
#include "jobs/JobRunner.h"
#include "window/MailController.h"
#include "window/RulesController.h"
#include "window/ReceiveController.h"
#include "window/WatchController.h"
#include "window/LiveRefresh.h"
#include "window/MailboxController.h"
#include "window/AlertController.h"
#include "KeychainPasswords.h"
#include "watch/FolderWatcher.h"
#include "views/ImportProgressBar.h"
#include "dialogs/ImportSummaryDialog.h"
#include "models/IssueListModel.h"
#include "views/IssueListView.h"
#include "views/IssueViewSwitch.h"
#include "store/ListQueries.h"
#include "window/TriageController.h"
#include "views/ReportDetailView.h"
#include "views/RequestView.h"
#include "models/ReportListModel.h"
#include "views/RatioSplitter.h"
#include "views/ReportListView.h"
#include "store/ReportStore.h"
#include "store/SearchValues.h"
#include "look/Format.h"
#include "look/Resources.h"
#include "models/SavedSearches.h"
#include "views/SearchBar.h"
#include "look/Theme.h"
#include "views/StartPage.h"
#include "views/TimelineChart.h"
#include "window/RecentDatabases.h"
#include "views/TracebackView.h"
#include "settings/RulesPage.h"
#include "settings/SettingsDialog.h"

#include <QAction>
#include <QBoxLayout>
#include <QCloseEvent>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QStyle>
#include <QMessageBox>
#include <QMimeData>
#include <QTimeZone>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QToolButton>
#include <QUrl>

namespace ed {

MainWindow::MainWindow(Database db, QWidget *parent) : QMainWindow(parent), m_db(std::move(db))
{
    initUiResources();
    setObjectName(QStringLiteral("mainWindow"));
    // Which database, first: one database per site is a normal way to work.
    const QFileInfo file(m_db.path());
    if (m_db.isServer()) // the URL as shown: never a password
        setWindowTitle(tr("%1 — ErrorDeck").arg(m_db.path()));
    else
        setWindowTitle(recent::isSampleDatabase(m_db.path())
                           ? tr("Sample database — ErrorDeck")
                           : tr("%1 (%2) — ErrorDeck").arg(file.fileName(), QDir::toNativeSeparators(file.absolutePath())));
    recent::noteOpened(m_db.path());
    setWindowIcon(QIcon(QStringLiteral(":/icons/errordeck.svg")));
    setAcceptDrops(true);
    m_jobs = JobRunner::forDatabase(m_db.path());
    // The settings are read by a job and kept in memory; the watcher starts
    // when they arrive (ConfigCache::changed).
    m_config = std::make_unique<ConfigCache>(m_jobs);
    m_config->reload();
    // Times in the zone the settings name (local until they are read).
    connect(m_config.get(), &ConfigCache::changed, this, [this](ConfigKey key) {
        if (key == ConfigKey::TimeZone)
            applyTimeZone();
    });
    m_keychain = std::make_unique<KeychainPasswords>();
    m_mail = new MailController(this, m_keychain.get(), m_jobs);
    buildWidgets();
    buildActions();
    m_mail->buildActions();
    restoreState();
    applyQuery(m_search->query());
    loadSearchValues();
    m_watch = new WatchController(this, m_jobs);
    connect(m_watch, &WatchController::notified, this, &MainWindow::notified);
    m_receive = new ReceiveController(this, m_jobs);
    m_mailboxes = new MailboxController(this, m_jobs);
    // The alert step looks at what each of them stored at once, not at its next interval.
    m_alerts = new AlertController(this, m_keychain.get());
    connect(m_import, &ImportController::finished, m_alerts, &AlertController::nudge);
    connect(m_watch, &WatchController::stored, m_alerts, &AlertController::nudge);
    connect(m_mailboxes, &MailboxController::stored, m_alerts, &AlertController::nudge);
    connect(m_receive, &ReceiveController::stored, m_alerts, [this](int reports) {
        if (reports > 0)
            m_alerts->nudge();
    });
    // Open in Editor follows Settings › Source code.
    const auto sourceSettings = [this] {
        m_detail->traceback()->setSourceSettings(m_config->stringList(ConfigKey::SourceRoots),
                                                 m_config->string(ConfigKey::Editor));
    };
    connect(m_config.get(), &ConfigCache::loaded, this, sourceSettings);
    connect(m_config.get(), &ConfigCache::changed, this, [sourceSettings](ConfigKey key) {
        if (key == ConfigKey::SourceRoots || key == ConfigKey::Editor)
            sourceSettings();
    });
    connect(m_detail->traceback(), &TracebackView::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    m_live = new LiveRefresh(this); // what other apps and importers commit
    checkEmpty();
}

MainWindow::~MainWindow()
{
    // Dialogs (sending in the background, with the keychain member and the
    // database) stop and go first; the watcher stops before the database goes.
    qDeleteAll(findChildren<QDialog *>(QString(), Qt::FindDirectChildrenOnly));
    delete m_live; // its feed's thread and connection first
    m_live = nullptr;
    delete m_receive; // its last events stored first
    m_receive = nullptr;
    delete m_watch;
    m_watch = nullptr;
    delete m_mailboxes;
    m_mailboxes = nullptr;
    // An import still running writes through its own connection: wait for it
    // (it was cancelled on close), then move the WAL into the database file, so
    // that the file the user sees, or copies as a backup, holds everything.
    delete m_import;
    m_import = nullptr;
    delete m_rulesApply; // stops between reports; what it committed stays
    m_rulesApply = nullptr;
    delete m_alerts; // after a transfer in progress, before the keychain goes
    m_alerts = nullptr;
    // The checkpoint is SQL too: a job (no pooled connection: it closes this
    // window's own), waited for here; quitting may wait, the UI thread never
    // runs the statement.
    auto db = std::make_shared<Database>(std::move(m_db));
    const CancelTokenPtr checkpoint = m_jobs->run(
        this, {QStringLiteral("checkpoint at quit"), JobRunner::Access::None},
        [db](JobContext &) {
            if (auto r = db->close(); !r)
                applog::warn(r.error());
            return true;
        },
        [](bool) {});
    m_jobs->wait(checkpoint);
}

FolderWatcher *MainWindow::folderWatcher() const { return m_watch ? m_watch->folderWatcher() : nullptr; }
QLabel *MainWindow::watchStatusLabel() const { return m_watch ? m_watch->statusLabel() : nullptr; }
const PasswordSource *MainWindow::passwords() const { return m_keychain.get(); }
void MainWindow::emailReport(bool managers) { m_mail->emailReport(managers); }
void MainWindow::emailIssue(bool managers) { m_mail->emailIssue(managers); }
void MainWindow::openSendLog() { m_mail->openSendLog(); }

void MainWindow::buildWidgets()
{
    const QString path = m_db.path();
    m_search = new SearchBar(this);
    m_chart = new TimelineChart(path, this);
    m_issueModel = new IssueListModel(path, this);
    m_issues = new IssueListView(m_issueModel, this);
    m_reportModel = new ReportListModel(path, this);
    m_reports = new ReportListView(m_reportModel, this);
    m_detail = new ReportDetailView(path, this);
    connect(m_detail->request(), &RequestView::copied, this,
            [this](const QString &what) { statusBar()->showMessage(tr("Copied the %1 to the clipboard.").arg(what), 4000); });
    m_saved = new SavedSearchesPanel(path, this);

    m_reportsTitle = new QLabel(this);
    m_reportsTitle->setObjectName(QStringLiteral("reportsTitle"));
    m_allToggle = new QToolButton(this);
    m_allToggle->setObjectName(QStringLiteral("allReportsToggle"));
    m_allToggle->setText(tr("All reports"));
    m_allToggle->setCheckable(true);
    m_allToggle->setToolTip(tr("List every report matching the search, not only the selected issue's"));
    auto *reportsPane = new QWidget(this);
    auto *reportsHead = new QHBoxLayout;
    reportsHead->setContentsMargins(4, 2, 4, 2);
    reportsHead->addWidget(m_reportsTitle, 1);
    reportsHead->addWidget(m_allToggle);
    auto *reportsLayout = new QVBoxLayout(reportsPane);
    reportsLayout->setContentsMargins(0, 0, 0, 0);
    reportsLayout->setSpacing(0);
    reportsLayout->addLayout(reportsHead);
    reportsLayout->addWidget(m_reports, 1);

    m_listSplit = new QSplitter(Qt::Vertical, this);
    m_listSplit->setObjectName(QStringLiteral("listSplitter"));
    m_viewSwitch = new IssueViewSwitch(this);
    auto *issuesPane = new QWidget(this);
    auto *issuesLayout = new QVBoxLayout(issuesPane);
    issuesLayout->setContentsMargins(0, 0, 0, 0);
    issuesLayout->setSpacing(0);
    issuesLayout->addWidget(m_viewSwitch);
    issuesLayout->addWidget(m_issues, 1);
    m_listSplit->addWidget(issuesPane);
    m_listSplit->addWidget(reportsPane);
    m_listSplit->setStretchFactor(0, 3);
    m_listSplit->setStretchFactor(1, 2);
    m_hsplit = new RatioSplitter(Qt::Horizontal, this);
    m_hsplit->setObjectName(QStringLiteral("detailSplitter"));
    m_hsplit->addWidget(m_listSplit);
    m_hsplit->addWidget(m_detail);
    m_hsplit->setChildrenCollapsible(false);
    m_hsplit->setIntendedRatio(kListsShare);
    m_vsplit = new QSplitter(Qt::Vertical, this);
    m_vsplit->setObjectName(QStringLiteral("chartSplitter"));
    m_vsplit->addWidget(m_chart);
    m_vsplit->addWidget(m_hsplit);
    m_vsplit->setStretchFactor(0, 0);
    m_vsplit->setStretchFactor(1, 1);
    m_vsplit->setSizes({170, 800});

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(6, 6, 6, 0);
    rightLayout->addWidget(m_search);
    rightLayout->addWidget(m_vsplit, 1);
    m_sideSplit = new QSplitter(Qt::Horizontal, this);
    m_sideSplit->setObjectName(QStringLiteral("sideSplitter"));
    m_sideSplit->addWidget(m_saved);
    m_sideSplit->addWidget(right);
    m_sideSplit->setStretchFactor(0, 0);
    m_sideSplit->setStretchFactor(1, 1);
    m_sideSplit->setSizes({160, 1400});
    // An empty database shows the start page in place of all this.
    m_start = new StartPage(this);
    m_start->setDatabaseName(recent::isSampleDatabase(path) ? tr("The sample database") : QFileInfo(path).fileName());
    m_stack = new QStackedWidget(this);
    m_stack->setObjectName(QStringLiteral("centralStack"));
    m_stack->addWidget(m_sideSplit);
    m_stack->addWidget(m_start);
    setCentralWidget(m_stack);
    connectStartPage();

    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(QStringLiteral("countLabel"));
    statusBar()->addWidget(m_countLabel, 1);
    m_import = new ImportController(path, this);
    m_importBar = new ImportProgressBar(this);
    m_importBar->hide();
    statusBar()->addPermanentWidget(m_importBar);
    m_rulesApply = new RulesController(path, this, this);
    statusBar()->addPermanentWidget(m_rulesApply->statusWidget());
    connect(m_rulesApply, &RulesController::finished, this, &MainWindow::onRulesApplied);

    connect(m_search, &SearchBar::queryChanged, this, &MainWindow::applyQuery);
    connectChart();
    // A search that does not parse goes to the lists and the chart as it is:
    // each finds nothing (the store refuses it), and a refresh finds nothing
    // again, where the previous results would mislead.
    connect(m_search, &SearchBar::queryInvalid, this, [this] { applyQuery(m_search->query()); });
    connect(m_issues, &IssueListView::currentIssueChanged, this, &MainWindow::onIssueChanged);
    connect(m_viewSwitch, &IssueViewSwitch::viewChanged, this, [this] { applyQuery(m_query); });
    connect(m_allToggle, &QToolButton::toggled, this, [this] { updateReportQuery(); });
    connect(m_reports, &ReportListView::currentReportChanged, this, [this](std::optional<int64_t> id) {
        m_detail->showReport(id);
        m_detail->setListPosition(id ? m_reports->currentIndex().row() : -1, m_reportCount);
        updateActions();
    });
    // Previous/Next in the detail pane walk the report list.
    connect(m_detail, &ReportDetailView::stepRequested, this, [this](int delta) {
        const int row = m_reports->currentIndex().row() + delta;
        if (row >= 0 && row < m_reportModel->rowCount())
            m_reports->setCurrentIndex(m_reportModel->index(row, 0));
    });
    connect(m_detail, &ReportDetailView::reportRequested, this, [this](qint64 id) {
        for (int row = 0; row < std::min(m_reportModel->rowCount(), 200); ++row) // the latest is near the top
            if (const ReportRow *r = m_reportModel->report(row); r && r->id == id)
                return m_reports->setCurrentIndex(m_reportModel->index(row, 0));
        m_detail->showReport(id); // not in the list as it is filtered: shown on its own
    });
    connect(m_reportModel, &PagedModel::firstRowsLoaded, this, [this] {
        if (m_selectFirstReport && m_reportModel->rowCount() > 0) {
            m_selectFirstReport = false;
            m_reports->setCurrentIndex(m_reportModel->index(0, 0)); // the latest report of the issue
        }
    });
    connect(m_issueModel, &PagedModel::countKnown, this, [this](qint64 n) {
        if (n > 0)
            showStartPage(false); // reports came in (an import, a watched folder)
        m_issueCount = n;
        updateCounts();
    });
    connect(m_reportModel, &PagedModel::countKnown, this, [this](qint64 n) {
        m_reportCount = n;
        m_detail->setListPosition(m_reports->currentReportId() ? m_reports->currentIndex().row() : -1, n);
        updateCounts();
    });
    connect(m_reportModel, &PagedModel::queryFailed, this, [this](const QString &e) {
        if (m_search->errorText().isEmpty()) // a bad search is shown under the search bar
            statusBar()->showMessage(tr("Query failed: %1").arg(e), 8000);
    });
    connect(m_saved, &SavedSearchesPanel::searchChosen, m_search, &SearchBar::setText);
    connect(m_saved, &SavedSearchesPanel::saveRequested, this, [this] { m_saved->saveQuery(m_search->text()); });
    connect(m_import, &ImportController::started, this, [this] {
        m_importBar->begin();
        m_importBar->show();
    });
    connect(m_import, &ImportController::progress, m_importBar, &ImportProgressBar::update);
    connect(m_importBar, &ImportProgressBar::cancelRequested, m_import, &ImportController::cancel);
    connect(m_import, &ImportController::finished, this, &MainWindow::onImportFinished);
    connect(m_issues->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] { updateActions(); });
    connect(m_reports->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] { updateActions(); });
}

void MainWindow::applyQuery(const SearchQuery &q)
{
    m_query = q;
    m_query.view = m_viewSwitch->view(); // the issue list's; the chart and the reports ignore it
    m_issueCount = m_reportCount = -1;
    m_issueId.reset(); // before the reset of the issue list, which reports "no issue"
    m_issueModel->setQuery(m_query);
    m_chart->setQuery(m_query);
    updateReportQuery();
    loadViewCounts();
}

void MainWindow::loadViewCounts()
{
    SearchQuery q = m_query;
    if (!q.check()) {
        m_viewSwitch->setCounts(std::nullopt);
        Q_EMIT viewCountsLoaded();
        return;
    }
    m_jobs->run(
        m_viewSwitch, {QStringLiteral("view counts")}, [q](JobContext &ctx) { return ListQueries(ctx.db()).viewCounts(q); },
        [this](Result<std::array<int64_t, kIssueViewCount>> counts) {
            m_viewSwitch->setCounts(counts ? std::optional(*counts) : std::nullopt);
            Q_EMIT viewCountsLoaded();
        });
}

void MainWindow::applyTimeZone()
{
    const DisplayZone zone = Config::asTimeZone(m_config->value(ConfigKey::TimeZone));
    if (zone == fmt::zone() && zone == m_search->zone())
        return;
    fmt::setZone(zone);
    m_chart->setTimeZone(zone == DisplayZone::Utc ? QTimeZone::utc() : QTimeZone::systemTimeZone()); // its bars and axis
    m_search->setZone(zone); // applies the search again: the lists show the new times
}

void MainWindow::onIssueChanged(std::optional<int64_t> issueId)
{
    if (issueId == m_issueId)
        return;
    m_issueId = issueId;
    m_detail->setIssue(issueId); // shown while no report is
    // The chart follows the issue chosen (its own history) until "Show all
    // issues" or another issue; a new search emptying the list leaves it.
    if (issueId) {
        const QModelIndex current = m_issues->currentIndex();
        const IssueRow *row = current.isValid() ? m_issueModel->issue(current.row()) : nullptr;
        m_chart->setIssue(issueId, row ? row->title : QString());
    }
    if (!m_allToggle->isChecked())
        updateReportQuery();
    updateActions();
}

void MainWindow::connectChart()
{
    // A bar click narrows the search's time range to the bar; "Back" returns
    // to the range before it, click by click.
    connect(m_chart, &TimelineChart::rangeSelected, this, [this](qint64 from, qint64 to) {
        const auto range = m_search->range();
        m_rangesBefore.push_back({int(range), m_query.since.value_or(0), m_query.until.value_or(0)});
        m_chart->setBackAvailable(true);
        m_search->setCustomRange(from, to);
    });
    connect(m_chart, &TimelineChart::backRequested, this, [this] {
        if (m_rangesBefore.empty())
            return;
        const RangeBefore before = m_rangesBefore.back();
        m_rangesBefore.pop_back();
        m_chart->setBackAvailable(!m_rangesBefore.empty());
        if (before.range == SearchBar::Custom)
            m_search->setCustomRange(before.since, before.until);
        else
            m_search->setRange(SearchBar::Range(before.range));
    });
}

void MainWindow::setShowAllReports(bool all) { m_allToggle->setChecked(all); }
bool MainWindow::showAllReports() const { return m_allToggle->isChecked(); }

void MainWindow::updateReportQuery()
{
    SearchQuery q = m_query;
    const bool byIssue = m_issueId && !m_allToggle->isChecked();
    if (byIssue) {
        q.issueId = m_issueId;
        m_reportsTitle->setText(tr("Reports of issue %1").arg(*m_issueId));
    } else {
        m_reportsTitle->setText(tr("All reports matching the search"));
    }
    m_selectFirstReport = byIssue;
    m_reportCount = -1;
    m_reportModel->setQuery(q);
    m_detail->showReport(std::nullopt);
    updateActions();
}

void MainWindow::updateCounts()
{
    QStringList parts;
    if (m_issueCount >= 0)
        parts << tr("%Ln issue(s)", nullptr, int(m_issueCount));
    if (m_reportCount >= 0)
        parts << (m_reportsTitle->text().startsWith(tr("All")) ? tr("%Ln report(s)", nullptr, int(m_reportCount))
                                                               : tr("%Ln report(s) in this issue", nullptr, int(m_reportCount)));
    m_countLabel->setText(parts.join(QStringLiteral(" · ")));
}

void MainWindow::refresh()
{
    checkEmpty();
    m_saved->model()->reload();
    applyQuery(m_query);
    loadSearchValues();
}

void MainWindow::refreshInPlace()
{
    if (isStartPageShown())
        checkEmpty(); // reports came in elsewhere
    m_issueModel->refreshKeepingRows();
    m_reportModel->refreshKeepingRows();
    m_chart->setQuery(m_query);
    loadViewCounts();
    m_detail->reloadIssue();
}

void MainWindow::reloadSettings()
{
    m_config->reload(); // changed(key) follows for what differs
    m_saved->model()->reload();
}

void MainWindow::loadSearchValues()
{
    m_jobs->run(
        m_search, {QStringLiteral("search values"), JobRunner::Access::Read, -1},
        [](JobContext &ctx) { return ed::loadSearchValues(ctx.db()); },
        [this](Result<QHash<QString, QStringList>> values) {
            if (values) // without them the bar still completes field names
                m_search->setValueCompletions(*values);
            Q_EMIT searchValuesLoaded();
        });
}

QList<int64_t> MainWindow::selectedReportIds() const { return m_reports->selectedReportIds(); }
std::optional<int64_t> MainWindow::currentIssueId() const { return m_issues->currentIssueId(); }
std::optional<int64_t> MainWindow::currentReportId() const { return m_reports->currentReportId(); }

bool MainWindow::startImport(const QStringList &paths)
{
    if (m_import->isRunning()) {
        statusBar()->showMessage(tr("An import is running; wait for it to finish."), 5000);
        return false;
    }
    return m_import->start(paths);
}

void MainWindow::onImportFinished(const ImportSummary &summary)
{
    m_importBar->hide();
    statusBar()->showMessage(ImportSummaryDialog::headline(summary), 10000);
    refresh();
    auto *dlg = new ImportSummaryDialog(summary, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->open();
    Q_EMIT importFinished(summary);
}

void MainWindow::reapplyRules() { m_rulesApply->start(); }

void MainWindow::onRulesApplied(const ApplySummary &summary, const QString &error)
{
    if (!error.isEmpty()) {
        statusBar()->showMessage(tr("The rules could not be applied: %1").arg(error), 10000);
    } else {
        QString what = tr("Rules applied to %L1 stored reports: %L2 hidden (%L3 newly, %L4 shown again)")
                           .arg(summary.reports)
                           .arg(summary.hidden)
                           .arg(summary.newlyHidden)
                           .arg(summary.newlyShown);
        if (summary.cancelled)
            what = tr("Applying the rules was cancelled after %L1 reports: those keep the new rules, the others stay "
                      "as they were")
                       .arg(summary.reports);
        statusBar()->showMessage(what, 10000);
    }
    refresh();
    if (auto *settings = findChild<SettingsDialog *>())
        settings->rules()->refreshCounts();
    Q_EMIT rulesApplied(summary, error);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *e)
{
    if (e->mimeData()->hasUrls()) {
        for (const QUrl &u : e->mimeData()->urls())
            if (u.isLocalFile()) {
                e->acceptProposedAction();
                return;
            }
    }
}

void MainWindow::dropEvent(QDropEvent *e)
{
    QStringList paths;
    for (const QUrl &u : e->mimeData()->urls())
        if (u.isLocalFile())
            paths << u.toLocalFile();
    if (!paths.isEmpty() && startImport(paths))
        e->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent *e)
{
    // Switching databases asked already (openDatabase) and saved the state for the next window.
    if (!m_closingForSwitch) {
        if (!mayStopImport(tr("Import running"),
                           tr("An import is running. Stop it and quit? What was imported so far is kept."))) {
            e->ignore();
            return;
        }
        saveState();
    }
    m_alerts->stop(); // a closed window (or one switched for another database) sends nothing more
    e->accept();
}

} // namespace ed
