// The main window's e-mail actions: "E-mail admins…" and "E-mail managers…"
// for the current report (Report menu, report list, toolbar) and the current
// issue's latest report (Issue menu, issue list), and the send log.
#include "views/MainWindow.h"

#include "views/IssueListView.h"
#include "KeychainPasswords.h"
#include "views/ReportListView.h"
#include "store/ReportStore.h"
#include "dialogs/SendDialog.h"
#include "dialogs/SendLogDialog.h"
#include "views/Theme.h"

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
bool reportIsNotFound(Database &db, int64_t reportId)
{
    auto report = ReportStore(db).loadReport(reportId);
    return report && MailComposer::isNotFound(*report);
}

// An issue is mailed as its latest report (as ReportMailer::draftForIssue picks it).
std::optional<int64_t> latestReportOfIssue(Database &db, int64_t issueId)
{
    auto latest = ReportStore(db).latestReportOfIssue(issueId);
    if (!latest)
        return std::nullopt;
    return *latest;
}

} // namespace

const PasswordSource *MainWindow::passwords() const { return m_keychain.get(); }

void MainWindow::buildMailActions()
{
    QAction *admins = mailAction(this, QStringLiteral("actionEmailAdmins"), tr("E-mail &admins…"),
                                 tr("E-mail the selected report to ADMINS, as Django's AdminEmailHandler would have"));
    admins->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    connect(admins, &QAction::triggered, this, [this] { emailReport(false); });
    QAction *managers = mailAction(this, QStringLiteral("actionEmailManagers"), tr("E-mail &managers…"),
                                   tr("E-mail the selected 404 to MANAGERS as Django's broken-link message"));
    connect(managers, &QAction::triggered, this, [this] { emailReport(true); });
    QAction *issueAdmins = mailAction(this, QStringLiteral("actionEmailIssueAdmins"), tr("E-mail &admins…"),
                                      tr("E-mail the selected issue's latest report to ADMINS"));
    connect(issueAdmins, &QAction::triggered, this, [this] { emailIssue(false); });
    QAction *issueManagers = mailAction(this, QStringLiteral("actionEmailIssueManagers"), tr("E-mail &managers…"),
                                        tr("E-mail the selected issue's latest report, a 404, to MANAGERS"));
    connect(issueManagers, &QAction::triggered, this, [this] { emailIssue(true); });
    auto *log = new QAction(tr("Send &Log…"), this);
    log->setObjectName(QStringLiteral("actionSendLog"));
    log->setToolTip(tr("Every e-mail sent or tried, with the server's answer; resend from here"));
    connect(log, &QAction::triggered, this, &MainWindow::openSendLog);

    const QList<QAction *> reportActions = m_reportMenu->actions();
    QAction *beforeReport = reportActions.isEmpty() ? nullptr : reportActions.first();
    m_reportMenu->insertActions(beforeReport, {admins, managers, log});
    m_reportMenu->insertSeparator(beforeReport);
    m_issueMenu->addSeparator();
    m_issueMenu->addAction(issueAdmins);
    m_issueMenu->addAction(issueManagers);

    // The lists' context menus (ActionsContextMenu): each its own kind.
    auto *sepReports = new QAction(this);
    sepReports->setSeparator(true);
    m_reports->addActions({sepReports, admins, managers});
    auto *sepIssues = new QAction(this);
    sepIssues->setSeparator(true);
    m_issues->addActions({sepIssues, issueAdmins, issueManagers});

    // The toolbar: after Export / Delete.
    const QList<QAction *> tools = m_toolBar->actions();
    QAction *prefs = action(QStringLiteral("actionPreferences"));
    QAction *beforeTool = tools.contains(prefs) ? tools.at(tools.indexOf(prefs) - 1) : nullptr; // its separator
    m_toolBar->insertAction(beforeTool, admins);
    updateMailActions();
}

void MainWindow::updateMailActions()
{
    QAction *admins = action(QStringLiteral("actionEmailAdmins"));
    if (!admins)
        return; // before buildMailActions()
    const std::optional<int64_t> report = currentReportId();
    const std::optional<int64_t> issue = currentIssueId();
    // Managers get only Django's broken-link message: a 404 with its request.
    if (report != m_notFoundCheckedReport) {
        m_notFoundCheckedReport = report;
        m_reportIsNotFound = report && reportIsNotFound(m_db, *report);
    }
    if (issue != m_notFoundCheckedIssue) {
        m_notFoundCheckedIssue = issue;
        const std::optional<int64_t> latest = issue ? latestReportOfIssue(m_db, *issue) : std::nullopt;
        m_issueIsNotFound = latest && reportIsNotFound(m_db, *latest);
    }
    admins->setEnabled(report.has_value());
    action(QStringLiteral("actionEmailManagers"))->setEnabled(report && m_reportIsNotFound);
    action(QStringLiteral("actionEmailIssueAdmins"))->setEnabled(issue.has_value());
    action(QStringLiteral("actionEmailIssueManagers"))->setEnabled(issue && m_issueIsNotFound);
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

void MainWindow::emailReport(bool managers)
{
    const std::optional<int64_t> id = currentReportId();
    if (!id)
        return;
    auto *dlg = SendDialog::forReport(m_db, m_keychain.get(), *id, managers ? MailAudience::Managers : MailAudience::Admins, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    followAttempts(this, dlg);
    dlg->show();
}

void MainWindow::emailIssue(bool managers)
{
    const std::optional<int64_t> id = currentIssueId();
    if (!id)
        return;
    auto *dlg = SendDialog::forIssue(m_db, m_keychain.get(), *id, managers ? MailAudience::Managers : MailAudience::Admins, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    followAttempts(this, dlg);
    dlg->show();
}

void MainWindow::openSendLog()
{
    auto *dlg = findChild<SendLogDialog *>();
    if (!dlg) {
        dlg = new SendLogDialog(m_db, m_keychain.get(), this);
        dlg->setAttribute(Qt::WA_DeleteOnClose);
    }
    dlg->reload();
    dlg->show();
    dlg->raise();
    dlg->activateWindow();
}

} // namespace ed
