#include "window/TriageController.h"

#include "look/Theme.h"
#include "models/IssueListModel.h"
#include "views/IssueListView.h"
#include "window/MainWindow.h"

#include <QAction>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>
#include <QToolBar>
#include <QToolButton>

namespace ed {
namespace {

std::vector<int64_t> ids(const QList<int64_t> &list) { return {list.begin(), list.end()}; }

QAction *makeAction(QWidget *owner, const QString &name, const QString &text, const QString &icon = {},
                    const QKeySequence &key = {})
{
    auto *a = new QAction(text, owner);
    a->setObjectName(name);
    if (!icon.isEmpty())
        a->setIcon(theme::icon(icon));
    if (!key.isEmpty())
        a->setShortcut(key);
    owner->addAction(a);
    return a;
}

constexpr int64_t kHourMs = 3'600'000;

} // namespace

TriageController::TriageController(MainWindow *window, std::shared_ptr<JobRunner> jobs)
    : QObject(window), m_window(window), m_jobs(std::move(jobs))
{
}

void TriageController::buildActions(QAction *ignoreAction)
{
    MainWindow *w = m_window;
    QAction *nextRelease = makeAction(w, QStringLiteral("actionResolveNextRelease"), tr("Resolve in &Next Release"),
                                      QStringLiteral("resolve"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_R));
    nextRelease->setToolTip(tr("Resolved until a report of a newer release (extra.release) arrives"));
    connect(nextRelease, &QAction::triggered, this, &TriageController::resolveInNextRelease);

    m_ignoreMenu = new QMenu(tr("Ignore &Until"), w);
    m_ignoreMenu->setObjectName(QStringLiteral("ignoreMenu"));
    struct Choice {
        const char *name;
        QString text;
        IgnoreUntil until;
    };
    const Choice choices[] = {
        {"actionIgnore1h", tr("For 1 Hour"), {kHourMs, std::nullopt}},
        {"actionIgnore24h", tr("For 24 Hours"), {24 * kHourMs, std::nullopt}},
        {"actionIgnore7d", tr("For 7 Days"), {7 * 24 * kHourMs, std::nullopt}},
        {"actionIgnore10", tr("Until 10 More Reports"), {std::nullopt, 10}},
        {"actionIgnore100", tr("Until 100 More Reports"), {std::nullopt, 100}},
    };
    for (const Choice &c : choices) {
        QAction *a = makeAction(w, QString::fromLatin1(c.name), c.text);
        connect(a, &QAction::triggered, this, [this, until = c.until] { ignoreUntil(until); });
        m_ignoreMenu->addAction(a);
    }
    m_ignoreMenu->addSeparator();
    m_ignoreMenu->addAction(ignoreAction); // for good
    QAction *ignoreFor = m_ignoreMenu->menuAction();
    ignoreFor->setObjectName(QStringLiteral("actionIgnoreUntil"));
    ignoreFor->setIcon(theme::icon(QStringLiteral("clock")));

    QAction *reviewed = makeAction(w, QStringLiteral("actionMarkReviewed"), tr("Mark Re&viewed"), QString(),
                                   QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V));
    reviewed->setToolTip(tr("Out of For review until it regresses"));
    connect(reviewed, &QAction::triggered, this, &TriageController::markReviewed);
    QAction *merge = makeAction(w, QStringLiteral("actionMergeIssues"), tr("&Merge Issues…"), QStringLiteral("add"),
                                QKeySequence(Qt::CTRL | Qt::Key_G)); // Ctrl+M e-mails admins
    merge->setToolTip(tr("One issue of the selected ones: their reports, and later ones, land in the first"));
    connect(merge, &QAction::triggered, this, &TriageController::mergeSelected);
    QAction *split = makeAction(w, QStringLiteral("actionSplitIssue"), tr("&Split Issue…"), QStringLiteral("remove"),
                                QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G));
    split->setToolTip(tr("Undo the merges into this issue"));
    connect(split, &QAction::triggered, this, &TriageController::splitCurrent);
    QAction *del = makeAction(w, QStringLiteral("actionDeleteIssues"), tr("&Delete Issues…"), QStringLiteral("delete"),
                              QKeySequence::Delete);
    del->setShortcutContext(Qt::WidgetShortcut); // the Delete key deletes issues only in the issue list
    w->removeAction(del);
    w->issueList()->addAction(del);
    connect(del, &QAction::triggered, this, &TriageController::deleteSelected);

    QMenu *menu = w->issueMenu();
    QAction *firstAfterIgnore = nullptr;
    const QList<QAction *> existing = menu->actions();
    for (qsizetype i = 0; i < existing.size(); ++i)
        if (existing[i] == ignoreAction && i + 1 < existing.size())
            firstAfterIgnore = existing[i + 1];
    menu->insertAction(firstAfterIgnore, ignoreFor);
    menu->insertAction(ignoreAction, nextRelease);
    menu->addAction(reviewed);
    menu->addSeparator();
    menu->addAction(merge);
    menu->addAction(split);
    menu->addSeparator();
    menu->addAction(del);
    for (QAction *a : {nextRelease, ignoreFor, reviewed, merge, split, del})
        w->issueList()->addAction(a);
    // The toolbar's Ignore offers the choices beside it.
    QToolBar *bar = w->actionToolBar();
    if (auto *button = qobject_cast<QToolButton *>(bar->widgetForAction(ignoreAction))) {
        button->setMenu(m_ignoreMenu);
        button->setPopupMode(QToolButton::MenuButtonPopup);
    }
    QAction *before = nullptr;
    const QList<QAction *> tools = bar->actions();
    for (qsizetype i = 0; i < tools.size(); ++i)
        if (tools[i]->objectName() == QLatin1String("actionReopen") && i + 1 < tools.size())
            before = tools[i + 1];
    bar->insertAction(before, merge);
    updateActions();
}

void TriageController::updateActions()
{
    const qsizetype selected = m_window->issueList()->selectedIssueIds().size();
    for (const char *name : {"actionResolveNextRelease", "actionIgnoreUntil", "actionMarkReviewed", "actionDeleteIssues",
                             "actionIgnore1h", "actionIgnore24h", "actionIgnore7d", "actionIgnore10", "actionIgnore100"})
        if (QAction *a = m_window->action(QString::fromLatin1(name)))
            a->setEnabled(selected > 0);
    if (QAction *a = m_window->action(QStringLiteral("actionMergeIssues")))
        a->setEnabled(selected > 1);
    if (QAction *a = m_window->action(QStringLiteral("actionSplitIssue")))
        a->setEnabled(m_window->currentIssueId().has_value());
    if (m_ignoreMenu)
        m_ignoreMenu->menuAction()->setEnabled(selected > 0);
}

bool TriageController::confirm(const QString &title, const QString &question) const
{
    return QMessageBox::question(m_window, title, question, QMessageBox::Yes | QMessageBox::No, QMessageBox::No) ==
           QMessageBox::Yes;
}

void TriageController::run(const QString &title, std::function<Result<QString>(Database &)> change)
{
    // Unnamed: every change is written, one after another, in order.
    m_jobs->run(
        this, {QString(), JobRunner::Access::Write}, [change = std::move(change)](JobContext &ctx) { return change(ctx.db()); },
        [this, title](Result<QString> done) {
            m_window->refresh(); // what is stored now, also after a failure
            if (!done) {
                QMessageBox::warning(m_window, title, done.error());
                Q_EMIT changed(false, done.error());
                return;
            }
            m_window->statusBar()->showMessage(*done, 4000);
            Q_EMIT changed(true, *done);
        });
}

void TriageController::resolveInNextRelease()
{
    const QList<int64_t> sel = m_window->issueList()->selectedIssueIds();
    if (sel.isEmpty())
        return;
    run(tr("Resolve in Next Release"), [list = ids(sel)](Database &db) -> Result<QString> {
        if (auto r = IssueTriage(db).resolveInNextRelease(list); !r)
            return r.failure();
        return tr("%n issue(s) resolved in the next release", nullptr, int(list.size()));
    });
}

void TriageController::ignoreUntil(const IgnoreUntil &until)
{
    const QList<int64_t> sel = m_window->issueList()->selectedIssueIds();
    if (sel.isEmpty())
        return;
    run(tr("Ignore"), [list = ids(sel), until](Database &db) -> Result<QString> {
        if (auto r = IssueTriage(db).ignore(list, until); !r)
            return r.failure();
        return tr("%n issue(s) ignored", nullptr, int(list.size()));
    });
}

void TriageController::markReviewed()
{
    const QList<int64_t> sel = m_window->issueList()->selectedIssueIds();
    if (sel.isEmpty())
        return;
    run(tr("Mark Reviewed"), [list = ids(sel)](Database &db) -> Result<QString> {
        if (auto r = IssueTriage(db).markReviewed(list); !r)
            return r.failure();
        return tr("%n issue(s) marked reviewed", nullptr, int(list.size()));
    });
}

void TriageController::mergeSelected()
{
    const QList<int64_t> sel = m_window->issueList()->selectedIssueIds();
    if (sel.size() < 2)
        return;
    // Into the current issue when it is one of them, else the first listed.
    const auto current = m_window->currentIssueId();
    const int64_t into = current && sel.contains(*current) ? *current : sel.first();
    std::vector<int64_t> others;
    for (int64_t id : sel)
        if (id != into)
            others.push_back(id);
    if (!confirm(tr("Merge Issues"), tr("Merge %n other issue(s) into issue %1? Their reports, and new ones, will land in it; "
                                        "Split Issue undoes it.",
                                        nullptr, int(others.size()))
                                         .arg(into)))
        return;
    run(tr("Merge Issues"), [into, others](Database &db) -> Result<QString> {
        auto moved = IssueTriage(db).merge(into, others);
        if (!moved)
            return moved.failure();
        return tr("%n report(s) merged into issue %1", nullptr, int(*moved)).arg(into);
    });
}

void TriageController::splitCurrent()
{
    const auto current = m_window->currentIssueId();
    if (!current)
        return;
    if (!confirm(tr("Split Issue"), tr("Split issue %1 into the issues merged into it?").arg(*current)))
        return;
    run(tr("Split Issue"), [id = *current](Database &db) -> Result<QString> {
        auto moved = IssueTriage(db).split(id);
        if (!moved)
            return moved.failure();
        return tr("%n report(s) back in their own issues", nullptr, int(*moved));
    });
}

void TriageController::deleteSelected()
{
    const QList<int64_t> sel = m_window->issueList()->selectedIssueIds();
    if (sel.isEmpty())
        return;
    if (!confirm(tr("Delete Issues"),
                 tr("Delete %n issue(s) and all their reports? This cannot be undone.", nullptr, int(sel.size()))))
        return;
    run(tr("Delete Issues"), [list = ids(sel)](Database &db) -> Result<QString> {
        auto deleted = IssueTriage(db).deleteIssues(list);
        if (!deleted)
            return deleted.failure();
        return tr("%n report(s) deleted", nullptr, int(*deleted));
    });
}

} // namespace ed
