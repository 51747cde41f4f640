#pragma once
// The main window: search bar and chart on top, issues over reports on the
// left, the selected report's detail on the right, saved searches in a side
// panel. Menus and the toolbar are built in buildActions(); the Issue and
// Report menus are where other features add their actions (reportMenu(),
// issueMenu(), actionToolBar()), using selectedReportIds()/currentIssueId().
// E-mailing admins and managers (SendDialog, the send log) is the
// MailController's; watched folders (FolderWatcher, live refresh,
// notifications) the WatchController's (ui/controllers/). Database work runs
// on the file's JobRunner, never on the UI thread.
#include "jobs/ConfigCache.h"
#include "store/Database.h"
#include "store/SearchQuery.h"

#include <QMainWindow>
#include <memory>
#include <vector>
#include <optional>

class QAction;
class QLabel;
class QMenu;
class QSplitter;
class QStackedWidget;
class QToolBar;
class QToolButton;

namespace ed {

class FolderWatcher;
class ImportController;
class RulesController;
struct ApplySummary;
class JobRunner;
class MailController;
class WatchController;
class LiveRefresh;
class ReceiveController;
class MailboxController;
class AlertController;
class KeychainPasswords;
class PasswordSource;
class ImportProgressBar;
class IssueListModel;
class IssueListView;
class IssueViewSwitch;
class TriageController;
class ReportDetailView;
class ReportListModel;
class ReportListView;
class RatioSplitter;
class SavedSearchesPanel;
class SearchBar;
class StartPage;
class TimelineChart;
struct ImportSummary;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(Database db, QWidget *parent = nullptr);
    ~MainWindow() override;

    // The window's connection: only for closing (the checkpoint) at quit, on a job.
    Database &database() { return m_db; }
    const QString &databasePath() const { return m_db.path(); }
    // The settings, in memory (read by a job at start; see ConfigCache).
    ConfigCache &config() { return *m_config; }

    // Hooks for report and issue actions.
    QMenu *reportMenu() const { return m_reportMenu; }
    QMenu *issueMenu() const { return m_issueMenu; }
    QToolBar *actionToolBar() const { return m_toolBar; }
    QList<int64_t> selectedReportIds() const;
    std::optional<int64_t> currentIssueId() const;
    std::optional<int64_t> currentReportId() const;

    SearchBar *searchBar() const { return m_search; }
    IssueListView *issueList() const { return m_issues; }
    // Unresolved (the default), For review, Resolved, Ignored, All, with their counts.
    IssueViewSwitch *issueViewSwitch() const { return m_viewSwitch; }
    TriageController *triage() const { return m_triage; }
    ReportListView *reportList() const { return m_reports; }
    ReportDetailView *detail() const { return m_detail; }
    TimelineChart *chart() const { return m_chart; }
    SavedSearchesPanel *savedSearches() const { return m_saved; }
    // The lists beside the detail, shared by a ratio at any width until the user drags it.
    RatioSplitter *detailSplitter() const { return m_hsplit; }
    // View › Saved Searches: the user's choice, kept in the settings and
    // followed at any width. Until they choose, the panel shows only in a
    // window at least kRoomForSavedSearches wide (the lists need the room).
    void setSavedSearchesShown(bool shown);
    static constexpr int kRoomForSavedSearches = 1280;
    // The lists' share of the width beside the detail (the detail has the rest).
    static constexpr double kListsShare = 0.57;
    ImportController *importer() const { return m_import; }
    // Applies the rules to stored reports in the background (Settings, Edit › Re-apply Rules).
    RulesController *rulesApplier() const { return m_rulesApply; }
    QAction *action(const QString &name) const; // by objectName, e.g. "actionImport"
    // The SMTP password's source for sending (the system keychain).
    const PasswordSource *passwords() const;
    // Runs while ERRORDECK_WATCHED_FOLDERS names folders; null otherwise.
    FolderWatcher *folderWatcher() const;
    QLabel *watchStatusLabel() const;
    // The Sentry endpoint, running while ERRORDECK_RECEIVE is on.
    ReceiveController *receiver() const { return m_receive; }
    // Polls the mailboxes of ERRORDECK_MAILBOXES (Settings › Mailboxes).
    MailboxController *mailboxController() const { return m_mailboxes; }
    // The alert step (alert/AlertService) while the window is open.
    AlertController *alerts() const { return m_alerts; }
    // The search the lists show (the selected issue aside).
    const SearchQuery &currentQuery() const { return m_query; }

    // Lists all reports matching the search instead of the selected issue's.
    void setShowAllReports(bool all);
    bool showAllReports() const;
    // Imports in the background; the summary dialog opens when it ends.
    bool startImport(const QStringList &paths);
    // Imports the sample reports shipped with the app into this database (the
    // sample database's filling; the user's own database never gets them unasked).
    bool importSampleReports();
    // The same when this database has no report yet (checked by a job).
    void importSampleReportsIfEmpty();

    // File › Open Database / New Database / Open Recent / Open Sample Database:
    // opens `path` (off the UI thread, migrating it), shows it in a new window
    // where this one stood and closes this one (its jobs, import, watcher and
    // controllers stop with it; deleted when it has WA_DeleteOnClose, as the
    // app's windows have). False when nothing changed: the same file, a
    // running import the user keeps, or a file that does not open (a message
    // box names it). databaseOpened() gives the new window. `path` may be a
    // PostgreSQL URL (a password in it is kept in memory, window/ServerPasswords.h).
    bool openDatabase(const QString &path);
    void openSampleDatabase();
    QMenu *recentMenu() const { return m_recentMenu; }
    // The start page an empty database shows in place of the lists.
    StartPage *startPage() const { return m_start; }
    bool isStartPageShown() const;
    // Asks (a job) whether the database has reports: the start page follows.
    void checkEmpty();
    // Re-reads the lists (after an import or a change).
    void refresh();
    // Re-reads in place what another connection may have changed (LiveRefresh):
    // the lists keep their selection and scroll position; the counts, the chart
    // and the open issue's page follow. reloadSettings(): the settings and the
    // saved searches.
    void refreshInPlace();
    void reloadSettings();
    LiveRefresh *liveRefresh() const { return m_live; }
    // File › Back Up Database… without its file dialog: starts a consistent copy
    // at `out` (replaced if it exists) in the background; false when one is
    // already running. backupFinished() follows; a message box names what went wrong.
    bool backUpDatabaseTo(const QString &out);

public Q_SLOTS:
    void openImportDialog();
    void openDatabaseDialog(); // File › Open Database…
    void openServerDatabaseDialog(); // File › Open Server Database…: a PostgreSQL URL
    void newDatabaseDialog(); // File › New Database…
    void openSettings();
    // Edit › Re-apply Rules: the stored rules applied to every stored report, in the background.
    void reapplyRules();
    void showAbout();
    void showSearchSyntax(); // Help › Search Syntax
    void resolveIssues();
    void ignoreIssues();
    void reopenIssues();
    void deleteSelectedReports();
    void exportSelectedReports();
    void backUpDatabase(); // File › Back Up Database…
    void copySelection();
    // "E-mail admins…" / "E-mail managers…" for the current report or issue.
    void emailReport(bool managers);
    void emailIssue(bool managers);
    void openSendLog();

Q_SIGNALS:
    void importFinished(const ed::ImportSummary &summary);
    // A backup started by backUpDatabaseTo() ended: what the status bar or the message box says.
    void backupFinished(bool ok, const QString &message);
    // A re-apply of the rules ended and the lists were asked to re-read (`error` set when it failed).
    void rulesApplied(const ed::ApplySummary &summary, const QString &error);
    // A notification was shown (new issue or regression in a watched folder).
    void notified(const QString &title, const QString &message);
    // The search bar has the database's values to complete (or the read failed).
    void searchValuesLoaded();
    // openDatabase() opened another database in `next` (a top-level window, shown).
    void databaseOpened(ed::MainWindow *next);
    // checkEmpty() has its answer (the start page shown or not).
    void emptinessChecked(bool empty);
    // The view switch shows the counts of the current search (or could not read them).
    void viewCountsLoaded();

protected:
    void closeEvent(QCloseEvent *e) override;
    void resizeEvent(QResizeEvent *e) override;
    void dragEnterEvent(QDragEnterEvent *e) override;
    void dropEvent(QDropEvent *e) override;

private:
    void buildWidgets();
    void buildActions();
    void applyQuery(const SearchQuery &q);
    void updateReportQuery();
    // ERRORDECK_TIME_ZONE: the lists' times and the search's after:/before: follow it.
    void applyTimeZone();
    // The values the search bar completes, read by a job (at start, after imports).
    void loadSearchValues();
    void onIssueChanged(std::optional<int64_t> issueId);
    void connectChart();
    void onImportFinished(const ImportSummary &summary);
    void onRulesApplied(const ApplySummary &summary, const QString &error);
    void setIssueStatus(int status);
    void buildDatabaseActions(QMenu *file);
    void buildThemeMenu(QMenu *menu);
    void rebuildRecentMenu();
    void connectStartPage();
    void showStartPage(bool show);
    // Asks before a running import is stopped (No by default); true when none runs or it may stop.
    bool mayStopImport(const QString &title, const QString &question);
    void updateActions();
    void updateCounts();
    void loadViewCounts();
    void restoreState();
    void saveState();
    // The saved-searches panel shown or hidden by the user's choice, else by the width.
    void fitSidePanel();

    Database m_db;
    std::shared_ptr<JobRunner> m_jobs;
    std::unique_ptr<ConfigCache> m_config;
    SearchQuery m_query;
    std::optional<int64_t> m_issueId;
    bool m_selectFirstReport = false;
    qint64 m_issueCount = -1, m_reportCount = -1;

    SearchBar *m_search = nullptr;
    TimelineChart *m_chart = nullptr;
    IssueListModel *m_issueModel = nullptr;
    IssueListView *m_issues = nullptr;
    IssueViewSwitch *m_viewSwitch = nullptr;
    TriageController *m_triage = nullptr;
    ReportListModel *m_reportModel = nullptr;
    ReportListView *m_reports = nullptr;
    ReportDetailView *m_detail = nullptr;
    SavedSearchesPanel *m_saved = nullptr;
    QLabel *m_reportsTitle = nullptr;
    QToolButton *m_allToggle = nullptr;
    QStackedWidget *m_stack = nullptr; // the lists, or the start page of an empty database
    StartPage *m_start = nullptr;
    QMenu *m_recentMenu = nullptr;
    bool m_closingForSwitch = false;
    RatioSplitter *m_hsplit = nullptr;
    QSplitter *m_vsplit = nullptr, *m_sideSplit = nullptr, *m_listSplit = nullptr;
    enum class SideChoice { ByWidth, Shown, Hidden };
    SideChoice m_sideChoice = SideChoice::ByWidth;
    QLabel *m_countLabel = nullptr;
    ImportController *m_import = nullptr;
    ImportProgressBar *m_importBar = nullptr;
    RulesController *m_rulesApply = nullptr;
    QMenu *m_reportMenu = nullptr, *m_issueMenu = nullptr;
    QToolBar *m_toolBar = nullptr;

    std::unique_ptr<KeychainPasswords> m_keychain;
    MailController *m_mail = nullptr;
    WatchController *m_watch = nullptr;
    ReceiveController *m_receive = nullptr;
    MailboxController *m_mailboxes = nullptr;
    AlertController *m_alerts = nullptr;
    LiveRefresh *m_live = nullptr;
    bool m_backupRunning = false; // File › Back Up Database… in the background
    // The time ranges before each bar click, for the chart's "Back": the
    // search bar's choice and, for a custom one, its bounds.
    struct RangeBefore {
        int range = 0; // SearchBar::Range
        int64_t since = 0, until = 0;
    };
    std::vector<RangeBefore> m_rangesBefore;
};

} // namespace ed
