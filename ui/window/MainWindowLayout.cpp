// The main window's panes at any width, and what is kept of them for the next
// start: the geometry, the splitters the user dragged, the chart and the
// saved-searches panel as the user chose them.
#include "window/MainWindow.h"

#include "models/SavedSearches.h"
#include "views/RatioSplitter.h"
#include "views/TimelineChart.h"

#include <QAction>
#include <QGuiApplication>
#include <QResizeEvent>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStyle>

namespace ed {
namespace {
const QString kSideChoiceKey = QStringLiteral("savedSearches"); // "shown" or "hidden"; none: by the width
const QString kDetailByUserKey = QStringLiteral("detailSplitterByUser");
} // namespace

void MainWindow::setSavedSearchesShown(bool shown)
{
    m_sideChoice = shown ? SideChoice::Shown : SideChoice::Hidden;
    QSettings s;
    s.beginGroup(QStringLiteral("MainWindow"));
    s.setValue(kSideChoiceKey, shown ? QStringLiteral("shown") : QStringLiteral("hidden"));
    fitSidePanel();
}

void MainWindow::fitSidePanel()
{
    // At 1024 px the panel's 170 px are what the issue titles and culprits
    // lack; it comes back by itself when the window is wide again.
    if (!m_saved)
        return;
    const bool shown = m_sideChoice == SideChoice::Shown ||
                       (m_sideChoice == SideChoice::ByWidth && width() >= kRoomForSavedSearches);
    if (m_saved->isHidden() == shown)
        m_saved->setVisible(shown);
    if (QAction *a = action(QStringLiteral("actionShowSavedSearches")); a && a->isChecked() != shown)
        a->setChecked(shown); // not triggered: no choice made
}

void MainWindow::resizeEvent(QResizeEvent *e)
{
    QMainWindow::resizeEvent(e);
    fitSidePanel();
}

void MainWindow::restoreState()
{
    QSettings s;
    s.beginGroup(QStringLiteral("MainWindow"));
    if (!restoreGeometry(s.value(QStringLiteral("geometry")).toByteArray())) {
        // First start: roomy, but never larger than the screen we open on.
        QSize size(1500, 950);
        if (const QScreen *screen = QGuiApplication::primaryScreen()) {
            const QRect avail = screen->availableGeometry();
            size = size.boundedTo(avail.size() * 0.92);
            setGeometry(QStyle::alignedRect(Qt::LeftToRight, Qt::AlignCenter, size, avail));
        } else {
            resize(size);
        }
    }
    QMainWindow::restoreState(s.value(QStringLiteral("state")).toByteArray());
    for (QSplitter *sp : {m_sideSplit, m_vsplit, m_listSplit})
        sp->restoreState(s.value(sp->objectName()).toByteArray());
    // The detail splitter's sizes only when the user dragged it: otherwise
    // the sizes of the last window would hold a ratio it was squeezed to.
    if (s.value(kDetailByUserKey).toBool())
        m_hsplit->restoreUserSizes(s.value(m_hsplit->objectName()).toByteArray());
    const bool chart = s.value(QStringLiteral("chartVisible"), true).toBool();
    m_chart->setVisible(chart);
    if (QAction *a = action(QStringLiteral("actionShowChart")))
        a->setChecked(chart);
    const QString side = s.value(kSideChoiceKey).toString();
    // Before the choice was kept apart, "savedSearchesVisible" was written at
    // every quit: only its "hidden" was surely the user's.
    m_sideChoice = side == QLatin1String("shown")                                    ? SideChoice::Shown
                   : side == QLatin1String("hidden")                                 ? SideChoice::Hidden
                   : !s.value(QStringLiteral("savedSearchesVisible"), true).toBool() ? SideChoice::Hidden
                                                                                     : SideChoice::ByWidth;
    fitSidePanel();
}

void MainWindow::saveState()
{
    QSettings s;
    s.beginGroup(QStringLiteral("MainWindow"));
    s.setValue(QStringLiteral("geometry"), saveGeometry());
    s.setValue(QStringLiteral("state"), QMainWindow::saveState());
    for (QSplitter *sp : {m_sideSplit, m_vsplit, m_listSplit})
        s.setValue(sp->objectName(), sp->saveState());
    s.setValue(kDetailByUserKey, m_hsplit->isUserSized());
    if (m_hsplit->isUserSized())
        s.setValue(m_hsplit->objectName(), m_hsplit->saveState());
    else
        s.remove(m_hsplit->objectName());
    s.setValue(QStringLiteral("chartVisible"), !m_chart->isHidden());
    s.remove(QStringLiteral("savedSearchesVisible")); // the choice is kept when made (setSavedSearchesShown)
}

} // namespace ed
