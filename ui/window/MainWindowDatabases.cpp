// The main window's databases: File › New / Open / Open Recent / Open Sample
// Database, switching to another file in a new window, and the start page an
// empty database shows.
#include "window/MainWindow.h"

#include "dialogs/ServerDatabaseDialog.h"
#include "jobs/JobRunner.h"
#include "store/DatabaseLocation.h"
#include "store/ReportStore.h"
#include "views/StartPage.h"
#include "window/DatabaseOpener.h"
#include "window/ImportController.h"
#include "window/RecentDatabases.h"
#include "window/ServerPasswords.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonArray>
#include <QMenu>
#include <QMessageBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTemporaryDir>

namespace ed {

namespace {
const QString kDatabaseFilter = QStringLiteral("ErrorDeck databases (*.sqlite3 *.sqlite *.db);;All files (*)");
}

void MainWindow::buildDatabaseActions(QMenu *file)
{
    auto *newDb = new QAction(tr("&New Database…"), this);
    newDb->setObjectName(QStringLiteral("actionNewDatabase"));
    newDb->setToolTip(tr("Start an empty database (one per site is a normal way to work)"));
    connect(newDb, &QAction::triggered, this, &MainWindow::newDatabaseDialog);
    auto *openDb = new QAction(tr("Open &Database…"), this);
    openDb->setObjectName(QStringLiteral("actionOpenDatabase"));
    openDb->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_O));
    addAction(openDb);
    connect(openDb, &QAction::triggered, this, &MainWindow::openDatabaseDialog);
    auto *openServer = new QAction(tr("Open Ser&ver Database…"), this);
    openServer->setObjectName(QStringLiteral("actionOpenServerDatabase"));
    openServer->setToolTip(tr("A PostgreSQL database a team shares"));
    connect(openServer, &QAction::triggered, this, &MainWindow::openServerDatabaseDialog);
    m_recentMenu = new QMenu(tr("Open &Recent"), this);
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    auto *sample = new QAction(tr("Open &Sample Database"), this);
    sample->setObjectName(QStringLiteral("actionOpenSampleDatabase"));
    sample->setToolTip(tr("A real Django site's errors in a database of their own, to look around"));
    connect(sample, &QAction::triggered, this, &MainWindow::openSampleDatabase);
    file->addAction(newDb);
    file->addAction(openDb);
    file->addAction(openServer);
    file->addMenu(m_recentMenu);
    file->addAction(sample);
    file->addSeparator();
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QString current = m_db.isServer() ? m_db.path() : QDir::cleanPath(QFileInfo(m_db.path()).absoluteFilePath());
    bool anyMissing = false;
    int n = 0;
    for (const QString &path : recent::databases()) {
        if (Database::isServerUrl(path)) { // a server is never "missing": opening it says what is wrong
            QAction *a = m_recentMenu->addAction(QStringLiteral("&%1 %2").arg(++n % 10).arg(path));
            a->setObjectName(QStringLiteral("recentDatabase"));
            a->setData(path);
            a->setCheckable(true);
            a->setChecked(path == current);
            connect(a, &QAction::triggered, this, [this, path] { openDatabase(path); });
            continue;
        }
        const QFileInfo info(path);
        const bool missing = !info.exists();
        anyMissing = anyMissing || missing;
        QString text =
            QStringLiteral("&%1 %2 — %3").arg(++n % 10).arg(info.fileName(), QDir::toNativeSeparators(info.absolutePath()));
        if (missing)
            text += tr(" (missing)");
        QAction *a = m_recentMenu->addAction(text);
        a->setObjectName(QStringLiteral("recentDatabase"));
        a->setData(path);
        a->setToolTip(QDir::toNativeSeparators(path));
        a->setEnabled(!missing); // greyed: the file was moved or deleted
        a->setCheckable(true);
        a->setChecked(path == current);
        connect(a, &QAction::triggered, this, [this, path] { openDatabase(path); });
    }
    if (n == 0)
        m_recentMenu->addAction(tr("No recent databases"))->setEnabled(false);
    m_recentMenu->addSeparator();
    QAction *prune = m_recentMenu->addAction(tr("Remove &Missing Entries"));
    prune->setObjectName(QStringLiteral("actionRecentRemoveMissing"));
    prune->setEnabled(anyMissing);
    connect(prune, &QAction::triggered, this, [] { recent::forgetMissing(); });
    QAction *clear = m_recentMenu->addAction(tr("&Clear Menu"));
    clear->setObjectName(QStringLiteral("actionRecentClear"));
    clear->setEnabled(n > 0);
    connect(clear, &QAction::triggered, this, [this] {
        recent::clear();
        recent::noteOpened(m_db.path()); // the open one stays listed
    });
}

bool MainWindow::mayStopImport(const QString &title, const QString &question)
{
    if (!m_import->isRunning())
        return true;
    // Stopping loses nothing stored, but it is the user's import: No unless they say so.
    if (QMessageBox::question(this, title, question, QMessageBox::Yes | QMessageBox::No, QMessageBox::No) != QMessageBox::Yes)
        return false;
    m_import->cancel();
    return true;
}

bool MainWindow::openDatabase(const QString &location)
{
    // A password written in a server's URL goes to this session's memory: the
    // URL opened, listed and shown is without it.
    const bool server = Database::isServerUrl(location);
    const QString path = server ? serverpasswords::takePasswordFrom(location) : location;
    const QFileInfo target(path), current(m_db.path());
    if (server ? path == m_db.path() : target.exists() && target.canonicalFilePath() == current.canonicalFilePath())
        return false;
    if (!mayStopImport(tr("Open Database"),
                       tr("An import is running into %1. Stop it and open %2? What was imported so "
                          "far is kept.")
                           .arg(m_db.isServer() ? m_db.path() : current.fileName(), server ? path : target.fileName())))
        return false;
    auto db = openDatabaseOffTheUiThread(path);
    if (!db) {
        if (server)
            serverpasswords::forget(path); // a refused password is asked again next time
        else if (!target.exists())
            recent::forget(path);
        // Not modal in the event loop's way: the window stays usable, the message names the file.
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Open Database"),
                                    tr("%1 could not be opened.").arg(QDir::toNativeSeparators(path)), QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("openDatabaseFailed"));
        box->setInformativeText(db.error());
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return false;
    }
    // The next window takes this one's place and size; this one goes with its
    // jobs, import, watcher and controllers (its destructor waits for them).
    saveState();
    auto *next = new MainWindow(std::move(*db));
    next->setAttribute(Qt::WA_DeleteOnClose);
    if (isMaximized()) {
        next->showMaximized();
    } else {
        next->setGeometry(geometry());
        next->show();
    }
    Q_EMIT databaseOpened(next);
    m_closingForSwitch = true;
    close();
    return true;
}

void MainWindow::openDatabaseDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Database"), QFileInfo(m_db.path()).absolutePath(),
                                                      kDatabaseFilter);
    if (!path.isEmpty())
        openDatabase(path);
}

void MainWindow::openServerDatabaseDialog()
{
    auto *dlg = new ServerDatabaseDialog(this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    connect(dlg, &QDialog::accepted, this, [this, dlg] { openDatabase(dlg->url()); });
    dlg->open();
}

void MainWindow::newDatabaseDialog()
{
    QString path = QFileDialog::getSaveFileName(
        this, tr("New Database"), QDir(QFileInfo(m_db.path()).absolutePath()).filePath(QStringLiteral("site.sqlite3")),
        kDatabaseFilter, nullptr, QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".sqlite3");
    // Never replaced: a database is the user's reports.
    if (QFileInfo::exists(path)) {
        QMessageBox::warning(this, tr("New Database"),
                             tr("%1 exists already. Open it with File › Open Database, or choose another name.")
                                 .arg(QDir::toNativeSeparators(path)));
        return;
    }
    openDatabase(path);
}

void MainWindow::openSampleDatabase()
{
    if (recent::isSampleDatabase(m_db.path())) {
        importSampleReportsIfEmpty();
        return;
    }
    const QString path = recent::sampleDatabasePath();
    QDir().mkpath(QFileInfo(path).absolutePath());
    // Filled in the new window, by its importer, the first time.
    auto once = std::make_shared<QMetaObject::Connection>();
    *once = connect(this, &MainWindow::databaseOpened, this, [once](MainWindow *next) {
        QObject::disconnect(*once);
        next->importSampleReportsIfEmpty();
    });
    if (!openDatabase(path))
        disconnect(*once);
}

bool MainWindow::importSampleReports()
{
    // Imported from a copy: the importer reads files, and a resource is not one.
    static QTemporaryDir dir;
    const QString copy = dir.filePath(QStringLiteral("sample-reports.jsonl"));
    QFile::remove(copy);
    if (!dir.isValid() || !QFile::copy(QStringLiteral(":/samples/records.jsonl"), copy)) {
        QMessageBox::warning(this, tr("Sample reports"), tr("The sample reports could not be copied to %1.").arg(dir.path()));
        return false;
    }
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    return startImport({copy});
}

void MainWindow::importSampleReportsIfEmpty()
{
    m_jobs->run(
        this, {QStringLiteral("any reports, for the samples")},
        [](JobContext &ctx) { return ReportStore(ctx.db()).hasReports(); },
        [this](Result<bool> any) {
            if (any && !*any)
                importSampleReports();
        });
}

void MainWindow::checkEmpty()
{
    m_jobs->run(
        this, {QStringLiteral("any reports, for the start page")},
        [](JobContext &ctx) { return ReportStore(ctx.db()).hasReports(); },
        [this](Result<bool> any) {
            if (!any) // the lists say what failed; the start page would hide it
                return;
            showStartPage(!*any);
            Q_EMIT emptinessChecked(!*any);
        });
}

bool MainWindow::isStartPageShown() const { return m_stack->currentWidget() == m_start; }

void MainWindow::showStartPage(bool show) { m_stack->setCurrentWidget(show ? static_cast<QWidget *>(m_start) : m_sideSplit); }

void MainWindow::connectStartPage()
{
    connect(m_start, &StartPage::importFilesRequested, this, &MainWindow::openImportDialog);
    connect(m_start, &StartPage::importFolderRequested, this, [this] {
        if (QAction *a = action(QStringLiteral("actionImportFolder")))
            a->trigger();
    });
    connect(m_start, &StartPage::sampleDatabaseRequested, this, &MainWindow::openSampleDatabase);
    connect(m_start, &StartPage::watchFolderRequested, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Watch a folder of reports"));
        if (dir.isEmpty())
            return;
        // The watcher imports what the folder holds now, then what is written to it.
        QStringList folders = m_config->stringList(ConfigKey::WatchedFolders);
        if (!folders.contains(dir))
            folders << dir;
        m_config->set(ConfigKey::WatchedFolders, QJsonArray::fromStringList(folders), this, [this, dir](Result<void> r) {
            statusBar()->showMessage(r ? tr("Watching %1").arg(QDir::toNativeSeparators(dir))
                                       : tr("%1 could not be watched: %2").arg(QDir::toNativeSeparators(dir), r.error()),
                                     8000);
        });
    });
}

} // namespace ed
