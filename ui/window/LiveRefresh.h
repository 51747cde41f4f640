#pragma once
// Every list of the main window follows what other connections commit (issue
// 17: several apps, `watch`, `serve` and `import` on one database): the
// store's change feed (store/StoreChanges.h, its own thread and connection)
// says what kind changed, and this re-reads in place what shows it: the issue
// and report lists (selection and scroll position kept), the counts, the
// chart and the open issue's page for reports and issues; the settings and
// saved searches for settings. While the window is hidden or minimised, while
// its own import runs (its end re-reads everything) and while the lists are
// still re-reading the last change, changes are only noted, and read once
// when that is over: a busy importer elsewhere costs one re-read at a time.
#include "store/StoreChange.h"

#include <QObject>

namespace ed {

class MainWindow;
class StoreChanges;

class LiveRefresh : public QObject {
    Q_OBJECT
public:
    explicit LiveRefresh(MainWindow *window);
    ~LiveRefresh() override; // the feed's thread stops

    StoreChanges *feed() const { return m_feed; }
    // Kinds noted while the window did not show (none when it showed them).
    StoreChangeKinds pending() const { return m_pending; }

Q_SIGNALS:
    // The window was asked to re-read what shows `kinds` (tests wait on it).
    void refreshed(ed::StoreChangeKinds kinds);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onChanged(StoreChangeKinds kinds);
    bool mayApply() const;
    void tryApply();

    MainWindow *m_window;
    StoreChanges *m_feed = nullptr;
    StoreChangeKinds m_pending;
    bool m_outage = false; // lost() said, watching() not yet again
};

} // namespace ed
