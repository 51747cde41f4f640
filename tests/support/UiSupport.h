#pragma once
// What the widget tests share (UI builds only): settings kept away from the
// user's, and the one wait for a list model's first rows.
// Header-only, so that the support library itself needs no widgets: the ui
// tests link ui themselves (errordeck_test in tests/ui).
#include "TestSupport.h"
#include "import/ImportFilters.h"
#include "models/PagedModel.h"
#include "look/Resources.h"

#include <QCoreApplication>
#include <QProcess>
#include <QStandardPaths>

namespace edtest {

// Keeps QSettings and app data of the tests away from the user's; loads the app's resources.
inline void isolate()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("ErrorDeckTests"));
    QCoreApplication::setApplicationName(QStringLiteral("errordeck-ui-tests"));
    ed::initUiResources();
}

// The model knows how many rows it has and holds its first page (or has no
// rows): what a list shows first once a query has run.
inline bool firstRowsLoaded(const ed::PagedModel *m) { return m->isCountKnown() && (m->rowCount() == 0 || m->isRowLoaded(0)); }

// Waits (running the event loop) until firstRowsLoaded(m) with at least `minRows` rows.
inline bool waitUntilLoaded(const ed::PagedModel *m, int minRows = 0, int timeoutMs = 10000)
{
    return QTest::qWaitFor([m, minRows] { return firstRowsLoaded(m) && m->rowCount() >= minRows; }, timeoutMs);
}

} // namespace edtest
