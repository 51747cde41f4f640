#pragma once
// The main window's e-mail actions: "E-mail admins…" and "E-mail managers…"
// for the current report (Report menu, report list, toolbar) and the current
// issue's latest report (Issue menu, issue list), and the send log. Whether
// the current report (or issue) is a 404, which only then may go to MANAGERS,
// is read on the job runner when the selection changes. MainWindow owns it.
#include "jobs/JobRunner.h"

#include <QObject>
#include <optional>

namespace ed {

class MainWindow;
class PasswordSource;

class MailController : public QObject {
    Q_OBJECT
public:
    MailController(MainWindow *window, const PasswordSource *passwords, std::shared_ptr<JobRunner> jobs);

    // Puts the actions in the menus, the lists' context menus and the toolbar.
    void buildActions();
    // After a change of selection: enables the actions, asks whether it is a 404.
    void updateActions();
    void emailReport(bool managers);
    void emailIssue(bool managers);
    void openSendLog();

private:
    void openSendDialog(bool issue, bool managers);
    void checkNotFound(bool issue, int64_t id);
    void enableActions();

    MainWindow *m_window;
    const PasswordSource *m_passwords;
    std::shared_ptr<JobRunner> m_jobs;
    std::optional<int64_t> m_checkedReport, m_checkedIssue; // what updateActions last looked at
    bool m_reportIsNotFound = false, m_issueIsNotFound = false;
};

} // namespace ed
