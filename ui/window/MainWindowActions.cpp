// The main window's menus, toolbar and the actions behind them.
#include "window/MainWindow.h"

#include "dialogs/AboutDialog.h"
#include "dialogs/SearchSyntaxDialog.h"
#include "store/Backup.h"
#include "window/ImportController.h"
#include "jobs/JobRunner.h"
#include "window/MailController.h"
#include "window/ReceiveController.h"
#include "models/IssueListModel.h"
#include "views/IssueListView.h"
#include "views/IssueViewSwitch.h"
#include "window/TriageController.h"
#include "views/ReportDetailView.h"
#include "views/ReportExport.h"
#include "models/ReportListModel.h"
#include "views/ReportListView.h"
#include "store/ReportStore.h"
#include "models/SavedSearches.h"
#include "views/SearchBar.h"
#include "settings/ReceivePage.h"
#include "settings/SettingsDialog.h"
#include "settings/MailboxesPage.h"
#include "window/MailboxController.h"
#include "window/AlertController.h"
#include "settings/AlertsPage.h"
#include "look/Theme.h"
#include "views/TimelineChart.h"
#include "views/TracebackView.h"

#include <QAbstractItemView>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QDate>
#include <QDir>
#include <QFileInfo>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QToolBar>
#include <QToolButton>

#include <tuple>

namespace ed {

namespace {
QAction *makeAction(QWidget *owner, const QString &name, const QString &text, const QString &icon = {},
                    const QKeySequence &key = {})
{
    auto *a = new QAction(text, owner);
    a->setObjectName(name);
    if (!icon.isEmpty())
        a->setIcon(theme::icon(icon));
    if (!key.isEmpty())
        a->setShortcut(key);
    owner->addAction(a); // shortcuts work wherever the focus is in the window
    return a;
}
} // namespace

QAction *MainWindow::action(const QString &name) const { return findChild<QAction *>(name); }

void MainWindow::buildActions()
{
    // File
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *import = makeAction(this, QStringLiteral("actionImport"), tr("&Import…"), QStringLiteral("import"),
                                 QKeySequence::Open);
    import->setToolTip(tr("Import report files, e-mails or folders (or drop them on the window)"));
    connect(import, &QAction::triggered, this, &MainWindow::openImportDialog);
    QAction *importDir = makeAction(this, QStringLiteral("actionImportFolder"), tr("Import &Folder…"), QStringLiteral("import"),
                                    QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    connect(importDir, &QAction::triggered, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Import a folder of reports"));
        if (!dir.isEmpty())
            startImport({dir});
    });
    QAction *exportAct = makeAction(this, QStringLiteral("actionExport"), tr("&Export Selected Reports…"),
                                    QStringLiteral("export"), QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(exportAct, &QAction::triggered, this, &MainWindow::exportSelectedReports);
    QAction *backUp = makeAction(this, QStringLiteral("actionBackUp"), tr("&Back Up Database…"));
    backUp->setToolTip(tr("A copy of the database in one file, consistent even while an import runs"));
    connect(backUp, &QAction::triggered, this, &MainWindow::backUpDatabase);
    if (m_db.isServer()) { // VACUUM INTO copies a file; a server has pg_dump
        backUp->setEnabled(false);
        backUp->setToolTip(tr("A PostgreSQL database is backed up on its server, with pg_dump"));
    }
    QAction *quit = makeAction(this, QStringLiteral("actionQuit"), tr("&Quit"), {}, QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    buildDatabaseActions(file);
    file->addAction(import);
    file->addAction(importDir);
    file->addSeparator();
    file->addAction(exportAct);
    file->addAction(backUp);
    file->addSeparator();
    file->addAction(quit);

    // Edit
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *copy = makeAction(this, QStringLiteral("actionCopy"), tr("&Copy"), QStringLiteral("copy"), QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetWithChildrenShortcut); // text fields keep their own Ctrl+C
    copy->setToolTip(tr("Copy the selected report's traceback as text"));
    connect(copy, &QAction::triggered, this, &MainWindow::copySelection);
    m_reports->addAction(copy);
    m_issues->addAction(copy);
    QAction *find = makeAction(this, QStringLiteral("actionFind"), tr("&Find…"), QStringLiteral("search"), QKeySequence::Find);
    connect(find, &QAction::triggered, m_search, &SearchBar::focusSearch);
    QAction *saveSearch = makeAction(this, QStringLiteral("actionSaveSearch"), tr("&Save Search…"), QStringLiteral("add"),
                                     QKeySequence(Qt::CTRL | Qt::Key_S));
    connect(saveSearch, &QAction::triggered, this, [this] { m_saved->saveQuery(m_search->text()); });
    QAction *prefs = makeAction(this, QStringLiteral("actionPreferences"), tr("&Settings…"), QStringLiteral("settings"),
                                QKeySequence::Preferences);
    if (prefs->shortcut().isEmpty())
        prefs->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    prefs->setMenuRole(QAction::PreferencesRole);
    connect(prefs, &QAction::triggered, this, &MainWindow::openSettings);
    QAction *reapply = makeAction(this, QStringLiteral("actionReapplyRules"), tr("Re-&apply Rules"), QStringLiteral("rules"));
    reapply->setToolTip(tr("Apply the drop and hide rules, the 404 rules and the scrubbing patterns to every stored report"));
    connect(reapply, &QAction::triggered, this, &MainWindow::reapplyRules);
    edit->addAction(copy);
    edit->addAction(find);
    edit->addAction(saveSearch);
    edit->addSeparator();
    edit->addAction(reapply);
    edit->addAction(prefs);

    // View
    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *showChart = makeAction(this, QStringLiteral("actionShowChart"), tr("&Chart"));
    showChart->setCheckable(true);
    showChart->setChecked(true);
    connect(showChart, &QAction::toggled, m_chart, &QWidget::setVisible);
    QAction *showSaved = makeAction(this, QStringLiteral("actionShowSavedSearches"), tr("&Saved Searches"));
    showSaved->setCheckable(true);
    showSaved->setChecked(true);
    // triggered, not toggled: the window checks it too as its width hides or shows the panel.
    connect(showSaved, &QAction::triggered, this, &MainWindow::setSavedSearchesShown);
    QAction *all = makeAction(this, QStringLiteral("actionAllReports"), tr("&All Reports"), {},
                              QKeySequence(Qt::CTRL | Qt::Key_L));
    all->setCheckable(true);
    connect(all, &QAction::toggled, this, &MainWindow::setShowAllReports);
    connect(m_allToggle, &QToolButton::toggled, all, &QAction::setChecked);
    QAction *refreshAct = makeAction(this, QStringLiteral("actionRefresh"), tr("&Refresh"), QStringLiteral("refresh"),
                                     QKeySequence::Refresh);
    connect(refreshAct, &QAction::triggered, this, &MainWindow::refresh);
    QAction *focusIssues = makeAction(this, QStringLiteral("actionFocusIssues"), tr("Go to &Issues"), {},
                                      QKeySequence(Qt::ALT | Qt::Key_1));
    connect(focusIssues, &QAction::triggered, this, [this] { m_issues->setFocus(Qt::ShortcutFocusReason); });
    QAction *focusReports = makeAction(this, QStringLiteral("actionFocusReports"), tr("Go to R&eports"), {},
                                       QKeySequence(Qt::ALT | Qt::Key_2));
    connect(focusReports, &QAction::triggered, this, [this] { m_reports->setFocus(Qt::ShortcutFocusReason); });
    QAction *focusDetail = makeAction(this, QStringLiteral("actionFocusDetail"), tr("Go to &Detail"), {},
                                      QKeySequence(Qt::ALT | Qt::Key_3));
    connect(focusDetail, &QAction::triggered, this, [this] {
        // The tab's first widget that takes focus (a page itself does not),
        // with a current row, so that the focus shows.
        QWidget *page = m_detail->tabs()->currentWidget();
        QWidget *target = page;
        if (!(page->focusPolicy() & Qt::TabFocus))
            for (QWidget *c : page->findChildren<QWidget *>())
                if (c->isVisibleTo(page) && (c->focusPolicy() & Qt::TabFocus) && c->isEnabled()) {
                    target = c;
                    break;
                }
        target->setFocus(Qt::ShortcutFocusReason);
        if (auto *v = qobject_cast<QAbstractItemView *>(target);
            v && v->model() && !v->currentIndex().isValid() && v->model()->rowCount() > 0)
            v->setCurrentIndex(v->model()->index(0, 0));
    });
    view->addAction(showChart);
    view->addAction(showSaved);
    view->addAction(all);
    view->addSeparator();
    view->addAction(focusIssues);
    view->addAction(focusReports);
    view->addAction(focusDetail);
    view->addSeparator();
    buildThemeMenu(view->addMenu(tr("&Theme")));
    view->addSeparator();
    view->addAction(refreshAct);

    // Issue: status changes. Other features add their issue actions here.
    m_issueMenu = menuBar()->addMenu(tr("&Issue"));
    m_issueMenu->setObjectName(QStringLiteral("issueMenu"));
    QAction *resolve = makeAction(this, QStringLiteral("actionResolve"), tr("&Resolve"), QStringLiteral("resolve"),
                                  QKeySequence(Qt::CTRL | Qt::Key_R));
    connect(resolve, &QAction::triggered, this, &MainWindow::resolveIssues);
    QAction *ignore = makeAction(this, QStringLiteral("actionIgnore"), tr("I&gnore"), QStringLiteral("ignore"),
                                 QKeySequence(Qt::CTRL | Qt::Key_I));
    connect(ignore, &QAction::triggered, this, &MainWindow::ignoreIssues);
    QAction *reopen = makeAction(this, QStringLiteral("actionReopen"), tr("Re&open"), QStringLiteral("reopen"),
                                 QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    connect(reopen, &QAction::triggered, this, &MainWindow::reopenIssues);
    m_issueMenu->addAction(resolve);
    m_issueMenu->addAction(ignore);
    m_issueMenu->addAction(reopen);

    // Report: delete and export. Other features (e-mailing admins) add theirs here.
    m_reportMenu = menuBar()->addMenu(tr("&Report"));
    m_reportMenu->setObjectName(QStringLiteral("reportMenu"));
    QAction *del = makeAction(this, QStringLiteral("actionDelete"), tr("&Delete Selected Reports"), QStringLiteral("delete"),
                              QKeySequence::Delete);
    del->setShortcutContext(Qt::WidgetShortcut); // the Delete key deletes reports only in the report list
    removeAction(del);
    m_reports->addAction(del);
    connect(del, &QAction::triggered, this, &MainWindow::deleteSelectedReports);
    QAction *copyTb = makeAction(this, QStringLiteral("actionCopyTraceback"), tr("Copy &Traceback"), QStringLiteral("copy"),
                                 QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    connect(copyTb, &QAction::triggered, m_detail->traceback(), &TracebackView::copyTraceback);
    m_reportMenu->addAction(copyTb);
    m_reportMenu->addAction(exportAct);
    m_reportMenu->addSeparator();
    m_reportMenu->addAction(del);
    m_reports->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_issues->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (QAction *a : {resolve, ignore, reopen})
        m_issues->addAction(a);
    m_reports->addAction(exportAct);

    // Help
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *syntax = makeAction(this, QStringLiteral("actionSearchSyntax"), tr("&Search Syntax"), QStringLiteral("search"));
    connect(syntax, &QAction::triggered, this, &MainWindow::showSearchSyntax);
    help->addAction(syntax);
    QAction *about = makeAction(this, QStringLiteral("actionAbout"), tr("&About ErrorDeck"), QStringLiteral("errordeck"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);
    help->addAction(about);

    m_toolBar = addToolBar(tr("Actions"));
    m_toolBar->setObjectName(QStringLiteral("actionToolBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->setIconSize(QSize(18, 18));
    m_toolBar->addAction(import);
    m_toolBar->addSeparator();
    m_toolBar->addAction(resolve);
    m_toolBar->addAction(ignore);
    m_toolBar->addAction(reopen);
    m_toolBar->addSeparator();
    m_toolBar->addAction(exportAct);
    m_toolBar->addAction(del);
    m_toolBar->addSeparator();
    m_toolBar->addAction(prefs);
    // Triage beyond the status: next release, ignore until, reviewed, merge, split, delete.
    m_triage = new TriageController(this, m_jobs);
    m_triage->buildActions(ignore);
    updateActions();
}

void MainWindow::buildThemeMenu(QMenu *menu)
{
    menu->setObjectName(QStringLiteral("themeMenu"));
    auto *group = new QActionGroup(this);
    const theme::ThemeChoice saved = theme::savedTheme();
    for (const auto &[choice, name, text] : {std::tuple{theme::ThemeChoice::System, "actionThemeSystem", tr("&System")},
                                             std::tuple{theme::ThemeChoice::Light, "actionThemeLight", tr("&Light")},
                                             std::tuple{theme::ThemeChoice::Dark, "actionThemeDark", tr("&Dark")}}) {
        QAction *a = menu->addAction(text);
        a->setObjectName(QString::fromLatin1(name));
        a->setCheckable(true);
        a->setChecked(choice == saved);
        group->addAction(a);
        // Applied at once to every window and kept for the next start.
        connect(a, &QAction::triggered, this, [c = choice] { theme::applyTheme(c); });
    }
}

void MainWindow::updateActions()
{
    const bool issues = !m_issues->selectedIssueIds().isEmpty();
    const bool reports = !m_reports->selectedReportIds().isEmpty();
    for (const char *name : {"actionResolve", "actionIgnore", "actionReopen"})
        if (QAction *a = action(QString::fromLatin1(name)))
            a->setEnabled(issues);
    for (const char *name : {"actionDelete", "actionExport"})
        if (QAction *a = action(QString::fromLatin1(name)))
            a->setEnabled(reports);
    if (m_triage)
        m_triage->updateActions();
    m_mail->updateActions();
}

void MainWindow::setIssueStatus(int status)
{
    const QList<int64_t> ids = m_issues->selectedIssueIds();
    for (int64_t id : ids)
        m_issueModel->setLocalStatus(id, IssueStatus(status)); // shown now; the list re-reads later
    // Unnamed: every change is written, one after another, in order.
    m_jobs->run(
        this, {QString(), JobRunner::Access::Write},
        [ids, status](JobContext &ctx) -> Result<int> {
            ReportStore store(ctx.db());
            int changed = 0;
            for (int64_t id : ids) {
                if (auto r = store.setIssueStatus(id, IssueStatus(status)); !r)
                    return r.failure();
                ++changed;
            }
            return changed;
        },
        [this](Result<int> changed) {
            if (!changed) {
                QMessageBox::warning(this, tr("Issue"), changed.error());
                refresh(); // what is stored, not what was shown
                return;
            }
            statusBar()->showMessage(tr("%n issue(s) changed", nullptr, *changed), 4000);
            // A view other than All loses the issues that changed: read it again.
            if (m_viewSwitch->view() != IssueView::All)
                refresh();
            else
                loadViewCounts();
        });
}

void MainWindow::backUpDatabase()
{
    const QString suggested = QDir(QFileInfo(m_db.path()).absolutePath())
                                  .filePath(QStringLiteral("errordeck-backup-%1.sqlite3")
                                                .arg(QDate::currentDate().toString(Qt::ISODate)));
    const QString out = QFileDialog::getSaveFileName(this, tr("Back Up Database"), suggested,
                                                     tr("ErrorDeck databases (*.sqlite3)"));
    if (out.isEmpty())
        return;
    backUpDatabaseTo(out);
}

bool MainWindow::backUpDatabaseTo(const QString &out)
{
    if (m_backupRunning)
        return false;
    const QFileInfo target(out);
    if (target.exists() && target.canonicalFilePath() != QFileInfo(m_db.path()).canonicalFilePath())
        QFile::remove(out); // the save dialog asked before replacing it
    m_backupRunning = true;
    action(QStringLiteral("actionBackUp"))->setEnabled(false);
    statusBar()->showMessage(tr("Backing up to %1…").arg(QDir::toNativeSeparators(out)));
    // On a read connection of the job runner: a large database takes a while,
    // and VACUUM INTO reads one snapshot however the importer writes meanwhile.
    m_jobs->run(
        this, {QStringLiteral("backup")}, [out](JobContext &ctx) { return backupDatabase(ctx.db(), out); },
        [this, out](Result<BackupSummary> sum) {
            m_backupRunning = false;
            action(QStringLiteral("actionBackUp"))->setEnabled(!m_db.isServer());
            if (!sum) {
                statusBar()->clearMessage();
                Q_EMIT backupFinished(false, sum.error());
                QMessageBox::warning(this, tr("Back Up Database"), sum.error());
                return;
            }
            const QString done = tr("Backed up %n report(s) to %1", nullptr, int(sum->reports))
                                     .arg(QDir::toNativeSeparators(out));
            statusBar()->showMessage(done, 10000);
            Q_EMIT backupFinished(true, done);
        });
    return true;
}

void MainWindow::resolveIssues() { setIssueStatus(int(IssueStatus::Resolved)); }
void MainWindow::ignoreIssues() { setIssueStatus(int(IssueStatus::Ignored)); }
void MainWindow::reopenIssues() { setIssueStatus(int(IssueStatus::Unresolved)); }

void MainWindow::deleteSelectedReports()
{
    const QList<int64_t> ids = m_reports->selectedReportIds();
    if (ids.isEmpty())
        return;
    // Destructive: No unless the user says Yes.
    if (QMessageBox::question(this, tr("Delete reports"),
                              tr("Delete %n report(s)? This cannot be undone.", nullptr, int(ids.size())),
                              QMessageBox::Yes | QMessageBox::No, QMessageBox::No) != QMessageBox::Yes)
        return;
    m_jobs->run(
        this, {QString(), JobRunner::Access::Write},
        [ids = std::vector<int64_t>(ids.begin(), ids.end())](JobContext &ctx) {
            return ReportStore(ctx.db()).deleteReports(ids);
        },
        [this](Result<int64_t> n) {
            if (!n) {
                QMessageBox::warning(this, tr("Delete reports"), n.error());
                return;
            }
            statusBar()->showMessage(tr("%n report(s) deleted", nullptr, int(*n)), 4000);
            refresh();
        });
}

void MainWindow::exportSelectedReports()
{
    const QList<int64_t> ids = m_reports->selectedReportIds();
    if (ids.isEmpty())
        return;
    const QString jsonl = tr("JSON Lines, ErrorDeck v1 (*.jsonl)");
    const QString text = tr("Django text report (*.txt)");
    QString filter = jsonl;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export reports"), QStringLiteral("reports.jsonl"),
                                                      jsonl + QStringLiteral(";;") + text, &filter);
    if (path.isEmpty())
        return;
    const ExportFormat format = filter == text || path.endsWith(QLatin1String(".txt")) ? ExportFormat::DjangoText
                                                                                       : ExportFormat::JsonLines;
    m_jobs->run(
        this, {QStringLiteral("export")},
        [ids = std::vector<int64_t>(ids.begin(), ids.end()), path, format](JobContext &ctx) {
            return exportReports(ctx.db(), ids, path, format);
        },
        [this, path](Result<int> n) {
            if (!n)
                QMessageBox::warning(this, tr("Export reports"), n.error());
            else
                statusBar()->showMessage(tr("%n report(s) exported to %1", nullptr, *n).arg(path), 6000);
        });
}

void MainWindow::copySelection()
{
    if (m_issues->hasFocus()) {
        if (const IssueRow *i = m_issueModel->issue(m_issues->currentIndex().row())) {
            QApplication::clipboard()->setText(i->title);
            statusBar()->showMessage(tr("Copied the issue's title to the clipboard."), 4000);
        }
        return;
    }
    if (m_detail->detail())
        m_detail->traceback()->copyTraceback();
}

void MainWindow::openImportDialog()
{
    QFileDialog dlg(this, tr("Import reports"));
    dlg.setFileMode(QFileDialog::ExistingFiles);
    dlg.setNameFilters({tr("Reports and e-mails (*.jsonl *.jsonl.gz *.json *.log *.eml *.mbox *.txt)"), tr("All files (*)")});
    if (dlg.exec() == QDialog::Accepted)
        startImport(dlg.selectedFiles());
}

void MainWindow::openSettings()
{
    auto *dlg = findChild<SettingsDialog *>();
    if (!dlg) {
        dlg = new SettingsDialog(m_db.path(), *m_config, this);
        dlg->setAttribute(Qt::WA_DeleteOnClose);
        // Saved rules act at once on what is stored, not only on the next import.
        connect(dlg, &SettingsDialog::rulesChanged, this, &MainWindow::reapplyRules);
        // Receive from Sentry SDKs: the DSNs that work now, and new keys taken at once.
        ReceivePage *receive = dlg->receive();
        receive->setReceiverStatus(m_receive->statusText(), m_receive->statusOk(), m_receive->host(), m_receive->port());
        connect(m_receive, &ReceiveController::statusChanged, receive, &ReceivePage::setReceiverStatus);
        connect(receive, &ReceivePage::sitesChanged, m_receive, &ReceiveController::reloadSites);
        connect(m_receive, &ReceiveController::stored, receive, &ReceivePage::reloadSites);
        // The mailboxes' status column follows the poller.
        MailboxesPage *page = dlg->mailboxes();
        const auto statuses = m_mailboxes->statuses();
        for (auto it = statuses.cbegin(); it != statuses.cend(); ++it)
            page->setStatus(it.key(), it->text, it->detail, it->failing);
        connect(m_mailboxes, &MailboxController::statusChanged, page, &MailboxesPage::setStatus);
        // The outbox's state follows the alert step's rounds.
        connect(m_alerts, &AlertController::roundDone, dlg->alerts(), &AlertsPage::reloadOutbox);
    }
    dlg->show();
    dlg->raise();
    dlg->activateWindow();
}

// Not modal: the syntax stays open beside the search bar.
void MainWindow::showSearchSyntax()
{
    auto *dlg = findChild<SearchSyntaxDialog *>();
    if (!dlg) {
        dlg = new SearchSyntaxDialog(this);
        dlg->setAttribute(Qt::WA_DeleteOnClose);
    }
    dlg->show();
    dlg->raise();
    dlg->activateWindow();
}

void MainWindow::showAbout()
{
    AboutDialog dlg(this, QDir::toNativeSeparators(m_db.path()));
    dlg.exec();
}

} // namespace ed
