// errordeck: the desktop app.
#include "base/AppLog.h"
#include "base/ThreadCheck.h"
#include "store/Database.h"
#include "store/DatabaseLocation.h"
#include "window/DatabaseOpener.h"
#include "window/MainWindow.h"
#include "window/ServerPasswords.h"
#include "look/Resources.h"
#include "look/Theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QTimer>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("ErrorDeck"));
    QApplication::setApplicationName(QStringLiteral("errordeck"));
    QApplication::setApplicationDisplayName(QStringLiteral("ErrorDeck"));
    QApplication::setApplicationVersion(QStringLiteral(ERRORDECK_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.errordeck.ErrorDeck"));
    ed::initUiResources();
    // View › Theme, as chosen last (the system's look when never chosen).
    if (const auto theme = ed::theme::savedTheme(); theme != ed::theme::ThemeChoice::System)
        ed::theme::applyTheme(theme);
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/errordeck.svg")));

    QCommandLineParser p;
    p.setApplicationDescription(QApplication::translate("main", "Browse a Django site's error reports."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOption(
        {QStringLiteral("db"),
         QApplication::translate("main", "The database: a file, or a PostgreSQL server's postgresql://USER@HOST:PORT/DB."),
         QStringLiteral("path|url")});
    p.addOption({QStringLiteral("verbose"), QApplication::translate("main", "More detail in the log.")});
    p.addPositionalArgument(QStringLiteral("files"), QApplication::translate("main", "Report files or folders to import."),
                            QStringLiteral("[files...]"));
    p.process(app);
    ed::applog::init(QStringLiteral("errordeck"), p.isSet(QStringLiteral("verbose")));

    // A server's password, when libpq finds none: this session's, the keychain's, or asked in a dialog.
    ed::serverpasswords::install();
    auto path = ed::chooseDatabaseLocation(p.value(QStringLiteral("db")));
    if (path) // a password in the URL: kept in memory, never shown or listed
        path = ed::serverpasswords::takePasswordFrom(*path);
    // Registered before the database opens: the open and its migration run off it.
    ed::dbthread::setUiThread(app.thread());
#ifdef NDEBUG
    // The tests make a UI-thread SQLite call fatal; in the optimised build a
    // user runs (dev.sh builds RelWithDebInfo with the tests) it is logged
    // instead, so a path the tests miss costs a stall, not the session.
    ed::dbthread::setViolationHandler([](const QString &message) { qWarning("%s", qPrintable(message)); });
#endif
    auto db = path ? ed::openDatabaseOffTheUiThread(*path) : ed::Result<ed::Database>(ed::Error{path.error()});
    if (!db) {
        if (path)
            ed::serverpasswords::forget(*path);
        ed::applog::error(db.error());
        QMessageBox::critical(nullptr, QApplication::translate("main", "ErrorDeck"), db.error());
        return 1;
    }
    // From here on too the UI thread never waits on SQLite: the window's database
    // work runs on its JobRunner (checked in builds with ERRORDECK_ASSERT_THREADS).
    // On the heap, deleted on close: File › Open Database replaces it with the
    // window of another file (an empty database shows the start page).
    auto *w = new ed::MainWindow(std::move(*db));
    w->setAttribute(Qt::WA_DeleteOnClose);
    w->show();
    if (const QStringList files = p.positionalArguments(); !files.isEmpty())
        QTimer::singleShot(0, w, [w, files] { w->startImport(files); });
    const int rc = app.exec();
    // The last window was closed: its deletion (the checkpoint of its database) is still queued.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return rc;
}
