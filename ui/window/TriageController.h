#pragma once
// The issue list's triage (issue 14, store/IssueTriage.h) in the app: resolve
// in the next release, ignore for a time or until N more reports, mark
// reviewed, merge the selected issues, split a merged one, delete issues with
// their reports. Actions in the Issue menu, the issue list's context menu and
// the toolbar, with shortcuts; merge, split and delete ask first (No is the
// default). Each change is one Write job; the lists and the view counts are
// read again when it is done. (Resolve, Ignore and Reopen are MainWindow's.)
#include "jobs/JobRunner.h"
#include "store/IssueTriage.h"

#include <QObject>
#include <functional>
#include <memory>

class QAction;
class QMenu;

namespace ed {

class MainWindow;

class TriageController : public QObject {
    Q_OBJECT
public:
    TriageController(MainWindow *window, std::shared_ptr<JobRunner> jobs);

    // Adds the actions to the window's Issue menu, toolbar and issue list.
    void buildActions(QAction *ignoreAction);
    // Enabled as the issue list's selection allows.
    void updateActions();
    // The "Ignore" submenu (for a time, until more reports).
    QMenu *ignoreMenu() const { return m_ignoreMenu; }

    void resolveInNextRelease();
    void ignoreUntil(const IgnoreUntil &until);
    void markReviewed();
    void mergeSelected();
    void splitCurrent();
    void deleteSelected();

Q_SIGNALS:
    // A change was written (the lists re-read), or failed (`ok` false; a message box said why).
    void changed(bool ok, const QString &message);

private:
    // Runs `change` on the writer; its message goes to the status bar.
    void run(const QString &title, std::function<Result<QString>(Database &)> change);
    bool confirm(const QString &title, const QString &question) const;

    MainWindow *m_window;
    std::shared_ptr<JobRunner> m_jobs;
    QMenu *m_ignoreMenu = nullptr;
};

} // namespace ed
