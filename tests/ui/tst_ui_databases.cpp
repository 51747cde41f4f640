// Databases in the app (issue 14): File › Open Database and Open Recent show
// the other file's issues in the window's place; the sample database is a file
// of its own, filled by the importer, the user's stays empty; an empty
// database shows the start page until something is imported.
#include "dialogs/ImportSummaryDialog.h"
#include "window/ImportController.h"
#include "models/IssueListModel.h"
#include "views/IssueListView.h"
#include "views/StartPage.h"
#include "window/MainWindow.h"
#include "window/RecentDatabases.h"
#include "UiSupport.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>

using namespace ed;

class TestUiDatabases : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_corpusDb, m_otherDb;

    std::unique_ptr<MainWindow> window(const QString &path)
    {
        auto db = edtest::onTestSide([&] { return Database::open(path); });
        if (!db)
            return nullptr;
        auto w = std::make_unique<MainWindow>(std::move(*db));
        w->show();
        return w;
    }
    static QStringList titles(MainWindow *w)
    {
        IssueListModel *m = w->issueList()->issueModel();
        if (!edtest::waitUntilLoaded(m))
            return {QStringLiteral("(not loaded)")};
        QStringList out;
        for (int r = 0; r < m->rowCount(); ++r)
            out << (m->issue(r) ? m->issue(r)->title : QString());
        return out;
    }
    static int64_t reportsIn(const QString &path)
    {
        auto db = edtest::onTestSide([&] { return Database::open(path, true); });
        return db ? edtest::scalar(*db, "SELECT count(*) FROM reports") : -1;
    }
    // Opens `path` from `from` and returns the window that took its place.
    static MainWindow *switchTo(MainWindow *from, const std::function<void()> &how)
    {
        QSignalSpy opened(from, &MainWindow::databaseOpened);
        how();
        if (opened.isEmpty())
            return nullptr;
        return opened.first().at(0).value<MainWindow *>();
    }
    static QAction *recentEntry(MainWindow *w, const QString &path)
    {
        Q_EMIT w->recentMenu()->aboutToShow(); // the menu is rebuilt as it opens
        for (QAction *a : w->recentMenu()->actions())
            if (a->objectName() == QLatin1String("recentDatabase") && a->data().toString() == path)
                return a;
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        edtest::isolate();
        recent::clear();
        QFile::remove(recent::sampleDatabasePath());
        m_corpusDb = edtest::corpusDatabase(m_dir, QStringLiteral("site-a.sqlite3"));
        // Another site: one report of its own.
        QJsonObject rec = edtest::corpusRecords().first();
        QJsonObject exc = rec.value(QStringLiteral("exception")).toObject();
        exc[QStringLiteral("type")] = QStringLiteral("OnlyInSiteB");
        exc[QStringLiteral("module")] = QStringLiteral("site_b");
        rec[QStringLiteral("exception")] = exc;
        const QString file = m_dir.filePath(QStringLiteral("b.jsonl"));
        edtest::writeFile(file, QJsonDocument(rec).toJson(QJsonDocument::Compact) + '\n');
        m_otherDb = QFileInfo(m_dir.filePath(QStringLiteral("site-b.sqlite3"))).absoluteFilePath();
        auto db = edtest::onTestSide([&] { return Database::open(m_otherDb); });
        QVERIFY(db.ok());
        QCOMPARE(edtest::onTestSide([&] { return edtest::importPlain(*db, {file}).stored; }), 1);
    }

    void openAndRecent()
    {
        auto a = window(m_corpusDb);
        QVERIFY(a);
        QVERIFY(titles(a.get()).size() > 5);
        QVERIFY(a->windowTitle().contains(QStringLiteral("site-a.sqlite3")));
        QCOMPARE(recent::databases().value(0), QFileInfo(m_corpusDb).absoluteFilePath());

        // Open Database: the other file's issues, in a new window; the old one goes.
        QPointer<MainWindow> b = switchTo(a.get(), [&] { QVERIFY(a->openDatabase(m_otherDb)); });
        QVERIFY(b);
        QVERIFY(!a->isVisible());
        QVERIFY(b->isVisible());
        QVERIFY(b->testAttribute(Qt::WA_DeleteOnClose));
        QVERIFY2(b->windowTitle().contains(QStringLiteral("site-b.sqlite3")), qPrintable(b->windowTitle()));
        QCOMPARE(titles(b), QStringList{QStringLiteral("OnlyInSiteB: division by zero")});
        QCOMPARE(recent::databases().mid(0, 2), (QStringList{m_otherDb, QFileInfo(m_corpusDb).absoluteFilePath()}));
        // The same file again changes nothing.
        QVERIFY(!b->openDatabase(m_otherDb));

        // Open Recent: site A again, with its own issues.
        QAction *entry = recentEntry(b, QFileInfo(m_corpusDb).absoluteFilePath());
        QVERIFY(entry);
        QVERIFY(entry->isEnabled());
        QPointer<MainWindow> again = switchTo(b, [&] { entry->trigger(); });
        QVERIFY(again);
        QTRY_VERIFY(!b); // deleted on close
        const QStringList t = titles(again);
        QVERIFY(t.size() > 5);
        QVERIFY(!t.contains(QStringLiteral("OnlyInSiteB: division by zero")));

        // A file gone from disk is greyed, and Remove Missing Entries drops it.
        const QString gone = m_dir.filePath(QStringLiteral("gone.sqlite3"));
        recent::noteOpened(gone);
        QAction *missing = recentEntry(again, QFileInfo(gone).absoluteFilePath());
        QVERIFY(missing);
        QVERIFY(!missing->isEnabled());
        QVERIFY(missing->text().contains(QStringLiteral("missing")));
        QAction *prune = again->recentMenu()->findChild<QAction *>(QStringLiteral("actionRecentRemoveMissing"));
        if (!prune)
            for (QAction *x : again->recentMenu()->actions())
                if (x->objectName() == QLatin1String("actionRecentRemoveMissing"))
                    prune = x;
        QVERIFY(prune && prune->isEnabled());
        prune->trigger();
        QVERIFY(!recent::databases().contains(QFileInfo(gone).absoluteFilePath()));
        QVERIFY(recent::databases().contains(m_otherDb));
        delete again.data();
    }

    // A file that is no database: a message names it, the window stays as it was.
    void openFailureKeepsWindow()
    {
        auto a = window(m_otherDb);
        QVERIFY(a);
        const QString bad = m_dir.filePath(QStringLiteral("not-a-database.sqlite3"));
        edtest::writeFile(bad, QByteArray("this is a text file, not SQLite\n").repeated(200));
        QSignalSpy opened(a.get(), &MainWindow::databaseOpened);
        QVERIFY(!a->openDatabase(bad));
        QVERIFY(opened.isEmpty());
        QVERIFY(a->isVisible());
        auto *box = a->findChild<QMessageBox *>(QStringLiteral("openDatabaseFailed"));
        QVERIFY(box);
        QVERIFY2(box->text().contains(QStringLiteral("not-a-database.sqlite3")), qPrintable(box->text()));
        box->close();
        QCOMPARE(titles(a.get()), QStringList{QStringLiteral("OnlyInSiteB: division by zero")});
    }

    // An empty database shows the start page; an import replaces it with the lists.
    void startPageUntilImport()
    {
        auto w = window(m_dir.filePath(QStringLiteral("empty.sqlite3")));
        QVERIFY(w);
        QTRY_VERIFY(w->isStartPageShown());
        QVERIFY(w->startPage()->isVisible());
        QVERIFY(!w->issueList()->isVisible());
        for (const char *b : {"startImportFiles", "startImportFolder", "startWatchFolder", "startSampleDatabase"})
            QVERIFY2(w->startPage()->button(QString::fromLatin1(b)), b);
        QSignalSpy done(w.get(), &MainWindow::importFinished);
        QVERIFY(w->startImport({edtest::corpus(QStringLiteral("records.jsonl"))}));
        QVERIFY(done.wait(60000));
        QTRY_VERIFY(!w->isStartPageShown());
        QVERIFY(w->issueList()->isVisible());
        QVERIFY(titles(w.get()).size() > 5);
        for (QWidget *top : QApplication::topLevelWidgets())
            if (qobject_cast<ImportSummaryDialog *>(top))
                top->close();
    }

    // The start page's "Open the Sample Database": a file of its own, filled by
    // the importer; the user's database stays empty.
    void sampleDatabaseIsSeparate()
    {
        const QString user = m_dir.filePath(QStringLiteral("user.sqlite3"));
        auto w = window(user);
        QVERIFY(w);
        QTRY_VERIFY(w->isStartPageShown());
        QPointer<MainWindow> sample = switchTo(w.get(),
                                               [&] { w->startPage()->button(QStringLiteral("startSampleDatabase"))->click(); });
        QVERIFY(sample);
        QSignalSpy done(sample.data(), &MainWindow::importFinished);
        QVERIFY(done.wait(60000));
        QCOMPARE(done.first().at(0).value<ImportSummary>().stored, 98); // the bundled samples
        QVERIFY(recent::isSampleDatabase(sample->databasePath()));
        QVERIFY(sample->windowTitle().startsWith(QStringLiteral("Sample database")));
        QTRY_VERIFY(!sample->isStartPageShown());
        QVERIFY(titles(sample).size() > 5);
        QCOMPARE(reportsIn(user), 0);
        QCOMPARE(reportsIn(recent::sampleDatabasePath()), 98);
        QVERIFY(!recent::databases().contains(QFileInfo(recent::sampleDatabasePath()).absoluteFilePath()));
        for (QWidget *top : QApplication::topLevelWidgets())
            if (qobject_cast<ImportSummaryDialog *>(top))
                top->close();
        delete sample.data();
    }

    void cleanupTestCase() { recent::clear(); }
};

QTEST_MAIN(TestUiDatabases)
#include "tst_ui_databases.moc"
