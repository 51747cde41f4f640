// Importing from the desktop app: in the background with progress, a summary
// listing rejected lines, cancel, drag and drop, and the sample reports.
#include "window/ImportController.h"
#include "views/ImportProgressBar.h"
#include "dialogs/ImportSummaryDialog.h"
#include "models/IssueListModel.h"
#include "views/IssueListView.h"
#include "window/MainWindow.h"
#include "UiSupport.h"

#include <QApplication>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QUrl>

using namespace ed;

class TestUiImport : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    // Big enough that a cancel after the first batch's progress lands with
    // most of the file left (batches of 100: a hundred of them).
    static constexpr int kBig = 10000;
    QString m_big;

    std::unique_ptr<MainWindow> emptyWindow(const QString &name)
    {
        auto db = edtest::onTestSide([&] { return Database::open(m_dir.filePath(name)); });
        if (!db)
            return nullptr;
        auto w = std::make_unique<MainWindow>(std::move(*db));
        w->show();
        return w;
    }
    static ImportSummary waitSummary(QSignalSpy &spy)
    {
        if (spy.isEmpty() && !spy.wait(60000))
            return {};
        return spy.takeFirst().at(0).value<ImportSummary>();
    }
    static void closeSummaries()
    {
        for (QWidget *w : QApplication::topLevelWidgets())
            if (auto *d = qobject_cast<ImportSummaryDialog *>(w))
                d->close();
    }

private Q_SLOTS:
    void initTestCase()
    {
        edtest::isolate();
        m_big = edtest::generatedReports(m_dir, kBig, 7);
    }

    void importWithProgressAndSummary()
    {
        auto w = emptyWindow(QStringLiteral("a.sqlite3"));
        QVERIFY(w);
        // A file with some broken lines among good ones.
        const QString bad = m_dir.filePath(QStringLiteral("mixed.jsonl"));
        QFile src(edtest::corpus(QStringLiteral("records.jsonl")));
        QVERIFY(src.open(QIODevice::ReadOnly));
        QList<QByteArray> lines = src.readAll().split('\n');
        lines.insert(3, "{\"level\": \"ERROR\", this is not json");
        lines.insert(10, "{\"message\": \"no timestamp or level\"}");
        QFile out(bad);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(lines.join('\n'));
        out.close();

        QSignalSpy done(w.get(), &MainWindow::importFinished);
        QSignalSpy progress(w->importer(), &ImportController::progress);
        QVERIFY(w->startImport({bad}));
        QVERIFY(w->importer()->isRunning());
        QVERIFY(!w->startImport({bad})); // one import at a time
        const ImportSummary s = waitSummary(done);
        QCOMPARE(s.stored, 98);
        QCOMPARE(s.rejected, 2);
        QVERIFY(progress.count() >= 1);
        // The summary dialog lists the rejected lines and why.
        QTRY_VERIFY(w->findChild<ImportSummaryDialog *>());
        auto *dlg = w->findChild<ImportSummaryDialog *>();
        QTableWidget *problems = dlg->problems();
        QCOMPARE(problems->rowCount(), 2);
        QCOMPARE(problems->item(0, 1)->text(), QStringLiteral("4"));
        QVERIFY(!problems->item(0, 2)->text().isEmpty());
        QCOMPARE(problems->item(1, 1)->text(), QStringLiteral("11"));
        dlg->close();
        // The lists were refreshed.
        IssueListModel *m = w->issueList()->issueModel();
        QVERIFY(edtest::waitUntilLoaded(m, 1, 5000));
    }

    void cancelStopsTheImport()
    {
        auto w = emptyWindow(QStringLiteral("b.sqlite3"));
        QVERIFY(w);
        w->importer()->setBatchSize(100);
        QSignalSpy done(w.get(), &MainWindow::importFinished);
        QSignalSpy progress(w->importer(), &ImportController::progress);
        QVERIFY(w->startImport({m_big}));
        QVERIFY(progress.wait(20000));
        // The Cancel button of the status bar's progress.
        auto *bar = w->findChild<ImportProgressBar *>();
        QVERIFY(bar && bar->isVisible());
        QVERIFY(bar->text().contains(QStringLiteral("reports")));
        bar->cancelButton()->click();
        const ImportSummary s = waitSummary(done);
        QVERIFY(s.cancelled);
        QVERIFY(s.stored < kBig);
        QVERIFY(!w->importer()->isRunning());
        QVERIFY(!bar->isVisible());
        auto db = edtest::onTestSide([&] { return Database::open(m_dir.filePath(QStringLiteral("b.sqlite3"))); });
        QCOMPARE(edtest::scalar(*db, "SELECT count(*) FROM reports"), s.stored);
        closeSummaries();

        // Importing the same file again resumes and completes it.
        QVERIFY(w->startImport({m_big}));
        const ImportSummary rest = waitSummary(done);
        QVERIFY(!rest.cancelled);
        QCOMPARE(edtest::scalar(*db, "SELECT count(*) FROM reports"), kBig);
        closeSummaries();
    }

    // The controller alone, on the database's JobRunner (a Write job): the
    // progress arrives while it runs, cancel() stops it with a summary, and
    // going away mid-import stops the import and waits for it (the writer is
    // free afterwards, what was stored is there).
    void controllerRunsOnTheJobRunner()
    {
        const QString path = m_dir.filePath(QStringLiteral("e.sqlite3"));
        QVERIFY(edtest::onTestSide([&] { return Database::open(path); }));
        {
            ImportController c(path);
            c.setBatchSize(100);
            QSignalSpy progress(&c, &ImportController::progress);
            QSignalSpy done(&c, &ImportController::finished);
            QVERIFY(c.start({m_big}));
            QVERIFY(c.isRunning());
            QVERIFY(!c.start({m_big}));
            QVERIFY(progress.wait(20000));
            const auto p = progress.last().at(0).value<ImportProgress>();
            QVERIFY(p.bytesTotal > 0 && p.bytesDone > 0 && p.filesTotal == 1);
            c.cancel();
            QVERIFY(done.count() > 0 || done.wait(20000));
            const auto s = done.first().at(0).value<ImportSummary>();
            QVERIFY(s.cancelled);
            QVERIFY(s.stored > 0 && s.stored < kBig);
            QVERIFY(!c.isRunning());
            QCOMPARE(edtest::onTestSide([&] {
                         auto db = Database::open(path);
                         return edtest::scalar(*db, "SELECT count(*) FROM reports");
                     }),
                     s.stored);
        }
        int64_t before = 0;
        {
            auto c = std::make_unique<ImportController>(path);
            c->setBatchSize(100);
            QSignalSpy progress(c.get(), &ImportController::progress);
            QVERIFY(c->start({m_big}));
            QVERIFY(progress.wait(20000));
            c.reset(); // cancels through the job's token and waits
            before = edtest::onTestSide([&] {
                auto db = Database::open(path);
                return edtest::scalar(*db, "SELECT count(*) FROM reports");
            });
            QVERIFY(before < kBig);
        }
        // The writer is free: the next import completes the file.
        ImportController c(path);
        QSignalSpy done(&c, &ImportController::finished);
        QVERIFY(c.start({m_big}));
        QVERIFY(done.wait(60000));
        QVERIFY(!done.first().at(0).value<ImportSummary>().cancelled);
        QCOMPARE(edtest::onTestSide([&] {
                     auto db = Database::open(path);
                     return edtest::scalar(*db, "SELECT count(*) FROM reports");
                 }),
                 int64_t(kBig));
    }

    void dropFilesAndFolders()
    {
        auto w = emptyWindow(QStringLiteral("c.sqlite3"));
        QVERIFY(w);
        QSignalSpy done(w.get(), &MainWindow::importFinished);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(edtest::corpus(QStringLiteral("eml")))});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(w.get(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(w.get(), &drop);
        const ImportSummary s = waitSummary(done);
        QCOMPARE(s.files, 12);
        QCOMPARE(s.stored, 12);
        closeSummaries();
    }

    void sampleReports()
    {
        auto w = emptyWindow(QStringLiteral("d.sqlite3"));
        QVERIFY(w);
        QSignalSpy done(w.get(), &MainWindow::importFinished);
        QVERIFY(w->importSampleReports());
        const ImportSummary s = waitSummary(done);
        QCOMPARE(s.stored, 98); // the corpus's records.jsonl ships as the samples
        closeSummaries();
    }
};

QTEST_MAIN(TestUiImport)
#include "tst_ui_import.moc"
