#pragma once
// What the widget tests share (UI builds only): settings kept away from the
// user's, the UI thread registered (a UI-thread SQLite call is fatal), and the
// one wait for a list model's first rows.
// Header-only, so that the support library itself needs no widgets: the ui
// tests link ui themselves (errordeck_test in tests/ui).
#include "TestSupport.h"
#include "import/ImportFilters.h"
#include "models/PagedModel.h"
#include "look/Resources.h"
#include "base/ThreadCheck.h"
#include "jobs/ConfigCache.h"
#include "window/MainWindow.h"

#include <QCoreApplication>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QThread>
#include <memory>
#include <optional>

namespace edtest {

// Keeps QSettings and app data of the tests away from the user's; loads the
// app's resources; registers the test's main thread as the UI thread, so that
// an SQLite call there is fatal (qFatal, the default handler) as in the app's
// debug builds. A test's own setup and checks of the database on that thread
// go in a TestSideDb scope.
inline void isolate()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("ErrorDeckTests"));
    QCoreApplication::setApplicationName(QStringLiteral("errordeck-ui-tests"));
    ed::initUiResources();
    ed::dbthread::setUiThread(QThread::currentThread());
}

// The model knows how many rows it has and holds its first page (or has no
// rows): what a list shows first once a query has run.
inline bool firstRowsLoaded(const ed::PagedModel *m) { return m->isCountKnown() && (m->rowCount() == 0 || m->isRowLoaded(0)); }

// Waits (running the event loop) until firstRowsLoaded(m) with at least `minRows` rows.
inline bool waitUntilLoaded(const ed::PagedModel *m, int minRows = 0, int timeoutMs = 10000)
{
    return QTest::qWaitFor([m, minRows] { return firstRowsLoaded(m) && m->rowCount() >= minRows; }, timeoutMs);
}

// Writes one setting through the app's ConfigCache (a Write job) and waits for its answer.
inline bool writeConfig(ed::ConfigCache &config, ed::ConfigKey key, const QJsonValue &value, int timeoutMs = 10000)
{
    auto ok = std::make_shared<std::optional<bool>>();
    config.set(key, value, nullptr, [ok](ed::Result<void> r) { *ok = r.ok(); });
    (void)QTest::qWaitFor([ok] { return ok->has_value(); }, timeoutMs); // the answer (or none) says the rest
    return ok->value_or(false);
}

// Waits until the ConfigCache holds what the database held when it was last asked.
inline bool waitUntilLoaded(ed::ConfigCache &config, int timeoutMs = 10000)
{
    return QTest::qWaitFor([&config] { return config.isLoaded(); }, timeoutMs);
}

// The app's main window over the database at `path` (opened on the test
// side), resized and shown, once the window system has exposed it; null if the
// database does not open or the window is never exposed.
inline std::unique_ptr<ed::MainWindow> shownMainWindow(const QString &path, QSize size = QSize(1400, 900))
{
    auto db = onTestSide([&] { return ed::Database::open(path); });
    if (!db)
        return nullptr;
    auto w = std::make_unique<ed::MainWindow>(std::move(*db));
    w->resize(size);
    w->show();
    if (!QTest::qWaitForWindowExposed(w.get()))
        return nullptr;
    return w;
}

} // namespace edtest
