#include "window/MailController.h"

#include "dialogs/SendDialog.h"
#include "dialogs/SendLogDialog.h"
#include "send/MailComposer.h"
#include "store/ListQueries.h"
#include "store/ReportStore.h"
#include "views/IssueListView.h"
#include "window/MainWindow.h"
#include "views/ReportListView.h"
#include "look/Theme.h"

#include <QAction>
#include <QMenu>
#include <QToolBar>

namespace ed {

namespace {

QAction *mailAction(MainWindow *w, const QString &name, const QString &text, const QString &tip)
{
    auto *a = new QAction(theme::icon(QStringLiteral("mail")), text, w);
    a->setObjectName(name);
    a->setToolTip(tip);
    a->setEnabled(false);
    w->addAction(a);
    return a;
}

// A report Django would have sent to MANAGERS: BrokenLinkEmailsMiddleware's 404.
Result<bool> reportIsNotFound(Database &db, int64_t reportId)
{
    auto report = ReportStore(db).loadReport(reportId);
    if (!report)
        return report.failure();
    return MailComposer::isNotFound(*report);
}

} // namespace

MailController::MailController(MainWindow *window, const PasswordSource *passwords, std::shared_ptr<JobRunner> jobs)
    : QObject(window), m_window(window), m_passwords(passwords), m_jobs(std::move(jobs))
{
}

void MailController::buildActions()
{
    MainWindow *w = m_window;
    QAction *admins = mailAction(
        w, QStringLiteral("actionEmailAdmins"), MainWindow::tr("E-mail &admins…"),
        MainWindow::tr("E-mail the selected report to ADMINS, as Django's AdminEmailHandler would have"));
    admins->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    connect(admins, &QAction::triggered, this, [this] { emailReport(false); });
    QAction *managers = mailAction(w, QStringLiteral("actionEmailManagers"), MainWindow::tr("E-mail &managers…"),
                                   MainWindow::tr("E-mail the selected 404 to MANAGERS as Django's broken-link message"));
    connect(managers, &QAction::triggered, this, [this] { emailReport(true); });
    QAction *issueAdmins = mailAction(w, QStringLiteral("actionEmailIssueAdmins"), MainWindow::tr("E-mail &admins…"),
                                      MainWindow::tr("E-mail the selected issue's latest report to ADMINS"));
    connect(issueAdmins, &QAction::triggered, this, [this] { emailIssue(false); });
    QAction *issueManagers = mailAction(w, QStringLiteral("actionEmailIssueManagers"), MainWindow::tr("E-mail &managers…"),
                                        MainWindow::tr("E-mail the selected issue's latest report, a 404, to MANAGERS"));
    connect(issueManagers, &QAction::triggered, this, [this] { emailIssue(true); });
    auto *log = new QAction(MainWindow::tr("Send &Log…"), w);
    log->setObjectName(QStringLiteral("actionSendLog"));
    log->setToolTip(MainWindow::tr("Every e-mail sent or tried, with the server's answer; resend from here"));
    connect(log, &QAction::triggered, this, &MailController::openSendLog);

    const QList<QAction *> reportActions = w->reportMenu()->actions();
    QAction *beforeReport = reportActions.isEmpty() ? nullptr : reportActions.first();
    w->reportMenu()->insertActions(beforeReport, {admins, managers, log});
    w->reportMenu()->insertSeparator(beforeReport);
    w->issueMenu()->addSeparator();
    w->issueMenu()->addAction(issueAdmins);
    w->issueMenu()->addAction(issueManagers);

    // The lists' context menus (ActionsContextMenu): each its own kind.
    auto *sepReports = new QAction(w);
    sepReports->setSeparator(true);
    w->reportList()->addActions({sepReports, admins, managers});
    auto *sepIssues = new QAction(w);
    sepIssues->setSeparator(true);
    w->issueList()->addActions({sepIssues, issueAdmins, issueManagers});

    // The toolbar: after Export / Delete.
    const QList<QAction *> tools = w->actionToolBar()->actions();
    QAction *prefs = w->action(QStringLiteral("actionPreferences"));
    QAction *beforeTool = tools.contains(prefs) ? tools.at(tools.indexOf(prefs) - 1) : nullptr; // its separator
    w->actionToolBar()->insertAction(beforeTool, admins);
    updateActions();
}

void MailController::updateActions()
{
    if (!m_window->action(QStringLiteral("actionEmailAdmins")))
        return; // before buildActions()
    const std::optional<int64_t> report = m_window->currentReportId();
    const std::optional<int64_t> issue = m_window->currentIssueId();
    // Managers get only Django's broken-link message: a 404 with its request.
    if (report != m_checkedReport) {
        m_checkedReport = report;
        m_reportIsNotFound = false; // until the job says
        if (report)
            checkNotFound(false, *report);
        else
            m_jobs->cancel(this, QStringLiteral("report is 404"));
    }
    if (issue != m_checkedIssue) {
        m_checkedIssue = issue;
        m_issueIsNotFound = false;
        if (issue)
            checkNotFound(true, *issue);
        else
            m_jobs->cancel(this, QStringLiteral("issue is 404"));
    }
    enableActions();
}

void MailController::checkNotFound(bool issue, int64_t id)
{
    // A newer selection makes the answer for the old one stale (same job name).
    m_jobs->run(
        this, {issue ? QStringLiteral("issue is 404") : QStringLiteral("report is 404")},
        [issue, id](JobContext &ctx) -> Result<bool> {
            if (!issue)
                return reportIsNotFound(ctx.db(), id);
            // An issue is mailed as its latest report (as ReportMailer::draftForIssue picks it).
            auto latest = ReportStore(ctx.db()).latestReportOfIssue(id);
            if (!latest)
                return latest.errorKind() == ErrorKind::NotFound ? Result<bool>(false) : Result<bool>(latest.failure());
            return reportIsNotFound(ctx.db(), *latest);
        },
        [this, issue](Result<bool> notFound) {
            (issue ? m_issueIsNotFound : m_reportIsNotFound) = notFound && *notFound;
            enableActions();
        });
}

void MailController::enableActions()
{
    const bool report = m_checkedReport.has_value(), issue = m_checkedIssue.has_value();
    m_window->action(QStringLiteral("actionEmailAdmins"))->setEnabled(report);
    m_window->action(QStringLiteral("actionEmailManagers"))->setEnabled(report && m_reportIsNotFound);
    m_window->action(QStringLiteral("actionEmailIssueAdmins"))->setEnabled(issue);
    m_window->action(QStringLiteral("actionEmailIssueManagers"))->setEnabled(issue && m_issueIsNotFound);
}

namespace {
// A new attempt shows in an open send log at once.
void followAttempts(MainWindow *w, SendDialog *dlg)
{
    QObject::connect(dlg, &SendDialog::attemptLogged, w, [w] {
        if (auto *log = w->findChild<SendLogDialog *>())
            log->reload();
    });
}
} // namespace

void MailController::emailReport(bool managers) { openSendDialog(false, managers); }
void MailController::emailIssue(bool managers) { openSendDialog(true, managers); }

void MailController::openSendDialog(bool issue, bool managers)
{
    const std::optional<int64_t> id = issue ? m_window->currentIssueId() : m_window->currentReportId();
    if (!id)
        return;
    const MailAudience audience = managers ? MailAudience::Managers : MailAudience::Admins;
    auto *dlg = issue ? SendDialog::forIssue(m_jobs->path(), m_passwords, *id, audience, m_window)
                      : SendDialog::forReport(m_jobs->path(), m_passwords, *id, audience, m_window);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    followAttempts(m_window, dlg);
    dlg->show();
}

void MailController::openSendLog()
{
    auto *dlg = m_window->findChild<SendLogDialog *>();
    if (!dlg) {
        dlg = new SendLogDialog(m_jobs->path(), m_passwords, m_window);
        dlg->setAttribute(Qt::WA_DeleteOnClose);
    }
    dlg->reload();
    dlg->show();
    dlg->raise();
    dlg->activateWindow();
}

} // namespace ed
